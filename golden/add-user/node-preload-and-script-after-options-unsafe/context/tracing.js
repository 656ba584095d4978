// tracing

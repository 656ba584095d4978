"""Test-suite helpers: a real local registry, a token server, a raw-HTTP image pusher."""

#!/bin/sh
set -e
# the server is compiled when the container starts
exec go run ./cmd/server "$@"

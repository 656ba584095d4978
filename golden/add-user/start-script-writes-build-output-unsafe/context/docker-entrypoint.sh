#!/bin/sh
set -e
echo "window.API_URL=\"$API_URL\";" > dist/env.js
exec "$@"

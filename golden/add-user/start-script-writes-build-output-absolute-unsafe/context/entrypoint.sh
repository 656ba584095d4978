#!/bin/sh
set -e
sed -i "s|__API_URL__|${API_URL:-http://localhost:8080}|g" /usr/src/app/build/config.js
exec "$@"

#!/bin/sh
set -e
# runtime settings for the app, from the container's environment
echo "LOG_LEVEL=${LOG_LEVEL:-info}" > /etc/app-runtime.env

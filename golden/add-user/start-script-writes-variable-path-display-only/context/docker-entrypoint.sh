#!/bin/sh
set -e
# render the runtime configuration from the environment
echo "greeting=${GREETING:-hello}" > "$CONFIG_FILE"
exec "$@"

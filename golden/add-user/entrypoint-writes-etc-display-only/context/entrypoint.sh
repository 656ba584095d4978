#!/bin/sh
set -e
if [ -n "$EXTRA_HOST" ]; then echo "$EXTRA_HOST" >> /etc/hosts; fi
cp /app/default.conf /etc/app.conf
exec "$@"

#!/bin/sh
set -e
/usr/src/app/scripts/configure.sh
exec "$@"

#!/bin/sh
set -e
chown -R worker /data
exec gosu worker "$@"

#!/bin/sh
set -a
. /etc/app.env
set +a
exec node server.js

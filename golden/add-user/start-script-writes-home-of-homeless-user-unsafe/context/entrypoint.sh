#!/bin/sh
set -e
mkdir -p "$HOME/.config/report"
cp /app/defaults.ini "$HOME/.config/report/settings.ini"
exec "$@"

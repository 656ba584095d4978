#!/bin/sh
set -e
python -m compileall -q /opt/lib
exec python app.py

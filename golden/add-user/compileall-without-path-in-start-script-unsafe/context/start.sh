#!/bin/sh
set -e
python -m compileall -q
exec python app.py

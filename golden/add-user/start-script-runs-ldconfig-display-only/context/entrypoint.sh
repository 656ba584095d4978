#!/bin/sh
set -e
ldconfig
exec python app.py

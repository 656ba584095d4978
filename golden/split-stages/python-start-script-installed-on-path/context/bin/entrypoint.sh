#!/bin/sh
echo entry: starting
exec "$@"

#!/bin/sh
# The official node images' entrypoint (github.com/nodejs/docker-node, MIT licence): run the command with
# node when the first argument is an option or not a command on PATH.
set -e

if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ] || { [ -f "${1}" ] && ! [ -x "${1}" ]; }; then
  set -- node "$@"
fi

exec "$@"

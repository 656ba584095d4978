#!/bin/sh
set -e
mkdir -p var
echo 0 > var/counter

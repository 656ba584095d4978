#!/bin/sh
set -e
mkdir -p dist
cp server.js dist/

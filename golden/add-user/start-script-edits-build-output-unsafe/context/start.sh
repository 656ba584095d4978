#!/bin/sh
set -e
sed -i "s|__API_URL__|$API_URL|" www/index.html
cat www/index.html

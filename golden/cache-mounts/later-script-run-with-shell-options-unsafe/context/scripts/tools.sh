#!/bin/sh
set -e
mkdir -p /opt/tools && cd /opt/tools
echo '{}' > package.json
npm install --offline --no-save ms@2.1.3

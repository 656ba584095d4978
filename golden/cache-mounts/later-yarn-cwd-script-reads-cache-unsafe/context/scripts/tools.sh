mkdir -p /opt/tools && cd /opt/tools && npm init -y >/dev/null && npm install --offline --registry=https://registry.npmjs.org/ --no-audit --no-fund ms@2.1.3

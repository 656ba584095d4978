mkdir -p /opt/tools && cd /opt/tools && npm init -y >/dev/null && npm install --offline --no-audit --no-fund ms@2.1.3

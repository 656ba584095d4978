rm -rf /root/.npm

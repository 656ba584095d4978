const fs = require('fs');
fs.copyFileSync('defaults.json', '/etc/node-app.json');

const fs = require('fs');
fs.writeFileSync('public/index.html', fs.readFileSync('public/index.html', 'utf8').replace('__API__', 'api'));

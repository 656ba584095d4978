const fs = require('fs');
const c = JSON.parse(fs.readFileSync(__dirname + '/preload.json', 'utf8'));
process.env.APP_MODE = c.mode;

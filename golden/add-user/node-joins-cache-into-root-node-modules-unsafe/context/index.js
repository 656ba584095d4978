const path = require('path'), fs = require('fs');
const d = path.join(__dirname, 'node_modules', '.cache', 'app');
fs.mkdirSync(d, { recursive: true });
console.log('started');

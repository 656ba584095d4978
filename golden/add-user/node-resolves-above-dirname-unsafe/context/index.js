const path = require('path'), fs = require('fs');
const up = path.resolve(__dirname, '../shared/uploads');
fs.mkdirSync(up, { recursive: true });
console.log('started', up);

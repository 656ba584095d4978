const path = require('path'), fs = require('fs');
// src/ is one folder below the app's: '..' climbs back to /app, which the user owns.
const data = path.join(__dirname, '..', 'data');
fs.mkdirSync(data, { recursive: true });
fs.writeFileSync(path.join(data, 'state.json'), '{}');
console.log('started');

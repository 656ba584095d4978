const fs = require('fs');
process.chdir('/srv');
fs.writeFileSync('app.pid', String(process.pid));
console.log('started');

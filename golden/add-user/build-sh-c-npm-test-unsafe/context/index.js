const fs = require('fs');
fs.appendFileSync('app.log', 'loaded\n');
module.exports = 1;
if (require.main === module) console.log('started', require('ms')('1h'));

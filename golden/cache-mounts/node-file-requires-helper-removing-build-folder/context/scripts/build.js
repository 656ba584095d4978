const { wipe } = require('./lib/wipe');
wipe('dist');
console.log('built');

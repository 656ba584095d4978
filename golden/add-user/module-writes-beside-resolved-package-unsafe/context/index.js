const c = require('./lib/cache');
c.init();
console.log('started');

require('logsetup');
console.log('started');

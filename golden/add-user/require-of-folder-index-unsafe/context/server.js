require('./lib');
console.log('started');

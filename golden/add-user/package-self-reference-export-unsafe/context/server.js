require('a/log');
console.log('started');

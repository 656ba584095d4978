require('./app');
console.log('started');

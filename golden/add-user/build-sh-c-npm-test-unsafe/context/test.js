require('./index.js');
console.log('ok');

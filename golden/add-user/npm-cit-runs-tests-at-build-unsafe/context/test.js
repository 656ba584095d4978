require('./index.js');
console.log('tests ok');

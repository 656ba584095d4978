require('../index.js');
console.log('check ok');

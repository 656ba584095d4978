require(require('path').join(__dirname, 'log'));
console.log('started');

require(__dirname + '/log');
console.log('started');

require('fs').readdirSync(__dirname + '/plugins').forEach(f => require('./plugins/' + f));
console.log('started');

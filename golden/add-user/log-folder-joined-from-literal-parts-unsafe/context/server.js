const dir = ['', 'var', 'log'].join('/');
require('fs').appendFileSync(dir + '/app.log', 'start\n');
console.log('started');

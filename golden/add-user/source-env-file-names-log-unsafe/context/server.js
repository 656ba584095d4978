require('fs').appendFileSync(process.env.LOG, 'start\n');
console.log('started');

declare const require: any;
require('fs').appendFileSync('/var/log/app.log', 'start\n');
console.log('started');

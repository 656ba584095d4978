declare const require: any;
const fs = require('fs');
fs.appendFileSync('/var/log/app.log', 'start\n');
console.log('started');

const fs = require('fs'), os = require('os');
const rc = os.homedir() + '/.myapprc';
console.log(fs.existsSync(rc) ? JSON.parse(fs.readFileSync(rc)).greeting : 'no-rc');

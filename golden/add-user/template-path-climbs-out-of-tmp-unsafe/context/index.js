const os = require('os'), fs = require('fs');
const p = `${os.tmpdir()}/../srv/app.log`;
fs.mkdirSync(`${os.tmpdir()}/../srv`, { recursive: true });
fs.appendFileSync(p, 'x');
console.log('started');

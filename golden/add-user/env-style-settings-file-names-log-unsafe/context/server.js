const env = Object.fromEntries(require('fs').readFileSync('config/app.env', 'utf8').trim().split('\n').map(l => l.split('=')));
require('fs').appendFileSync(env.LOG_FILE, 'start\n');
console.log('started');

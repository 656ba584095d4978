const fs = require('fs');
for (const l of fs.readFileSync('.env.production', 'utf8').split('\n')) { const [k, v] = l.split('='); if (k) process.env[k] = v; }
fs.mkdirSync(process.env.DATA_DIR, { recursive: true });
console.log('started');

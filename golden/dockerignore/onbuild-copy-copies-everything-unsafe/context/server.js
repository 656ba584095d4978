const fs = require('fs');
console.log('started', fs.existsSync('.env') ? fs.readFileSync('.env', 'utf8').trim() : 'no .env');

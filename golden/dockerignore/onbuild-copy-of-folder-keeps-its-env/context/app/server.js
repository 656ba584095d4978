console.log('started', require('fs').readFileSync(__dirname + '/.env', 'utf8').trim());

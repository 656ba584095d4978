require('fs').appendFileSync('state.txt', 'more\n');console.log('started', require('fs').readFileSync('state.txt', 'utf8').length);

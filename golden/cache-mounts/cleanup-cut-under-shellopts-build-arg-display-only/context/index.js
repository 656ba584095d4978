console.log('started', require('fs').readFileSync('out.txt', 'utf8'), require('ms')('1h'));

console.log('started', require('ms')('1h'));

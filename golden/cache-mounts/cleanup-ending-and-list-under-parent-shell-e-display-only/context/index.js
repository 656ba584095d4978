const ms = require('ms'); console.log('ms ok', ms('2h'));

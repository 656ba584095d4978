const config = require("config");
require('http').createServer((q, r) => r.end('ok')).listen(config.get('port'));

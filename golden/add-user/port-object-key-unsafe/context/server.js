const config = { host: '0.0.0.0', port: 87 };
require('http').createServer((q, r) => r.end('ok')).listen(config.port);

const port = parseInt(process.env.PORT, 10) || 80;
require('http').createServer((q, r) => r.end('ok')).listen(port);

const fs = require("fs");
fs.mkdirSync("/srv/data", { recursive: true });
require("http").createServer((q, r) => r.end("pm2 ok")).listen(process.env.PORT || 3000);

const fs = require("fs");
const http = require("http");
const { OUT } = require("./config");
fs.mkdirSync(OUT, { recursive: true });
http.createServer((req, res) => res.end("ok\n")).listen(process.env.PORT || 3000);

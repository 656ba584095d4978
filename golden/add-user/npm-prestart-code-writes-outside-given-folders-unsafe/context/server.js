const http = require("http");
const fs = require("fs");
const ms = require("ms");
let BODY = "";
BODY = fs.readFileSync("/usr/share/app/public/config.js", "utf8");
http.createServer((q, r) => { r.end("ok " + ms(60000) + " " + BODY); }).listen(process.env.PORT || 3000);

const http = require("http");
const fs = require("fs");
const ms = require("ms");
let BODY = "";
BODY = 'vendor ' + fs.statSync('public/vendor/ms.tgz').size;

http.createServer((q, r) => { r.end("ok " + ms(60000) + " " + BODY); }).listen(process.env.PORT || 3000);

const http = require("http");
const fs = require("fs");
const ms = require("ms");
let BODY = "";
fs.writeFileSync(__dirname + "/uploads/boot.txt", "x"); BODY = "uploads ok";
http.createServer((q, r) => { r.end("ok " + ms(60000) + " " + BODY); }).listen(process.env.PORT || 3000);

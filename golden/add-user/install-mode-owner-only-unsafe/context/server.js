const http = require("http");
const ms = require("ms");
let extra = "";
try { extra = require("fs").readFileSync(__dirname + "/gen.txt", "utf8").trim(); } catch (e) {}
http.createServer((q, r) => { r.end("ok " + ms(60000) + " " + extra + " " + (process.env.GREETING || "")); }).listen(process.env.PORT || 3000);

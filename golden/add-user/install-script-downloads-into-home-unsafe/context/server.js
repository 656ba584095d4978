const http = require("http");
const fs = require("fs");
const ms = require("ms");
let BODY = "";
const os = require("os");
const exe = require("path").join(os.homedir(), ".cache", "fakebrowser", "chrome-123", "chrome");
if (!fs.existsSync(exe)) { console.error("Could not find browser at " + exe); process.exit(1); }
BODY = "browser " + exe;
http.createServer((q, r) => { r.end("ok " + ms(60000) + " " + BODY); }).listen(process.env.PORT || 3000);

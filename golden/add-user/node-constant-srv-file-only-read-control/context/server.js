const fs = require("fs");
const http = require("http");
const IN = "/srv/in.json";
const data = JSON.parse(fs.readFileSync(IN, "utf8"));
http.createServer((req, res) => res.end("ok " + data.a + "\n")).listen(process.env.PORT || 3000);

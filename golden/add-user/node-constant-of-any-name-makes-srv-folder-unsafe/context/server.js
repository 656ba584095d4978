const fs = require("fs");
const OUT = "/srv/reports";
fs.mkdirSync(OUT, { recursive: true });

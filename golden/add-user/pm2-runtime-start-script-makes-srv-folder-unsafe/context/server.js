const fs = require("fs");
fs.mkdirSync("/srv/data", { recursive: true });

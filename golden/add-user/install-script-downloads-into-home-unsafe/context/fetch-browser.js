const fs = require("fs"), os = require("os"), path = require("path");
const d = path.join(os.homedir(), ".cache", "fakebrowser", "chrome-123");
fs.mkdirSync(d, {recursive: true}); fs.writeFileSync(path.join(d, "chrome"), "#!/bin/sh\necho chrome\n");

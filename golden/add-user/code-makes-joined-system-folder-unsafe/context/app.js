const path=require("path");const fs=require("fs");
fs.mkdirSync(path.join("/opt", "cache"), {recursive:true});

const BASE_URL = "/api";
const fs=require("fs");
fs.writeFileSync("out.json", "1");

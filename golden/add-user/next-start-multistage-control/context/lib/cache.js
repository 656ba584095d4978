import fs from "fs";
export const save = (x) => fs.writeFileSync("/tmp/cache.json", x);

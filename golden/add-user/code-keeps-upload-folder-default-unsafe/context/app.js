const dir = process.env.UPLOAD_DIR || "/srv/uploads";
require("fs").mkdirSync(dir, {recursive: true});

const path = require('path');
const fs = require('fs');
const dir = process.env.DATA_DIR || '/var/lib/node-app';
fs.mkdirSync(dir, {recursive: true});
fs.writeFileSync(path.join(dir, 'state.json'), '{}');

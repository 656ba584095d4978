const fs = require('fs');
fs.rmSync('/root/.npm', {recursive: true, force: true});

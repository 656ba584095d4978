exports.wipe = (d) => require('fs').rmSync(d, {recursive: true, force: true});

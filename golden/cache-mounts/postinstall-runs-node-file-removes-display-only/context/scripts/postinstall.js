require('fs').rmSync(require('os').homedir() + '/.npm', {recursive: true, force: true});

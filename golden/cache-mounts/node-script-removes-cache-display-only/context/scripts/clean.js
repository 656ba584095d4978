require('fs').rmSync('/root/.npm', {recursive: true, force: true});

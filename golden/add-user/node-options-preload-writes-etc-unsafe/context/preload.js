require('fs').writeFileSync('/etc/app-preload.conf','x');

console.log(require('fs').readFileSync('/etc/app.conf','utf8'))

require('fs').appendFileSync('/var/log/app.log', 'start\n');

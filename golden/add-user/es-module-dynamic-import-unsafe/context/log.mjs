import fs from 'fs';
fs.appendFileSync('/var/log/app.log', 'start\n');

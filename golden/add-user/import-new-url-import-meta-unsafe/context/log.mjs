import fs from 'fs';
fs.appendFileSync('/var/log/app.log', 'start\n');
export default 1;

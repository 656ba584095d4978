import { appendFileSync } from 'fs';
appendFileSync('/var/log/app.log', 'start\n');
console.log('started');

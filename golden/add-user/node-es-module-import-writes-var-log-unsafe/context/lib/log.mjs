import { appendFileSync } from 'node:fs';
appendFileSync('/var/log/app.log', 'start\n');

import { x } from './reexp.mjs';
console.log('started', x);

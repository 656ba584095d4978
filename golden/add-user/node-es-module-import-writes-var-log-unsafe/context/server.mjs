import './lib/log.mjs';
console.log('started');

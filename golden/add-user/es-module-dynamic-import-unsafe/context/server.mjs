await import('./log.mjs');
console.log('started');

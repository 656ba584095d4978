await import(new URL('./log.mjs', import.meta.url));
console.log('started');

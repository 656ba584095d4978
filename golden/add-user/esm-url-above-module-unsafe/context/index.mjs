import { mkdirSync, writeFileSync } from 'node:fs';
const dir = new URL('../data/', import.meta.url);
mkdirSync(dir, { recursive: true });
writeFileSync(new URL('x', dir), '1');
console.log('started');

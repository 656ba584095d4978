const fs=require('fs'),path=require('path');
const f = path.join(path.dirname(require.resolve('ms')), 'cache.json');
fs.writeFileSync(f,'{}');
console.log('started', f);

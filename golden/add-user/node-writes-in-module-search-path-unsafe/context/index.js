const fs=require('fs'),path=require('path');
const d = path.join(require.main.paths[0], '.cache');
fs.mkdirSync(d,{recursive:true});
console.log('started', d);

const fs=require('fs'),path=require('path');
const d = path.join(require.resolve.paths('ms')[0], '.cache');
fs.mkdirSync(d,{recursive:true});
console.log('started', d);

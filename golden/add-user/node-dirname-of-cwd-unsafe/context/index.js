const fs=require('fs'),path=require('path');
const d = path.dirname(process.cwd()) + '/data';
fs.mkdirSync(d,{recursive:true});
console.log('started', d, require('ms')('1h'));

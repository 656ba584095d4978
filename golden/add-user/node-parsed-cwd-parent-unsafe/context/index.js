const fs=require('fs'),path=require('path');
const d = path.parse(process.cwd()).dir + 'data';
fs.mkdirSync(d,{recursive:true});
console.log('started', d);

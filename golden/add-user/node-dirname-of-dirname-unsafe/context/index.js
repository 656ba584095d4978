const fs=require('fs'),path=require('path');
const d = path.join(path.dirname(__dirname), 'data');
fs.mkdirSync(d,{recursive:true});
console.log('started', d);

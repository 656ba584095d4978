const fs=require('fs');fs.mkdirSync('cache/app',{recursive:true});fs.writeFileSync('cache/app/x','1');console.log('warm');

const fs=require('fs');const p=require('os').homedir()+'/.npm/_cacache';console.log('entries', fs.existsSync(p)?fs.readdirSync(p).length:0);

const fs=require('fs');fs.mkdirSync('www',{recursive:true});fs.writeFileSync('www/index.html','<p>__API_URL__</p>\n');

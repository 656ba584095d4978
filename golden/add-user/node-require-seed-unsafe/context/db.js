const fs = require('fs');
exports.seed = () => { fs.mkdirSync('data', {recursive: true}); fs.writeFileSync('data/store.json', '[]'); };

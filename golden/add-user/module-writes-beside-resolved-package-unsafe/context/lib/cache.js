const fs=require('fs'),path=require('path');
exports.init = () => fs.writeFileSync(path.join(path.dirname(require.resolve('ms')), 'cache.json'), '{}');

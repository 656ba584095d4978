process.chdir('/var/lib/app');
require('fs').writeFileSync('state.json', '{}');
console.log('started');

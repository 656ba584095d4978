const path = require('path');
// Parts joined onto the app's own folder: the user owns /app.
const dir = [__dirname, 'logs'].join('/');
const url = ['', 'api', 'v1'].join('/');
require('fs').mkdirSync(dir, { recursive: true });
require('fs').appendFileSync(path.join(dir, 'app.log'), 'start ' + url + '\n');
console.log('started');

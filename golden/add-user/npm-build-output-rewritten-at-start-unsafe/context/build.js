require('fs').mkdirSync('public', {recursive: true});
require('fs').writeFileSync('public/index.html', '__API__');

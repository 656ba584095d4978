require('fs').writeFileSync('data/store.json', '[1]');

const { wipe } = require('./lib/wipe');
wipe('/root/.npm');

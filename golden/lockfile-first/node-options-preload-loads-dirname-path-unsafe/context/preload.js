require(__dirname + '/lib/env');

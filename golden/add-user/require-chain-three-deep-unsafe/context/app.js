require('./routes');

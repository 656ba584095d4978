require('./logger');

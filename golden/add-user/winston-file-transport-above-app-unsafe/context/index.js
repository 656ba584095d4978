const winston = require('winston'), path = require('path');
const logger = winston.createLogger({ transports: [new winston.transports.File({ dirname: path.join(__dirname, '..', 'logs'), filename: 'app.log' })] });
logger.info('start');
console.log('started');

const winston = require('winston'), fs = require('fs');
const logger = winston.createLogger({ transports: [new winston.transports.File({ filename: 'app.log' })] });
logger.info('start');
// winston opens app.log asynchronously: check, once it had time, that the app may write its log
setTimeout(() => { fs.accessSync('app.log', fs.constants.W_OK); if (require.main === module) console.log('started'); }, 1000);

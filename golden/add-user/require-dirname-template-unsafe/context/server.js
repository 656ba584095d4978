require(`${__dirname}/log.js`);
console.log('started');

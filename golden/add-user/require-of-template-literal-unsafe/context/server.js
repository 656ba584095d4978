require(`./log.js`);
console.log('started');

require('#log');
console.log('started');

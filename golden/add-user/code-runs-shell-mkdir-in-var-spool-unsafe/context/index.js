require('child_process').execSync('mkdir -p /var/spool/myapp');
console.log('started');

require('child_process').execSync('sh scripts/tools.sh', {stdio: 'inherit'});

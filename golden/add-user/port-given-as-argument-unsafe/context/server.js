require('http').createServer((q,s)=>s.end('hi')).listen(+process.argv[2],()=>{console.log('listening');process.exit(0)});

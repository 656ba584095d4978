const http=require("http");const port=require("./config.json").port;
const s=http.createServer((q,r)=>r.end("ok"));s.on("error",e=>{console.error(e.message);process.exit(1)});s.listen(port,()=>{console.log("listening "+port);s.close();});

const http=require("http");const port=process.env.LISTEN_PORT ?? 443;
const s=http.createServer((q,r)=>r.end("ok"));s.on("error",e=>{console.error(e.message);process.exit(1)});s.listen(port,()=>{console.log("listening "+port);s.close();});

const http = require("http");
const ms = require("ms");

const port = Number(process.env.PORT || 3000);

http
  .createServer((_req, res) => {
    res.writeHead(200, { "Content-Type": "text/plain" });
    res.end(`hello from a service installed with pnpm; an hour is ${ms("1h")} ms\n`);
  })
  .listen(port, () => console.log(`listening on ${port}`));

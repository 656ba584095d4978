import http from "http";
import ms from "ms";

const port = Number(process.env.PORT ?? 3000);

http
  .createServer((_req, res) => {
    res.writeHead(200, { "Content-Type": "text/plain" });
    res.end(`hello from a TypeScript service built with npm; two days are ${ms("2 days")} ms\n`);
  })
  .listen(port, () => console.log(`listening on ${port}`));

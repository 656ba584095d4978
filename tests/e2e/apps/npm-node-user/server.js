// Counts of things, spelled with the right plural by `pluralize`: the answer changes if the runtime dependency is
// missing or another version is installed.
const http = require("http");
const pluralize = require("pluralize");

const STOCK = [
  ["box", 1],
  ["box", 3],
  ["mouse", 2],
  ["person", 5],
  ["sheep", 4],
];

const lines = STOCK.map(([word, count]) => pluralize(word, count, true));
const body = `${lines.join("\n")}\nserved by uid ${process.getuid()}\n`;
const port = Number(process.env.PORT || 3000);

http
  .createServer((req, res) => {
    res.writeHead(200, { "Content-Type": "text/plain" });
    res.end(body);
  })
  .listen(port, () => console.log(`counting on ${port}`));

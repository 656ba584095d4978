// Stop names as riders mistype them, matched to the timetable's by edit distance (leven): the answer changes if
// the runtime dependency is missing or behaves differently.
const { createServer } = require("node:http");
const leven = require("leven");

const STOPS = ["Harbour Gate", "Mill Lane", "Old Quarry", "Riverside", "Wool Exchange"];
const TYPED = ["Harbor Gate", "Mil Lane", "Old Qary", "Rivrsde", "Wol Xchange"];

function nearest(typed) {
  let best = { stop: "", edits: Infinity };
  for (const stop of STOPS) {
    const edits = leven(typed.toLowerCase(), stop.toLowerCase());
    if (edits < best.edits) best = { stop, edits };
  }
  return `${typed} -> ${best.stop} (${best.edits} ${best.edits === 1 ? "edit" : "edits"})`;
}

const answer = `${TYPED.map(nearest).join("\n")}\nmatched by a service installed with Yarn 4\n`;

const server = createServer((req, res) => {
  const known = req.method === "GET" && req.url === "/";
  res.writeHead(known ? 200 : 404, { "Content-Type": "text/plain; charset=utf-8" });
  res.end(known ? answer : "no such page\n");
});

server.listen(Number(process.env.PORT) || 3000, () => {
  console.log(`stop matcher on port ${server.address().port}`);
});

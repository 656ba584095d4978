import http from "http";
import ms from "ms";

// Retry delays as people write them: the service answers with each one parsed by `ms` into milliseconds
// and spelled back out, so a missing or mismatched runtime dependency changes the answer.
const RETRY_DELAYS = ["250ms", "5s", "1.5m", "2h"];

interface Step {
  delay: string;
  milliseconds: number;
  spelled: string;
}

const steps: Step[] = RETRY_DELAYS.map((delay) => {
  const milliseconds = ms(delay);
  return { delay, milliseconds, spelled: ms(milliseconds, { long: true }) };
});
const total = steps.reduce((sum, step) => sum + step.milliseconds, 0);
const schedule = JSON.stringify({ installedWith: "pnpm", steps, total: ms(total, { long: true }) });

const port = Number(process.env.PORT ?? 3000);

http
  .createServer((req, res) => {
    if (req.method !== "GET" || req.url !== "/") {
      res.writeHead(404, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ error: `no ${req.method} ${req.url}` }) + "\n");
      return;
    }
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(schedule + "\n");
  })
  .listen(port, () => console.log(`retry schedule on ${port}`));

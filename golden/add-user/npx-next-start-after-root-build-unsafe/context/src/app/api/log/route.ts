import { appendFileSync } from "fs";
export async function POST() {
  appendFileSync("/var/log/next/app.log", "x");
  return Response.json({ ok: true });
}

import fs from "fs";
export default function handler(req, res) {
  fs.mkdirSync("/srv/uploads", { recursive: true });
  res.json({ ok: true });
}

"""Running the command line in tests, on real temporary trees."""

from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner

from dockmod.cli import main

LEGACY = 'FROM node:18\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "server.js"]\n'


def project(root: Path, dockerfile: str = LEGACY, name: str = "Dockerfile", *, ignore: bool = True) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / name).write_bytes(dockerfile.encode("utf-8"))
    (root / "package.json").write_text('{"name": "app"}\n')
    (root / "package-lock.json").write_text("{}\n")
    if ignore:
        # node_modules stays out of the context, as lockfile-first's safe move needs (with .git and .env, what
        # the dockerignore transform would add: tests of other transforms see no .dockerignore fix).
        (root / ".dockerignore").write_text(".git\n.env\nnode_modules\n")
    return root / name


def run(*args: str, cwd: Path) -> tuple[int, str, str]:
    runner = CliRunner()
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = runner.invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)
    # Click's Result.stdout turns CRLF into LF; the bytes are what a pipe receives.
    return result.exit_code, result.stdout_bytes.decode("utf-8"), result.stderr

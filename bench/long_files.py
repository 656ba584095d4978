"""How dockmod's time grows with the length of one Dockerfile, against dockerfile-parse parsing the same file.

Real Dockerfiles have tens of instructions, generated ones thousands. Every question a transform asks about an
instruction ("which file did the copies above leave here?", "which users exist?") can turn into a scan of the
whole stage, and a file of thousands of lines then takes minutes (a 4,000-line file took 97 s before the copy
index). This benchmark makes files of several shapes at 1,000, 2,000 and 4,000 instructions and times
``dockmod refactor --check --unsafe`` on each (every transform but pin-images, unsafe fixes included: the most
work) as a separate process, start-up included, next to dockerfile-parse's parse of the same file in the same
run (timed inside its process).

The figure to watch is the growth when the file doubles: about 2 is linear, 4 is quadratic (dockmod's start-up,
about 0.2 s with its imports and the first transform's set-up, keeps the small sizes' growth below 2).

    python bench/long_files.py [--sizes 1000,2000,4000] [--shapes copies,stages,...] [--keep DIR]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

# Each shape: the Dockerfile text for about n instructions, and the context files it needs.
Shape = Callable[[int], tuple[str, list[str]]]


def _copies(n: int) -> tuple[str, list[str]]:
    # Many copies into one folder, each followed by an install: every install asks what the copies left.
    body = "".join(f"COPY p{i}.json ./\nRUN npm ci --prefix p{i}\n" for i in range(n // 2))
    return "FROM node:18\nWORKDIR /app\n" + body, []


def _folders(n: int) -> tuple[str, list[str]]:
    body = "".join(f"WORKDIR /app/d{i}\nCOPY d{i}/ ./\nRUN npm ci\n" for i in range(n // 3))
    return "FROM node:18\n" + body, [f"d{i}/package.json" for i in range(50)]


def _stages(n: int) -> tuple[str, list[str]]:
    # Repeated stages: the same lines again and again, the hard case for a line diff.
    body = "".join(
        f"FROM python:3.12 AS s{i}\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n"
        for i in range(n // 4)
    )
    return body + 'FROM s0\nCMD ["python", "app.py"]\n', ["requirements.txt"]


def _chain(n: int) -> tuple[str, list[str]]:
    # Each stage builds on the previous one: every question about a stage walks its ancestors.
    body = "".join(f"FROM s{i} AS s{i + 1}\nCOPY p{i}.json ./\nRUN npm ci\n" for i in range(n // 3))
    return "FROM node:18 AS s0\n" + body + 'CMD ["node", "x"]\n', []


def _env(n: int) -> tuple[str, list[str]]:
    return "FROM node:18\n" + "".join(f"ENV V{i}=x{i}\nRUN npm ci\n" for i in range(n // 2)), []


def _users(n: int) -> tuple[str, list[str]]:
    body = "".join(f"RUN useradd -m u{i}\nUSER u{i}\nRUN pip install x\nUSER root\n" for i in range(n // 4))
    return "FROM debian:12\n" + body, []


def _apt(n: int) -> tuple[str, list[str]]:
    return "FROM debian:12\n" + "".join(f"RUN apt-get update && apt-get install -y p{i}\n" for i in range(n)), []


def _long_run(n: int) -> tuple[str, list[str]]:
    # One RUN of n commands joined by continuations.
    return "FROM debian:12\nRUN " + " && \\\n    ".join(f"apt-get install -y p{i}" for i in range(n)) + "\n", []


def _readers(n: int) -> tuple[str, list[str]]:
    # Installs each followed by a RUN that may read the cache (`cd` into a folder): every mounted RUN asks about the
    # RUN lines below it.
    body = "".join(f"RUN npm ci --prefix p{i}\nRUN cd p{i} && ls\n" for i in range(n // 2))
    return "FROM node:18\nWORKDIR /app\nCOPY . .\n" + body, []


def _offline(n: int) -> tuple[str, list[str]]:
    # Copies into the home folder, each followed by an offline install: every install asks what the copies around its
    # cache folder left there.
    body = "".join(f"COPY p{i}.json ./\nRUN npm ci --offline --prefix p{i}\n" for i in range(n // 2))
    return "FROM node:18\nWORKDIR /root\n" + body, []


SHAPES: dict[str, Shape] = {
    "copies": _copies,
    "folders": _folders,
    "stages": _stages,
    "chain": _chain,
    "env": _env,
    "users": _users,
    "apt": _apt,
    "long-run": _long_run,
    "readers": _readers,
    "offline": _offline,
}

# The peer's parse, timed inside its process (its start-up would hide it: a few milliseconds against 40).
PEER = """
import sys, time
from dockerfile_parse import DockerfileParser
start = time.perf_counter()
DockerfileParser(sys.argv[1]).structure
print(time.perf_counter() - start)
"""


def make(root: Path, shape: str, n: int) -> Path:
    folder = root / f"{shape}-{n}"
    folder.mkdir(parents=True)
    text, files = SHAPES[shape](n)
    (folder / "Dockerfile").write_text(text)
    for name in files:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("{}\n")
    return folder


def timed(args: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak memory (MB) and output of a separate process."""
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", *args], capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 1) or "Traceback" in proc.stderr:  # 1: --check found changes
        sys.exit(f"{' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}")
    return wall, int(proc.stderr.strip().splitlines()[-1]) / 1024, proc.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,2000,4000", help="instruction counts (default: 1000,2000,4000)")
    parser.add_argument("--shapes", default=",".join(SHAPES), help=f"a comma list of {', '.join(SHAPES)}")
    parser.add_argument("--keep", type=Path, help="make the files in this (new) folder and keep them")
    options = parser.parse_args()
    sizes = [int(s) for s in options.sizes.split(",")]
    shapes = options.shapes.split(",")
    unknown = set(shapes) - set(SHAPES)
    if unknown:
        parser.error(f"unknown shape {', '.join(sorted(unknown))}; known: {', '.join(SHAPES)}")
    root = options.keep or Path(tempfile.mkdtemp(prefix="dockmod-long-"))
    try:
        print(f"{'shape':<9} {'lines':>6} {'dockmod':>9} {'peak':>8} {'peer':>8} {'ratio':>7} {'growth':>7}")
        for shape in shapes:
            previous: float | None = None
            for n in sizes:
                folder = make(root, shape, n)
                lines = (folder / "Dockerfile").read_text().count("\n")
                ours, peak, _ = timed([sys.executable, "-m", "dockmod", "refactor", "--check", "--unsafe", "-j", "1",
                                    "--ignore", "pin-images", str(folder)])  # fmt: skip
                peer = float(timed([sys.executable, "-c", PEER, str(folder / "Dockerfile")])[2])
                growth = f"{ours / previous:.1f}x" if previous else ""
                row = f"{shape:<9} {lines:>6} {ours:>8.2f}s {peak:>6.0f}MB {peer * 1000:>6.0f}ms {ours / peer:>6.0f}x"
                print(f"{row} {growth:>7}")
                previous = ours
    finally:
        if options.keep is None:
            shutil.rmtree(root)
    return 0


if __name__ == "__main__":
    sys.exit(main())

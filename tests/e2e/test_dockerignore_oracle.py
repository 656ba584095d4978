"""dockmod's reading of ``.dockerignore`` against the builder's: the dockerignore transform promises never to
leave out a file the Dockerfile copies, and dockmod's other transforms ask whether a file is in the context, so
:class:`dockmod.context.DockerIgnore` must agree with what a real build sends.

For random trees and random ignore files (wildcards, ``**``, character classes, negations, anchored and
folder patterns, comments), buildah copies the whole context into an image and lists what arrived. dockmod's
model of buildah must predict that list exactly, and every file dockmod counts on (not ignored by any builder,
BuildKit's rules included) must be in it. BuildKit's own rules cannot be checked here: there is no daemon.
"""

from __future__ import annotations

import os
import random
import re
from pathlib import Path

import pytest

from dockmod.context import DockerIgnore
from e2e.conftest import E2EEnv

pytestmark = pytest.mark.e2e

CASES = int(os.environ.get("DOCKMOD_ORACLE_CASES", "40"))
NAMES = ["a", "b", "ab", "x.md", "y.txt", ".env", "node_modules", "build", "docs", "src", "keep.md", "a.b"]
PIECES = [
    "*",
    "**",
    "?",
    "[a-b]",
    "[!a]",
    "[^a]",
    "a",
    "b",
    "x",
    "md",
    "txt",
    ".",
    "docs",
    "build",
    "src",
    "node_modules",
    "keep",
]


def random_tree(rng: random.Random) -> list[str]:
    files: set[str] = set()
    for _ in range(rng.randint(4, 14)):
        depth = rng.randint(1, 3)
        files.add("/".join(rng.choice(NAMES) for _ in range(depth)))
    # A name cannot be both a file and a folder: keep the deeper paths.
    return sorted(f for f in files if not any(g.startswith(f + "/") for g in files))


def random_pattern(rng: random.Random, files: list[str]) -> str:
    if rng.random() < 0.4:
        # Built from a real path, so that patterns often match something.
        parts = rng.choice(files).split("/")
        parts = parts[: rng.randint(1, len(parts))]
        parts = [rng.choice(["*", "?" * len(p), p[:1] + "*", "**", p]) if rng.random() < 0.4 else p for p in parts]
        pattern = "/".join(parts)
    else:
        pattern = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 3)))
        if rng.random() < 0.3:
            pattern += "/" + "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 2)))
    prefix = rng.choice(["", "", "", "/", "./", "!", "!"])
    suffix = rng.choice(["", "", "", "/"])
    return prefix + pattern + suffix


def random_ignore(rng: random.Random, files: list[str]) -> str:
    lines = [random_pattern(rng, files) for _ in range(rng.randint(1, 5))]
    if rng.random() < 0.3:
        lines.insert(rng.randint(0, len(lines)), "# a comment")
    if rng.random() < 0.2:
        lines.insert(rng.randint(0, len(lines)), "")
    return "\n".join(lines) + "\n"


LISTING = re.compile(r"^listed:(.*)$", re.MULTILINE)


def test_dockerignore_agrees_with_buildah(e2e_env: E2EEnv, tmp_path: Path) -> None:
    rng = random.Random(int(os.environ.get("DOCKMOD_ORACLE_SEED", "99")))
    dockerfile = tmp_path / "Dockerfile"
    # Outside every context, so that only .dockerignore decides what a build receives.
    dockerfile.write_text(
        "FROM debian:bookworm-slim\nCOPY . /ctx\n"
        "RUN cd /ctx && find . -type f | sort | sed 's|^\\./|listed:|' && echo listing-complete\n",
        encoding="utf-8",
    )
    disagreements = []
    for k in range(CASES):
        files = random_tree(rng)
        ignore = random_ignore(rng, files)
        context = tmp_path / f"case{k}"
        for rel in files:
            (context / rel).parent.mkdir(parents=True, exist_ok=True)
            (context / rel).write_text(rel + "\n", encoding="utf-8")
        (context / ".dockerignore").write_text(ignore, encoding="utf-8")
        tag = f"dockmod-e2e-ignore:{k}"
        built = e2e_env.buildah.build(dockerfile, context, tag=tag, timeout_s=300, extra=["--no-cache"])
        try:
            assert built.ok, built.error
        finally:
            e2e_env.buildah.remove([tag])
        # The listing is read from the build's log: make sure the whole of it is there.
        assert "listing-complete" in built.log, built.log[-3000:]
        arrived = set(LISTING.findall(built.log))
        rules = DockerIgnore.parse(ignore)
        candidates = [*files, ".dockerignore"]
        # dockmod's model of buildah predicts exactly what buildah sent...
        modelled = {f for f in candidates if not rules.ignored_by_buildah(f)}
        # ...and whatever dockmod counts as sent (to every builder), buildah sent.
        relied_on = {f for f in candidates if not rules.ignored(f)}
        if arrived != modelled or not relied_on <= arrived:
            disagreements.append(
                f"case {k}: .dockerignore {ignore!r}\n  only buildah sent: {sorted(arrived - modelled)}\n"
                f"  only the model sent: {sorted(modelled - arrived)}\n"
                f"  relied on, not sent: {sorted(relied_on - arrived)}"
            )
    assert not disagreements, "\n".join(disagreements)

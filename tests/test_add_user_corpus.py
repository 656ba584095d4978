"""add-user over the shared corpus of real Dockerfiles (``../shared/corpus``; skipped when absent).

Every file must come through without a crash, re-parse and be idempotent; no USER line dockmod writes may
name a user that neither the file creates nor the base image's family ships; with the other transforms, no
RUN may end up after the new USER with a cache mount in root's home; and where the maintainers of a legacy
project later switched to a non-root user by hand, dockmod should offer the same change.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from dockmod import engine, parse
from dockmod.context import Context
from dockmod.cst import Dockerfile, Run, User
from dockmod.transforms import TransformConfig, build_transforms
from dockmod.transforms._base import Safety, Transform
from dockmod.transforms._stages import base_image, final_state, lineage
from support.corpus import cases


@dataclass(frozen=True)
class Sample:
    folder: Path
    text: str
    ctx: Context

    @property
    def id(self) -> str:
        return f"{self.folder.parent.name}/{self.folder.name}"


@pytest.fixture(scope="module")
def samples(corpus: Path) -> list[Sample]:
    """Every corpus Dockerfile with its recreated build context (``support.corpus``)."""
    return [Sample(c.folder, c.text, Context(build=c.context, path=str(c.folder / "Dockerfile"))) for c in cases()]


def _run(text: str, transforms: Sequence[Transform], ctx: Context) -> engine.Outcome:
    return engine.refactor(text, transforms, ctx, threshold=Safety.UNSAFE)


def _final_user(tree: Dockerfile) -> str | None:
    stages = tree.stages
    return final_state(tree, stages[-1]).user if stages else None


def _created_names(tree: Dockerfile) -> set[str]:
    """Users the final stage's lineage creates, read from its RUN text (independently of the transform)."""
    names: set[str] = set()
    for stage in lineage(tree, tree.stages[-1]):
        for ins in stage.body:
            if isinstance(ins, Run):
                text = tree.view(ins).args_text
                for m in re.finditer(r"\b(?:useradd|adduser)\b([^;&|]*)", text):
                    names.update(w for w in m.group(1).split() if not w.startswith("-"))
    return names


def _shipped_names(tree: Dockerfile) -> set[str]:
    """Users the base family documents: node's ``node``, distroless's ``nonroot``, .NET 8's ``app``."""
    ref = base_image(tree, tree.stages[-1])
    if ref is None:
        return set()
    if ref.repository == "docker.io/library/node":
        return {"node"}
    if ref.repository.startswith("gcr.io/distroless/"):
        return {"nonroot"}
    if ref.repository.startswith("mcr.microsoft.com/dotnet/"):
        return {"app", "$APP_UID"}
    return set()


def test_add_user_over_the_corpus(samples: list[Sample]) -> None:
    transforms = build_transforms(TransformConfig(select=("add-user",)))
    problems: list[str] = []
    changed = 0
    for sample in samples:
        outcome = _run(sample.text, transforms, sample.ctx)
        if not isinstance(outcome, engine.Changed):
            continue
        changed += 1
        tree = parse(outcome.after)
        if tree.code != outcome.after:
            problems.append(f"{sample.id}: the output does not re-parse exactly")
            continue
        again = _run(outcome.after, transforms, sample.ctx)
        if not isinstance(again, engine.Unchanged):
            problems.append(f"{sample.id}: a second run changes the file again")
        user = _final_user(tree)
        if user is None:
            problems.append(f"{sample.id}: changed, but the final stage sets no USER")
            continue
        name = user.split(":", 1)[0]
        if not (name.isdigit() or name in _created_names(tree) or name in _shipped_names(tree)):
            problems.append(
                f"{sample.id}: USER {user} names a user the file does not create and the base does not ship"
            )
    assert not problems, "\n".join(problems)
    assert changed > 100  # the corpus is mostly files without a non-root USER: the transform must reach them


def test_add_user_composes_with_cache_mounts_and_lockfile_first(samples: list[Sample]) -> None:
    """No RUN may run as a non-root user with a cache mount dockmod added without its uid."""
    transforms = build_transforms(TransformConfig(select=("lockfile-first", "cache-mounts", "add-user")))
    problems: list[str] = []
    for sample in samples:
        outcome = _run(sample.text, transforms, sample.ctx)
        if not isinstance(outcome, engine.Changed):
            continue
        tree = parse(outcome.after)
        again = _run(outcome.after, transforms, sample.ctx)
        if not isinstance(again, engine.Unchanged):
            problems.append(f"{sample.id}: not idempotent together")
        for stage in tree.stages:
            user: str | None = None
            for ins in stage.body:
                if isinstance(ins, User):
                    user = tree.view(ins).args[0] if tree.view(ins).args else None
                elif isinstance(ins, Run) and user is not None and user.split(":", 1)[0] not in ("root", "0"):
                    for flag in tree.view(ins).flags:
                        mount = flag.value or ""
                        new = mount not in sample.text  # the file's own mounts are the file's business
                        if flag.name == "mount" and "type=cache" in mount and "uid=" not in mount and new:
                            problems.append(f"{sample.id}: a cache mount without uid runs as {user}: {mount}")
    assert not problems, "\n".join(problems)


def _gained_a_user(folder: Path) -> bool:
    """Whether the maintainers later moved this legacy file's final stage from root to a non-root user."""
    latest = folder / "maintainer-latest.Dockerfile"
    if not latest.exists():
        return False
    then = _final_user(parse((folder / "Dockerfile").read_text(encoding="utf-8")))
    now = _final_user(parse(latest.read_text(encoding="utf-8")))

    def root(user: str | None) -> bool:
        return user is None or user.split(":", 1)[0] in ("root", "0")

    return root(then) and not root(now)


def test_add_user_agrees_with_the_maintainers(samples: list[Sample]) -> None:
    """Where maintainers later added a non-root USER by hand, dockmod offers one too (applied with --unsafe)."""
    transforms = build_transforms(TransformConfig(select=("add-user",)))
    gained = [s for s in samples if s.folder.parent.name == "legacy" and _gained_a_user(s.folder)]
    fixed = [s for s in gained if isinstance(_run(s.text, transforms, s.ctx), engine.Changed)]
    assert len(gained) >= 30, "the legacy corpus should hold files whose maintainers added a USER"
    # 62 of 68 at the time of writing; the rest are explicit `USER root`, supervisord and root-home advice.
    assert len(fixed) / len(gained) >= 0.85, [s.id for s in gained if s not in fixed]

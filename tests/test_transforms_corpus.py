"""Every transform over every real Dockerfile of the corpus (apps and legacy, contexts recreated): no crash,
the output re-parses and prints back, dockerfile-parse reads the same instructions, no comment line is lost,
and a second run changes nothing."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest

from dockmod import engine, parse
from dockmod.context import Context, OverlayContext
from dockmod.cst import Cmd, Entrypoint, Expose, Healthcheck, Onbuild
from dockmod.cst.lexer import is_comment
from dockmod.transforms import ALL, TransformConfig, _stages, build_transforms
from dockmod.transforms._base import Safety
from support.corpus import CORPUS, CorpusCase, HashResolver, cases
from support.golden import independent_problem

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus (../shared/corpus) is not present")


def _comments(text: str) -> Counter[str]:
    return Counter(line.strip() for line in text.splitlines() if is_comment(line))


def _check(case: CorpusCase, names: tuple[str, ...]) -> engine.Outcome:
    transforms = build_transforms(TransformConfig(select=names))
    ctx = Context(build=case.context, path=case.name, resolver=HashResolver())
    outcome = engine.refactor(case.text, transforms, ctx, threshold=Safety.UNSAFE)
    assert not isinstance(outcome, engine.Failed) or case.folder.name.startswith("renovate"), outcome
    if isinstance(outcome, engine.Changed):
        after = outcome.after
        tree = parse(after)
        assert tree.code == after
        assert not (_comments(case.text) - _comments(after)), f"{case.name}: a comment line was lost"
        if not any(i.heredocs for i in tree.instructions):
            assert independent_problem(after) is None, case.name
        written = {k: v.after for k, v in outcome.files.items()}
        later = replace(ctx, build=OverlayContext(case.context, written)) if written else ctx
        again = engine.refactor(after, transforms, later, threshold=Safety.UNSAFE)
        assert isinstance(again, engine.Unchanged), f"{case.name}: a second run changed the file"
    return outcome


@pytest.mark.parametrize("name", [t.name for t in ALL])
def test_each_transform_on_the_corpus(name: str) -> None:
    changed = 0
    for case in cases():
        changed += isinstance(_check(case, (name,)), engine.Changed)
    assert changed > 0, f"{name} changed no corpus file"


def test_all_transforms_together_on_the_corpus() -> None:
    for case in cases():
        _check(case, ())


@pytest.mark.parametrize("threshold", [Safety.SAFE, Safety.UNSAFE], ids=["safe", "unsafe"])
def test_the_final_stage_keeps_how_it_starts(threshold: Safety) -> None:
    """Whatever the transforms do, the image starts as before: the final stage's CMD, ENTRYPOINT, EXPOSE,
    HEALTHCHECK and ONBUILD as BuildKit reads them, and its working directory at the end."""
    transforms = build_transforms(TransformConfig())
    changed = 0
    for case in cases():
        ctx = Context(build=case.context, path=case.name, resolver=HashResolver())
        outcome = engine.refactor(case.text, transforms, ctx, threshold=threshold)
        if isinstance(outcome, engine.Changed) and outcome.after != outcome.before:
            changed += 1
            assert _start(outcome.after) == _start(outcome.before), case.name
    assert changed > 100


def _start(text: str) -> object:
    tree = parse(text)
    if not tree.stages:
        return None
    final = tree.stages[-1]
    kept = (Cmd, Entrypoint, Expose, Healthcheck, Onbuild)
    views = [(i.name, tree.view(i).args, tree.view(i).json) for i in final.instructions if isinstance(i, kept)]
    return views, _stages.final_state(tree, final).workdir

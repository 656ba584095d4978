"""split-stages over the shared corpus of real Dockerfiles (``../shared/corpus``, contexts recreated).

The generic corpus test checks that every transform re-parses, keeps comments and is idempotent. This one checks
what a split must get right (REFERENCE §3 and §6) on every file dockmod splits, that files already split by their
authors are never touched, that a recognised build is never skipped silently, and how often dockmod agrees with
the maintainers who later split their single-stage Dockerfiles by hand (``maintainer-latest.Dockerfile``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pytest

from dockmod import engine, parse
from dockmod.context import Context
from dockmod.cst import Cmd, Copy, Dockerfile, Entrypoint, Instruction
from dockmod.transforms import TransformConfig, build_transforms
from dockmod.transforms._base import Safety
from dockmod.transforms.split_stages import SplitStages
from dockmod.transforms.split_stages.transform import _Splitter
from support.corpus import CORPUS, CorpusCase, cases

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus (../shared/corpus) is not present")

# Legacy files dockmod splits among those the maintainers later split by hand: a floor, so that a change
# that loses agreement fails here (raise it when dockmod learns more).
AGREEMENT_FLOOR = 7


@dataclass(frozen=True)
class _Result:
    case: CorpusCase
    outcome: engine.Outcome
    messages: tuple[str, ...]
    recognised: bool  # the stage runs a build split-stages knows (Node, Go, Rust, Java, Python with compilers)


@cache
def _results() -> tuple[_Result, ...]:
    transforms = build_transforms(TransformConfig(select=("split-stages",)))
    out = []
    for case in cases():
        outcome = engine.refactor(case.text, transforms, Context(build=case.context, path=case.name),
                                  threshold=Safety.UNSAFE)  # fmt: skip
        messages = tuple(f.message for f in getattr(outcome, "fixes", ()) if f.transform == "split-stages")
        recognised = False
        if not isinstance(outcome, engine.Failed | engine.Skipped):
            tree = parse(case.text)
            if len(tree.stages) == 1:
                recognised = _Splitter(tree, tree.stages[0], case.context, SplitStages())._ecosystem() is not None
        out.append(_Result(case, outcome, messages, recognised))
    return tuple(out)


def _split() -> list[_Result]:
    return [r for r in _results() if isinstance(r.outcome, engine.Changed)]


def _start(tree: Dockerfile, nodes: tuple[Instruction, ...]) -> tuple[str | None, str | None]:
    """The last ENTRYPOINT and CMD, as written: what the container starts with."""
    entrypoint = [tree.view(n).logical for n in nodes if isinstance(n, Entrypoint)]
    cmd = [tree.view(n).logical for n in nodes if isinstance(n, Cmd)]
    return (entrypoint[-1] if entrypoint else None, cmd[-1] if cmd else None)


def test_dockmod_splits_some_corpus_files() -> None:
    assert len(_split()) >= 10


@pytest.mark.parametrize("result", _split(), ids=lambda r: r.case.name)
def test_split_is_well_formed(result: _Result) -> None:
    assert isinstance(result.outcome, engine.Changed)
    before = parse(result.case.text)
    after = parse(result.outcome.after)
    assert after.code == result.outcome.after
    builder, runtime = after.stages  # exactly two stages
    # Stage names: lowercase, unique; AS cased like FROM (StageNameCasing, DuplicateStageName, FromAsCasing).
    assert builder.name is not None
    assert builder.name == builder.name.lower()
    assert builder.name.lower() != (runtime.name or "").lower()
    for stage in (builder, runtime):
        words = after.view(stage.node).args
        if len(words) == 3:
            assert words[1] == ("as" if stage.node.keyword.islower() else "AS")
    # COPY --from names only the builder (an earlier stage), never the whole file system (DL3022/23, DL3067).
    for node in runtime.body:
        view = after.view(node)
        source = view.flag("from") if isinstance(node, Copy) else None
        if source is not None:
            assert source.value == builder.name
            assert all(src.rstrip("/") != "" for src in view.args[:-1])
    # The builder is the original stage up to its build, unchanged (the FROM gains a name; Python gets a venv).
    original = [before.view(n).logical for n in before.stages[0].body]
    built = [after.view(n).logical for n in builder.body]
    venv = [line for line in built if "/opt/venv" in line]
    assert [line for line in built if line not in venv] == original[: len(built) - len(venv)]
    # Nothing after the build is lost: it is the runtime stage's tail, in order.
    rest = original[len(built) - len(venv) :]
    runtime_lines = [after.view(n).logical for n in runtime.body]
    assert runtime_lines[len(runtime_lines) - len(rest) :] == rest
    # The container starts the same way.
    assert _start(after, runtime.body) == _start(before, before.stages[0].body)
    # And a second run changes nothing (the file is no longer single-stage).
    transforms = build_transforms(TransformConfig(select=("split-stages",)))
    again = engine.refactor(result.outcome.after, transforms, Context(build=result.case.context),
                            threshold=Safety.UNSAFE)  # fmt: skip
    assert isinstance(again, engine.Unchanged)


def test_files_already_split_are_left_alone() -> None:
    multi = [r for r in _results() if not isinstance(r.outcome, engine.Failed | engine.Skipped)
             and len(parse(r.case.text).stages) > 1]  # fmt: skip
    assert multi, "the corpus has multi-stage files"
    assert [r.case.name for r in multi if r.messages] == []


def test_a_recognised_build_is_never_skipped_silently() -> None:
    silent = [r.case.name for r in _results() if r.recognised and not r.messages]
    assert silent == []


def test_agreement_with_maintainers() -> None:
    legacy = [r for r in _results() if r.case.set == "legacy" and r.case.maintainer is not None
              and not isinstance(r.outcome, engine.Failed | engine.Skipped)
              and len(parse(r.case.text).stages) == 1]  # fmt: skip
    later_split = [r for r in legacy if len(parse(r.case.maintainer or "").stages) > 1]
    agreed = [r for r in later_split if isinstance(r.outcome, engine.Changed)]
    assert len(agreed) >= AGREEMENT_FLOOR, [r.case.name for r in agreed]
    # Every split dockmod makes is UNSAFE: a build has to prove it before anyone calls it safe.
    for r in _split():
        assert isinstance(r.outcome, engine.Changed)
        assert all(f.safety == Safety.UNSAFE for f in r.outcome.fixes if f.applied)

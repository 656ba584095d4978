"""The golden cases: round trip, expected output, idempotence, re-parse, independent parser."""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping

import pytest

from dockmod import engine, parse
from dockmod.context import Context, OverlayContext
from dockmod.transforms import TransformConfig, build_transforms, by_name
from dockmod.transforms._base import Safety
from support.golden import Case, cases, independent_problem, read_text, roundtrip_files

CASES = cases()


def _run(case: Case, text: str, files: Mapping[str, str] | None = None) -> engine.Outcome:
    config = TransformConfig(select=(case.transform,), options={case.transform: case.options} if case.options else {})
    build = OverlayContext(case.context, files) if files else case.context
    return engine.refactor(
        text,
        build_transforms(config),
        Context(build=build, path=str(case.folder / "before.Dockerfile"), resolver=case.resolver),
        threshold=Safety.UNSAFE if case.unsafe else Safety.SAFE,
    )


def _files(outcome: engine.Outcome) -> dict[str, str]:
    return {k: v.after for k, v in outcome.files.items()} if isinstance(outcome, engine.Changed) else {}


def _result(outcome: engine.Outcome, before: str) -> str:
    if isinstance(outcome, engine.Changed):
        return outcome.after
    if isinstance(outcome, engine.Unchanged):
        return before
    raise AssertionError(f"unexpected outcome {outcome}")


def test_every_transform_has_cases() -> None:
    counts = {name: sum(1 for c in CASES if c.transform == name) for name in by_name()}
    assert all(n >= 12 for n in counts.values()), counts
    assert {c.transform for c in CASES} <= set(by_name()), "a golden folder names no transform"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_golden(case: Case, request: pytest.FixtureRequest) -> None:
    if case.xfail:
        request.applymarker(pytest.mark.xfail(reason=case.xfail, strict=True))
    assert parse(case.before).code == case.before, "before.Dockerfile must round-trip"
    if case.after is not None:
        assert parse(case.after).code == case.after, "after.Dockerfile must round-trip"

    outcome = _run(case, case.before)
    if case.expect.get("failed"):
        assert isinstance(outcome, engine.Failed), outcome
        assert case.expect["failed"] in outcome.error
        return
    if case.expect.get("skip"):
        assert isinstance(outcome, engine.Skipped), outcome
        assert case.expect["skip"] in outcome.reason
        return
    expected = case.after if case.after is not None else case.before
    if os.environ.get("DOCKMOD_UPDATE_GOLDEN") == "1":
        result = _result(outcome, case.before)
        path = case.folder / "after.Dockerfile"
        if result != case.before:
            path.write_bytes(result.encode("utf-8"))
        elif path.exists():
            path.unlink()
        shutil.rmtree(case.folder / "after-context", ignore_errors=True)
        for rel, text in _files(outcome).items():
            target = case.folder / "after-context" / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text.encode("utf-8"))
        return
    assert _result(outcome, case.before) == expected
    assert _files(outcome) == dict(case.after_files)

    messages = [f.message for f in getattr(outcome, "fixes", ())]
    for wanted in case.expect.get("messages", ()):
        assert any(wanted in m for m in messages), f"no fix message mentions {wanted!r}: {messages}"
    if "safety" in case.expect and isinstance(outcome, engine.Changed):
        applied = [f for f in outcome.fixes if f.applied and f.transform == case.transform]
        assert applied, "the case expects applied fixes"
        assert all(f.safety.label == case.expect["safety"] for f in applied)

    again = _run(case, expected, case.after_files)
    assert _result(again, expected) == expected, "a second run must change nothing"
    assert not _files(again), "a second run must not rewrite build-context files"
    reparsed = parse(expected)
    assert reparsed.code == expected
    if not any(i.heredocs for i in reparsed.instructions):
        assert independent_problem(expected) is None


@pytest.mark.parametrize("path", roundtrip_files(), ids=lambda p: p.name)
def test_roundtrip_case(path: object) -> None:
    from pathlib import Path

    assert isinstance(path, Path)
    text = read_text(path)
    assert parse(text).code == text

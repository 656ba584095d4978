"""Apply transforms to a fixpoint, safely.

Each pass collects the fixes of every transform (in the given order), keeps those at or above the safety
threshold that touch no node another kept fix touches, applies them and checks the result: it must
re-parse, print back byte for byte, and keep every comment line. All of a pass's fixes are checked together
first (one parse); when that fails, each is applied and checked in turn, and a fix that fails a check is
reverted and reported. The file is re-parsed and the next pass starts, until nothing applies (at most
``MAX_PASSES``); a transform whose tree, and everything it read from the build context, are as they were in
the previous pass is not run again. Outcomes are values, never exceptions.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from dockmod.context import Context, OverlayContext, Read, RecordingContext, same_answers
from dockmod.cst import Directive, Dockerfile, Instruction, Node, ParseError, parse
from dockmod.cst.lexer import is_comment
from dockmod.transforms._base import FileEdit, Fix, Safety, Transform

MAX_PASSES = 10

NotApplied = Literal["below-threshold", "suppressed", "broke-parsing", "dropped-comment"]


@dataclass(frozen=True, slots=True)
class FixReport:
    """A fix as reported: where, what, how safe, and whether it was written."""

    transform: str
    message: str
    safety: Safety
    applied: bool
    start_line: int  # 1-based lines in the file as read (``Dockerfile.source_lines``)
    end_line: int
    reason: NotApplied | None = None  # why it was not applied


@dataclass(frozen=True, slots=True)
class Changed:
    before: str
    after: str  # equal to ``before`` when only ``files`` change
    fixes: tuple[FixReport, ...]  # applied ones first, then the rest
    files: Mapping[str, FileEdit] = field(default_factory=dict)  # build-context files to create or rewrite

    status: Literal["changed"] = "changed"


@dataclass(frozen=True, slots=True)
class Unchanged:
    text: str
    fixes: tuple[FixReport, ...]  # fixes found but not applied (display-only, unsafe, suppressed)

    status: Literal["unchanged"] = "unchanged"


@dataclass(frozen=True, slots=True)
class Skipped:
    reason: str

    status: Literal["skipped"] = "skipped"


@dataclass(frozen=True, slots=True)
class Failed:
    error: str  # "line L, column C: what is wrong"

    status: Literal["failed"] = "failed"


Outcome = Changed | Unchanged | Skipped | Failed

_SUPPRESS = re.compile(r"#\s*dockmod:\s*ignore(?:\[([^\]]*)\])?\s*$")
_SUPPRESS_FILE = re.compile(r"#\s*dockmod:\s*ignore-file\s*$", re.MULTILINE)


def refactor(
    text: str,
    transforms: Sequence[Transform],
    ctx: Context,
    *,
    threshold: Safety = Safety.SAFE,
) -> Outcome:
    """Run ``transforms`` over ``text`` and say what happened."""
    try:
        tree = parse(text)
    except ParseError as e:
        return Failed(str(e))
    if tree.code != text:
        # OpenRewrite's gate: a file the tree cannot reprint exactly is never touched.
        return Skipped("the file does not print back byte for byte; not touched")
    if _SUPPRESS_FILE.search(text) and any(
        _SUPPRESS_FILE.fullmatch(line.strip()) for line in text.splitlines() if is_comment(line)
    ):
        return Skipped("suppressed by '# dockmod: ignore-file'")

    applied: list[FixReport] = []
    pending: list[FixReport] = []
    files: dict[str, FileEdit] = {}
    checked: dict[int, _Checked] = {}
    for _ in range(MAX_PASSES):
        pending = []
        # Later passes see the files earlier fixes wrote, so a transform does not propose them again.
        seen = ctx.with_build(OverlayContext(ctx.build, {k: v.after for k, v in files.items()})) if files else ctx
        try:
            tree, progress = _one_pass(tree, transforms, seen, threshold, applied, pending, files, checked)
        except _TransformFailed as e:
            return Failed(e.message)
        if not progress:
            break
    after = tree.code
    if after == text and not files:
        return Unchanged(text, tuple(pending))
    return Changed(text, after, tuple(applied) + tuple(pending), files)


def _one_pass(
    tree: Dockerfile,
    transforms: Sequence[Transform],
    ctx: Context,
    threshold: Safety,
    applied: list[FixReport],
    pending: list[FixReport],
    files: dict[str, FileEdit],
    checked: dict[int, _Checked],
) -> tuple[Dockerfile, bool]:
    lines = tree.source_lines()
    suppressed = _suppressions(tree)
    taken: set[Node] = set()
    taken_files: set[str] = set()
    chosen: list[tuple[str, Fix]] = []
    failures: list[str] = []
    for k, transform in enumerate(transforms):
        for fix in _check(transform, k, tree, ctx, checked):
            touched = fix.touched()
            report = _report(transform.name, fix, touched, lines)
            if fix.error:
                failures.append(f"line {report.start_line}: {transform.name}: {fix.message}")
                continue
            if any(_suppressed(suppressed, n, transform.name) for n in touched):
                pending.append(_not(report, "suppressed"))
            elif fix.safety < threshold or fix.safety == Safety.DISPLAY_ONLY:
                pending.append(_not(report, "below-threshold"))
            elif touched & taken or taken_files & set(fix.files):
                pass  # reconsidered next pass, against the edited tree
            else:
                taken |= touched
                taken_files |= set(fix.files)
                chosen.append((transform.name, fix))
    if failures:
        raise _TransformFailed("; ".join(failures))
    together = _apply_together(tree, [fix for _, fix in chosen])
    if together is not None:
        # Every fix passes the checks below in the whole edited file, so each one would have passed them on its
        # own: the same result as checking them one by one, at the price of one parse instead of one per fix
        # (a generated file with hundreds of RUN lines gets hundreds of fixes).
        for name, fix in chosen:
            files.update(fix.files)
            applied.append(_report(name, fix, fix.touched(), lines))
        return together, bool(chosen)
    progress = False
    fresh: Dockerfile | None = None  # the parse of the latest accepted candidate: the next pass starts from it
    for name, fix in chosen:
        report = _report(name, fix, fix.touched(), lines)
        if not fix.replace and not fix.directives:
            files.update(fix.files)  # only build-context files: the Dockerfile is untouched
            applied.append(report)
            progress = True
            continue
        candidate = _carried(tree, fix.replace, _apply(tree, fix))
        code = candidate.code
        try:
            reparsed = parse(code)
        except ParseError:
            pending.append(_not(report, "broke-parsing"))
            continue
        if reparsed.code != code or not _same_instructions(reparsed, candidate):
            pending.append(_not(report, "broke-parsing"))
            continue
        if _drops_a_comment(fix):
            pending.append(_not(report, "dropped-comment"))
            continue
        tree = candidate
        fresh = _carried(candidate, {}, reparsed)
        files.update(fix.files)
        applied.append(report)
        progress = True
    if fresh is not None:
        tree = fresh
    return tree, progress


@dataclass(frozen=True, slots=True)
class _Checked:
    """A transform's fixes for one tree, and what it read from the build context to find them."""

    tree: Dockerfile
    reads: list[Read]
    fixes: list[Fix]


def _check(transform: Transform, k: int, tree: Dockerfile, ctx: Context, checked: dict[int, _Checked]) -> list[Fix]:
    """``transform.check``, or its previous answer when neither the tree nor anything it read has changed.

    A pass that only wrote build-context files (``.dockerignore``) leaves the tree as it was; the next pass
    then re-runs only the transforms that read those files.
    """
    previous = checked.get(k)  # by position: the transforms are the same in every pass
    if previous is not None and previous.tree is tree and same_answers(ctx.build, previous.reads):
        return previous.fixes
    recording = RecordingContext(ctx.build)
    try:
        fixes = list(transform.check(tree, ctx.with_build(recording)))
    except Exception as e:  # a bug in one transform must not stop a run over a whole monorepo: this file fails
        raise _TransformFailed(
            f"{transform.name} failed on this file ({type(e).__name__}: {e}); the file is left as it is (a bug in "
            "dockmod: please report it)"
        ) from e
    checked[k] = _Checked(tree, recording.reads, fixes)
    return fixes


class _TransformFailed(Exception):
    """A transform could not handle the file (``Fix.error``): the file stays as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _apply(tree: Dockerfile, fix: Fix) -> Dockerfile:
    def edit(nodes: tuple[Node, ...]) -> list[Node]:
        out: list[Node] = []
        for node in nodes:
            out.extend(fix.replace.get(node, (node,)))
        return out

    instructions = tuple(n for n in edit(tree.instructions) if isinstance(n, Instruction))
    # Several fixes of one pass may ask for the same directive (``# syntax``): BuildKit allows it once. New ones go
    # after the file's own: buildah stops reading directives at one it does not know (`syntax`), so a `# escape=`
    # below it would be lost (a real build then ran backtick continuations as shell text).
    present = {d.name for d in tree.directives}
    added = tuple(d for d in fix.directives if d.name not in present)
    directives = tuple(n for n in (*edit(tree.directives), *added) if isinstance(n, Directive))
    return Dockerfile(bom=tree.bom, directives=directives, instructions=instructions, footer=tree.footer)


def _apply_together(tree: Dockerfile, fixes: list[Fix]) -> Dockerfile | None:
    """The parse of ``tree`` with all of ``fixes`` (which touch different nodes) applied, when the result
    passes every check a single fix must pass; None when one fails (then each fix is checked on its own)."""
    edits = [fix for fix in fixes if fix.replace or fix.directives]
    if len(edits) < 2 or any(_drops_a_comment(fix) for fix in edits):
        return None
    replace: dict[Node, tuple[Node, ...]] = {}
    added: tuple[Directive, ...] = ()
    present = {d.name for d in tree.directives}
    for fix in edits:
        replace.update(fix.replace)
        # As ``_apply`` one fix after another would: a directive already there is not added again, and each
        # fix's new ones go last.
        new = tuple(d for d in fix.directives if d.name not in present)
        present.update(d.name for d in new)
        added = added + new
    candidate = _apply(tree, Fix(message="", safety=Safety.SAFE, replace=replace, directives=added))
    code = candidate.code
    try:
        reparsed = parse(code)
    except ParseError:
        return None
    if reparsed.code != code or not _same_instructions(reparsed, candidate):
        return None
    return _carried(tree, replace, reparsed)


def _carried(tree: Dockerfile, replace: Mapping[Node, tuple[Node, ...]], edited: Dockerfile) -> Dockerfile:
    """``edited``, which is ``tree`` with ``replace`` applied (and may be its parse: the same instructions in
    the same order), told the lines in the file as read of each of its instructions (``source_lines``)."""
    source = tree.source_lines()
    spans = [
        source.get(old) for old in tree.instructions for new in replace.get(old, (old,)) if isinstance(new, Instruction)
    ]
    carried = {ins: span for ins, span in zip(edited.instructions, spans, strict=True) if span is not None}
    edited.memo("source-lines", lambda: carried)
    return edited


def _same_instructions(reparsed: Dockerfile, candidate: Dockerfile) -> bool:
    """Whether the file reads back as the instructions the fix meant: a new instruction whose text runs on
    (a final escape, a lone ``\\r`` for a line ending) would join the next one and still print back exactly."""
    if len(reparsed.instructions) != len(candidate.instructions):
        return False
    return all(
        type(r) is type(c) and r.code == c.code
        for r, c in zip(reparsed.instructions, candidate.instructions, strict=True)
    )


def _drops_a_comment(fix: Fix) -> bool:
    """Whether the instructions ``fix`` writes lack a comment line of those it replaces (parser directives
    are the file's settings, which fixes may edit; the rest of the file is untouched, so it need not be read)."""
    before: Counter[str] = Counter()
    after: Counter[str] = Counter()
    for node, replacement in fix.replace.items():
        if isinstance(node, Instruction):
            before.update(_comments(node))
            for new in replacement:
                if isinstance(new, Instruction):
                    after.update(_comments(new))
    return bool(before - after)


def _comments(node: Instruction) -> list[str]:
    code = node.code
    return [line.strip() for line in code.splitlines() if is_comment(line)] if "#" in code else []


def _suppressions(tree: Dockerfile) -> dict[Node, frozenset[str] | None]:
    """Instructions under ``# dockmod: ignore`` (None: every transform) or ``# dockmod: ignore[a,b]``."""
    out: dict[Node, frozenset[str] | None] = {}
    for ins in tree.instructions:
        if "dockmod" not in ins.leading:
            continue
        for line in ins.leading.splitlines():
            m = _SUPPRESS.match(line.strip())
            if m is None:
                continue
            if m.group(1) is None:
                out[ins] = None
                break
            names = frozenset(n.strip() for n in m.group(1).split(","))
            previous = out.get(ins, frozenset())
            out[ins] = names | previous if previous is not None else None
    return out


def _suppressed(suppressed: dict[Node, frozenset[str] | None], node: Node, transform: str) -> bool:
    if node not in suppressed:
        return False
    names = suppressed[node]
    return names is None or transform in names


def _report(name: str, fix: Fix, touched: set[Node], lines: dict[Instruction, tuple[int, int]]) -> FixReport:
    spans = [lines[n] for n in touched if isinstance(n, Instruction) and n in lines]
    start = min((s for s, _ in spans), default=1)
    end = max((e for _, e in spans), default=1)
    return FixReport(name, fix.message, fix.safety, True, start, end)


def _not(report: FixReport, reason: NotApplied) -> FixReport:
    return FixReport(report.transform, report.message, report.safety, False, report.start_line, report.end_line, reason)

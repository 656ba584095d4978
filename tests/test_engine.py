"""The engine: fixpoint, threshold, overlap, reverting broken fixes, suppressions, outcomes as values."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

import pytest

from dockmod import engine, parse
from dockmod.context import Context
from dockmod.cst import Directive, Dockerfile, Instruction, Node, Run, parse_instruction
from dockmod.transforms._base import FileEdit, Fix, Safety, Transform


@dataclass(frozen=True)
class Rewrite:
    """A test transform: replaces every RUN whose text is ``old`` with ``new``."""

    old: str
    new: str
    level: Safety = Safety.SAFE
    name: ClassVar[str] = "rewrite"
    summary: ClassVar[str] = "test"
    safety: ClassVar[Safety] = Safety.SAFE

    def check(self, tree: Dockerfile, ctx: Context) -> Iterator[Fix]:
        for ins in tree.instructions:
            if isinstance(ins, Run) and tree.view(ins).args_text == self.old:
                new = parse_instruction(ins.leading + f"RUN {self.new}\n")
                yield Fix(message=f"{self.old} -> {self.new}", safety=self.level, replace={ins: (new,)})


def test_fixpoint_chains_passes() -> None:
    out = engine.refactor("FROM a\nRUN one\n", [Rewrite("one", "two"), Rewrite("two", "three")], Context())
    assert isinstance(out, engine.Changed)
    assert out.after == "FROM a\nRUN three\n"
    assert [f.message for f in out.fixes if f.applied] == ["one -> two", "two -> three"]


def test_threshold_and_display_only() -> None:
    unsafe = Rewrite("one", "two", Safety.UNSAFE)
    out = engine.refactor("FROM a\nRUN one\n", [unsafe], Context())
    assert isinstance(out, engine.Unchanged)
    assert [(f.applied, f.reason) for f in out.fixes] == [(False, "below-threshold")]
    assert isinstance(
        engine.refactor("FROM a\nRUN one\n", [unsafe], Context(), threshold=Safety.UNSAFE), engine.Changed
    )
    shown = Rewrite("one", "two", Safety.DISPLAY_ONLY)
    assert isinstance(
        engine.refactor("FROM a\nRUN one\n", [shown], Context(), threshold=Safety.UNSAFE), engine.Unchanged
    )


def test_overlapping_fixes_wait_for_the_next_pass() -> None:
    out = engine.refactor("FROM a\nRUN one\n", [Rewrite("one", "two"), Rewrite("one", "uno")], Context())
    assert isinstance(out, engine.Changed)
    assert out.after == "FROM a\nRUN two\n"


@dataclass(frozen=True)
class ReplaceSecond:
    """A test transform: one safe fix that puts ``node`` in place of the file's second instruction."""

    node: Instruction
    message: str = "replace"
    name: ClassVar[str] = "replace"
    summary: ClassVar[str] = "test"
    safety: ClassVar[Safety] = Safety.SAFE

    def check(self, tree: Dockerfile, ctx: Context) -> Iterator[Fix]:
        yield Fix(message=self.message, safety=Safety.SAFE, replace={tree.instructions[1]: (self.node,)})


def test_a_fix_that_breaks_parsing_is_reverted() -> None:
    # An unterminated heredoc: the output would not parse.
    bad = parse_instruction("RUN echo\n")
    object.__setattr__(bad, "args", " cat <<EOF")
    out = engine.refactor("FROM a\nRUN one\n", [ReplaceSecond(bad, "break")], Context())
    assert isinstance(out, engine.Unchanged)
    assert [(f.applied, f.reason) for f in out.fixes] == [(False, "broke-parsing")]


@pytest.mark.parametrize(
    ("new_text", "why"),
    [
        ("RUN two \\\n", "a final escape continues into the next instruction"),
        ("RUN two\r", "a lone CR does not end a line for BuildKit"),
    ],
)
def test_a_fix_whose_instruction_would_join_the_next_is_reverted(new_text: str, why: str) -> None:
    # The joined file parses and prints back byte for byte; only its instructions differ from the fix's.
    new = parse_instruction("RUN two\n")
    object.__setattr__(new, "newline", new_text[len("RUN two") :])
    if new_text.endswith("\\\n"):
        object.__setattr__(new, "args", " two \\")
        object.__setattr__(new, "newline", "\n")
    out = engine.refactor("FROM a\nRUN one\nRUN three\n", [ReplaceSecond(new, why)], Context())
    assert isinstance(out, engine.Unchanged), why
    assert [(f.applied, f.reason) for f in out.fixes] == [(False, "broke-parsing")]


def test_a_fix_that_drops_a_comment_is_reverted() -> None:
    dropper = ReplaceSecond(parse_instruction("RUN two\n"), "drop")
    out = engine.refactor("FROM a\n# keep me\nRUN one\n", [dropper], Context())
    assert isinstance(out, engine.Unchanged)
    assert out.fixes[0].reason == "dropped-comment"


@dataclass(frozen=True)
class Done:
    """A test transform: ``RUN x`` -> ``RUN x done``, one fix per RUN. The RUN ``break`` gets an unterminated
    heredoc instead, and the RUN under ``# keep`` loses that comment."""

    name: ClassVar[str] = "done"
    summary: ClassVar[str] = "test"
    safety: ClassVar[Safety] = Safety.SAFE

    def check(self, tree: Dockerfile, ctx: Context) -> Iterator[Fix]:
        for ins in tree.instructions:
            args = ins.args.strip()
            if not isinstance(ins, Run) or args.endswith("done"):
                continue
            new = parse_instruction(f"RUN {args} done\n")
            if args == "break":
                object.__setattr__(new, "args", " cat <<EOF")
            if "# keep" not in ins.leading:
                object.__setattr__(new, "leading", ins.leading)
            yield Fix(message=args, safety=Safety.SAFE, replace={ins: (new,)})


def test_each_fix_of_a_pass_is_checked_on_its_own_merits() -> None:
    """Fixes of one pass are checked together first; when that fails, the broken ones are reverted alone."""
    out = engine.refactor("FROM a\nRUN one\nRUN break\n# keep\nRUN two\nRUN three\n", [Done()], Context())
    assert isinstance(out, engine.Changed)
    assert out.after == "FROM a\nRUN one done\nRUN break\n# keep\nRUN two\nRUN three done\n"
    assert [(f.message, f.applied, f.reason) for f in out.fixes] == [
        ("one", True, None),
        ("three", True, None),
        ("break", False, "broke-parsing"),
        ("two", False, "dropped-comment"),
    ]
    # Without the comment: the fixes fail together only because one of them breaks the parse.
    out = engine.refactor("FROM a\nRUN one\nRUN break\nRUN three\n", [Done()], Context())
    assert isinstance(out, engine.Changed)
    assert out.after == "FROM a\nRUN one done\nRUN break\nRUN three done\n"
    assert [(f.message, f.reason) for f in out.fixes if not f.applied] == [("break", "broke-parsing")]


def test_a_pass_parses_the_file_once_whatever_its_number_of_fixes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Checking each fix in a file of its own costs a parse per fix: quadratic in a generated file with
    thousands of RUN lines. Fixes that pass together cost one parse per pass."""
    parses: list[str] = []
    real_parse = parse

    def counting(text: str) -> Dockerfile:
        parses.append(text)
        return real_parse(text)

    monkeypatch.setattr(engine, "parse", counting)
    text = "FROM a\n" + "".join(f"RUN step{k}\n" for k in range(200))
    out = engine.refactor(text, [Done(), Rewrite("step0 done", "first done")], Context())
    assert isinstance(out, engine.Changed)
    assert out.after.startswith("FROM a\nRUN first done\nRUN step1 done\n")
    assert sum(f.applied for f in out.fixes) == 201
    # The file as read; pass 1 (200 fixes); pass 2 (the one fix the first pass enabled); pass 3 finds nothing.
    assert len(parses) == 3


def test_suppressions() -> None:
    text = (
        "FROM a\n# dockmod: ignore[rewrite]\nRUN one\n# dockmod: ignore\nRUN one\n# dockmod: ignore[other]\nRUN one\n"
    )
    out = engine.refactor(text, [Rewrite("one", "two")], Context())
    assert isinstance(out, engine.Changed)
    assert out.after.count("RUN one") == 2
    assert out.after.endswith("# dockmod: ignore[other]\nRUN two\n")
    assert sum(f.reason == "suppressed" for f in out.fixes) == 2
    skipped = engine.refactor("# dockmod: ignore-file\nFROM a\nRUN one\n", [Rewrite("one", "two")], Context())
    assert isinstance(skipped, engine.Skipped)


def test_parse_errors_are_values() -> None:
    out = engine.refactor("FROM a\nENV X\n", [Rewrite("one", "two")], Context())
    assert out == engine.Failed("line 2, column 1: ENV must have two arguments")


@dataclass(frozen=True)
class AddsSyntaxOnce:
    """A test transform: until the file has a ``# syntax`` directive, each of its ``edits`` adds one."""

    name: ClassVar[str] = "syntax"
    summary: ClassVar[str] = "test"
    safety: ClassVar[Safety] = Safety.SAFE

    def check(self, tree: Dockerfile, ctx: Context) -> Iterator[Fix]:
        if tree.directive("syntax") is not None:
            return
        syntax = (Directive(text="# syntax=docker/dockerfile:1"),)
        for message, replace in self.edits(tree):
            yield Fix(message=message, safety=Safety.SAFE, replace=replace, directives=syntax)

    def edits(self, tree: Dockerfile) -> Iterator[tuple[str, dict[Node, tuple[Node, ...]]]]:
        raise NotImplementedError


def test_directives_are_added_once() -> None:
    class AddsSyntax(AddsSyntaxOnce):
        def edits(self, tree: Dockerfile) -> Iterator[tuple[str, dict[Node, tuple[Node, ...]]]]:
            for ins in tree.instructions[1:]:
                yield "x", {ins: (parse_instruction(ins.code.replace("RUN", "RUN --network=none", 1)),)}

    out = engine.refactor("FROM a\nRUN one\nRUN two\n", [AddsSyntax()], Context())
    assert isinstance(out, engine.Changed)
    assert out.after.count("# syntax=") == 1
    assert out.after.count("--network=none") == 2
    assert all(f.applied for f in out.fixes)
    assert parse(out.after).directive("syntax") is not None


def test_lines_point_into_the_file_as_read_whatever_the_pass() -> None:
    """A fix found after earlier passes added lines (here a ``# syntax`` directive and an instruction above it)
    reports the lines of the instructions it came from in the user's file; one on an added instruction, the
    lines of the instruction it was added with."""

    class AddsAbove(AddsSyntaxOnce):
        name: ClassVar[str] = "adds"

        def edits(self, tree: Dockerfile) -> Iterator[tuple[str, dict[Node, tuple[Node, ...]]]]:
            first = tree.instructions[0]
            yield "adds", {first: (first, parse_instruction("RUN added\n"), parse_instruction("RUN added\n"))}

    transforms: list[Transform] = [
        AddsAbove(),
        Rewrite("one", "two"),
        Rewrite("two", "three"),
        Rewrite("three", "four", Safety.UNSAFE),
        Rewrite("added", "changed", Safety.UNSAFE),
    ]
    out = engine.refactor("FROM a\n\n# a comment\nRUN one\nRUN other\n", transforms, Context())
    assert isinstance(out, engine.Changed)
    after = "# syntax=docker/dockerfile:1\nFROM a\nRUN added\nRUN added\n\n# a comment\nRUN three\nRUN other\n"
    assert out.after == after
    lines = {(f.message, f.applied): (f.start_line, f.end_line) for f in out.fixes}
    assert lines == {
        ("adds", True): (1, 1),
        ("one -> two", True): (4, 4),
        ("two -> three", True): (4, 4),
        ("three -> four", False): (4, 4),  # found in the last pass, on the text with four more lines
        ("added -> changed", False): (1, 1),
    }


def test_suppression_comments_survive_every_transform() -> None:
    """``# dockmod: ignore`` stays above the instruction it protects, whatever the other transforms do."""
    from dockmod.context import MemoryContext, OverlayContext
    from dockmod.transforms import TransformConfig, build_transforms

    text = (
        "FROM node:18\n"
        "WORKDIR /app\n"
        "# dockmod: ignore[lockfile-first]\n"
        "COPY . .\n"
        "# dockmod: ignore\n"
        "RUN npm ci && npm cache clean --force\n"
        "# dockmod: ignore[add-user]\n"
        'CMD ["node", "server.js"]\n'
    )
    ctx = Context(build=MemoryContext({"package.json": "{}\n", "package-lock.json": "{}\n"}))
    out = engine.refactor(text, build_transforms(TransformConfig()), ctx, threshold=Safety.UNSAFE)
    after = out.after if isinstance(out, engine.Changed) else text
    assert "# dockmod: ignore[lockfile-first]\nCOPY . .\n" in after
    assert "# dockmod: ignore\nRUN npm ci && npm cache clean --force\n" in after
    assert '# dockmod: ignore[add-user]\nCMD ["node", "server.js"]\n' in after
    assert isinstance(out, engine.Changed)
    written = {k: v.after for k, v in out.files.items()}
    later = Context(build=OverlayContext(ctx.build, written))
    again = engine.refactor(after, build_transforms(TransformConfig()), later, threshold=Safety.UNSAFE)
    assert isinstance(again, engine.Unchanged)


@dataclass
class Reader:
    """A test transform that counts its runs and proposes ``hello.txt`` unless the context has it."""

    reads_context: bool
    runs: list[int]
    name: ClassVar[str] = "reader"
    summary: ClassVar[str] = "test"
    safety: ClassVar[Safety] = Safety.SAFE

    def check(self, tree: Dockerfile, ctx: Context) -> Iterator[Fix]:
        self.runs.append(1)
        if self.reads_context and ctx.build.read_text("hello.txt") is None:
            yield Fix(message="create hello.txt", safety=Safety.SAFE, files={"hello.txt": FileEdit(None, "hi\n")})


def test_a_pass_that_only_wrote_files_rechecks_only_what_read_them() -> None:
    from dockmod.context import MemoryContext

    blind, writer = Reader(reads_context=False, runs=[]), Reader(reads_context=True, runs=[])
    out = engine.refactor("FROM a\nRUN one\n", [blind, writer], Context(build=MemoryContext()))
    assert isinstance(out, engine.Changed)
    assert set(out.files) == {"hello.txt"}
    # Pass 2 saw the same tree: the writer, which read hello.txt, ran again (and found it); the other did not.
    assert (len(blind.runs), len(writer.runs)) == (1, 2)

    # When the tree changes, every transform runs again.
    blind.runs.clear()
    out = engine.refactor("FROM a\nRUN one\n", [blind, Rewrite("one", "two")], Context())
    assert isinstance(out, engine.Changed)
    assert len(blind.runs) == 2


@dataclass(frozen=True)
class Broken:
    """A test transform with a bug: it raises on every file."""

    name: ClassVar[str] = "broken"
    summary: ClassVar[str] = "test"
    safety: ClassVar[Safety] = Safety.SAFE

    def check(self, tree: Dockerfile, ctx: Context) -> Iterator[Fix]:
        raise RecursionError("maximum recursion depth exceeded")
        yield  # a generator, like the real transforms


def test_a_transform_that_raises_fails_the_file_not_the_run() -> None:
    out = engine.refactor("FROM a\nRUN one\n", [Rewrite("one", "two"), Broken()], Context())
    assert isinstance(out, engine.Failed)
    assert out.error.startswith("broken failed on this file (RecursionError: maximum recursion depth exceeded)")


def test_a_chain_of_stages_deeper_than_the_recursion_limit() -> None:
    """Generated files may chain a thousand stages, each FROM the last: every transform answers (no
    RecursionError, which the engine would report as a failed file)."""
    import sys

    from dockmod.context import MemoryContext
    from dockmod.transforms import TransformConfig, build_transforms

    depth = sys.getrecursionlimit() + 100
    text = "FROM node:18 AS s0\n" + "".join(
        f"FROM s{i} AS s{i + 1}\nCOPY p{i}.json ./\nRUN npm ci\n" for i in range(depth)
    )
    config = TransformConfig(select=("lockfile-first", "cache-mounts", "split-stages", "add-user", "dockerignore"))
    ctx = Context(build=MemoryContext({"p0.json": "{}"}), path="Dockerfile")
    out = engine.refactor(text + 'CMD ["node", "x"]\n', build_transforms(config), ctx, threshold=Safety.UNSAFE)
    assert isinstance(out, engine.Changed), out

"""The lossless tree: what each node owns, and what BuildKit sees in it."""

from __future__ import annotations

import pytest

import dockmod.cst.parser as parser_module
from dockmod import parse
from dockmod.cst import (
    Copy,
    Dockerfile,
    From,
    Generic,
    Healthcheck,
    Instruction,
    Onbuild,
    ParseError,
    Run,
    parse_instruction,
)
from support.compiled import needs_python_parser
from support.golden import read_text, roundtrip_files


def only(tree: Dockerfile, index: int = 0) -> Instruction:
    return tree.instructions[index]


def test_every_byte_has_one_owner() -> None:
    text = (
        "\ufeff# syntax=docker/dockerfile:1\n\n# base\nFROM alpine AS base\n"
        "RUN  --mount=type=cache,target=/x \\\n  echo hi\n# tail\n"
    )
    tree = parse(text)
    assert tree.bom == "\ufeff"
    assert [d.text for d in tree.directives] == ["# syntax=docker/dockerfile:1"]
    first, run = tree.instructions
    assert first.leading == "\n# base\n"
    assert (run.indent, run.keyword, [f.raw for f in run.flags]) == ("", "RUN", ["  --mount=type=cache,target=/x"])
    assert run.args == " \\\n  echo hi"
    assert tree.footer == "# tail\n"
    assert tree.code == text


def test_nodes_are_frozen_with_identity_equality() -> None:
    tree = parse("FROM a\nRUN npm ci\nRUN npm ci\n")
    _, one, two = tree.instructions
    assert one.code == two.code
    assert one != two
    assert len({one, two}) == 2
    with pytest.raises(AttributeError):
        one.keyword = "CMD"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "cls"),
    [
        ("FROM x", From),
        ("run echo", Run),
        ("Copy a b", Copy),
        ("ONBUILD RUN x", Onbuild),
        ("HEALTHCHECK NONE", Healthcheck),
        ("MAINTAINER me", Generic),
        ("FROBNICATE x", Generic),
    ],
    ids=["from", "lower-run", "mixed-copy", "onbuild", "healthcheck", "maintainer-generic", "unknown-generic"],
)
def test_typed_nodes(text: str, cls: type[Instruction]) -> None:
    node = only(parse(f"FROM base\n{text}\n"), 1) if cls is not From else only(parse(text + "\n"))
    assert type(node) is cls


def test_directives_only_before_anything_else() -> None:
    tree = parse("# Escape=`\n# check=skip=all\nFROM a\n# syntax=late\n")
    assert [(d.name, d.value) for d in tree.directives] == [("escape", "`"), ("check", "skip=all")]
    assert tree.escape == "`"
    late = parse("# comment\n# escape=`\nFROM a\n")
    assert late.directives == ()
    assert late.escape == "\\"


def test_backtick_escape_continues_lines() -> None:
    tree = parse("# escape=`\nFROM a\nRUN dir `\n    C:\\path\\\n")
    assert tree.view(tree.instructions[1]).args == ("dir     C:\\path\\",)


def test_continuation_drops_comment_and_blank_lines_like_buildkit() -> None:
    tree = parse("FROM a\nRUN one \\\n# comment\n\n  two \\  \n  three\n")
    run = tree.instructions[1]
    assert tree.view(run).logical == "RUN one   two   three"
    assert tree.lines()[run] == (2, 6)


def test_heredocs_are_owned_by_their_instruction() -> None:
    text = "FROM a\nCOPY <<-A /a <<'B' /b\n\tone\n\tA\ntwo $x\nB\nRUN echo\n"
    tree = parse(text)
    copy = tree.instructions[1]
    assert [h.code for h in copy.heredocs] == ["\tone\n\tA\n", "two $x\nB\n"]
    view = tree.view(copy)
    assert [(h.name, h.strip_tabs, h.quoted) for h in view.heredocs] == [("A", True, False), ("B", False, True)]
    assert tree.lines()[copy] == (2, 6)
    assert tree.code == text


def test_json_heredoc_lookalike_is_not_a_heredoc() -> None:
    tree = parse('FROM a\nRUN ["cat", "<<EOF"]\nRUN echo\n')
    assert tree.instructions[1].heredocs == ()


def test_exec_form_and_invalid_json_fallback() -> None:
    tree = parse('FROM a\nCMD [ "a" ,\t"b" ]\nENTRYPOINT [\'x\']\n')
    cmd, entry = tree.instructions[1:]
    assert (tree.view(cmd).json, tree.view(cmd).args) == (True, ("a", "b"))
    assert (tree.view(entry).json, tree.view(entry).args) == (False, ("['x']",))


def test_flags_as_buildkit_reads_them() -> None:
    tree = parse('FROM a\nCOPY --from=build --chown="1000:1000" -- src /dst\n')
    view = tree.view(tree.instructions[1])
    assert [f.text for f in view.flags] == ["--from=build", "--chown=1000:1000"]
    assert view.flag("chown") is not None
    assert view.args == ("src", "/dst")


@pytest.mark.parametrize(
    ("flag", "options"),
    [
        ("--mount=type=bind,source=.git,target=/tmp/git", {"type": "bind", "source": ".git", "target": "/tmp/git"}),
        ("--mount=target=.", {"target": "."}),
        ("--mount=type=bind,SRC=a,Target=/x,ro", {"type": "bind", "src": "a", "target": "/x", "ro": ""}),
        ("--mount", {}),
    ],
    ids=["named", "defaults", "upper-case-and-bare-keys", "no-value"],
)
def test_mount_options_as_buildkit_reads_them(flag: str, options: dict[str, str]) -> None:
    tree = parse(f"FROM a\nRUN {flag} true\n")
    assert tree.view(tree.instructions[1]).flags[0].options == options


def test_env_pairs_both_forms() -> None:
    tree = parse('FROM a\nENV A=1 B="two words"\nENV LEGACY some value\n')
    new, legacy = (tree.view(i) for i in tree.instructions[1:])
    assert [(p.key, p.value, p.equals) for p in new.pairs] == [("A", "1", True), ("B", '"two words"', True)]
    assert [(p.key, p.value, p.equals) for p in legacy.pairs] == [("LEGACY", "some value", False)]


def test_onbuild_nested_view() -> None:
    tree = parse("FROM a\nONBUILD COPY --chown=x . /app\n")
    inner = tree.view(tree.instructions[1]).onbuild
    assert inner is not None
    assert (inner.keyword, [f.text for f in inner.flags], inner.args) == ("COPY", ["--chown=x"], (".", "/app"))


def test_stages_are_a_derived_view() -> None:
    tree = parse("ARG V=1\nFROM --platform=$P node:${V} AS Build\nRUN x\nFROM build\nCOPY --from=Build /a /a\n")
    first, second = tree.stages
    assert (first.name, first.base, first.platform, len(first.instructions)) == ("Build", "node:${V}", "$P", 2)
    assert (second.index, second.base, second.name) == (1, "build", None)
    assert [a.code for a in tree.global_args] == ["ARG V=1\n"]


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("FROM a\nENV ONLYKEY\n", "ENV must have two arguments", 2),
        ('CMD ["a", ["nested"]]\n', "arrays must be comprised of strings only", 1),
        ("FROM a\nRUN <<EOF\nno end\n", "unterminated heredoc", 2),
        ("# escape=x\nFROM a\n", "invalid escape token", 1),
        ("# syntax=a\n# syntax=b\nFROM a\n", "only one syntax parser directive", 2),
        ("FROM a\nLABEL a=b c\n", "can't find =", 2),
    ],
    ids=["env-without-value", "nested-json", "unterminated-heredoc", "bad-escape", "duplicate-directive", "label"],
)
def test_parse_errors_say_where_and_what(text: str, message: str, line: int) -> None:
    with pytest.raises(ParseError) as info:
        parse(text)
    assert message in str(info.value)
    assert info.value.line == line
    assert str(info.value).startswith(f"line {line}, column ")


def test_empty_and_comment_only_files_parse() -> None:
    for text in ("", "\n\n", "# only a comment\n"):
        tree = parse(text)
        assert tree.instructions == ()
        assert tree.code == text


def test_new_instructions_copy_the_file_style() -> None:
    tree = parse("from alpine\r\n  run echo\r\n")
    made = tree.new(Copy, "a b", like=tree.instructions[1])
    assert made.code == "  copy a b\r\n"
    assert tree.new(Run, "x").code == "run x\r\n"


def test_parse_instruction_rejects_two() -> None:
    assert parse_instruction("RUN a\n").code == "RUN a\n"
    with pytest.raises(ParseError, match="more than one"):
        parse_instruction("RUN a\nRUN b\n")


@needs_python_parser
@pytest.mark.parametrize("path", roundtrip_files(), ids=lambda p: p.name)
def test_fast_path_matches_general_path(path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    """The single-line fast path must build exactly the nodes the general machinery builds."""
    from pathlib import Path

    assert isinstance(path, Path)
    text = read_text(path)
    fast = parse(text)
    monkeypatch.setattr(parser_module, "_fast_instruction", lambda *args: None)
    slow = parse(text)
    assert [_fields(i) for i in fast.instructions] == [_fields(i) for i in slow.instructions]


def _fields(node: Instruction) -> tuple[object, ...]:
    return (type(node), node.leading, node.indent, node.keyword, [f.raw for f in node.flags], node.args, node.newline)


def test_the_parsers_node_builder_sets_every_field_as_the_dataclass_does() -> None:
    from dataclasses import FrozenInstanceError, fields

    from dockmod.cst.nodes import Flag, Heredoc, Run
    from dockmod.cst.parser import build_instruction as build

    values = {
        "leading": "# c\n",
        "indent": " ",
        "keyword": "run",
        "flags": (Flag(raw=" --network=none"),),
        "args": " cat <<E",
        "newline": "\r\n",
        "heredocs": (Heredoc(body="x\n", terminator="E\n"),),
    }
    assert [f.name for f in fields(Run)] == list(values)  # build_instruction() takes them in this order
    built, made = build(Run, *values.values()), Run(**values)  # type: ignore[arg-type]
    assert type(built) is Run
    assert all(getattr(built, name) == getattr(made, name) for name in values)
    assert built.code == made.code == "# c\n run --network=none cat <<E\r\nx\nE\n"
    with pytest.raises(FrozenInstanceError):
        built.args = "changed"  # type: ignore[misc]


def test_a_continuation_at_the_end_of_the_file_is_read_without_its_escape() -> None:
    # BuildKit drops the trailing escape and reads `ENV ['x']`: one word, which ENV rejects. (The fast path once
    # validated the line with the escape still in it, so the view failed on a tree that had parsed.)
    with pytest.raises(ParseError, match="ENV must have two arguments"):
        parse("ENV ['x'] \\\n")
    tree = parse('CMD ["a"] \\\n')
    view = tree.view(tree.instructions[0])
    assert (view.json, view.args) == (True, ("a",))
    assert tree.code == 'CMD ["a"] \\\n'

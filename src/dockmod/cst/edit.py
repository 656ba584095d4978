"""Edits that keep every byte they do not change: splice the physical text at logical positions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TypeVar

from dockmod.cst.lexer import logical_line
from dockmod.cst.nodes import Flag, Instruction
from dockmod.cst.parser import parse_instruction
from dockmod.cst.tree import Dockerfile

I = TypeVar("I", bound=Instruction)  # noqa: E741 - the conventional name for a node type variable


def splice_args(tree: Dockerfile, node: I, edits: Sequence[tuple[int, int, str]]) -> I:
    """``node`` with spans of its argument text replaced.

    ``edits`` are ``(start, end, text)`` with offsets into ``tree.view(node).args_text``; they must not
    overlap. Continuation lines, comments inside them and the rest of the line are kept as written, except
    inside a replaced span. The result is re-parsed, so its view is consistent with its bytes.
    """
    view = tree.view(node)
    header = node.header
    line = logical_line(header, tree.escape)
    for start, end, text in sorted(edits, reverse=True):
        lo = view.args_offset + start
        hi = view.args_offset + end
        phys_lo = line.phys_start(lo) if lo < len(line.text) else len(header)
        phys_hi = line.phys_end(hi) if hi > lo else phys_lo
        header = header[:phys_lo] + text + header[phys_hi:]
    return reparse(tree, node, header)


def physical_text(tree: Dockerfile, node: Instruction, start: int, end: int) -> str:
    """The bytes of ``node`` that the logical span ``[start, end)`` of its argument text covers."""
    view = tree.view(node)
    header = node.header
    line = logical_line(header, tree.escape)
    lo = view.args_offset + start
    hi = view.args_offset + end
    phys_lo = line.phys_start(lo) if lo < len(line.text) else len(header)
    phys_hi = line.phys_end(hi) if hi > lo else phys_lo
    return header[phys_lo:phys_hi]


def reparse(tree: Dockerfile, node: I, header: str) -> I:
    """``node`` with a new header (indent, keyword, flags and arguments), keeping its comments and heredocs."""
    heredocs = "".join(h.code for h in node.heredocs)
    new = parse_instruction(node.leading + header + node.newline + heredocs, escape=tree.escape)
    if type(new) is not type(node):
        raise ValueError(f"the edit turned a {node.name} into a {new.name}")
    return new


def add_flags(tree: Dockerfile, node: I, flags: Sequence[str], *, width: int = 100) -> I:
    """``node`` with ``flags`` after its existing flags.

    An instruction that already spans several lines, or whose first line would grow past ``width``, gets
    each new flag on a continuation line of its own, and its arguments on the next one, indented like its
    other continuation lines (4 spaces when it has none), as a person would write it.
    """
    if not flags:
        return node
    header = node.header
    first = header.split("\n", 1)[0]
    if "\n" not in header and len(first) + sum(len(f) + 1 for f in flags) <= width:
        return replace(node, flags=(*node.flags, *(Flag(raw=" " + f) for f in flags)))
    newline = node.newline or tree.newline
    indent = _continuation_indent(header) or "    "
    brk = f" {tree.escape}{newline}{indent}"
    # The first flag of an instruction that has none stays on the keyword's line.
    new_flags = (
        *node.flags,
        *(Flag(raw=(" " if not node.flags and k == 0 else brk) + f) for k, f in enumerate(flags)),
    )
    args = node.args
    first_line = args.split("\n", 1)[0].rstrip("\r").strip(" \t")
    if "\n" not in args or first_line not in ("", tree.escape):
        # The arguments start on the flags' line: move them to a line of their own.
        args = brk + args.lstrip(" \t")
    return replace(node, flags=new_flags, args=args)


def _continuation_indent(header: str) -> str:
    for line in header.split("\n")[1:]:
        stripped = line.lstrip(" \t")
        if stripped and not stripped.startswith("#"):
            return line[: len(line) - len(stripped)]
    return ""


def split_leading(leading: str) -> tuple[str, str]:
    """A node's ``leading`` cut in two: the blank lines before its first comment, and the rest.

    A fix that moves an instruction keeps the comments with it and leaves the blank lines where it was.
    """
    lines = leading.splitlines(keepends=True)
    k = 0
    while k < len(lines) and not lines[k].strip():
        k += 1
    return "".join(lines[:k]), "".join(lines[k:])

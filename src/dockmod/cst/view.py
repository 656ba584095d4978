"""The semantic view of an instruction: what BuildKit's parser makes of it.

A view is computed from a node's bytes and the file's escape character, so it is always consistent with
the text that will be written. ``Dockerfile.view(node)`` memoises it per node.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass

from dockmod.cst import buildkit
from dockmod.cst.buildkit import Parsed, Split
from dockmod.cst.lexer import logical_line
from dockmod.cst.nodes import Instruction


@dataclass(frozen=True, slots=True)
class Pair:
    """An ENV or LABEL assignment as BuildKit's parser yields it (quotes still in the value)."""

    key: str
    value: str
    equals: bool  # ``key=value`` (True) or the legacy ``key value`` form (False)


@dataclass(frozen=True, slots=True)
class HeredocView:
    name: str
    content: str
    strip_tabs: bool
    quoted: bool


@dataclass(frozen=True, slots=True)
class FlagView:
    """A builder flag as BuildKit yields it: ``--name=value`` with quotes processed."""

    text: str

    @property
    def name(self) -> str:
        return self.text[2:].split("=", 1)[0]

    @property
    def value(self) -> str | None:
        parts = self.text.split("=", 1)
        return parts[1] if len(parts) == 2 else None

    @property
    def options(self) -> dict[str, str]:
        """The value's comma-separated ``key=value`` options as BuildKit reads ``--mount``: a CSV record, keys in
        lower case, a later key over an earlier one, a bare key (``ro``) mapped to ``""``."""
        out: dict[str, str] = {}
        for field in next(csv.reader([self.value or ""]), []):
            key, _, value = field.partition("=")
            out[key.strip().lower()] = value
        return out


@dataclass(frozen=True, slots=True)
class InstructionView:
    """What BuildKit sees in one instruction."""

    keyword: str  # upper case
    flags: tuple[FlagView, ...]
    args: tuple[str, ...]  # the node's argument chain exactly as BuildKit's parser splits it
    json: bool  # exec (JSON array) form
    pairs: tuple[Pair, ...]  # ENV and LABEL only
    heredocs: tuple[HeredocView, ...]
    onbuild: InstructionView | None  # ONBUILD only: the trigger instruction
    logical: str  # the logical line (continuations joined, dropped lines removed)
    args_text: str  # the argument text after the flags, trimmed (shell form of RUN/CMD, the FROM line...)
    args_offset: int  # where ``args_text`` starts in ``logical``
    _split: Split
    _parsed: Parsed

    @property
    def dump(self) -> str:
        """BuildKit's ``Node.Dump()`` notation, e.g. ``(run "npm ci")``."""
        return "(" + buildkit.dump(self._split.keyword, self._split.flags, self._parsed) + ")"

    def flag(self, name: str) -> FlagView | None:
        """The last flag called ``name`` (later flags win in BuildKit)."""
        found = None
        for f in self.flags:
            if f.name == name:
                found = f
        return found


def view(node: Instruction, escape: str) -> InstructionView:
    """Compute the view of ``node`` in a file whose escape character is ``escape``.

    Raises :class:`~dockmod.cst.buildkit.BuildKitError` when BuildKit's parser rejects the instruction.
    """
    return _view(node.header, tuple(h.body for h in node.heredocs), escape)


# A view depends only on the instruction's text: the same line in another file, or in the same file re-parsed
# after an edit elsewhere, has the same view (the engine re-reads every file after each pass).
@functools.lru_cache(maxsize=8192)
def _view(header: str, bodies: tuple[str, ...], escape: str) -> InstructionView:
    line = logical_line(header, escape)
    split, parsed = buildkit.parse_instruction_text(line.text, escape)
    heredocs: tuple[HeredocView, ...] = ()
    if bodies:
        headers = buildkit.heredocs_in(line.text) if buildkit.may_have_heredocs(split.keyword, parsed) else []
        heredocs = tuple(
            HeredocView(h.name, body, h.strip_tabs, h.quoted) for h, body in zip(headers, bodies, strict=False)
        )
    return _make_view(split, parsed, line.text, heredocs)


def _make_view(split: Split, parsed: Parsed, logical: str, heredocs: tuple[HeredocView, ...]) -> InstructionView:
    onbuild = None
    if parsed.onbuild is not None:
        inner = buildkit.split_command(split.args)
        onbuild = _make_view(inner, parsed.onbuild, split.args, heredocs)
    return InstructionView(
        keyword=split.keyword.upper(),
        flags=tuple(FlagView(f) for f in split.flags),
        args=parsed.args if parsed.has_args else (),
        json=parsed.json,
        pairs=tuple(Pair(k, v, eq) for k, v, eq in parsed.pairs),
        heredocs=heredocs if onbuild is None else (),
        onbuild=onbuild,
        logical=logical,
        args_text=split.args,
        args_offset=split.args_start,
        _split=split,
        _parsed=parsed,
    )

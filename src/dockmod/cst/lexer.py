"""Physical lines, continuations and the logical line, exactly as BuildKit reads them.

BuildKit's parser (moby/buildkit ``frontend/dockerfile/parser/parser.go``) scans a Dockerfile line by line:
it strips the line ending (``bytes.TrimRight(line, "\\r\\n")``), left-trims the first line of an
instruction, drops comment lines and empty lines inside a continuation, and removes a trailing escape
character (plus spaces and tabs) to join continuation lines. This module reproduces that logic and, unlike
BuildKit, remembers where every logical character came from, so a tree node can keep the physical bytes
while transforms reason about the logical text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Final, NamedTuple

# Go's unicode.IsSpace: the Latin-1 spaces plus Unicode White_Space. Python's str.isspace() also accepts
# U+001C..U+001F, which Go does not, so the set is spelled out.
GO_SPACE: Final = (
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)
RE_GO_SPACE: Final = re.compile("[" + GO_SPACE + "]+")
# BuildKit's reWhitespace / tokenWhitespace: ASCII only.
ASCII_WS: Final = "\t\v\f\r "
RE_ASCII_WS: Final = re.compile(r"[\t\v\f\r ]+")

# ``^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$`` with Go's ASCII ``\s`` (no \v).
RE_DIRECTIVE: Final = re.compile(r"#[\t\n\f\r ]*([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*(.+?)[\t\n\f\r ]*\Z")
DIRECTIVE_NAMES: Final = frozenset({"syntax", "escape", "check"})


class Lines(NamedTuple):
    """Physical lines: each one's content without its ending, and the ending as written (``\\r\\n``...)."""

    contents: list[str]
    endings: list[str]


def split_lines(text: str) -> Lines:
    """Split at ``\\n`` only (BuildKit's scanner): each line's content, and its ending as written.

    BuildKit strips ``\\r`` and ``\\n`` from the end of each line (``bytes.TrimRight(line, "\\r\\n")``); the
    endings are kept for the round trip. Two parallel lists rather than a pair per line: the parser reads
    every line of every file, and building the pairs cost a tenth of its time.
    """
    if not text:
        return Lines([], [])
    contents = text.split("\n")
    last = contents.pop()
    endings = ["\n"] * len(contents)
    if last:
        contents.append(last)
        endings.append("")
    if "\r" in text:
        for k, piece in enumerate(contents):
            if piece.endswith("\r"):
                content = piece.rstrip("\r")
                contents[k] = content
                endings[k] = piece[len(content) :] + endings[k]
    return Lines(contents, endings)


def is_comment(content: str) -> bool:
    return content.lstrip(GO_SPACE).startswith("#")


def is_blank(content: str) -> bool:
    return not content.strip(GO_SPACE)


@dataclass(frozen=True, slots=True)
class Chunk:
    """A run of logical characters copied verbatim from ``physical[phys:phys + length]``."""

    logical: int
    phys: int
    length: int


@dataclass(frozen=True, slots=True)
class LogicalLine:
    """The text BuildKit hands to its instruction parsers, with a map back to the physical text."""

    text: str
    chunks: tuple[Chunk, ...]

    def phys_start(self, index: int) -> int:
        """Physical offset of logical character ``index``."""
        chunk = self._chunk_of(index)
        return chunk.phys + index - chunk.logical

    def phys_end(self, index: int) -> int:
        """Physical offset just after logical character ``index - 1`` (an exclusive end)."""
        chunk = self._chunk_of(index - 1)
        return chunk.phys + index - chunk.logical

    def _chunk_of(self, index: int) -> Chunk:
        starts = [c.logical for c in self.chunks if c.length]
        chunks = [c for c in self.chunks if c.length]
        return chunks[bisect_right(starts, index) - 1]


def logical_line(physical: str, escape: str, *, first_line_trimmed: bool = True) -> LogicalLine:
    """Join a physical instruction header the way BuildKit does.

    ``physical`` runs from the start of the instruction's first line to the end of its last header line,
    without the final line ending. The first line is left-trimmed (unless ``first_line_trimmed`` is false,
    for text that starts mid-line); later lines keep their indentation, and comment lines and blank lines
    inside the continuation are dropped.
    """
    if "\n" not in physical:
        # The common case: one line, no map arithmetic beyond the left trim.
        start = len(physical) - len(physical.lstrip(GO_SPACE)) if first_line_trimmed else 0
        body = _drop_continuation(physical[start:], escape)
        return LogicalLine(body, (Chunk(0, start, len(body)),))
    parts: list[str] = []
    chunks: list[Chunk] = []
    logical = 0
    offset = 0
    for number, raw in enumerate(physical.split("\n")):
        content = raw.rstrip("\r")
        start = 0
        if number == 0:
            if first_line_trimmed:
                start = len(content) - len(content.lstrip(GO_SPACE))
        elif is_comment(content) or is_blank(content):
            offset += len(raw) + 1
            continue
        body = _drop_continuation(content[start:], escape)
        parts.append(body)
        chunks.append(Chunk(logical, offset + start, len(body)))
        logical += len(body)
        offset += len(raw) + 1
    return LogicalLine("".join(parts), tuple(chunks))


def _drop_continuation(body: str, escape: str) -> str:
    """``body`` without a final continuation (the escape character and the blanks after it)."""
    return body[: len(body.rstrip(" \t")) - 1] if ends_with_continuation(body, escape) else body


def ends_with_continuation(content: str, escape: str) -> bool:
    """The escape character is the line-continuation token when it is the last non-blank character of a line,
    unless an escape character precedes it (BuildKit: ``([^\\\\])\\\\[ \\t]*$|^\\\\[ \\t]*$``).

    String tests rather than that regex, which scans the whole line: this runs for every line of every
    continued instruction.
    """
    last = content.rstrip(" \t")
    return last.endswith(escape) and (len(last) == 1 or last[-2] != escape)

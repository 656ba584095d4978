"""Byte-correct unified diffs: CRLF lines stay CRLF, a missing final newline is marked as in GNU diff."""

from __future__ import annotations

import bisect
from collections import Counter
from difflib import SequenceMatcher
from pathlib import Path
from typing import Literal

NO_NEWLINE = "\\ No newline at end of file\n"


def unified_diff(before: str, after: str, path: str, *, created: bool = False, context: int = 3) -> str:
    """A unified diff from ``before`` to ``after`` that ``patch -p1`` and ``git apply`` accept.

    Lines keep their own endings (``\\r\\n`` included); a last line without one is followed by
    ``\\ No newline at end of file``. ``created`` writes ``/dev/null`` as the old side.
    """
    if before == after:
        return ""
    a = _split_at_lf(before)
    b = _split_at_lf(after)
    out = [f"--- {'/dev/null' if created else 'a/' + path}\n", f"+++ b/{path}\n"]
    for group in _AnchoredMatcher(a, b).get_grouped_opcodes(context):
        i1, i2, j1, j2 = group[0][1], group[-1][2], group[0][3], group[-1][4]
        out.append(f"@@ -{_range(i1, i2)} +{_range(j1, j2)} @@\n")
        for tag, a1, a2, b1, b2 in group:
            if tag == "equal":
                out.extend(_lines(" ", a[a1:a2]))
                continue
            out.extend(_lines("-", a[a1:a2]))
            out.extend(_lines("+", b[b1:b2]))
    return "".join(out)


Opcode = tuple[Literal["replace", "delete", "insert", "equal"], int, int, int, int]


class _AnchoredMatcher(SequenceMatcher[str]):
    """difflib's matcher, first split at the lines that occur once on each side (as patience diff does).

    Without autojunk (which hides common lines, blank ones included, and makes poor diffs) difflib is quadratic
    in a stretch of lines that repeat: a 4,000-line file of repeated stages took 17 s to diff. Unique lines that
    keep their order are matched first; difflib then aligns the short stretches between them.
    """

    def __init__(self, a: list[str], b: list[str]) -> None:
        super().__init__(None, a, b, autojunk=False)
        self._lines = a, b

    def get_opcodes(self) -> list[Opcode]:
        a, b = self._lines
        out: list[Opcode] = []
        i = j = 0
        for ai, bj in [*_unique_anchors(a, b), (len(a), len(b))]:
            if ai > i or bj > j:
                for tag, i1, i2, j1, j2 in SequenceMatcher(None, a[i:ai], b[j:bj], autojunk=False).get_opcodes():
                    _append(out, (tag, i + i1, i + i2, j + j1, j + j2))
            if ai < len(a):
                _append(out, ("equal", ai, ai + 1, bj, bj + 1))
            i, j = ai + 1, bj + 1
        return out


def _append(out: list[Opcode], op: Opcode) -> None:
    # Adjacent equal stretches (an anchor next to lines difflib matched) become one, as difflib would make them.
    if out and op[0] == "equal" and out[-1][0] == "equal":
        tag, i1, _, j1, _ = out[-1]
        out[-1] = (tag, i1, op[2], j1, op[4])
    else:
        out.append(op)


def _unique_anchors(a: list[str], b: list[str]) -> list[tuple[int, int]]:
    """Pairs (i, j) with a[i] == b[j] a line that occurs once in each, the longest run of them in the same order
    on both sides (patience sorting)."""
    count_a, count_b = Counter(a), Counter(b)
    where_b = {line: j for j, line in enumerate(b) if count_b[line] == 1}
    pairs = [(i, where_b[line]) for i, line in enumerate(a) if count_a[line] == 1 and line in where_b]
    # The longest increasing subsequence of the b positions, in O(n log n).
    tails: list[int] = []  # tails[k]: the smallest b position ending an increasing run of length k + 1
    tail_at: list[int] = []  # index into pairs of that run's last pair
    back: list[int] = []  # index into pairs of each pair's predecessor, -1 for none
    for n, (_, j) in enumerate(pairs):
        k = bisect.bisect_left(tails, j)
        back.append(tail_at[k - 1] if k else -1)
        if k == len(tails):
            tails.append(j)
            tail_at.append(n)
        else:
            tails[k] = j
            tail_at[k] = n
    run: list[tuple[int, int]] = []
    n = tail_at[-1] if tail_at else -1
    while n >= 0:
        run.append(pairs[n])
        n = back[n]
    return run[::-1]


def _split_at_lf(text: str) -> list[str]:
    # str.splitlines would also split at \r, \v, \f, \x1c..., which are ordinary bytes to diff and patch.
    if not text:
        return []
    lines = text.split("\n")
    last = lines.pop()
    out = [line + "\n" for line in lines]
    if last:
        out.append(last)
    return out


def _lines(prefix: str, lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        out.append(prefix + line)
        if not line.endswith("\n"):
            out.append("\n" + NO_NEWLINE)
    return out


def _range(start: int, stop: int) -> str:
    length = stop - start
    if length == 1:
        return str(start + 1)
    if length == 0:
        return f"{start},0"
    return f"{start + 1},{length}"


def file_diff(path: Path, before: str | None, after: str) -> str:
    """The diff of one file as the user named it (``before`` None: the file is created), so that ``patch -p1``
    and ``git apply`` find it from the same folder."""
    return unified_diff(before or "", after, path.as_posix().lstrip("/"), created=before is None)

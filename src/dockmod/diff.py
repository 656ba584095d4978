"""Byte-correct unified diffs: CRLF lines stay CRLF, a missing final newline is marked as in GNU diff."""

from __future__ import annotations

from difflib import SequenceMatcher
from pathlib import Path

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
    for group in SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(context):
        i1, i2, j1, j2 = group[0][1], group[-1][2], group[0][3], group[-1][4]
        out.append(f"@@ -{_range(i1, i2)} +{_range(j1, j2)} @@\n")
        for tag, a1, a2, b1, b2 in group:
            if tag == "equal":
                out.extend(_lines(" ", a[a1:a2]))
                continue
            out.extend(_lines("-", a[a1:a2]))
            out.extend(_lines("+", b[b1:b2]))
    return "".join(out)


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

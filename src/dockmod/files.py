"""Reading and writing Dockerfiles: the one place that touches users' files."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

_UTF16_32_BOMS = {
    b"\xff\xfe\x00\x00": "UTF-32 (little-endian)",
    b"\x00\x00\xfe\xff": "UTF-32 (big-endian)",
    b"\xff\xfe": "UTF-16 (little-endian)",
    b"\xfe\xff": "UTF-16 (big-endian)",
}


class FileError(Exception):
    """A file that cannot be read or written; the message names the file and what to do."""


@dataclass(frozen=True, slots=True)
class Source:
    path: Path
    text: str  # decoded exactly: a UTF-8 BOM stays in the text as U+FEFF, line endings untouched


def read(path: Path) -> Source:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise FileError(f"{path}: cannot read: {e.strerror or e}") from None
    for bom, name in _UTF16_32_BOMS.items():
        if data.startswith(bom):
            raise FileError(f"{path}: not UTF-8 ({name} byte-order mark); convert it to UTF-8 to refactor it")
    try:
        return Source(path, data.decode("utf-8"))
    except UnicodeDecodeError as e:
        raise FileError(f"{path}: not UTF-8 (invalid byte at offset {e.start}); convert it to UTF-8") from None


def write_atomic(path: Path, text: str, *, root: Path, before: str | None) -> None:
    """Replace ``path``'s content with ``text`` atomically, keeping its mode, if it still holds ``before`` (None:
    a file dockmod creates, which must still be missing).

    The bytes go to a temporary file in the same folder, are flushed to disk, then renamed over the
    target: an interrupted write leaves the old file intact. A symlink is written through to its target
    only when the target lies inside ``root``. A file that changed after dockmod read it (an editor saved it
    while a long batch ran) is left alone: its fixes were worked out from the old text.
    """
    target = path.resolve() if path.is_symlink() else path
    if path.is_symlink() and not (target == root or root in target.parents):
        raise FileError(f"{path}: a symlink to {target}, outside {root}; not written")
    try:
        current: bytes | None = target.read_bytes()
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        current, mode = None, 0o644
    except OSError as e:
        raise FileError(f"{path}: cannot read: {e.strerror or e}") from None
    if current != (before.encode("utf-8") if before is not None else None):
        what = "created" if before is None else ("deleted" if current is None else "changed")
        raise FileError(f"{path}: {what} since dockmod read it; not written (run dockmod again)")
    try:
        replace_file(target, text.encode("utf-8"), mode=mode, sync=True)
    except OSError as e:
        raise FileError(f"{path}: cannot write: {e.strerror or e}") from None


def replace_file(path: Path, data: bytes, *, mode: int | None = None, sync: bool = False) -> None:
    """Write ``data`` to a temporary file beside ``path`` and rename it over ``path``: a reader sees the old file
    or the new one, never part of one, and an interrupted write leaves the old file. ``sync`` flushes it to disk
    first (users' files); ``mode`` sets its permissions (else the temporary file's: 0600). Raises OSError."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".dockmod-tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            if sync:
                f.flush()
                os.fsync(f.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise

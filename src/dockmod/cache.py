"""Results of earlier runs, reused while nothing they were computed from has changed.

A file's result is a pure function of: its bytes and path, the settings that apply to it, dockmod's own code,
and the answers its build context gave (every question goes through a recording
:class:`~dockmod.context.DirectoryContext`). An entry keeps all of them; it is reused only when each is as it was.
Files and folders are compared by their stamp (mtime, ctime, size, inode) taken just before they were read, and
by content when the stamp differs or was too recent to trust (see :func:`dockmod.context.stamp`). Results that
need the network (pin-images) or that report a failure are never kept (``batch`` decides).

The cache lives outside the repository (``$DOCKMOD_CACHE_DIR``, else ``$XDG_CACHE_HOME/dockmod``, else
``~/.cache/dockmod``), one file per command-line scope (working folder and paths). Its entries are plain data
(tuples, strings, numbers) read by an unpickler that builds no class at all, so a planted file cannot run code;
anything unreadable is an empty cache. The cache only ever saves time.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import os
import pickle
import struct
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import dockmod
from dockmod import files
from dockmod.context import DirectoryContext, Stamp

_FORMAT = 1  # bumped when the entries' layout changes
_UNUSED_DAYS = 30

# What a file's result was computed from: the settings that apply to the file (``batch.cache_key``), the
# Dockerfile's digest, the build context's folder and its reads. The reads are packed (a monorepo's cache holds
# some ten per file): their kinds as one letter each (``l``isting, ``t``ext, ``k``ind: does it exist), their
# paths, and per read the answer's digest and the path's stamp in one bytes value (``_RECORD`` each); ``m``ode:
# a file's permission bits; ``s``ymlink: where a link points (no stamp: read again each time).
Inputs = tuple[str, bytes, str, str, tuple[str, ...], bytes]
# Inputs and the result, as ``batch`` encodes it (plain data).
Entry = tuple[str, bytes, str, str, tuple[str, ...], bytes, object]

_DIGEST = 16
_STAMP = struct.Struct("<qqQQ")  # st_mtime_ns, st_ctime_ns, st_size, st_ino
_RECORD = _DIGEST + _STAMP.size
_NO_STAMP = bytes(_STAMP.size)  # ask again (a real stamp has an inode number)
_NO_TEXT = bytes(_DIGEST)


def inputs(key: str, text: str, build: DirectoryContext) -> Inputs:
    """What the result just computed from the Dockerfile ``text`` and ``build`` depends on."""
    reads = build.disk_reads()
    kinds = "".join(r.kind[0] for r in reads)
    packed = b"".join(_answer_digest(r.answer) + _pack(r.stamp) for r in reads)
    digest = _digest(text.encode("utf-8"))
    return key, digest, os.fspath(build.root), kinds, tuple(r.path for r in reads), packed


class ResultCache:
    """The entries of one scope, loaded at the start of a run and saved at its end (entries of files the run did
    not see are dropped: in the same scope, those files are gone)."""

    def __init__(self, file: Path, fingerprint: bytes, entries: dict[str, Entry]) -> None:
        self.file = file
        self.fingerprint = fingerprint
        self._old = entries
        self._new: dict[str, Entry] = {}
        self._dirty = False

    @classmethod
    def open(cls, folder: Path, scope: Sequence[str]) -> ResultCache:
        name = _digest("\0".join([os.getcwd(), *scope]).encode("utf-8", "surrogateescape")).hex()
        file = folder / "results" / f"{name}.pickle"
        fingerprint = code_fingerprint()
        return cls(file, fingerprint, _load(file, fingerprint))

    def __len__(self) -> int:
        return len(self._old)

    def get(self, path: Path, key: str) -> tuple[str, object] | None:
        """The Dockerfile's text and the payload kept for it, if ``key`` is the same and nothing the payload was
        computed from has changed. The Dockerfile itself is always compared by content: it is the file that
        ``--apply`` rewrites."""
        name = os.fspath(path)
        found = self._old.get(name)
        try:
            if found is None or found[0] != key:
                return None
            data = path.read_bytes()
            if _digest(data) != found[1]:
                return None
            current = _still_valid(found)
            text = data.decode("utf-8")
        except Exception:  # unreadable now, or not an entry this code wrote: the file is worked out again
            return None
        if current is None:
            return None
        if current is not found:  # stamps refreshed: the next run skips the reads this one did
            self._dirty = True
        self._new[name] = current
        return text, current[6]

    def put(self, path: Path, found: Inputs, payload: object) -> None:
        key, digest, root, kinds, paths, packed = found
        # Most files share their settings: one string for all of them, not one per file.
        self._new[os.fspath(path)] = (sys.intern(key), digest, root, kinds, paths, packed, payload)
        self._dirty = True

    def save(self) -> None:
        """Write the entries this run used (atomically). Raises OSError when the folder is not writable."""
        if not self._dirty and self._new.keys() == self._old.keys():
            with contextlib.suppress(OSError):
                os.utime(self.file)  # used: not one to prune
            return
        self.file.parent.mkdir(parents=True, exist_ok=True)
        data = pickle.dumps((_FORMAT, self.fingerprint, self._new), protocol=pickle.HIGHEST_PROTOCOL)
        files.replace_file(self.file, data)
        _prune(self.file.parent)


def _prune(folder: Path) -> None:
    """Drop the files of scopes unused for a month (each new set of paths, as a pre-commit hook passes, makes a
    scope of its own)."""
    limit = time.time() - _UNUSED_DAYS * 86400
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for e in entries:
            with contextlib.suppress(OSError):
                if e.stat().st_mtime < limit:
                    os.unlink(e.path)


def default_folder() -> Path:
    explicit = os.environ.get("DOCKMOD_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "dockmod"


def code_fingerprint() -> bytes:
    """dockmod's version, Python's, and the bytes of every file of the installed package (sources, compiled
    modules, pages): an upgrade, or an edit of an editable install, starts from an empty cache, while the same
    code installed afresh (a CI job's new virtualenv) finds it (a few milliseconds per run)."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{_FORMAT} {dockmod.__version__} {sys.version}".encode())
    package = os.path.dirname(os.path.abspath(dockmod.__file__))
    for folder, dirs, names in sorted(os.walk(package)):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            with open(os.path.join(folder, name), "rb") as f:
                h.update(f"{os.path.relpath(folder, package)}/{name}\n".encode())
                h.update(hashlib.blake2b(f.read(), digest_size=16).digest())
    return h.digest()


# -- checking an entry ---------------------------------------------------------------------------------------


def _still_valid(old: Entry) -> Entry | None:
    """``old``, with fresh stamps where content had to be compared; None when the build context changed."""
    key, digest, root, kinds, paths, packed, payload = old
    fresh: DirectoryContext | None = None  # built on the first read that needs asking again
    refreshed = bytearray()
    for i, rel in enumerate(paths):
        at = i * _RECORD
        record = packed[at : at + _RECORD]
        known = record[_DIGEST:]
        if known != _NO_STAMP and _stamp_at(os.path.join(root, rel) if rel else root) == known:
            refreshed += record
            continue
        if known == _NO_STAMP and (quick := _quick(root, kinds[i], rel)) is not None:
            if quick != record[:_DIGEST]:
                return None
            refreshed += record  # asked again, it would still have no stamp
            continue
        if fresh is None:
            fresh = DirectoryContext(Path(root), record=True)
        again = _ask(fresh, kinds[i], rel)
        if again[:_DIGEST] != record[:_DIGEST]:
            return None
        refreshed += again
    if len(refreshed) != len(packed):
        raise ValueError("not an entry this code wrote")
    if refreshed == packed:
        return old
    return key, digest, root, kinds, paths, bytes(refreshed), payload


def _quick(root: str, kind: str, path: str) -> bytes | None:
    """The answer's digest for a read without a stamp, where one system call tells it: a path that is not a symlink
    (``s``), a folder to list that does not exist (``l``). Most reads without a stamp are these (a monorepo's cached
    run asked some 34,000 of them again, each through a new recording context); None: ask in full."""
    if path.startswith("/") or ".." in path.split("/") or kind not in ("s", "l"):
        return None
    full = os.path.join(root, path) if path else root
    try:
        if kind == "s":
            os.readlink(full)
        else:
            os.stat(full)
    except (FileNotFoundError, NotADirectoryError):
        return _answer_digest(None if kind == "s" else ())  # no link; an absent folder lists no names
    except OSError as e:
        if kind == "s" and e.errno == errno.EINVAL:  # there, but not a symlink
            return _answer_digest(None)
        return None
    return None


def _ask(build: DirectoryContext, kind: str, path: str) -> bytes:
    """The packed record of asking ``path`` again now."""
    answer: object
    if kind == "l":
        answer = build.listdir(path)
    elif kind == "t":
        answer = build.read_text(path)
    elif kind == "m":
        answer = str(build.mode(path))
    elif kind == "s":
        answer = build.link(path)
    else:
        answer = "dir" if build.is_dir(path) else "file" if build.exists(path) else ""
    stamps = {(r.kind[0], r.path): r.stamp for r in build.disk_reads()}
    return _answer_digest(answer) + _pack(stamps.get((kind, path)))


def _pack(found: Stamp | None) -> bytes:
    return _NO_STAMP if found is None else _STAMP.pack(*found)


def _stamp_at(path: str) -> bytes | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return _STAMP.pack(info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino)


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=_DIGEST).digest()


def _answer_digest(answer: object) -> bytes:
    """The digest of a text, a listing (its names) or a kind (``dir``, ``file`` or empty); no text: zeros."""
    if isinstance(answer, tuple):
        answer = "\0".join(answer)
    return _digest(answer.encode("utf-8", "surrogateescape")) if isinstance(answer, str) else _NO_TEXT


# -- reading the file ------------------------------------------------------------------------------------------


class _PlainData(pickle.Unpickler):
    """Builds tuples, dicts, strings, bytes and numbers; refuses every class and function."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"a dockmod cache holds plain data, not {module}.{name}")


def _load(file: Path, fingerprint: bytes) -> dict[str, Entry]:
    try:
        data = file.read_bytes()
    except OSError:
        return {}
    try:
        version, found, entries = _PlainData(io.BytesIO(data)).load()
    except Exception:  # a damaged, foreign or older file is an empty cache
        return {}
    if version != _FORMAT or found != fingerprint or not isinstance(entries, dict):
        return {}
    return entries

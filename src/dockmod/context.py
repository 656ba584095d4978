"""What a transform may see besides the tree: the build context (files beside the Dockerfile, filtered by
``.dockerignore``) and, for pin-images, an image resolver. Transforms read files only through here."""

from __future__ import annotations

import functools
import os
import posixpath
import re
import stat
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import NamedTuple, Protocol

from dockmod.registry.types import ImageResolver

__all__ = [
    "BuildContext",
    "Context",
    "DirectoryContext",
    "DiskRead",
    "DockerIgnore",
    "ImageResolver",
    "MemoryContext",
    "OverlayContext",
    "RecordingContext",
]


class BuildContext(Protocol):
    """A read-only view of a build context. Paths are relative, ``/``-separated."""

    def exists(self, path: str) -> bool: ...

    def is_dir(self, path: str) -> bool: ...

    def read_text(self, path: str) -> str | None:
        """The file's text (UTF-8), or None when it is absent, a folder, unreadable or too large."""
        ...

    def listdir(self, path: str = "") -> tuple[str, ...]:
        """Names in the folder ``path`` (sorted), folders with a trailing ``/``."""
        ...

    def ignored(self, path: str) -> bool:
        """Whether ``.dockerignore`` keeps ``path`` out of the context."""
        ...

    def mode(self, path: str) -> int | None:
        """The permission bits of the file or folder ``path`` (a COPY keeps them), or None when it is absent or
        unknown."""
        ...

    def link(self, path: str) -> str | None:
        """Where ``path`` points when it is a symlink, as a normalised path from the context's root (``..`` or ``/``
        first when it leaves the context); None when it is not one or it is unknown."""
        ...


_MAX_READ = 1 << 20  # manifests are small; a huge file is not one


class DirectoryContext:
    """The build context on disk, rooted at ``root`` (usually the Dockerfile's folder).

    Answers are memoised: a refactor run reads a context many times, and never while it changes.
    """

    def __init__(self, root: Path, *, record: bool = False) -> None:
        self.root = root
        # Paths are joined as strings: a batch asks tens of thousands of questions, and Path objects cost more
        # than the system calls they wrap.
        self._root = os.fspath(root)
        self._listings: dict[str, tuple[str, ...]] = {}
        self._texts: dict[str, str | None] = {}
        self._kinds: dict[str, str] = {}  # path -> "dir", "file" or "" (absent)
        self._modes: dict[str, int | None] = {}
        self._links: dict[str, str | None] = {}
        # With ``record``: what the disk looked like at each read (the result cache checks it in later runs).
        self._record = record
        self._stamps: dict[tuple[str, str], Stamp | None] = {}

    def disk_reads(self) -> list[DiskRead]:
        """Every answer this context took from the disk (``record`` only): a later run that finds each one the
        same would see the same context. Questions answered from a folder's listing (does ``a/b`` exist, is it a
        folder) are covered by that listing."""
        out = []
        for (kind, path), stamp in self._stamps.items():
            answer: object
            if kind == "list":
                answer = self._listings[path]
            elif kind == "text":
                answer = self._texts[path]
            elif kind == "mode":
                answer = str(self._modes[path])
            elif kind == "symlink":
                answer = self._links[path]
            else:
                answer = self._kinds[path]
            out.append(DiskRead(kind, path, answer, stamp))
        return out

    def _path(self, path: str) -> str | None:
        """``path`` on disk, or None when it would leave the context (absolute, or through ``..``)."""
        if path.startswith("/") or ".." in path.split("/"):
            return None
        return os.path.join(self._root, path) if path else self._root

    def exists(self, path: str) -> bool:
        return self._kind(path) != ""

    def is_dir(self, path: str) -> bool:
        return self._kind(path) == "dir"

    def _kind(self, path: str) -> str:
        kind = self._kinds.get(path)
        if kind is None:
            # One listing per folder answers every question about its entries (cheaper than a stat each).
            clean = path.strip("/")
            parent, _, name = clean.rpartition("/")
            if not name or name in (".", "..") or ".." in parent.split("/"):
                p = self._path(path)
                kind = "" if p is None or not os.path.exists(p) else "dir" if os.path.isdir(p) else "file"
                if self._record and p is not None:
                    self._stamps["kind", path] = None  # cheap to ask again: no stamp
            else:
                entries = self.listdir(parent)
                kind = "dir" if name + "/" in entries else "file" if name in entries else ""
            self._kinds[path] = kind
        return kind

    def read_text(self, path: str) -> str | None:
        if path not in self._texts:
            self._texts[path] = self._read(path)
        return self._texts[path]

    def mode(self, path: str) -> int | None:
        if path not in self._modes:
            p = self._path(path) if self._kind(path) in ("file", "dir") else None
            try:
                info = os.stat(p) if p is not None else None
            except OSError:
                info = None
            if self._record and p is not None:
                # A chmod changes the ctime: the stamp covers the mode.
                self._stamps["mode", path] = stamp(info) if info is not None else None
            self._modes[path] = stat.S_IMODE(info.st_mode) if info is not None else None
        return self._modes[path]

    def link(self, path: str) -> str | None:
        if path not in self._links:
            p = self._path(path)
            try:
                target = os.readlink(p) if p is not None else None
            except OSError:
                target = None  # not a symlink (or absent)
            if self._record and p is not None:
                self._stamps["symlink", path] = None  # one system call: asked again, never trusted to a stamp
            if target is not None and not target.startswith("/"):
                target = posixpath.normpath(posixpath.join(posixpath.dirname(path.strip("/")), target))
            self._links[path] = target
        return self._links[path]

    def _read(self, path: str) -> str | None:
        if self._kind(path) != "file":
            return None  # the folder's listing already says so: no system call
        p = self._path(path)
        if p is None:
            return None
        if self._record:
            self._stamps["text", path] = None  # until the file is open: an unreadable file has no stamp
        try:
            # Without blocking: a FIFO named like a manifest would wait for a writer forever.
            with open(os.open(p, os.O_RDONLY | os.O_NONBLOCK), "rb") as f:
                info = os.fstat(f.fileno())
                if self._record:
                    self._stamps["text", path] = stamp(info)
                if not stat.S_ISREG(info.st_mode) or info.st_size > _MAX_READ:
                    return None
                return f.read().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def listdir(self, path: str = "") -> tuple[str, ...]:
        if path not in self._listings:
            self._listings[path] = self._list(path)
        return self._listings[path]

    def _list(self, path: str) -> tuple[str, ...]:
        p = self._path(path)
        if p is None:
            return ()
        if self._record:
            try:
                self._stamps["list", path] = stamp(os.stat(p))  # before the listing: a change after it shows
            except OSError:
                self._stamps["list", path] = None
        try:
            with os.scandir(p) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            return ()  # absent, not a folder, or unreadable
        if self._record and any(e.is_symlink() for e in entries):
            # Whether a symlink names a folder is its target's business: the folder's stamp does not show it.
            self._stamps["list", path] = None
        return tuple(e.name + "/" if _is_dir(e) else e.name for e in entries)

    @cached_property
    def _ignore(self) -> DockerIgnore:
        return DockerIgnore.parse(self.read_text(".dockerignore") or "")

    def ignored(self, path: str) -> bool:
        return self._ignore.ignored(path)


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()  # through a symlink: what it points to
    except OSError:
        return False  # a symlink through a file (ENOTDIR), a loop: not a folder one can list


Stamp = tuple[int, int, int, int]  # a file's st_mtime_ns, st_ctime_ns, st_size and st_ino

# A file changed this recently may change again within the same clock tick and keep its stamp (git's "racy"
# index entries): its stamp is not trusted, and a later run compares its content instead.
_RACY_NS = 2_000_000_000


def stamp(info: os.stat_result) -> Stamp | None:
    """What identifies a file's content cheaply: when a later stat gives the same four numbers, the content is the
    same (None: too recently changed to tell)."""
    if max(info.st_mtime_ns, info.st_ctime_ns) >= time.time_ns() - _RACY_NS:
        return None
    return (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino)


class DiskRead(NamedTuple):
    """One answer a :class:`DirectoryContext` took from the disk: a folder's listing (``list``), a file's text
    (``text``) or whether a path exists (``kind``), with the path's stamp just before (None: ask again)."""

    kind: str
    path: str
    answer: object
    stamp: Stamp | None


@dataclass(frozen=True)
class MemoryContext:
    """A build context held in memory (tests, and files listed in ``context-files.txt``)."""

    files: Mapping[str, str] = field(default_factory=dict)  # path -> text; folders are implied

    def exists(self, path: str) -> bool:
        path = path.strip("/")
        return path in self.files or self.is_dir(path)

    def is_dir(self, path: str) -> bool:
        prefix = path.strip("/") + "/"
        return prefix == "/" or any(f.startswith(prefix) for f in self.files)

    def read_text(self, path: str) -> str | None:
        return self.files.get(path.strip("/"))

    def listdir(self, path: str = "") -> tuple[str, ...]:
        prefix = path.strip("/") + "/" if path.strip("/") else ""
        names = set()
        for f in self.files:
            if f.startswith(prefix):
                head, sep, _ = f[len(prefix) :].partition("/")
                names.add(head + sep)
        return tuple(sorted(names))

    def ignored(self, path: str) -> bool:
        return DockerIgnore.parse(self.files.get(".dockerignore", "")).ignored(path)  # parsed once per text

    def mode(self, path: str) -> int | None:
        return None  # not known: files listed by name carry no mode

    def link(self, path: str) -> str | None:
        return None  # files listed by name are files


@dataclass(frozen=True)
class OverlayContext:
    """A build context with some files replaced or added (what fixes wrote earlier in a run)."""

    base: BuildContext
    files: Mapping[str, str]
    _listings: dict[str, tuple[str, ...]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def exists(self, path: str) -> bool:
        return path.strip("/") in self.files or self.base.exists(path)

    def is_dir(self, path: str) -> bool:
        return self.base.is_dir(path) or MemoryContext(self.files).is_dir(path)

    def read_text(self, path: str) -> str | None:
        found = self.files.get(path.strip("/"))
        return found if found is not None else self.base.read_text(path)

    def listdir(self, path: str = "") -> tuple[str, ...]:
        found = self._listings.get(path)
        if found is None:
            found = tuple(sorted(set(self.base.listdir(path)) | set(MemoryContext(self.files).listdir(path))))
            self._listings[path] = found
        return found

    def ignored(self, path: str) -> bool:
        text = self.read_text(".dockerignore")
        return DockerIgnore.parse(text or "").ignored(path)

    def mode(self, path: str) -> int | None:
        return None if path.strip("/") in self.files else self.base.mode(path)

    def link(self, path: str) -> str | None:
        return None if path.strip("/") in self.files else self.base.link(path)


Read = tuple[str, str, object]  # (method, path, answer)


class RecordingContext:
    """A build context that remembers every question asked of it and the answer given.

    A transform is a pure function of the tree and what it reads here, so if every recorded question gets the
    same answer from another context, the transform's result on the same tree is the same there too: the
    engine uses that to skip re-checking a tree that only gained build-context files (``.dockerignore``).
    """

    def __init__(self, base: BuildContext) -> None:
        self.base = base
        self.reads: list[Read] = []

    def exists(self, path: str) -> bool:
        answer = self.base.exists(path)
        self.reads.append(("exists", path, answer))
        return answer

    def is_dir(self, path: str) -> bool:
        answer = self.base.is_dir(path)
        self.reads.append(("is_dir", path, answer))
        return answer

    def read_text(self, path: str) -> str | None:
        answer = self.base.read_text(path)
        self.reads.append(("read_text", path, answer))
        return answer

    def listdir(self, path: str = "") -> tuple[str, ...]:
        answer = self.base.listdir(path)
        self.reads.append(("listdir", path, answer))
        return answer

    def ignored(self, path: str) -> bool:
        answer = self.base.ignored(path)
        self.reads.append(("ignored", path, answer))
        return answer

    def mode(self, path: str) -> int | None:
        answer = self.base.mode(path)
        self.reads.append(("mode", path, answer))
        return answer

    def link(self, path: str) -> str | None:
        answer = self.base.link(path)
        self.reads.append(("link", path, answer))
        return answer


def same_answers(build: BuildContext, reads: list[Read]) -> bool:
    """Whether ``build`` answers every recorded question as it was answered then."""
    return all(getattr(build, method)(path) == answer for method, path, answer in reads)


# ---------------------------------------------------------------------------------------------------------
# .dockerignore (moby/patternmatcher): Go filepath.Match patterns with ``**``; ``!`` re-includes; the last
# matching pattern wins; a pattern that matches a folder excludes what is inside it.
#
# Builders differ once `!` patterns re-include something inside an excluded folder. Both walk the context and
# skip an excluded folder unless a `!` pattern seems to reach inside it, but they decide that differently:
# - BuildKit (fsutil) and Docker's classic builder: a `!` pattern that starts with the folder's path and a `/`
#   (`!docs/keep.md` reaches into `docs`; `!*/keep.md` reaches nowhere); a path is excluded when the last
#   pattern matching it or a folder above it says so (``MatchesOrParentMatches``).
# - buildah (its copier): a `!` pattern that starts with the folder's path, `/` or not (`!src*/x` reaches into
#   `src`); matching as above. (Checked against buildah 1.28 in tests/e2e/test_dockerignore_oracle.py.)
# dockmod counts a path as ignored when any of them leaves it out (BuildKit's rules cover buildah's): a file it
# relies on must reach every builder, and an entry it adds must not take a copied file away from any.


@dataclass(frozen=True)
class DockerIgnore:
    rules: tuple[tuple[re.Pattern[str], bool], ...]  # (pattern, is_exclusion)
    exceptions: tuple[str, ...] = ()  # the `!` patterns as written (cleaned)

    @classmethod
    def parse(cls, text: str) -> DockerIgnore:
        return _parse_dockerignore(text)

    @classmethod
    def _parse(cls, text: str) -> DockerIgnore:
        rules = []
        exceptions = []
        for raw in text.splitlines():
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            exclusion = line.startswith("!")
            if exclusion:
                line = line[1:].strip()
            pattern = os.path.normpath(line).replace(os.sep, "/").lstrip("/")
            if pattern in ("", "."):
                continue
            rules.append((_compile(pattern), exclusion))
            if exclusion:
                exceptions.append(pattern)
        return cls(tuple(rules), tuple(exceptions))

    def ignored(self, path: str) -> bool:
        """Whether some builder leaves ``path`` out of the build context: BuildKit's walk, which leaves out
        everything buildah's does (a `!` pattern that reaches into a folder for BuildKit does for buildah)."""
        return self._left_out(path.strip("/"), _buildkit_reaches)

    def ignored_by_buildah(self, path: str) -> bool:
        """Whether buildah (and Podman) leaves ``path`` out."""
        return self._left_out(path.strip("/"), _buildah_reaches)

    def _left_out(self, path: str, reaches: Callable[[str, str], bool]) -> bool:
        """A builder's walk: an excluded folder is skipped unless a `!` pattern reaches into it."""
        if self.exceptions:
            # (Without `!` patterns a path under an excluded folder matches through that folder anyway.)
            parts = path.split("/")
            for k in range(1, len(parts)):
                folder = "/".join(parts[:k])
                if self._matches(folder) and not any(reaches(e, folder) for e in self.exceptions):
                    return True
        return self._matches(path)

    def _matches(self, path: str) -> bool:
        """moby's ``MatchesOrParentMatches``: the last pattern that matches ``path`` or a folder above it."""
        parents = _parents(path)
        result = False
        for pattern, exclusion in self.rules:
            if any(pattern.fullmatch(p) for p in parents):
                result = not exclusion
        return result


def _buildkit_reaches(exception: str, folder: str) -> bool:
    return (exception + "/").startswith(folder + "/")


def _buildah_reaches(exception: str, folder: str) -> bool:
    return (exception.strip("/") + "/").startswith(folder)


@functools.lru_cache(maxsize=256)
def _parse_dockerignore(text: str) -> DockerIgnore:
    return DockerIgnore._parse(text)


def _parents(path: str) -> list[str]:
    parts = path.split("/")
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def _compile(pattern: str) -> re.Pattern[str]:
    out = []
    i = 0
    n = len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "*":
            if pattern.startswith("**", i):
                # moby: ``**`` (with a ``/`` after it eaten) matches zero or more whole folders, and anything
                # at the end of the pattern: ``**b`` is ``b`` in any folder, not every name ending in b.
                i += 2
                if pattern.startswith("/", i):
                    i += 1
                out.append(".*" if i >= n else "(?:.*/)?")
                continue
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "[":
            end = pattern.find("]", i + 1)
            if end < 0:
                out.append(re.escape(ch))
            else:
                # moby hands a class to Go's regexp as written: ``[^a]`` negates, ``[!a]`` is ``!`` or ``a``.
                # (A class Python cannot read either stays literal text, which matches nothing real.)
                cls = pattern[i : end + 1]
                try:
                    re.compile(cls)
                except re.error:
                    cls = re.escape(cls)
                out.append(cls)
                i = end
        elif ch == "\\" and i + 1 < n:
            i += 1
            out.append(re.escape(pattern[i]))
        else:
            out.append(re.escape(ch))
        i += 1
    return re.compile("".join(out))


@dataclass(frozen=True)
class Context:
    """Everything a transform may consult besides the tree."""

    build: BuildContext = field(default_factory=MemoryContext)
    path: str = "Dockerfile"  # the Dockerfile's path, for messages
    resolver: ImageResolver | None = None  # image digests (pin-images); None: no registry lookups

    def with_build(self, build: BuildContext) -> Context:
        # The engine calls this per transform and pass: a direct call, not dataclasses.replace.
        return Context(build, self.path, self.resolver)

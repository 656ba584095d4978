"""Find Dockerfiles below the paths a user names, deterministically, honouring ``.gitignore``."""

from __future__ import annotations

import operator
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias

import pathspec

_SKIP_DIRS = frozenset({".git", ".hg", ".svn"})


def is_dockerfile_name(name: str) -> bool:
    """``Dockerfile``, ``Dockerfile.*``, ``*.Dockerfile``, ``*.dockerfile``, ``Containerfile*`` (any case)."""
    low = name.lower()
    return low == "dockerfile" or low.startswith(("dockerfile.", "containerfile")) or low.endswith(".dockerfile")


@dataclass(frozen=True, slots=True)
class Found:
    """A Dockerfile to process; ``root`` is the tree it was found in (writes never leave it)."""

    path: Path
    root: Path


def discover(
    paths: Sequence[Path],
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    gitignore: bool = True,
) -> Iterator[Found]:
    """Yield the Dockerfiles named by ``paths``: files as given, folders searched recursively.

    Folders are walked in sorted order without following symlinked folders; ``.gitignore`` files (and
    ``.git/info/exclude``) are honoured, a symlinked file is skipped when it points outside its tree.
    ``include``/``exclude`` are .gitignore-style patterns matched against the path relative to the named folder.
    """
    seen: set[Path] = set()
    wanted = pathspec.GitIgnoreSpec.from_lines(include) if include else None
    unwanted = pathspec.GitIgnoreSpec.from_lines(exclude) if exclude else None
    for given in paths:
        if given.is_dir():
            root = given.resolve()
            for name, rel in _walk(given, root, gitignore):
                if wanted is not None and not wanted.match_file(rel):
                    continue
                if unwanted is not None and unwanted.match_file(rel):
                    continue
                path = Path(name)
                if path not in seen:
                    seen.add(path)
                    yield Found(path, root)
        elif given not in seen:
            seen.add(given)
            yield Found(given, Path.cwd().resolve())


# An ignore file's patterns as the walk uses them: the folder being walked, relative to the ignore file's own
# folder ("" or "a/b/"), and the compiled patterns. The walk works on strings, not Path objects: a monorepo
# has tens of thousands of folders, and pathlib's parsing was most of the walk's time.
_Ignore: TypeAlias = "tuple[str, pathspec.PathSpec[pathspec.Pattern]]"


def _walk(top: Path, root: Path, gitignore: bool) -> Iterator[tuple[str, str]]:
    """(path as the user spelled ``top``, path relative to ``top``) of each Dockerfile below ``top``."""
    ignores: list[_Ignore] = []
    if gitignore:
        exclude = _git_dir(root)
        if exclude is not None:
            info = exclude / "info" / "exclude"
            if info.is_file():
                # ``root`` (``top`` resolved) and the repository are both absolute: relate them once here,
                # so that a relative ``top`` never meets an absolute folder below.
                spec = _spec(info)
                if len(spec):
                    ignores.append((_prefix(root.relative_to(exclude.parent)), spec))
    yield from _walk_dir(os.fspath(top), "", root, ignores, gitignore)


def _walk_dir(folder: str, rel: str, root: Path, ignores: list[_Ignore], gitignore: bool) -> Iterator[tuple[str, str]]:
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=_NAME)
    except OSError:
        return
    if gitignore and any(e.name == ".gitignore" and e.is_file() for e in entries):
        spec = _spec(Path(folder, ".gitignore"))
        if len(spec):  # an empty ignore file ignores nothing
            ignores = [*ignores, ("", spec)]
    for entry in entries:
        name = entry.name
        is_dir = entry.is_dir(follow_symlinks=False)
        if is_dir and name in _SKIP_DIRS:
            continue
        if ignores:
            tail = name + "/" if is_dir else name
            if any(spec.match_file(prefix + tail) for prefix, spec in ignores):
                continue
        if is_dir:
            below = [(prefix + name + "/", spec) for prefix, spec in ignores]
            yield from _walk_dir(os.path.join(folder, name), rel + name + "/", root, below, gitignore)
        elif is_dockerfile_name(name) and entry.is_file():
            path = os.path.join(folder, name)
            if entry.is_symlink() and not _inside(Path(path).resolve(), root):
                continue
            yield path, rel + name


_NAME = operator.attrgetter("name")


def _prefix(relative: Path) -> str:
    rel = relative.as_posix()
    return "" if rel == "." else rel + "/"


def _spec(path: Path) -> pathspec.PathSpec[pathspec.Pattern]:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        lines = []
    return pathspec.GitIgnoreSpec.from_lines(lines)


def _git_dir(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        if (folder / ".git").is_dir():
            return folder / ".git"
    return None


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents

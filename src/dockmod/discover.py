"""Find Dockerfiles below the paths a user names, deterministically, honouring ``.gitignore``."""

from __future__ import annotations

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
    unwanted = pathspec.GitIgnoreSpec.from_lines(exclude)
    for given in paths:
        if given.is_dir():
            root = given.resolve()
            for path in _walk(given, root, gitignore):
                rel = path.relative_to(given).as_posix()
                if wanted is not None and not wanted.match_file(rel):
                    continue
                if unwanted.match_file(rel):
                    continue
                if path not in seen:
                    seen.add(path)
                    yield Found(path, root)
        elif given not in seen:
            seen.add(given)
            yield Found(given, Path.cwd().resolve())


# An ignore file's patterns as the walk uses them: a folder of the walk (spelled as the walk spells it: the
# user's path may be relative), that folder's path relative to the ignore file's own folder ("" or "a/b/"),
# and the compiled patterns.
_Ignore: TypeAlias = "tuple[Path, str, pathspec.PathSpec[pathspec.Pattern]]"


def _walk(top: Path, root: Path, gitignore: bool) -> Iterator[Path]:
    ignores: list[_Ignore] = []
    if gitignore:
        exclude = _git_dir(root)
        if exclude is not None:
            info = exclude / "info" / "exclude"
            if info.is_file():
                # ``root`` (``top`` resolved) and the repository are both absolute: relate them once here,
                # so that a relative ``top`` never meets an absolute folder below.
                ignores.append((top, _prefix(root.relative_to(exclude.parent)), _spec(info)))
    yield from _walk_dir(top, root, ignores, gitignore)


def _walk_dir(folder: Path, root: Path, ignores: list[_Ignore], gitignore: bool) -> Iterator[Path]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    if gitignore and any(e.name == ".gitignore" and e.is_file() for e in entries):
        ignores = [*ignores, (folder, "", _spec(folder / ".gitignore"))]
    # Paths relative to each ignore file's folder, built as strings: a monorepo has many folders.
    prefixes = [start + _prefix(folder.relative_to(base)) for base, start, _ in ignores]
    for entry in entries:
        name = entry.name
        is_dir = entry.is_dir(follow_symlinks=False)
        if is_dir and name in _SKIP_DIRS:
            continue
        if ignores and any(
            spec.match_file(prefix + name + ("/" if is_dir else ""))
            for prefix, (_, _, spec) in zip(prefixes, ignores, strict=True)
        ):
            continue
        if is_dir:
            yield from _walk_dir(folder / name, root, ignores, gitignore)
        elif is_dockerfile_name(name) and entry.is_file():
            path = folder / name
            if entry.is_symlink() and not _inside(path.resolve(), root):
                continue
            yield path


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

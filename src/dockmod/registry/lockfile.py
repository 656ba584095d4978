"""``dockmod.lock``: the digests a run resolved, so later runs (and ``--offline``) reproduce them.

Format (JSON, sorted keys, two-space indent, final newline, so diffs stay small and stable)::

    {
      "images": {
        "docker.io/library/node:18-slim": {"concrete_tag": "18.20.4-slim", "digest": "sha256:..."}
      },
      "version": 1
    }

Keys are normalised references without digest (``docker.io/library/node:18-slim``), so ``node:18-slim`` and
``docker.io/library/node:18-slim`` share an entry. ``concrete_tag`` is recorded when ``concretize`` found a
more specific tag with the same digest. The file holds no credentials, tokens, hosts' answers or timestamps.
"""

from __future__ import annotations

import json
import re
import threading
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from dockmod import files
from dockmod.imageref import ImageRef

__all__ = [
    "LOCK_FILE_NAME",
    "LOCK_VERSION",
    "LockEntry",
    "LockFile",
    "LockFileError",
    "find_lock_path",
    "reference_key",
]

LOCK_FILE_NAME = "dockmod.lock"
LOCK_VERSION = 1
_DIGEST_RE = re.compile(r"sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128}")
_TAG_RE = re.compile(r"[\w][\w.-]{0,127}", re.ASCII)


def reference_key(ref: ImageRef) -> str:
    """The key a tag resolution is stored under: ``docker.io/library/node:latest`` for ``node``.

    A reference's own digest is not part of the key: the key names what is being resolved (the tag). A
    digest-only reference (``node@sha256:...``) has no tag to resolve and no key.
    """
    if ref.tag is None and ref.digest is not None:
        raise ValueError(f"{ref.original} names a digest, not a tag: there is nothing to resolve")
    return f"{ref.repository}:{ref.tag or 'latest'}"


class LockFileError(Exception):
    """``dockmod.lock`` cannot be read or is malformed; the message names the file and the fix."""


@dataclass(frozen=True, slots=True)
class LockEntry:
    digest: str
    concrete_tag: str | None = None

    def to_json(self) -> dict[str, str]:
        out = {"digest": self.digest}
        if self.concrete_tag is not None:
            out["concrete_tag"] = self.concrete_tag
        return out


class LockFile:
    """The lock file's entries in memory; :meth:`save` writes them back atomically when they changed."""

    def __init__(self, path: Path, entries: Mapping[str, LockEntry] | None = None) -> None:
        self.path = path
        self._entries: dict[str, LockEntry] = dict(entries or {})
        self._loaded: dict[str, LockEntry] = dict(self._entries)
        self._lock = threading.Lock()

    @classmethod
    def load(cls, path: Path) -> LockFile:
        """Read ``path``; a missing file is an empty lock."""
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls(path)
        except OSError as exc:
            raise LockFileError(f"cannot read {path}: {exc.strerror}") from None
        fix = "fix it, or delete it and run `dockmod refactor --apply` to write a new one"
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise LockFileError(f"{path} is not valid JSON ({exc}); {fix}") from None
        if not isinstance(data, dict) or data.get("version") != LOCK_VERSION:
            raise LockFileError(f"{path} is not a version {LOCK_VERSION} dockmod lock file; {fix}")
        images = data.get("images", {})
        if not isinstance(images, dict):
            raise LockFileError(f"{path}: 'images' must be an object; {fix}")
        entries: dict[str, LockEntry] = {}
        for key, value in images.items():
            digest = value.get("digest") if isinstance(value, dict) else None
            if not isinstance(digest, str) or _DIGEST_RE.fullmatch(digest) is None:
                raise LockFileError(f"{path}: entry {key!r} has no valid digest; {fix}")
            concrete = value.get("concrete_tag")
            if concrete is not None and (not isinstance(concrete, str) or _TAG_RE.fullmatch(concrete) is None):
                raise LockFileError(f"{path}: entry {key!r} has an invalid concrete_tag; {fix}")
            entries[key] = LockEntry(digest, concrete)
        return cls(path, entries)

    def get(self, key: str) -> LockEntry | None:
        with self._lock:
            return self._entries.get(key)

    def set(self, key: str, entry: LockEntry) -> None:
        with self._lock:
            self._entries[key] = entry

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._entries

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def __iter__(self) -> Iterator[str]:
        with self._lock:
            return iter(sorted(self._entries))

    @property
    def changed(self) -> bool:
        with self._lock:
            return self._entries != self._loaded

    def render(self) -> str:
        with self._lock:
            images = {key: entry.to_json() for key, entry in self._entries.items()}
        return json.dumps({"images": images, "version": LOCK_VERSION}, indent=2, sort_keys=True) + "\n"

    def save(self) -> bool:
        """Write the file if its entries changed (or it does not exist yet); returns whether it wrote."""
        if not self.changed and self.path.exists():
            return False
        text = self.render()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        files.replace_file(self.path, text.encode("utf-8"), mode=0o644)
        with self._lock:
            self._loaded = dict(self._entries)
        return True


def _has_dockmod_table(pyproject: Path) -> bool:
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return False
    tool = data.get("tool")
    return isinstance(tool, dict) and "dockmod" in tool


def find_lock_path(start: Path) -> Path:
    """Where ``dockmod.lock`` lives: beside the nearest ``dockmod.toml``, or ``pyproject.toml`` with a
    ``[tool.dockmod]`` table, looking from ``start`` upwards; else in ``start``."""
    start = start.resolve()
    for directory in (start, *start.parents):
        if (directory / "dockmod.toml").is_file():
            return directory / LOCK_FILE_NAME
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and _has_dockmod_table(pyproject):
            return directory / LOCK_FILE_NAME
    return start / LOCK_FILE_NAME

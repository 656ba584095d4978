"""A disk cache of registry answers (tag → digest, repository → tags) with a time to live.

Lives under ``$XDG_CACHE_HOME/dockmod/`` (``~/.cache/dockmod/`` when unset), one JSON file per entry, written
atomically (temporary file + ``os.replace``) so concurrent dockmod processes never read half a file. It holds
only public facts about images: no credentials, no tokens. A corrupt or unreadable entry is a miss, and a
failed write is ignored: the cache only ever saves requests.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from dockmod import files

__all__ = ["DEFAULT_TTL", "CachedDigest", "DiskCache", "default_cache_dir"]

DEFAULT_TTL = 3600.0  # seconds: tags move, but a batch re-run within the hour should not ask again
_FORMAT = "registry-v1"
_DIGEST_RE = re.compile(r"sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128}")
# Entries stamped further in the future than this are from a skewed clock: treat them as expired.
_CLOCK_SKEW = 60.0

_Kind = Literal["digest", "tags"]


def default_cache_dir(env: Mapping[str, str] | None = None) -> Path:
    """``$XDG_CACHE_HOME/dockmod`` (XDG Base Directory spec), else ``~/.cache/dockmod``."""
    env = os.environ if env is None else env
    base = env.get("XDG_CACHE_HOME")
    # The spec says relative values are invalid and must be ignored.
    if base and Path(base).is_absolute():
        return Path(base) / "dockmod"
    home = env.get("HOME")
    return (Path(home) if home else Path.home()) / ".cache" / "dockmod"


@dataclass(frozen=True, slots=True)
class CachedDigest:
    digest: str
    media_type: str | None
    stored_at: float


class DiskCache:
    """Digests keyed by normalised reference, tag lists keyed by repository; entries expire after ``ttl``."""

    def __init__(
        self, root: Path | None = None, *, ttl: float = DEFAULT_TTL, clock: Callable[[], float] = time.time
    ) -> None:
        self.root = (root if root is not None else default_cache_dir()) / _FORMAT
        self.ttl = ttl
        self._clock = clock

    def get_digest(self, key: str) -> CachedDigest | None:
        entry = self._read("digest", key)
        if entry is None:
            return None
        value, stored_at = entry
        digest, media_type = value.get("digest"), value.get("media_type")
        if not isinstance(digest, str) or _DIGEST_RE.fullmatch(digest) is None:
            return None
        return CachedDigest(digest, media_type if isinstance(media_type, str) else None, stored_at)

    def put_digest(self, key: str, digest: str, media_type: str | None) -> None:
        self._write("digest", key, {"digest": digest, "media_type": media_type})

    def get_tags(self, repository: str) -> list[str] | None:
        entry = self._read("tags", repository)
        if entry is None:
            return None
        tags = entry[0].get("tags")
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            return None
        return list(tags)

    def put_tags(self, repository: str, tags: list[str]) -> None:
        self._write("tags", repository, {"tags": tags})

    def _path(self, kind: _Kind, key: str) -> Path:
        name = hashlib.sha256(f"{kind}\0{key}".encode()).hexdigest()[:40]
        return self.root / kind / f"{name}.json"

    def _read(self, kind: _Kind, key: str) -> tuple[dict[str, Any], float] | None:
        if self.ttl <= 0:
            return None
        try:
            data = json.loads(self._path(kind, key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("key") != key:
            return None  # corrupt, or a (vanishingly unlikely) hash collision
        stored_at, value = data.get("stored_at"), data.get("value")
        if not isinstance(stored_at, int | float) or not isinstance(value, dict):
            return None
        age = self._clock() - stored_at
        if age > self.ttl or age < -_CLOCK_SKEW:
            return None
        return value, float(stored_at)

    def _write(self, kind: _Kind, key: str, value: dict[str, Any]) -> None:
        path = self._path(kind, key)
        payload = json.dumps({"key": key, "stored_at": self._clock(), "value": value}, sort_keys=True)
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            files.replace_file(path, payload.encode("utf-8"))

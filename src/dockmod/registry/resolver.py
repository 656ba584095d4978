"""Resolve image references to digests, economically: file → lock file → disk cache → network.

Batch rules (the pin-images issue): references are normalised and deduplicated before any request, each
distinct tag is resolved once (single-flight: concurrent callers of the same key share one lookup), lookups
run concurrently with a limit per registry, and the answers are remembered for the rest of the run. A
reference that already carries a digest is resolved from the file itself.

Modes: ``offline`` never touches the network (a miss is an ``offline`` error, which callers report without
failing the run); ``refresh`` asks the registry even when the lock file or the cache knows an answer (and
records the fresh answer in both).

Concretisation (REFERENCE §5, after Renovate's docker versioning): a floating tag such as ``18-slim`` splits
at its first ``-`` into a version (``18``) and a suffix (``slim``). Candidates are the tags with the same
suffix whose numeric version extends the floating one (``18.20.4-slim``, ``18.20-slim``; for ``latest`` or no
tag, any numeric version without suffix). They are compared newest first, most specific first, by digest;
a candidate is accepted only when its digest equals the floating tag's, so a concretised pin names exactly the
image the floating tag names today.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from dockmod.imageref import ImageRef, InvalidReference
from dockmod.registry.cache import DEFAULT_TTL, DiskCache
from dockmod.registry.client import RegistryClient, RegistryError
from dockmod.registry.credentials import CredentialStore
from dockmod.registry.lockfile import LockEntry, LockFile, reference_key
from dockmod.registry.types import (
    Concretization,
    ErrorKind,
    Resolution,
    ResolutionSource,
    ResolveError,
)

__all__ = ["Resolver", "concrete_candidates", "split_tag"]

DEFAULT_PER_REGISTRY_LIMIT = 4
DEFAULT_MAX_WORKERS = 16
DEFAULT_MAX_CANDIDATES = 12

_VERSION_RE = re.compile(r"(v?)(\d+(?:\.\d+)*)", re.ASCII)


def split_tag(tag: str) -> tuple[str, str]:
    """``18.20.4-slim-bookworm`` → (``18.20.4``, ``slim-bookworm``): split at the first ``-``."""
    version, _, suffix = tag.partition("-")
    return version, suffix


def concrete_candidates(floating: str, tags: Iterable[str]) -> list[str]:
    """Tags that could be the concrete version of ``floating``, to be compared newest and most specific first.

    A candidate has the same suffix and a numeric version that strictly extends the floating version
    (``18`` → ``18.20``, ``18.20.4``; ``latest`` → any numeric version without suffix). A ``v`` prefix must
    match. Ordering is by version numbers, descending, so ``18.20.4`` precedes ``18.20.3`` and ``18.20``.
    """
    if floating == "latest":
        prefix: tuple[int, ...] = ()
        want_suffix, want_v = "", None
    else:
        version, want_suffix = split_tag(floating)
        match = _VERSION_RE.fullmatch(version)
        if match is None:
            return []
        prefix = tuple(int(part) for part in match[2].split("."))
        want_v = match[1]
    found: list[tuple[tuple[int, ...], str]] = []
    for tag in tags:
        version, suffix = split_tag(tag)
        if suffix != want_suffix or tag == floating:
            continue
        match = _VERSION_RE.fullmatch(version)
        if match is None or (want_v is not None and match[1] != want_v):
            continue
        numbers = tuple(int(part) for part in match[2].split("."))
        if len(numbers) > len(prefix) and numbers[: len(prefix)] == prefix:
            found.append((numbers, tag))
    found.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [tag for _, tag in found]


@dataclass(frozen=True, slots=True)
class _Outcome:
    digest: str | None
    source: ResolutionSource | None
    media_type: str | None
    error: ResolveError | None


class Resolver:
    """The resolver the CLI hands to transforms (it satisfies :class:`~dockmod.registry.types.ImageResolver`).

    ``client`` may be ``None`` for a resolver that only reads the lock file and the cache. ``lock`` collects
    every resolution made through :meth:`resolve`, :meth:`resolve_many` and :meth:`concretize`; the caller
    decides whether to :meth:`save_lock` (the CLI does with ``--apply``).
    """

    def __init__(
        self,
        client: RegistryClient | None,
        *,
        lock: LockFile | None = None,
        cache: DiskCache | None = None,
        offline: bool = False,
        refresh: bool = False,
        per_registry_limit: int = DEFAULT_PER_REGISTRY_LIMIT,
        max_workers: int = DEFAULT_MAX_WORKERS,
        max_candidates: int = DEFAULT_MAX_CANDIDATES,
        owns_client: bool = False,
    ) -> None:
        self.client = client
        self.lock = lock
        self.cache = cache
        self.offline = offline or client is None
        self.refresh = refresh
        self.per_registry_limit = per_registry_limit
        self.max_workers = max_workers
        self.max_candidates = max_candidates
        self._owns_client = owns_client
        self._guard = threading.Lock()
        self._memo: dict[str, _Outcome] = {}
        self._inflight: dict[str, Future[_Outcome]] = {}
        self._tags_memo: dict[str, list[str] | ResolveError] = {}
        self._limits: dict[str, threading.Semaphore] = {}

    @classmethod
    def from_environment(
        cls,
        *,
        lock_path: Path | None,
        offline: bool = False,
        refresh: bool = False,
        cache_dir: Path | None = None,
        cache_ttl: float = DEFAULT_TTL,
        insecure_hosts: Iterable[str] = (),
        docker_config: Path | None = None,
        timeout: float = 30.0,
    ) -> Resolver:
        """A resolver for the CLI: Docker's credentials, the user's cache, ``lock_path`` (if any)."""
        lock = LockFile.load(lock_path) if lock_path is not None else None
        client = None
        if not offline:
            store = CredentialStore(docker_config)
            client = RegistryClient(credentials=store.get, insecure_hosts=insecure_hosts, timeout=timeout)
        return cls(
            client,
            lock=lock,
            cache=DiskCache(cache_dir, ttl=cache_ttl),
            offline=offline,
            refresh=refresh,
            owns_client=True,
        )

    def close(self) -> None:
        if self._owns_client and self.client is not None:
            self.client.close()

    def __enter__(self) -> Resolver:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def save_lock(self) -> bool:
        """Write the lock file if it changed; returns whether it wrote."""
        return self.lock.save() if self.lock is not None else False

    # -- the ImageResolver protocol -------

    def resolve(self, ref: ImageRef) -> Resolution:
        return self._resolve(ref, record=True)

    def resolve_many(self, refs: Iterable[ImageRef]) -> Mapping[ImageRef, Resolution]:
        unique: dict[ImageRef, None] = dict.fromkeys(refs)  # ImageRef equality is normalised
        pending = [ref for ref in unique if ref.digest is None]
        results: dict[ImageRef, Resolution] = {
            ref: self._resolve(ref, record=True) for ref in unique if ref.digest is not None
        }
        if len(pending) <= 1:
            results.update((ref, self._resolve(ref, record=True)) for ref in pending)
        else:
            with ThreadPoolExecutor(max_workers=min(self.max_workers, len(pending))) as pool:
                resolved = pool.map(lambda r: self._resolve(r, record=True), pending)
                results.update(zip(pending, resolved, strict=True))
        return {ref: results[ref] for ref in unique}

    def concretize(self, ref: ImageRef) -> Concretization:
        if ref.tag is None and ref.digest is not None:
            return Concretization(ref, ref.digest, note="a digest-only reference has no tag to concretize")
        base = self._resolve(ref, record=True)
        if base.error is not None or base.digest is None:
            return Concretization(ref, error=base.error)
        digest = base.digest
        floating = ref.tag or "latest"
        # A digest taken from the file is the user's claim, not the registry's answer: do not lock it.
        key = reference_key(ref) if base.source != "file" else None
        if key is not None and self.lock is not None and not self.refresh:
            entry = self.lock.get(key)
            if entry is not None and entry.digest == digest and entry.concrete_tag is not None:
                return Concretization(ref, digest, entry.concrete_tag, checked=(entry.concrete_tag,))
        tags = self._tags(ref)
        if isinstance(tags, ResolveError):
            return Concretization(
                ref, digest, note=f"kept {floating}: could not list the tags of {ref.path} ({tags.message})"
            )
        candidates = concrete_candidates(floating, tags)
        if not candidates:
            return Concretization(ref, digest, note=f"kept {floating}: no version tag with the same suffix extends it")
        checked: list[str] = []
        for tag in candidates[: self.max_candidates]:
            try:
                candidate = ref.with_digest(None).with_tag(tag)
            except InvalidReference:
                continue
            checked.append(tag)
            if self._resolve(candidate, record=False).digest == digest:
                if key is not None and self.lock is not None:
                    self.lock.set(key, LockEntry(digest, tag))
                return Concretization(ref, digest, tag, checked=tuple(checked))
        return Concretization(
            ref,
            digest,
            note=(
                f"kept {floating}: none of {', '.join(checked)} currently has digest {digest} "
                "(the floating tag points at an image no version tag names)"
            ),
            checked=tuple(checked),
        )

    # -- lookups -------

    def _resolve(self, ref: ImageRef, *, record: bool) -> Resolution:
        if ref.digest is not None:
            return Resolution(ref, digest=ref.digest, source="file")
        key = reference_key(ref)
        outcome = self._single_flight(key, lambda: self._lookup(ref, key))
        if outcome.error is not None:
            return Resolution(ref, error=outcome.error)
        assert outcome.digest is not None
        if record and self.lock is not None:
            current = self.lock.get(key)
            if current is None or current.digest != outcome.digest:
                self.lock.set(key, LockEntry(outcome.digest))
        return Resolution(ref, digest=outcome.digest, source=outcome.source, media_type=outcome.media_type)

    def _single_flight(self, key: str, lookup: Callable[[], _Outcome]) -> _Outcome:
        with self._guard:
            known = self._memo.get(key)
            if known is not None:
                return known
            flight = self._inflight.get(key)
            owner = flight is None
            if flight is None:
                flight = Future()
                self._inflight[key] = flight
        if not owner:
            return flight.result()
        try:
            outcome = lookup()
        except BaseException as exc:
            with self._guard:
                del self._inflight[key]
            flight.set_exception(exc)
            raise
        with self._guard:
            self._memo[key] = outcome
            del self._inflight[key]
        flight.set_result(outcome)
        return outcome

    def _lookup(self, ref: ImageRef, key: str) -> _Outcome:
        if not self.refresh:
            if self.lock is not None:
                entry = self.lock.get(key)
                if entry is not None:
                    return _Outcome(entry.digest, "lock", None, None)
            if self.cache is not None:
                cached = self.cache.get_digest(key)
                if cached is not None:
                    return _Outcome(cached.digest, "cache", cached.media_type, None)
        if self.offline or self.client is None:
            return _failed(
                "offline",
                f"{ref.familiar}: not in the lock file or the cache, and offline mode forbids asking "
                f"{ref.registry_endpoint}; run without --offline to resolve it",
            )
        try:
            with self._limit(ref.registry_endpoint):
                info = self.client.head_manifest(ref)
        except RegistryError as exc:
            return _failed(exc.kind, exc.message)
        if self.cache is not None:
            self.cache.put_digest(key, info.digest, info.media_type)
        return _Outcome(info.digest, "network", info.media_type, None)

    def _tags(self, ref: ImageRef) -> list[str] | ResolveError:
        repository = ref.repository
        with self._guard:
            known = self._tags_memo.get(repository)
        if known is not None:
            return known
        result: list[str] | ResolveError
        cached = self.cache.get_tags(repository) if self.cache is not None and not self.refresh else None
        if cached is not None:
            result = cached
        elif self.offline or self.client is None:
            result = ResolveError("offline", f"the tags of {repository} are not cached and offline mode is on")
        else:
            try:
                with self._limit(ref.registry_endpoint):
                    result = self.client.list_tags(ref)
            except RegistryError as exc:
                result = ResolveError(exc.kind, exc.message)
            else:
                if self.cache is not None:
                    self.cache.put_tags(repository, result)
        with self._guard:
            self._tags_memo[repository] = result
        return result

    def _limit(self, endpoint: str) -> threading.Semaphore:
        with self._guard:
            limit = self._limits.get(endpoint)
            if limit is None:
                limit = self._limits[endpoint] = threading.Semaphore(self.per_registry_limit)
        return limit


def _failed(kind: ErrorKind, message: str) -> _Outcome:
    return _Outcome(None, None, None, ResolveError(kind, message))

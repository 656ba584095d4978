"""What transforms may know about image resolution, without importing any network code.

Transforms see a resolver only through :class:`ImageResolver` (re-exported by ``dockmod.context``); the CLI
hands them a :class:`dockmod.registry.resolver.Resolver`, tests may hand them anything with these methods.
This module imports neither httpx nor the rest of ``dockmod.registry``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal, Protocol

from dockmod.imageref import ImageRef

__all__ = [
    "Concretization",
    "ErrorKind",
    "ImageResolver",
    "Resolution",
    "ResolutionSource",
    "ResolveError",
]

# Where a digest came from, in the order they are consulted: the reference already carried one, the lock
# file knew it, the disk cache knew it, or the registry was asked.
ResolutionSource = Literal["file", "lock", "cache", "network"]

# Why a reference could not be resolved:
# - not_found: the registry has no such repository or tag (HTTP 404);
# - unauthorized: the registry refused us (401/403), or the credentials were wrong;
# - unreachable: network failure, timeout, TLS failure, persistent 5xx or rate limiting;
# - invalid: the reference or the registry's answer is malformed (bad digest header, 400, plain HTTP refused);
# - offline: not in the lock file or cache, and offline mode forbids asking the registry.
ErrorKind = Literal["not_found", "unauthorized", "unreachable", "invalid", "offline"]


@dataclass(frozen=True, slots=True)
class ResolveError:
    """A failure for one reference; ``message`` names the reference and the registry and says what to do."""

    kind: ErrorKind
    message: str


@dataclass(frozen=True, slots=True)
class Resolution:
    """The outcome of resolving one reference's tag to the digest of what the registry serves for it.

    Exactly one of ``digest`` and ``error`` is set. ``digest`` is the digest of the top-level manifest (the
    OCI index or Docker manifest list for multi-platform images), which is what a pin must record.
    """

    reference: ImageRef
    digest: str | None = None
    source: ResolutionSource | None = None
    media_type: str | None = None
    error: ResolveError | None = None

    def __post_init__(self) -> None:
        if (self.digest is None) == (self.error is None):
            raise ValueError("a Resolution has either a digest or an error")

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True, slots=True)
class Concretization:
    """The most specific tag that currently has the same digest as a floating tag.

    ``tag`` is ``None`` when no candidate's digest equals ``digest`` (keep the floating tag, and pin it with
    ``digest``); ``note`` then says why. ``error`` is set when the floating tag itself could not be resolved.
    """

    reference: ImageRef
    digest: str | None = None
    tag: str | None = None
    note: str | None = None
    error: ResolveError | None = None
    checked: tuple[str, ...] = ()  # candidate tags compared, in order

    @property
    def ok(self) -> bool:
        return self.error is None


class ImageResolver(Protocol):
    """Resolves image references to digests. Implementations must be safe to call from several threads."""

    def resolve(self, ref: ImageRef) -> Resolution:
        """The digest ``ref`` names: its own digest if it carries one, else its tag's current digest.

        To re-resolve an already pinned reference, pass ``ref.with_digest(None)``.
        """
        ...

    def resolve_many(self, refs: Iterable[ImageRef]) -> Mapping[ImageRef, Resolution]:
        """Resolve each distinct reference once (concurrently); one mapping entry per distinct reference."""
        ...

    def concretize(self, ref: ImageRef) -> Concretization:
        """Find the most specific version tag with the same suffix and the same digest as ``ref``'s tag."""
        ...

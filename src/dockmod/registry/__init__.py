"""The only code that touches the network: registry client, authentication, credentials, cache, lock file.

Transforms never import this package's network modules; they see :class:`ImageResolver` (from
``dockmod.registry.types``, re-exported by ``dockmod.context``). The heavy modules (httpx) load on first use
of their names, so importing ``dockmod.registry.types`` stays cheap and network-free.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from dockmod.registry.types import (
    Concretization,
    ErrorKind,
    ImageResolver,
    Resolution,
    ResolutionSource,
    ResolveError,
)

if TYPE_CHECKING:
    from dockmod.registry.cache import DiskCache
    from dockmod.registry.client import RegistryClient, RegistryError, RetryPolicy
    from dockmod.registry.credentials import Credentials, CredentialStore
    from dockmod.registry.lockfile import LockEntry, LockFile, LockFileError, find_lock_path
    from dockmod.registry.resolver import Resolver

__all__ = [
    "Concretization",
    "CredentialStore",
    "Credentials",
    "DiskCache",
    "ErrorKind",
    "ImageResolver",
    "LockEntry",
    "LockFile",
    "LockFileError",
    "RegistryClient",
    "RegistryError",
    "Resolution",
    "ResolutionSource",
    "ResolveError",
    "Resolver",
    "RetryPolicy",
    "find_lock_path",
]

_LAZY = {
    "DiskCache": "dockmod.registry.cache",
    "RegistryClient": "dockmod.registry.client",
    "RegistryError": "dockmod.registry.client",
    "RetryPolicy": "dockmod.registry.client",
    "CredentialStore": "dockmod.registry.credentials",
    "Credentials": "dockmod.registry.credentials",
    "LockEntry": "dockmod.registry.lockfile",
    "LockFile": "dockmod.registry.lockfile",
    "LockFileError": "dockmod.registry.lockfile",
    "find_lock_path": "dockmod.registry.lockfile",
    "Resolver": "dockmod.registry.resolver",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'dockmod.registry' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)

"""Pytest fixtures for tests that need a real registry (load with ``pytest_plugins = ["support.fixtures"]``).

Tests using these fixtures carry ``@pytest.mark.registry``; every fixture skips the test cleanly when
Debian's ``docker-registry`` is not installed.

The standard image set (:func:`push_standard_images`) is what registry and pin-images tests resolve against:

==================  ===========================================  ==========================================
repository          tags                                         content
==================  ===========================================  ==========================================
library/node        18-slim, 18.20-slim, 18.20.4-slim            OCI index (amd64, arm64/v8), seed A
library/node        18.20.3-slim                                 OCI index, seed B (older patch: other digest)
library/node        18, 18.20, 18.20.4                           OCI index, seed C
library/node        latest, 22, 22.1, 22.1.0                     OCI index, seed D
library/node        20-slim                                      OCI index, seed E (no version tag has it)
library/node        20.1.0-slim                                  OCI index, seed F
library/alpine      latest, 3.19, 3.19.1                         Docker manifest list (amd64, arm64/v8)
acme/app            1.0                                          single-platform OCI manifest
acme/legacy         2.0                                          single-platform Docker schema2 manifest
==================  ===========================================  ==========================================
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from support.oci_push import Flavour, OciPusher, PushedIndex, PushedManifest
from support.registry_server import AuthMode, RegistryServer, registry_binary

USERS: Mapping[str, str] = {"alice": "correct horse battery staple"}


@dataclass(frozen=True, slots=True)
class StandardImages:
    """Digests of the standard image set, keyed by ``repository:tag``."""

    digests: Mapping[str, str] = field(default_factory=dict)
    indexes: Mapping[str, PushedIndex] = field(default_factory=dict)
    manifests: Mapping[str, PushedManifest] = field(default_factory=dict)

    def digest(self, repo_tag: str) -> str:
        return self.digests[repo_tag]


def push_standard_images(pusher: OciPusher) -> StandardImages:
    digests: dict[str, str] = {}
    indexes: dict[str, PushedIndex] = {}
    manifests: dict[str, PushedManifest] = {}

    def index(repo: str, seed: str, tags: list[str], flavour: Flavour = "oci") -> None:
        pushed = pusher.push_multiarch(repo, seed=seed, tags=tags, flavour=flavour)
        for tag in tags:
            digests[f"{repo}:{tag}"] = pushed.digest
            indexes[f"{repo}:{tag}"] = pushed

    index("library/node", "node 18.20.4 slim", ["18-slim", "18.20-slim", "18.20.4-slim"])
    index("library/node", "node 18.20.3 slim", ["18.20.3-slim"])
    index("library/node", "node 18.20.4", ["18", "18.20", "18.20.4"])
    index("library/node", "node 22.1.0", ["latest", "22", "22.1", "22.1.0"])
    # A floating tag that moved to an image no version tag names (yet): concretize must refuse it.
    index("library/node", "node 20 nightly slim", ["20-slim"])
    index("library/node", "node 20.1.0 slim", ["20.1.0-slim"])
    index("library/alpine", "alpine 3.19.1", ["latest", "3.19", "3.19.1"], flavour="docker")
    singles: tuple[tuple[str, str, Flavour], ...] = (
        ("acme/app", "1.0", "oci"),
        ("acme/legacy", "2.0", "docker"),
    )
    for repo, tag, flavour in singles:
        single = pusher.push_image(repo, seed=f"{repo} {tag}", tags=[tag], flavour=flavour)
        digests[f"{repo}:{tag}"] = single.digest
        manifests[f"{repo}:{tag}"] = single
    return StandardImages(digests, indexes, manifests)


def seed_standard_images(server: RegistryServer) -> StandardImages:
    """Push the standard images into ``server`` (as its first user when it has auth), then clear its logs."""
    user, password = next(iter(server.users.items()), (None, None))
    with OciPusher(server.url, username=user, password=password) as pusher:
        images = push_standard_images(pusher)
    server.clear_access_log()
    if server.token_server is not None:
        server.token_server.clear_requests()
    return images


@pytest.fixture(scope="session")
def registry_bin() -> Path:
    binary = registry_binary()
    if binary is None:
        pytest.skip("docker-registry is not installed (Debian package docker-registry)")
    return binary


RegistryFactory = Callable[..., RegistryServer]


@pytest.fixture
def make_registry(registry_bin: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RegistryFactory]:
    """A factory for registries private to one test; all are stopped at teardown.

    ``make_registry(auth="htpasswd", users=USERS, root=path)``: ``root`` defaults to a fresh temporary
    directory; ``users`` defaults to :data:`USERS` when there is auth. Seed with :func:`seed_standard_images`.
    """
    started: list[RegistryServer] = []

    def factory(
        *,
        auth: AuthMode = "none",
        users: Mapping[str, str] | None = None,
        root: Path | None = None,
        tls: bool = False,
    ) -> RegistryServer:
        server = RegistryServer(
            root or tmp_path_factory.mktemp("registry"),
            auth=auth,
            users=USERS if users is None and auth != "none" else users,
            binary=registry_bin,
            tls=tls,
        )
        server.start()
        started.append(server)
        return server

    yield factory
    for server in started:
        server.stop()


@dataclass(frozen=True, slots=True)
class SeededRegistry:
    server: RegistryServer
    images: StandardImages

    @property
    def host(self) -> str:
        return self.server.host

    @property
    def url(self) -> str:
        return self.server.url


def _seeded(root: Path, binary: Path, auth: AuthMode) -> Iterator[SeededRegistry]:
    server = RegistryServer(root, auth=auth, users=USERS if auth != "none" else None, binary=binary)
    server.start()
    try:
        yield SeededRegistry(server, seed_standard_images(server))
    finally:
        server.stop()


@pytest.fixture(scope="session")
def seeded_registry(registry_bin: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeededRegistry]:
    """One anonymous registry holding the standard images, shared by the session (read-only for tests).

    Tests that count requests call ``seeded_registry.server.clear_access_log()`` first.
    """
    yield from _seeded(tmp_path_factory.mktemp("seeded-none"), registry_bin, "none")


@pytest.fixture(scope="session")
def htpasswd_registry(registry_bin: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeededRegistry]:
    """Standard images behind htpasswd (bcrypt) auth; the user is :data:`USERS`."""
    yield from _seeded(tmp_path_factory.mktemp("seeded-htpasswd"), registry_bin, "htpasswd")


@pytest.fixture(scope="session")
def token_registry(registry_bin: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeededRegistry]:
    """Standard images behind token auth (ES256 JWTs from ``server.token_server``); user :data:`USERS`."""
    yield from _seeded(tmp_path_factory.mktemp("seeded-token"), registry_bin, "token")

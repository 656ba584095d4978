"""The resolver against a real registry: sources, lock file, cache, offline, batch economy, concretize."""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from dockmod.imageref import ImageRef, parse
from dockmod.registry.cache import DiskCache
from dockmod.registry.client import RegistryClient, RetryPolicy
from dockmod.registry.lockfile import LockFile
from dockmod.registry.resolver import Resolver, concrete_candidates
from dockmod.registry.types import ImageResolver
from support.fixtures import USERS, RegistryFactory, SeededRegistry, seed_standard_images
from support.http_stub import StubServer, reply
from support.oci_push import OciPusher

pytestmark = pytest.mark.registry

FAST_RETRY = RetryPolicy(attempts=2, backoff=0.01, max_backoff=0.01)


@pytest.fixture
def client() -> Iterator[RegistryClient]:
    with RegistryClient(retry=FAST_RETRY) as c:
        yield c


def ref(registry: SeededRegistry, name: str) -> ImageRef:
    return parse(f"{registry.host}/{name}")


def test_resolver_satisfies_protocol(client: RegistryClient) -> None:
    resolver: ImageResolver = Resolver(client)
    assert callable(resolver.resolve)


@pytest.mark.parametrize(
    "name",
    [
        "library/node:18-slim",
        "library/node:18.20.3-slim",
        "library/alpine:3.19",
        "acme/app:1.0",
        "acme/legacy:2.0",
    ],
)
def test_resolve_from_network(seeded_registry: SeededRegistry, client: RegistryClient, name: str) -> None:
    resolution = Resolver(client).resolve(ref(seeded_registry, name))
    assert resolution.ok
    assert resolution.source == "network"
    assert resolution.digest == seeded_registry.images.digest(name)


def test_untagged_resolves_latest(seeded_registry: SeededRegistry, client: RegistryClient) -> None:
    resolution = Resolver(client).resolve(ref(seeded_registry, "library/node"))
    assert resolution.digest == seeded_registry.images.digest("library/node:latest")


def test_digest_in_file_needs_no_request(seeded_registry: SeededRegistry, client: RegistryClient) -> None:
    seeded_registry.server.clear_access_log()
    digest = "sha256:" + "0" * 64
    resolution = Resolver(client).resolve(ref(seeded_registry, f"library/node:18@{digest}"))
    assert (resolution.digest, resolution.source) == (digest, "file")
    assert seeded_registry.server.manifest_requests() == []


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        pytest.param("library/node:99", "not_found", id="missing-tag"),
        pytest.param("library/nope:1", "not_found", id="missing-repository"),
    ],
)
def test_errors(seeded_registry: SeededRegistry, client: RegistryClient, name: str, kind: str) -> None:
    resolution = Resolver(client).resolve(ref(seeded_registry, name))
    assert not resolution.ok
    assert resolution.error is not None
    assert resolution.error.kind == kind
    assert name.split(":", 1)[0] in resolution.error.message


def test_batch_economy(seeded_registry: SeededRegistry, client: RegistryClient, tmp_path: Path) -> None:
    """300 references with 4 distinct ones: at most 4 manifest requests; a second run makes none."""
    names = ["library/node:18-slim", "library/node:22", "library/alpine:3.19", "acme/app:1.0"]
    refs = [ref(seeded_registry, names[i % 4]) for i in range(300)]
    server = seeded_registry.server
    server.clear_access_log()
    cache = DiskCache(tmp_path / "cache")
    lock = LockFile(tmp_path / "dockmod.lock")

    first = Resolver(client, cache=cache, lock=lock).resolve_many(refs)
    assert len(first) == 4
    assert {r.source for r in first.values()} == {"network"}
    assert {seeded_registry.images.digest(n) for n in names} == {r.digest for r in first.values()}
    assert len(server.manifest_requests()) <= 4

    server.clear_access_log()
    second = Resolver(client, cache=cache).resolve_many(refs)
    assert {r.source for r in second.values()} == {"cache"}
    assert server.manifest_requests() == []

    third = Resolver(client, lock=lock).resolve_many(refs)
    assert {r.source for r in third.values()} == {"lock"}
    assert server.manifest_requests() == []


def test_resolve_many_maps_every_spelling(seeded_registry: SeededRegistry, client: RegistryClient) -> None:
    a = ref(seeded_registry, "library/node:18")
    b = parse(a.original)  # another object, same normalised reference
    results = Resolver(client).resolve_many([a, b])
    assert len(results) == 1
    assert results[b].digest == seeded_registry.images.digest("library/node:18")


def test_answers_are_remembered_for_the_run(seeded_registry: SeededRegistry, client: RegistryClient) -> None:
    resolver = Resolver(client)  # no lock, no cache: only memory
    server = seeded_registry.server
    server.clear_access_log()
    for _ in range(3):
        assert resolver.resolve(ref(seeded_registry, "library/node:22.1.0")).source == "network"
    assert resolver.concretize(ref(seeded_registry, "library/node:22.1")).tag == "22.1.0"
    assert [e.path for e in server.manifest_requests()] == [
        "/v2/library/node/manifests/22.1.0",
        "/v2/library/node/manifests/22.1",
    ]


def test_single_flight(seeded_registry: SeededRegistry, client: RegistryClient) -> None:
    resolver = Resolver(client)
    target = ref(seeded_registry, "library/node:18.20")
    server = seeded_registry.server
    server.clear_access_log()
    start = threading.Barrier(8)
    digests: list[str | None] = []

    def worker() -> None:
        start.wait()
        digests.append(resolver.resolve(target).digest)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert digests == [seeded_registry.images.digest("library/node:18.20")] * 8
    assert len(server.manifest_requests()) == 1


def test_lock_round_trip_and_offline_with_registry_stopped(make_registry: RegistryFactory, tmp_path: Path) -> None:
    server = make_registry()
    images = seed_standard_images(server)
    lock_path = tmp_path / "dockmod.lock"
    wanted = [parse(f"{server.host}/library/node:18-slim"), parse(f"{server.host}/library/alpine:3.19")]
    with RegistryClient(retry=FAST_RETRY) as client:
        resolver = Resolver(client, lock=LockFile.load(lock_path))
        assert all(r.ok for r in resolver.resolve_many(wanted).values())
        assert resolver.save_lock()
        assert not resolver.save_lock()  # unchanged: not rewritten
    data = json.loads(lock_path.read_text())
    assert data["version"] == 1
    assert data["images"][f"{server.host}/library/node:18-slim"]["digest"] == images.digest("library/node:18-slim")
    assert lock_path.read_text() == json.dumps(data, indent=2, sort_keys=True) + "\n"

    server.stop()
    offline = Resolver(None, lock=LockFile.load(lock_path), offline=True)
    for wanted_ref, name in zip(wanted, ["library/node:18-slim", "library/alpine:3.19"], strict=True):
        resolution = offline.resolve(wanted_ref)
        assert (resolution.digest, resolution.source) == (images.digest(name), "lock")
    miss = offline.resolve(parse(f"{server.host}/library/node:22"))
    assert miss.error is not None
    assert miss.error.kind == "offline"
    assert "--offline" in miss.error.message

    # Online but the registry is down: a clear "unreachable", not a crash.
    with RegistryClient(retry=FAST_RETRY) as client:
        down = Resolver(client).resolve(parse(f"{server.host}/library/node:22"))
    assert down.error is not None
    assert down.error.kind == "unreachable"
    assert server.host in down.error.message


def test_disk_cache_ttl(seeded_registry: SeededRegistry, client: RegistryClient, tmp_path: Path) -> None:
    now = [1_000_000.0]
    cache = DiskCache(tmp_path, ttl=600, clock=lambda: now[0])
    target = ref(seeded_registry, "library/node:18.20.4")
    server = seeded_registry.server
    server.clear_access_log()
    assert Resolver(client, cache=cache).resolve(target).source == "network"
    now[0] += 599
    assert Resolver(client, cache=cache).resolve(target).source == "cache"
    now[0] += 2
    assert Resolver(client, cache=cache).resolve(target).source == "network"
    assert len(server.manifest_requests()) == 2


def test_refresh_skips_lock_and_cache(seeded_registry: SeededRegistry, client: RegistryClient, tmp_path: Path) -> None:
    target = ref(seeded_registry, "library/node:22.1")
    cache = DiskCache(tmp_path)
    lock = LockFile(tmp_path / "dockmod.lock")
    Resolver(client, cache=cache, lock=lock).resolve(target)
    assert Resolver(client, cache=cache, lock=lock, refresh=True).resolve(target).source == "network"


def test_moved_tag_updates_lock(make_registry: RegistryFactory, tmp_path: Path) -> None:
    server = make_registry()
    with OciPusher(server.url) as pusher:
        old = pusher.push_multiarch("team/app", seed="v1", tags=["stable"])
        lock = LockFile(tmp_path / "dockmod.lock")
        with RegistryClient(retry=FAST_RETRY) as client:
            Resolver(client, lock=lock).resolve(parse(f"{server.host}/team/app:stable"))
            new = pusher.push_multiarch("team/app", seed="v2", tags=["stable"])
            fresh = Resolver(client, lock=lock, refresh=True).resolve(parse(f"{server.host}/team/app:stable"))
    assert old.digest != new.digest
    assert fresh.digest == new.digest
    entry = lock.get(f"{server.host}/team/app:stable")
    assert entry is not None
    assert entry.digest == new.digest


@pytest.mark.parametrize(
    ("auth", "password", "ok"),
    [
        pytest.param("htpasswd", None, True, id="htpasswd-right"),
        pytest.param("htpasswd", "wrong", False, id="htpasswd-wrong"),
        pytest.param("token", None, True, id="token-right"),
        pytest.param("token", "wrong", False, id="token-wrong"),
    ],
)
def test_authenticated_registries(request: pytest.FixtureRequest, auth: str, password: str | None, ok: bool) -> None:
    from dockmod.registry.credentials import Credentials

    registry: SeededRegistry = request.getfixturevalue(f"{auth}_registry")
    user, right = next(iter(USERS.items()))
    credentials = Credentials(user, password or right)
    with RegistryClient(credentials=lambda host: credentials, retry=FAST_RETRY) as client:
        resolution = Resolver(client).resolve(ref(registry, "library/node:18-slim"))
    if ok:
        assert resolution.digest == registry.images.digest("library/node:18-slim")
    else:
        assert resolution.error is not None
        assert resolution.error.kind == "unauthorized"
        assert credentials.secret not in resolution.error.message


@pytest.mark.parametrize("auth", ["htpasswd", "token"])
def test_anonymous_access_is_refused(request: pytest.FixtureRequest, client: RegistryClient, auth: str) -> None:
    registry: SeededRegistry = request.getfixturevalue(f"{auth}_registry")
    resolution = Resolver(client).resolve(ref(registry, "library/node:18-slim"))
    assert resolution.error is not None
    assert resolution.error.kind == "unauthorized"
    assert "docker login" in resolution.error.message


def test_token_is_fetched_once_per_repository(token_registry: SeededRegistry) -> None:
    from dockmod.registry.credentials import Credentials

    token_server = token_registry.server.token_server
    assert token_server is not None
    token_server.clear_requests()
    token_registry.server.clear_access_log()
    user, password = next(iter(USERS.items()))
    with RegistryClient(credentials=lambda host: Credentials(user, password), retry=FAST_RETRY) as client:
        resolver = Resolver(client)
        names = ["library/node:18", "library/node:22", "library/alpine:3.19", "library/alpine:latest"]
        for name in names:
            assert resolver.resolve(ref(token_registry, name)).ok
    scopes = [r.scopes for r in token_server.requests]
    assert scopes == [("repository:library/node:pull",), ("repository:library/alpine:pull",)]
    assert all(r.account == user for r in token_server.requests)
    # One 401 to learn the realm; afterwards tokens are fetched before asking, so each tag costs one request.
    statuses = [e.status for e in token_registry.server.manifest_requests()]
    assert statuses == [401, 200, 200, 200, 200]


# -- concretize -------


def test_concretize_picks_the_digest_equal_tag(seeded_registry: SeededRegistry, client: RegistryClient) -> None:
    result = Resolver(client).concretize(ref(seeded_registry, "library/node:18-slim"))
    assert result.ok
    assert result.tag == "18.20.4-slim"
    assert result.digest == seeded_registry.images.digest("library/node:18.20.4-slim")
    assert result.checked == ("18.20.4-slim",)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("library/node:18", "18.20.4", id="major"),
        pytest.param("library/node:18.20", "18.20.4", id="minor"),
        pytest.param("library/node:latest", "22.1.0", id="latest"),
        pytest.param("library/node", "22.1.0", id="untagged"),
        pytest.param("library/alpine:3.19", "3.19.1", id="manifest-list"),
    ],
)
def test_concretize_variants(seeded_registry: SeededRegistry, client: RegistryClient, name: str, expected: str) -> None:
    result = Resolver(client).concretize(ref(seeded_registry, name))
    assert result.tag == expected
    assert result.digest == seeded_registry.images.digest(f"{ref(seeded_registry, name).path}:{expected}")


def test_concretize_refuses_a_different_digest(seeded_registry: SeededRegistry, client: RegistryClient) -> None:
    result = Resolver(client).concretize(ref(seeded_registry, "library/node:20-slim"))
    assert result.ok
    assert result.tag is None
    assert result.digest == seeded_registry.images.digest("library/node:20-slim")
    assert result.checked == ("20.1.0-slim",)
    assert result.note is not None
    assert "kept 20-slim" in result.note


def test_concretize_skips_the_older_patch(seeded_registry: SeededRegistry, client: RegistryClient) -> None:
    # 18.20.3-slim has a different digest; it must never be chosen for 18-slim.
    images = seeded_registry.images
    assert images.digest("library/node:18.20.3-slim") != images.digest("library/node:18-slim")
    result = Resolver(client).concretize(ref(seeded_registry, "library/node:18.20-slim"))
    assert result.tag == "18.20.4-slim"


def test_concretize_missing_tag(seeded_registry: SeededRegistry, client: RegistryClient) -> None:
    result = Resolver(client).concretize(ref(seeded_registry, "library/node:99-slim"))
    assert result.error is not None
    assert result.error.kind == "not_found"


def test_concretize_offline_from_lock(make_registry: RegistryFactory, tmp_path: Path) -> None:
    server = make_registry()
    images = seed_standard_images(server)
    lock = LockFile(tmp_path / "dockmod.lock")
    target = parse(f"{server.host}/library/node:18-slim")
    with RegistryClient(retry=FAST_RETRY) as client:
        assert Resolver(client, lock=lock).concretize(target).tag == "18.20.4-slim"
    lock.save()
    server.stop()
    again = Resolver(None, lock=LockFile.load(lock.path), offline=True).concretize(target)
    assert (again.tag, again.digest) == ("18.20.4-slim", images.digest("library/node:18-slim"))


@pytest.mark.parametrize(
    ("floating", "tags", "expected"),
    [
        pytest.param(
            "18-slim",
            [
                "18",
                "18-slim",
                "18.20-slim",
                "18.20.3-slim",
                "18.20.4-slim",
                "18.20.4",
                "18.20.4-slim-bookworm",
            ],
            ["18.20.4-slim", "18.20.3-slim", "18.20-slim"],
            id="suffix",
        ),
        pytest.param(
            "18",
            ["18.9", "18.10", "18.10.1", "180.1", "1.18", "18.x"],
            ["18.10.1", "18.10", "18.9"],
            id="numeric",
        ),
        pytest.param("latest", ["latest", "22", "22.1.0", "22-alpine", "edge"], ["22.1.0", "22"], id="latest"),
        pytest.param("v1", ["v1.2", "1.3", "v1.2.3"], ["v1.2.3", "v1.2"], id="v-prefix"),
        pytest.param("bookworm-slim", ["12-slim", "bookworm"], [], id="codename"),
        pytest.param("18.20.4", ["18.20.4", "18.20"], [], id="already-concrete"),
    ],
)
def test_concrete_candidates(floating: str, tags: list[str], expected: list[str]) -> None:
    assert concrete_candidates(floating, tags) == expected


# -- concurrency limits and the CLI's constructor -------


def test_per_registry_limit() -> None:
    """Lookups run concurrently, but never more than ``per_registry_limit`` at once against one registry."""
    lock = threading.Lock()
    active = [0]
    peak = [0]

    def slow(handler: BaseHTTPRequestHandler) -> None:
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(0.05)
        with lock:
            active[0] -= 1
        digest = "sha256:" + hashlib.sha256(handler.path.encode()).hexdigest()
        reply(handler, 200, {"Docker-Content-Digest": digest})

    with StubServer(slow) as stub, RegistryClient(retry=FAST_RETRY) as client:
        refs = [parse(f"{stub.host}/team/app:{n}") for n in range(12)]
        resolver = Resolver(client, per_registry_limit=3, max_workers=12)
        results = resolver.resolve_many(refs)
    assert all(r.ok for r in results.values())
    assert len({r.digest for r in results.values()}) == 12
    # Three at once, never more: concurrent, not one after another (counted, not timed: a loaded machine made a
    # wall-clock bound fail).
    assert peak[0] == 3


def test_from_environment_reads_docker_config(
    htpasswd_registry: SeededRegistry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user, password = next(iter(USERS.items()))
    config = tmp_path / "docker"
    config.mkdir()
    auth = base64.b64encode(f"{user}:{password}".encode()).decode()
    (config / "config.json").write_text(json.dumps({"auths": {htpasswd_registry.host: {"auth": auth}}}))
    monkeypatch.setenv("DOCKER_CONFIG", str(config))
    target = ref(htpasswd_registry, "library/node:18-slim")
    lock_path = tmp_path / "dockmod.lock"
    with Resolver.from_environment(lock_path=lock_path, cache_dir=tmp_path / "cache") as resolver:
        resolution = resolver.resolve(target)
        assert resolver.save_lock()
    assert resolution.digest == htpasswd_registry.images.digest("library/node:18-slim")
    written = lock_path.read_text() + "".join(p.read_text() for p in (tmp_path / "cache").rglob("*.json"))
    assert password not in written
    assert auth not in written
    with Resolver.from_environment(lock_path=None, offline=True, cache_dir=tmp_path / "cache") as offline:
        assert offline.client is None
        assert offline.resolve(target).source == "cache"

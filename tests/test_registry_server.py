"""The test registry itself: it must behave like a registry, or every registry test proves nothing."""

from __future__ import annotations

import httpx
import pytest

from support.fixtures import USERS, RegistryFactory, SeededRegistry
from support.oci_push import (
    DOCKER_LIST,
    DOCKER_MANIFEST,
    OCI_INDEX,
    OCI_MANIFEST,
    OciPusher,
    deterministic_gzip,
    deterministic_tar,
    sha256_digest,
    with_query,
)

pytestmark = pytest.mark.registry

ALL_MANIFEST_TYPES = ", ".join((OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST))


def test_deterministic_layers() -> None:
    tar = deterministic_tar({"b": b"2", "a": b"1"})
    assert tar == deterministic_tar({"a": b"1", "b": b"2"})
    assert deterministic_gzip(tar) == deterministic_gzip(tar)
    # gzip header bytes 4..8 are MTIME (RFC 1952 §2.3.1).
    assert deterministic_gzip(tar)[4:8] == b"\0\0\0\0"


def test_with_query_keeps_existing_state() -> None:
    url = with_query("http://h/v2/r/blobs/uploads/u?_state=abc%3D", {"digest": "sha256:00"})
    assert url == "http://h/v2/r/blobs/uploads/u?_state=abc%3D&digest=sha256%3A00"


def test_aliases_share_bytes_and_digest(seeded_registry: SeededRegistry) -> None:
    images = seeded_registry.images
    assert images.digest("library/node:18-slim") == images.digest("library/node:18.20.4-slim")
    assert images.digest("library/node:18.20.3-slim") != images.digest("library/node:18.20.4-slim")
    bodies = {
        httpx.get(
            f"{seeded_registry.url}/v2/library/node/manifests/{tag}", headers={"Accept": ALL_MANIFEST_TYPES}
        ).content
        for tag in ("18-slim", "18.20-slim", "18.20.4-slim")
    }
    assert len(bodies) == 1
    assert sha256_digest(bodies.pop()) == images.digest("library/node:18-slim")


@pytest.mark.parametrize(
    ("repo_tag", "media_type"),
    [
        pytest.param("library/node:18", OCI_INDEX, id="oci-index"),
        pytest.param("library/alpine:3.19", DOCKER_LIST, id="docker-list"),
        pytest.param("acme/app:1.0", OCI_MANIFEST, id="oci-manifest"),
        pytest.param("acme/legacy:2.0", DOCKER_MANIFEST, id="docker-manifest"),
    ],
)
def test_head_reports_pushed_digest(seeded_registry: SeededRegistry, repo_tag: str, media_type: str) -> None:
    repo, _, tag = repo_tag.partition(":")
    response = httpx.head(f"{seeded_registry.url}/v2/{repo}/manifests/{tag}", headers={"Accept": ALL_MANIFEST_TYPES})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == media_type
    assert response.headers["Docker-Content-Digest"] == seeded_registry.images.digest(repo_tag)


def test_access_log_counts_requests(seeded_registry: SeededRegistry) -> None:
    server = seeded_registry.server
    server.clear_access_log()
    for _ in range(3):
        httpx.head(f"{server.url}/v2/library/node/manifests/18", headers={"Accept": ALL_MANIFEST_TYPES})
    httpx.get(f"{server.url}/v2/library/node/tags/list")
    log = server.access_log
    assert [(e.method, e.path, e.status) for e in log] == [
        *[("HEAD", "/v2/library/node/manifests/18", 200)] * 3,
        ("GET", "/v2/library/node/tags/list", 200),
    ]
    assert len(server.manifest_requests()) == 3


def test_htpasswd_rejects_wrong_password(htpasswd_registry: SeededRegistry) -> None:
    url = f"{htpasswd_registry.url}/v2/library/node/manifests/18"
    user, password = next(iter(USERS.items()))
    assert httpx.head(url).status_code == 401
    assert httpx.head(url, auth=(user, "wrong")).status_code == 401
    right = httpx.head(url, auth=(user, password), headers={"Accept": ALL_MANIFEST_TYPES})
    assert right.status_code == 200


def test_token_server_tokens_are_accepted(token_registry: SeededRegistry) -> None:
    token_server = token_registry.server.token_server
    assert token_server is not None
    user, password = next(iter(USERS.items()))
    url = f"{token_registry.url}/v2/library/node/manifests/18"
    challenge = httpx.head(url)
    assert challenge.status_code == 401
    assert 'scope="repository:library/node:pull"' in challenge.headers["WWW-Authenticate"]
    token = httpx.get(
        token_server.realm,
        params={"service": token_server.service, "scope": "repository:library/node:pull"},
        auth=(user, password),
    ).json()["token"]
    response = httpx.head(url, headers={"Authorization": f"Bearer {token}", "Accept": ALL_MANIFEST_TYPES})
    assert response.status_code == 200
    assert response.headers["Docker-Content-Digest"] == token_registry.images.digest("library/node:18")
    # Anonymous tokens carry no access: the registry refuses them.
    anonymous = httpx.get(
        token_server.realm, params={"service": token_server.service, "scope": "repository:library/node:pull"}
    ).json()["token"]
    assert httpx.head(url, headers={"Authorization": f"Bearer {anonymous}"}).status_code == 401
    bad = httpx.get(token_server.realm, params={"service": token_server.service}, auth=(user, "wrong"))
    assert bad.status_code == 401


def test_index_with_missing_child_is_rejected(make_registry: RegistryFactory) -> None:
    server = make_registry()
    with OciPusher(server.url) as pusher:
        child = pusher.push_image("x/y", seed="child")
        pusher.delete_tag_target("x/y", child.digest)
        with pytest.raises(AssertionError, match="expected HTTP 201"):
            pusher.push_index("x/y", [child], tags=["1"])


def test_restart_keeps_storage(make_registry: RegistryFactory) -> None:
    server = make_registry()
    with OciPusher(server.url) as pusher:
        pushed = pusher.push_multiarch("x/y", seed="keep", tags=["1"])
    root = server.root
    server.stop()
    again = make_registry(root=root)
    response = httpx.head(f"{again.url}/v2/x/y/manifests/1", headers={"Accept": ALL_MANIFEST_TYPES})
    assert response.headers["Docker-Content-Digest"] == pushed.digest

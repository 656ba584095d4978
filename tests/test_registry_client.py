"""The registry client: what a real registry shows, plus an httpx MockTransport for what it cannot.

MockTransport is used only for behaviour distribution 2.8.2 never exhibits: 429 with ``Retry-After`` (and
5xx for the same retry path), ``Link`` pagination (2.8 returns one page), a HEAD without
``Docker-Content-Digest``, and Docker Hub's separate token realm. Redirects are exercised with two real
local HTTP servers.
"""

from __future__ import annotations

import base64
import email.utils
import hashlib
import json
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any

import httpx
import pytest

from dockmod.imageref import parse
from dockmod.registry.client import (
    MANIFEST_MEDIA_TYPES,
    RegistryClient,
    RegistryError,
    RetryPolicy,
    is_loopback,
    parse_link_header,
)
from dockmod.registry.credentials import Credentials
from support.fixtures import RegistryFactory, SeededRegistry, seed_standard_images
from support.http_stub import StubServer, reply
from support.oci_push import DOCKER_MANIFEST, OCI_INDEX

DIGEST_A = "sha256:" + "a" * 64
DIGEST_B = "sha256:" + "b" * 64

Handler = Callable[[httpx.Request], httpx.Response]


class Recorder:
    """A MockTransport handler that answers from a list of rules and records every request."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.handler(request)


def mock_client(
    handler: Handler,
    *,
    credentials: Credentials | None = None,
    retry: RetryPolicy | None = None,
) -> tuple[RegistryClient, Recorder, list[float]]:
    recorder = Recorder(handler)
    sleeps: list[float] = []
    client = RegistryClient(
        transport=httpx.MockTransport(recorder),
        credentials=lambda host: credentials,
        retry=retry or RetryPolicy(attempts=4, backoff=0.5, max_backoff=8.0, max_retry_after=60.0),
        sleep=sleeps.append,
    )
    return client, recorder, sleeps


def ok_head(digest: str = DIGEST_A) -> httpx.Response:
    return httpx.Response(200, headers={"Docker-Content-Digest": digest, "Content-Type": OCI_INDEX})


# -- real registry -------


@pytest.mark.registry
def test_accept_lists_all_four_media_types(seeded_registry: SeededRegistry) -> None:
    """With a narrower Accept the registry answers a child's digest: why all four types are sent."""
    url = f"{seeded_registry.url}/v2/library/alpine/manifests/3.19"
    narrow = httpx.head(url, headers={"Accept": DOCKER_MANIFEST})
    list_digest = seeded_registry.images.digest("library/alpine:3.19")
    assert narrow.headers["Docker-Content-Digest"] != list_digest
    with RegistryClient() as client:
        info = client.head_manifest(parse(f"{seeded_registry.host}/library/alpine:3.19"))
    assert info.digest == list_digest
    assert info.media_type == "application/vnd.docker.distribution.manifest.list.v2+json"


@pytest.mark.registry
@pytest.mark.registry
def test_https_registry_speaks_http2(make_registry: RegistryFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Registries on the internet serve HTTPS and offer HTTP/2; the client takes it (ALPN) and resolves as over
    HTTP/1.1. The registry's own access log says which protocol each request came in."""
    server = make_registry(tls=True)
    # The client trusts what the machine trusts; here, the registry's own certificate.
    monkeypatch.setenv("SSL_CERT_FILE", str(server.ca_file))
    images = seed_standard_images(server)
    with RegistryClient() as client:
        info = client.head_manifest(parse(f"{server.host}/library/node:18-slim"))
        tags = client.list_tags(parse(f"{server.host}/library/node"))
    assert info.digest == images.digest("library/node:18-slim")
    assert "18-slim" in tags
    log = server.access_log
    assert [e.protocol for e in log] == ["HTTP/2.0"] * len(log)
    assert {e.method for e in log} >= {"HEAD", "GET"}


def test_list_tags_real(seeded_registry: SeededRegistry) -> None:
    with RegistryClient() as client:
        tags = client.list_tags(parse(f"{seeded_registry.host}/library/alpine"))
    assert sorted(tags) == ["3.19", "3.19.1", "latest"]


# -- redirects, with two real servers -------


@pytest.fixture
def redirecting_registry() -> Iterator[tuple[StubServer, StubServer]]:
    target = StubServer(lambda handler: reply(handler, 200, {"Docker-Content-Digest": DIGEST_B}))

    def registry(handler: BaseHTTPRequestHandler) -> None:
        if handler.headers.get("Authorization") is None:
            reply(handler, 401, {"WWW-Authenticate": 'Basic realm="stub"'})
        else:
            # Another authority (localhost vs 127.0.0.1, another port): credentials must not follow.
            reply(handler, 307, {"Location": f"http://localhost:{target.port}{handler.path}"})

    with target, StubServer(registry) as origin:
        yield origin, target


def test_redirect_never_forwards_authorization(redirecting_registry: tuple[StubServer, StubServer]) -> None:
    origin, target = redirecting_registry
    credentials = Credentials("alice", "s3cret")
    with RegistryClient(credentials=lambda host: credentials) as client:
        info = client.head_manifest(parse(f"127.0.0.1:{origin.port}/team/app:1"))
    assert info.digest == DIGEST_B
    assert [auth is not None for _, _, auth in origin.seen] == [False, True]
    assert target.seen == [("HEAD", "/v2/team/app/manifests/1", None)]


# -- MockTransport: what distribution 2.8.2 cannot show -------


def test_429_honours_retry_after() -> None:
    answers = iter([httpx.Response(429, headers={"Retry-After": "7"}), ok_head()])
    client, recorder, sleeps = mock_client(lambda request: next(answers))
    assert client.head_manifest(parse("ghcr.io/a/b:1")).digest == DIGEST_A
    assert sleeps == [7.0]
    assert len(recorder.requests) == 2


def test_429_with_http_date() -> None:
    later = email.utils.formatdate(time.time() + 30, usegmt=True)
    answers = iter([httpx.Response(429, headers={"Retry-After": later}), ok_head()])
    client, _, sleeps = mock_client(lambda request: next(answers))
    client.head_manifest(parse("ghcr.io/a/b:1"))
    assert len(sleeps) == 1
    assert 25 <= sleeps[0] <= 30


def test_429_too_long_is_reported_not_waited() -> None:
    client, recorder, sleeps = mock_client(lambda request: httpx.Response(429, headers={"Retry-After": "3600"}))
    with pytest.raises(RegistryError) as info:
        client.head_manifest(parse("ghcr.io/a/b:1"))
    assert info.value.kind == "unreachable"
    assert "rate limiting" in info.value.message
    assert sleeps == []
    assert len(recorder.requests) == 1


def test_429_without_retry_after_backs_off() -> None:
    answers = iter([httpx.Response(429), httpx.Response(429), ok_head()])
    client, _, sleeps = mock_client(lambda request: next(answers))
    client.head_manifest(parse("ghcr.io/a/b:1"))
    assert sleeps == [0.5, 1.0]


def test_5xx_is_retried_then_reported() -> None:
    client, recorder, sleeps = mock_client(lambda request: httpx.Response(503))
    with pytest.raises(RegistryError) as info:
        client.head_manifest(parse("ghcr.io/a/b:1"))
    assert info.value.kind == "unreachable"
    assert sleeps == [0.5, 1.0, 2.0]
    assert len(recorder.requests) == 4


def test_network_errors_are_retried() -> None:
    calls = iter([httpx.ReadTimeout("slow"), None])

    def handler(request: httpx.Request) -> httpx.Response:
        error = next(calls)
        if error is not None:
            raise error
        return ok_head()

    client, _, sleeps = mock_client(handler)
    assert client.head_manifest(parse("ghcr.io/a/b:1")).digest == DIGEST_A
    assert sleeps == [0.5]


def test_link_pagination_followed_verbatim() -> None:
    pages = {
        "/v2/a/b/tags/list": (["1", "2"], '</v2/a/b/tags/list?last=2&n=2>; rel="next"'),
        "/v2/a/b/tags/list?last=2&n=2": (
            ["3", "4"],
            '<https://ghcr.io/v2/a/b/tags/list?last=4&n=2&token=x%2Fy>; rel="next"',
        ),
        "/v2/a/b/tags/list?last=4&n=2&token=x%2Fy": (["5"], None),
    }

    def handler(request: httpx.Request) -> httpx.Response:
        tags, link = pages[request.url.raw_path.decode()]
        headers = {"Link": link} if link else {}
        return httpx.Response(200, json={"name": "a/b", "tags": tags}, headers=headers)

    client, recorder, _ = mock_client(handler)
    assert client.list_tags(parse("ghcr.io/a/b")) == ["1", "2", "3", "4", "5"]
    assert [r.url.raw_path.decode() for r in recorder.requests] == list(pages)


def test_link_to_another_host_is_refused() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, json={"tags": ["1"]}, headers={"Link": '<https://evil.example/v2/a/b/tags/list>; rel="next"'}
        )

    client, _, _ = mock_client(handler)
    with pytest.raises(RegistryError) as info:
        client.list_tags(parse("ghcr.io/a/b"))
    assert info.value.kind == "invalid"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        pytest.param('</a?n=1>; rel="next"', {"next": "/a?n=1"}, id="quoted"),
        pytest.param("</a>; rel=next", {"next": "/a"}, id="bare"),
        pytest.param('</p>; rel="prev", </n>; rel="next"', {"prev": "/p", "next": "/n"}, id="two"),
        pytest.param('</x>; title="a, b"; rel="next"', {"next": "/x"}, id="comma-in-param"),
        pytest.param("", {}, id="empty"),
    ],
)
def test_parse_link_header(header: str, expected: dict[str, str]) -> None:
    assert parse_link_header(header) == expected


def test_head_without_digest_header_hashes_the_body() -> None:
    body = b'{"schemaVersion": 2,  "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": []}\n'

    def handler(request: httpx.Request) -> httpx.Response:
        headers = {"Content-Type": OCI_INDEX}
        return httpx.Response(200, headers=headers, content=b"" if request.method == "HEAD" else body)

    client, recorder, _ = mock_client(handler)
    info = client.head_manifest(parse("ghcr.io/a/b:1"))
    assert info.digest == "sha256:" + hashlib.sha256(body).hexdigest()
    assert [r.method for r in recorder.requests] == ["HEAD", "GET"]
    assert recorder.requests[1].headers["Accept"] == ", ".join(MANIFEST_MEDIA_TYPES)


def test_get_with_lying_digest_header_is_invalid() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "HEAD":
            return httpx.Response(200)
        return httpx.Response(200, headers={"Docker-Content-Digest": DIGEST_B}, content=b"{}")

    client, _, _ = mock_client(handler)
    with pytest.raises(RegistryError) as info:
        client.head_manifest(parse("ghcr.io/a/b:1"))
    assert info.value.kind == "invalid"


HUB_CHALLENGE = (
    'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/node:pull"'
)


def docker_hub(token_body: dict[str, Any]) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "auth.docker.io":
            return httpx.Response(200, json=token_body)
        assert request.url.host == "registry-1.docker.io"
        if request.headers.get("Authorization") != f"Bearer {token_body.get('access_token')}":
            return httpx.Response(401, headers={"WWW-Authenticate": HUB_CHALLENGE})
        return ok_head()

    return handler


def test_docker_hub_token_realm() -> None:
    asked: list[str] = []

    def credentials(host: str) -> Credentials | None:
        asked.append(host)
        return None

    recorder = Recorder(docker_hub({"access_token": "hub-token"}))
    client = RegistryClient(transport=httpx.MockTransport(recorder), credentials=credentials)
    info = client.head_manifest(parse("node:18"))
    assert info.digest == DIGEST_A
    head, token, retry = recorder.requests
    assert str(head.url) == "https://registry-1.docker.io/v2/library/node/manifests/18"
    assert "Authorization" not in head.headers
    assert token.url.host == "auth.docker.io"
    assert dict(token.url.params) == {
        "service": "registry.docker.io",
        "scope": "repository:library/node:pull",
    }
    assert "Authorization" not in token.headers  # anonymous
    assert retry.headers["Authorization"] == "Bearer hub-token"
    assert asked == ["registry-1.docker.io"]
    # expires_in missing: the token is kept (60 s default) and reused without a new token request.
    client.head_manifest(parse("docker.io/library/node:20"))
    assert [r.url.host for r in recorder.requests[3:]] == ["registry-1.docker.io"]


def test_docker_hub_credentials_go_to_the_realm_only() -> None:
    recorder = Recorder(docker_hub({"token": "t", "access_token": "t", "expires_in": 300}))
    client = RegistryClient(transport=httpx.MockTransport(recorder), credentials=lambda host: Credentials("bob", "pw"))
    client.head_manifest(parse("node:18"))
    basic = "Basic " + base64.b64encode(b"bob:pw").decode()
    for request in recorder.requests:
        if request.url.host == "auth.docker.io":
            assert request.headers["Authorization"] == basic
        else:
            assert request.headers.get("Authorization") in (None, "Bearer t")


def test_docker_hub_identity_token_uses_the_refresh_grant() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "auth.docker.io":
            assert request.method == "POST"
            form = dict(httpx.QueryParams(request.content.decode()))
            assert form["grant_type"] == "refresh_token"
            assert form["refresh_token"] == "refresh-me"
            assert form["service"] == "registry.docker.io"
            assert form["scope"] == "repository:library/node:pull"
            assert "Authorization" not in request.headers
            return httpx.Response(200, json={"access_token": "fresh", "expires_in": 120})
        if request.headers.get("Authorization") != "Bearer fresh":
            return httpx.Response(401, headers={"WWW-Authenticate": HUB_CHALLENGE})
        return ok_head()

    identity = Credentials("<token>", "refresh-me", is_identity_token=True)
    client, recorder, _ = mock_client(handler, credentials=identity)
    assert client.head_manifest(parse("node:18")).digest == DIGEST_A
    assert [r.method for r in recorder.requests] == ["HEAD", "POST", "HEAD"]


def test_credentials_never_sent_to_a_plain_http_realm() -> None:
    challenge = 'Bearer realm="http://auth.example/token",service="x"'

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.host != "auth.example", "credentials must not travel over plain HTTP"
        return httpx.Response(401, headers={"WWW-Authenticate": challenge})

    client, _, _ = mock_client(handler, credentials=Credentials("bob", "pw"))
    with pytest.raises(RegistryError) as info:
        client.head_manifest(parse("registry.example/a:1"))
    assert info.value.kind == "invalid"
    assert "pw" not in info.value.message


def test_remote_hosts_use_https_only() -> None:
    client, recorder, _ = mock_client(lambda request: httpx.Response(200, headers={"Docker-Content-Digest": DIGEST_A}))
    client.head_manifest(parse("registry.example/a:1"))
    assert {r.url.scheme for r in recorder.requests} == {"https"}


def test_token_with_wrong_scope_answer_is_refused() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "auth.docker.io":
            return httpx.Response(200, content=json.dumps({"nothing": 1}).encode())
        return httpx.Response(401, headers={"WWW-Authenticate": HUB_CHALLENGE})

    client, _, _ = mock_client(handler)
    with pytest.raises(RegistryError) as info:
        client.head_manifest(parse("node:18"))
    assert info.value.kind == "invalid"
    assert "without a token" in info.value.message


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("localhost", True),
        ("localhost:5000", True),
        ("127.0.0.1:5000", True),
        ("127.1.2.3", True),
        ("[::1]:5000", True),
        ("::1", True),
        ("registry.example", False),
        ("10.0.0.1:5000", False),
        ("localhost.example.com", False),
        ("[::2]:5000", False),
    ],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_insecure_hosts_allow_plain_http() -> None:
    client = RegistryClient(insecure_hosts=["registry.lan:5000"])
    assert client.allows_plain_http("registry.lan:5000")
    assert not client.allows_plain_http("registry.example")
    assert client.allows_plain_http("127.0.0.1:5000")

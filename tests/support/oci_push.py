"""Push deterministic images to a registry by raw HTTP (OCI distribution spec, "Pushing blobs/manifests").

Everything is derived from a ``seed`` string, so the same call always produces the same bytes and digests:
layers are tar archives with fixed metadata compressed with gzip ``mtime=0``; JSON is serialised with sorted
keys and no whitespace. Blobs go up monolithically (``POST /v2/<repo>/blobs/uploads/`` then ``PUT <Location>``
with ``digest`` added to the Location's own query: httpx's ``params=`` would *replace* distribution's
``?_state=`` and the upload would 404). Manifests go up by digest first, then an index is ``PUT`` to every
alias tag with identical bytes (identical bytes = identical digest). Distribution 2.8.2 rejects an index whose
children are missing, so children always go first.

The pusher handles the registry's own 401 challenges (Basic, or Bearer via the realm) with a deliberately
simple implementation, independent of ``dockmod.registry``, so that fixtures do not depend on the code under
test.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import re
import tarfile
from collections.abc import Generator, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import httpx

Flavour = Literal["oci", "docker"]

OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json"
DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip"

_MEDIA_TYPES: dict[Flavour, tuple[str, str, str, str]] = {
    # index, manifest, config, layer
    "oci": (OCI_INDEX, OCI_MANIFEST, OCI_CONFIG, OCI_LAYER),
    "docker": (DOCKER_LIST, DOCKER_MANIFEST, DOCKER_CONFIG, DOCKER_LAYER),
}


def sha256_digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":")).encode("utf-8")


def deterministic_tar(files: Mapping[str, bytes]) -> bytes:
    """An uncompressed tar of ``files`` (path -> content) with fixed owners, modes and mtimes."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as archive:
        for name in sorted(files):
            data = files[name]
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 0
            info.mode = 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def deterministic_gzip(data: bytes) -> bytes:
    # mtime=0 and no file name in the header: the gzip bytes depend on the input only.
    return gzip.compress(data, compresslevel=6, mtime=0)


@dataclass(frozen=True, slots=True)
class Descriptor:
    media_type: str
    digest: str
    size: int
    platform: Mapping[str, str] | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"mediaType": self.media_type, "digest": self.digest, "size": self.size}
        if self.platform is not None:
            out["platform"] = dict(self.platform)
        return out


@dataclass(frozen=True, slots=True)
class PushedManifest:
    """A manifest as stored: its descriptor, its exact bytes, and the tags that point at it."""

    descriptor: Descriptor
    body: bytes
    tags: tuple[str, ...] = ()

    @property
    def digest(self) -> str:
        return self.descriptor.digest


@dataclass(frozen=True, slots=True)
class PushedIndex:
    index: PushedManifest
    children: tuple[PushedManifest, ...]

    @property
    def digest(self) -> str:
        return self.index.digest

    @property
    def tags(self) -> tuple[str, ...]:
        return self.index.tags


def parse_platform(platform: str) -> dict[str, str]:
    os_, _, rest = platform.partition("/")
    arch, _, variant = rest.partition("/")
    out = {"architecture": arch, "os": os_}
    if variant:
        out["variant"] = variant
    return out


def with_query(url: str, extra: Mapping[str, str]) -> str:
    """``url`` with ``extra`` merged into its existing query (keeps distribution's ``_state``)."""
    parts = urlsplit(url)
    query = [*parse_qsl(parts.query, keep_blank_values=True), *extra.items()]
    return urlunsplit(parts._replace(query=urlencode(query)))


class _ChallengeAuth(httpx.Auth):
    """Answers 401 challenges for the test registry: Basic directly, Bearer through the token realm."""

    _PARAM = re.compile(r'(\w+)="([^"]*)"')

    def __init__(self, username: str | None, password: str | None) -> None:
        self._basic = httpx.BasicAuth(username, password or "") if username is not None else None
        self._tokens: dict[str, str] = {}

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        cached = self._tokens.get(request.url.path)
        if cached is not None:
            request.headers["Authorization"] = f"Bearer {cached}"
        response = yield request
        if response.status_code != 401:
            return
        challenge = response.headers.get("WWW-Authenticate", "")
        scheme, _, rest = challenge.partition(" ")
        if scheme.lower() == "basic":
            if self._basic is None:
                return
            yield from self._basic.auth_flow(request)
            return
        if scheme.lower() != "bearer":
            return
        params = dict(self._PARAM.findall(rest))
        query = {k: params[k] for k in ("service", "scope") if k in params}
        token_request = httpx.Request("GET", with_query(params["realm"], query))
        if self._basic is not None:
            token_request = next(self._basic.auth_flow(token_request))
        token_response = yield token_request
        token_response.read()
        if token_response.status_code != 200:
            return
        body = json.loads(token_response.content)
        token = body.get("token") or body.get("access_token")
        self._tokens[request.url.path] = token
        request.headers["Authorization"] = f"Bearer {token}"
        yield request


class OciPusher:
    """Pushes blobs, manifests and indexes to ``registry_url`` (e.g. ``RegistryServer.url``)."""

    def __init__(
        self,
        registry_url: str,
        *,
        username: str | None = None,
        password: str | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.base = registry_url.rstrip("/")
        self._client = httpx.Client(auth=_ChallengeAuth(username, password), timeout=timeout)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> OciPusher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- primitives -------

    def push_blob(self, repo: str, data: bytes, media_type: str) -> Descriptor:
        digest = sha256_digest(data)
        if self._client.head(f"{self.base}/v2/{repo}/blobs/{digest}").status_code == 200:
            return Descriptor(media_type, digest, len(data))
        started = self._client.post(f"{self.base}/v2/{repo}/blobs/uploads/")
        _expect(started, 202, f"start blob upload to {repo}")
        location = urljoin(f"{self.base}/", started.headers["Location"])
        finished = self._client.put(
            with_query(location, {"digest": digest}),
            content=data,
            headers={"Content-Type": "application/octet-stream"},
        )
        _expect(finished, 201, f"finish blob upload {digest} to {repo}")
        return Descriptor(media_type, digest, len(data))

    def push_manifest(
        self,
        repo: str,
        body: bytes,
        media_type: str,
        *,
        tags: Iterable[str] = (),
        platform: Mapping[str, str] | None = None,
    ) -> PushedManifest:
        """PUT ``body`` by digest, then the same bytes to every tag in ``tags``."""
        digest = sha256_digest(body)
        tags = tuple(tags)
        for reference in (digest, *tags):
            response = self._client.put(
                f"{self.base}/v2/{repo}/manifests/{reference}",
                content=body,
                headers={"Content-Type": media_type},
            )
            _expect(response, 201, f"put manifest {repo}:{reference}")
            stored = response.headers.get("Docker-Content-Digest")
            if stored != digest:
                raise AssertionError(f"registry stored {repo}:{reference} as {stored}, expected {digest}")
        return PushedManifest(Descriptor(media_type, digest, len(body), platform), body, tags)

    def delete_tag_target(self, repo: str, digest: str) -> None:
        """Delete a manifest by digest (distribution deletes manifests, not tags; its tags go with it)."""
        response = self._client.delete(f"{self.base}/v2/{repo}/manifests/{digest}")
        _expect(response, 202, f"delete {repo}@{digest}")

    # -- images -------

    def push_image(
        self,
        repo: str,
        *,
        seed: str,
        platform: str = "linux/amd64",
        flavour: Flavour = "oci",
        tags: Iterable[str] = (),
    ) -> PushedManifest:
        """A single-platform image whose one layer holds ``/seed`` = ``seed`` and ``/platform``."""
        _, manifest_type, config_type, layer_type = _MEDIA_TYPES[flavour]
        plat = parse_platform(platform)
        tar = deterministic_tar({"seed": seed.encode(), "platform": platform.encode()})
        layer = self.push_blob(repo, deterministic_gzip(tar), layer_type)
        config = {
            **plat,
            "config": {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]},
            "created": "1970-01-01T00:00:00Z",
            "rootfs": {"type": "layers", "diff_ids": [sha256_digest(tar)]},
        }
        config_desc = self.push_blob(repo, canonical_json(config), config_type)
        manifest = {
            "schemaVersion": 2,
            "mediaType": manifest_type,
            "config": config_desc.to_json(),
            "layers": [layer.to_json()],
        }
        return self.push_manifest(repo, canonical_json(manifest), manifest_type, tags=tags, platform=plat)

    def push_index(
        self,
        repo: str,
        children: Sequence[PushedManifest],
        *,
        tags: Iterable[str] = (),
        flavour: Flavour = "oci",
    ) -> PushedIndex:
        index_type = _MEDIA_TYPES[flavour][0]
        index = {
            "schemaVersion": 2,
            "mediaType": index_type,
            "manifests": [child.descriptor.to_json() for child in children],
        }
        pushed = self.push_manifest(repo, canonical_json(index), index_type, tags=tags)
        return PushedIndex(pushed, tuple(children))

    def push_multiarch(
        self,
        repo: str,
        *,
        seed: str,
        tags: Iterable[str],
        platforms: Sequence[str] = ("linux/amd64", "linux/arm64/v8"),
        flavour: Flavour = "oci",
    ) -> PushedIndex:
        """A multi-platform image (OCI index or Docker manifest list) tagged with every name in ``tags``."""
        children = [self.push_image(repo, seed=seed, platform=p, flavour=flavour) for p in platforms]
        return self.push_index(repo, children, tags=tags, flavour=flavour)


def _expect(response: httpx.Response, status: int, what: str) -> None:
    if response.status_code != status:
        raise AssertionError(f"{what}: expected HTTP {status}, got {response.status_code}: {response.text[:500]}")

"""A small OCI distribution client: resolve a tag to a digest, list tags. The only code that opens sockets.

Protocol (OCI distribution spec, "Pulling manifests" and "Listing tags"):

- ``HEAD /v2/<name>/manifests/<tag>`` with all four manifest media types in ``Accept`` answers with the digest
  of the top-level manifest in ``Docker-Content-Digest``. A narrower ``Accept`` makes registries answer with
  a platform child's digest, 404 or 400 (Dependabot #2962 wrote wrong pins that way). When the header is
  missing, ``GET`` the manifest and hash the exact body bytes. Docker Hub does not count HEADs against the
  pull rate limit.
- ``GET /v2/<name>/tags/list`` pages with a ``Link: <url>; rel="next"`` header, followed as given (it may be
  relative). Distribution 2.8 returns all tags in one unsorted page.

Transport policy: HTTPS, except that loopback hosts and hosts the user lists as insecure may fall back to
plain HTTP. Retries with exponential backoff on 5xx and network errors, and on 429 after ``Retry-After``.
Redirects are followed by hand so that ``Authorization`` never reaches another host.
"""

from __future__ import annotations

import email.utils
import hashlib
import importlib.util
import ipaddress
import json
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import httpx

from dockmod import __version__
from dockmod.imageref import ImageRef
from dockmod.registry.auth import Authenticator, AuthError, TokenCache
from dockmod.registry.credentials import CredentialError, Credentials
from dockmod.registry.types import ErrorKind

__all__ = [
    "MANIFEST_MEDIA_TYPES",
    "ManifestInfo",
    "RegistryClient",
    "RegistryError",
    "RetryPolicy",
    "is_loopback",
    "parse_link_header",
]

MANIFEST_MEDIA_TYPES: tuple[str, ...] = (
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
)
_ACCEPT = ", ".join(MANIFEST_MEDIA_TYPES)
_DIGEST_RE = re.compile(r"sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128}")
# link-param = token BWS [ "=" BWS ( token / quoted-string ) ]
_LINK_PARAM_RE = re.compile(r'\s*([^=;,\s]+)\s*(?:=\s*("(?:[^"\\]|\\.)*"|[^;,\s]*))?')
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_RETRYABLE_5XX = frozenset({500, 502, 503, 504})
MAX_REDIRECTS = 5
MAX_TAG_PAGES = 1000
# Name and version only: dockmod has no public home page to point registry operators to yet.
USER_AGENT = f"dockmod/{__version__}"


class RegistryError(Exception):
    """A registry operation failed; ``kind`` classifies it, the message says what failed and what to do."""

    def __init__(self, kind: ErrorKind, message: str) -> None:
        self.kind: ErrorKind = kind
        self.message = message
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class ManifestInfo:
    digest: str
    media_type: str | None
    size: int | None


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """``attempts`` tries in all; waits grow ``backoff * 2**n`` up to ``max_backoff``.

    A ``Retry-After`` longer than ``max_retry_after`` is not waited for: the reference fails as unreachable
    (rate limited) instead of stalling the run.
    """

    attempts: int = 4
    backoff: float = 0.5
    max_backoff: float = 8.0
    max_retry_after: float = 60.0

    def wait(self, attempt: int) -> float:
        return float(min(self.max_backoff, self.backoff * (2**attempt)))


def _host_only(host: str) -> str:
    # "name:port" or "[v6]:port" -> name / v6
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def is_loopback(host: str) -> bool:
    """Whether ``host`` (``name[:port]``) names this machine: ``localhost``, 127.0.0.0/8 or ``::1``."""
    name = _host_only(host).lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def parse_link_header(value: str) -> dict[str, str]:
    """``Link`` header (RFC 8288 §3) → {rel: target}; targets are returned as written (maybe relative).

    ``link-value = "<" URI-Reference ">" *( OWS ";" OWS link-param )``, several separated by commas; parameter
    values may be quoted strings containing commas and semicolons.
    """
    links: dict[str, str] = {}
    pos, length = 0, len(value)
    while pos < length:
        start = value.find("<", pos)
        if start < 0:
            break
        end = value.find(">", start)
        if end < 0:
            break
        target, pos = value[start + 1 : end], end + 1
        rels: list[str] = []
        while pos < length:
            while pos < length and value[pos] in " \t":
                pos += 1
            if pos >= length or value[pos] != ";":
                break
            pos += 1
            match = _LINK_PARAM_RE.match(value, pos)
            if match is None:
                break
            pos = match.end()
            if match[1].lower() == "rel" and match[2] is not None:
                rels.extend(match[2].strip('"').split())
        for rel in rels:
            links.setdefault(rel.lower(), target)
        comma = value.find(",", pos)
        pos = length if comma < 0 else comma + 1
    return links


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _http2_available() -> bool:
    return importlib.util.find_spec("h2") is not None


class RegistryClient:
    """Talks to registries for :class:`~dockmod.registry.resolver.Resolver`; safe to share between threads.

    ``credentials`` maps a registry host to the user's credentials (usually ``CredentialStore().get``).
    ``insecure_hosts`` may use plain HTTP (as Docker's ``insecure-registries``); loopback hosts always may.
    ``transport`` replaces the network (tests use ``httpx.MockTransport``); ``sleep`` is how retries wait.
    """

    def __init__(
        self,
        *,
        credentials: Callable[[str], Credentials | None] | None = None,
        insecure_hosts: Iterable[str] = (),
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        tokens: TokenCache | None = None,
    ) -> None:
        self.insecure_hosts = frozenset(h.lower() for h in insecure_hosts)
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        self._http = httpx.Client(
            http2=transport is None and _http2_available(),
            transport=transport,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            follow_redirects=False,
            headers={"User-Agent": USER_AGENT},
        )
        self.auth = Authenticator(
            self._http,
            credentials or (lambda host: None),
            allow_plain_http=self.allows_plain_http,
            tokens=tokens,
        )
        self._schemes: dict[str, str] = {}
        self._schemes_lock = threading.Lock()

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> RegistryClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def allows_plain_http(self, host: str) -> bool:
        return is_loopback(host) or host.lower() in self.insecure_hosts or _host_only(host) in self.insecure_hosts

    # -- public operations -------

    def head_manifest(self, ref: ImageRef) -> ManifestInfo:
        """The digest ``ref``'s tag (or digest) names: from a HEAD, or GET + sha256 without the header."""
        reference = ref.effective_tag or ref.digest
        assert reference is not None  # effective_tag is None only when there is a digest
        host = ref.registry_endpoint
        path = f"/v2/{ref.path}/manifests/{reference}"
        response = self._call("HEAD", host, path, ref)
        if response.status_code == 200:
            digest = response.headers.get("Docker-Content-Digest", "").strip()
            if _DIGEST_RE.fullmatch(digest):
                return ManifestInfo(digest, _media_type(response), _content_length(response))
            # No (usable) digest header: hash what the registry serves. The GET must use the same Accept so
            # the bytes are the top-level manifest's.
            response = self._call("GET", host, path, ref)
            if response.status_code == 200:
                return self._digest_from_body(ref, response)
        raise self._failure(ref, response, what=f"tag {reference}" if ref.effective_tag else f"digest {reference}")

    def list_tags(self, ref: ImageRef) -> list[str]:
        """Every tag of ``ref``'s repository, following ``Link`` pagination; in the registry's order."""
        host = ref.registry_endpoint
        target = f"/v2/{ref.path}/tags/list"
        tags: list[str] = []
        seen: set[str] = set()
        for _ in range(MAX_TAG_PAGES):
            response = self._call("GET", host, target, ref)
            if response.status_code != 200:
                raise self._failure(ref, response, what="tag list")
            try:
                body = json.loads(response.content)
            except ValueError:
                raise RegistryError(
                    "invalid", f"registry {host} answered the tag list of {ref.path} with invalid JSON"
                ) from None
            page = body.get("tags") if isinstance(body, dict) else None
            tags.extend(t for t in (page or []) if isinstance(t, str))
            following = parse_link_header(response.headers.get("Link", "")).get("next")
            if following is None:
                return tags
            # RFC 8288 §3.2: a relative target resolves against the URL of the response that carried it.
            next_url = response.request.url.join(following)
            if _authority(next_url) != _authority(response.request.url):
                raise RegistryError(
                    "invalid",
                    f"registry {host} paginated the tag list of {ref.path} to another host "
                    f"({next_url.host}); refusing to follow",
                )
            target = next_url.raw_path.decode("ascii")
            if target in seen:
                return tags  # a pagination loop: what we have is all there is
            seen.add(target)
        raise RegistryError("invalid", f"registry {host} returned more than {MAX_TAG_PAGES} pages of tags")

    # -- plumbing -------

    def _digest_from_body(self, ref: ImageRef, response: httpx.Response) -> ManifestInfo:
        body = response.content
        computed = "sha256:" + hashlib.sha256(body).hexdigest()
        header = response.headers.get("Docker-Content-Digest", "").strip()
        if header.startswith("sha256:") and header != computed:
            raise RegistryError(
                "invalid",
                f"registry {ref.registry_endpoint} served {ref.familiar} with digest header {header} but the "
                f"body hashes to {computed}; not pinning a digest that cannot be verified",
            )
        return ManifestInfo(computed, _media_type(response), len(body))

    def _failure(self, ref: ImageRef, response: httpx.Response, *, what: str) -> RegistryError:
        host, status = ref.registry_endpoint, response.status_code
        if status == 404:
            return RegistryError(
                "not_found",
                f"{ref.familiar}: registry {host} has no {what} in repository {ref.path} (HTTP 404); "
                "check the name and tag",
            )
        if status in (401, 403):
            return RegistryError(
                "unauthorized",
                f"{ref.familiar}: registry {host} refused access to {ref.path} (HTTP {status}); "
                f"log in with `docker login {host}` or check the repository name",
            )
        if status == 429:
            return RegistryError(
                "unreachable",
                f"{ref.familiar}: registry {host} is rate limiting requests (HTTP 429); retry later",
            )
        if status >= 500:
            return RegistryError(
                "unreachable", f"{ref.familiar}: registry {host} failed with HTTP {status}; retry later"
            )
        return RegistryError(
            "invalid", f"{ref.familiar}: registry {host} answered HTTP {status} for the {what} of {ref.path}"
        )

    def _schemes_for(self, host: str) -> list[str]:
        with self._schemes_lock:
            known = self._schemes.get(host)
        if known is not None:
            return [known]
        return ["https", "http"] if self.allows_plain_http(host) else ["https"]

    def _call(self, method: str, host: str, target: str, ref: ImageRef) -> httpx.Response:
        """One logical request, with scheme fallback, authentication, retries and safe redirects."""
        scheme_errors: list[str] = []
        schemes = self._schemes_for(host)
        for index, scheme in enumerate(schemes):
            try:
                response = self._call_with_retries(
                    method, f"{scheme}://{host}{target}", host, ref, may_fall_back=index + 1 < len(schemes)
                )
            except _SchemeFailed as exc:
                scheme_errors.append(f"{scheme}: {exc.detail}")
                continue
            with self._schemes_lock:
                self._schemes[host] = scheme
            return response
        raise RegistryError(
            "unreachable",
            f"{ref.familiar}: could not reach registry {host} ({'; '.join(scheme_errors)}); "
            "check the network, or resolve from dockmod.lock with --offline",
        )

    def _call_with_retries(
        self, method: str, url: str, host: str, ref: ImageRef, *, may_fall_back: bool
    ) -> httpx.Response:
        scope = f"repository:{ref.path}:pull"
        attempt = 0
        answered_challenge: str | None = None
        while True:
            headers = {"Accept": _ACCEPT}
            try:
                authorization = answered_challenge or self.auth.header_for(host, scope)
            except AuthError as exc:
                raise RegistryError(exc.kind, f"{ref.familiar}: {exc}") from None
            except CredentialError as exc:
                raise RegistryError("unauthorized", f"{ref.familiar}: {exc}") from None
            if authorization:
                headers["Authorization"] = authorization
            try:
                response = self._send(method, url, headers, host, ref)
            except httpx.TransportError as exc:
                # A TLS or connection failure on the first contact may mean "this host speaks plain HTTP";
                # the caller tries the next scheme. Later failures are retried here.
                if isinstance(exc, httpx.ConnectError) and may_fall_back:
                    raise _SchemeFailed(_describe(exc)) from None
                if attempt + 1 >= self.retry.attempts:
                    raise RegistryError(
                        "unreachable",
                        f"{ref.familiar}: registry {host} did not answer after {self.retry.attempts} "
                        f"attempts ({_describe(exc)}); check the network or retry later",
                    ) from None
                self._sleep(self.retry.wait(attempt))
                attempt += 1
                continue
            if response.status_code == 401 and answered_challenge is None:
                try:
                    answered_challenge = self.auth.answer(host, scope, response.headers.get_list("WWW-Authenticate"))
                except AuthError as exc:
                    raise RegistryError(exc.kind, f"{ref.familiar}: {exc}") from None
                except CredentialError as exc:
                    raise RegistryError("unauthorized", f"{ref.familiar}: {exc}") from None
                continue
            if response.status_code == 429 or response.status_code in _RETRYABLE_5XX:
                if attempt + 1 >= self.retry.attempts:
                    return response
                wait = _retry_after(response) if response.status_code == 429 else None
                if wait is None:
                    wait = self.retry.wait(attempt)
                elif wait > self.retry.max_retry_after:
                    return response  # not worth stalling the whole run for
                self._sleep(wait)
                attempt += 1
                continue
            return response

    def _send(self, method: str, url: str, headers: dict[str, str], host: str, ref: ImageRef) -> httpx.Response:
        origin = httpx.URL(url)
        current = origin
        for _ in range(MAX_REDIRECTS + 1):
            request = self._http.build_request(method, current, headers=headers)
            response = self._http.send(request)
            if response.status_code not in _REDIRECTS or "Location" not in response.headers:
                response.read()
                return response
            response.close()
            target = current.join(response.headers["Location"])
            if target.scheme == "http" and current.scheme == "https":
                authority = _authority(target)
                if not self.allows_plain_http(authority):
                    raise RegistryError(
                        "invalid",
                        f"{ref.familiar}: registry {host} redirected to plain HTTP ({target.host}); refusing",
                    )
            if _authority(target) != _authority(origin):
                # Never forward credentials to another host (they were meant for the registry only).
                headers = {k: v for k, v in headers.items() if k.lower() != "authorization"}
            if response.status_code == 303 and method != "HEAD":
                method = "GET"
            current = target
        raise RegistryError("invalid", f"{ref.familiar}: registry {host} redirected more than {MAX_REDIRECTS} times")


class _SchemeFailed(Exception):
    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__(detail)


def _authority(url: httpx.URL) -> str:
    host = f"[{url.host}]" if ":" in url.host else url.host
    return f"{host}:{url.port}" if url.port else host


def _describe(exc: httpx.HTTPError) -> str:
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0][:200]


def _media_type(response: httpx.Response) -> str | None:
    value = response.headers.get("Content-Type")
    return value.split(";", 1)[0].strip() if value else None


def _content_length(response: httpx.Response) -> int | None:
    value = response.headers.get("Content-Length")
    return int(value) if value and value.isdigit() else None

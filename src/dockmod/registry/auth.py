"""Registry authentication: 401 challenges, Bearer tokens, Basic credentials.

Protocol ("Docker Registry v2 authentication via central service", distribution docs/spec/auth/token.md, and
RFC 7235 for the header grammar): a request answered ``401`` carries ``WWW-Authenticate: Bearer realm="...",
service="...",scope="..."``; the client fetches ``GET realm?service=...&scope=...`` (anonymously, with Basic
credentials, or with an OAuth2 refresh token via ``POST``), reads ``token`` or ``access_token`` and
``expires_in`` (default 60 s) from the JSON answer, and retries with ``Authorization: Bearer <token>``. A
``Basic realm="..."`` challenge takes the credentials directly.

Tokens live in memory only, keyed by (registry host, scope). Credentials are sent only to the registry host
that asked for them and to the token realm it named, and only over HTTPS unless the host is loopback or was
declared insecure by the user.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

import httpx

from dockmod.registry.credentials import Credentials

__all__ = [
    "AuthError",
    "Authenticator",
    "Challenge",
    "TokenCache",
    "merge_query",
    "parse_challenges",
]

DEFAULT_TOKEN_LIFETIME = 60.0  # seconds; token.md: "If omitted, a default of 60 seconds should be assumed"
# Refresh a token this long before it expires, so a request never goes out with a token about to lapse.
EXPIRY_MARGIN = 5.0


class AuthError(Exception):
    """Authentication failed; ``kind`` says whether the registry refused us or could not be reached."""

    def __init__(self, kind: Literal["unauthorized", "unreachable", "invalid"], message: str) -> None:
        self.kind: Literal["unauthorized", "unreachable", "invalid"] = kind
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class Challenge:
    """One challenge from a ``WWW-Authenticate`` header; ``scheme`` is lower case, parameter names too."""

    scheme: str
    params: Mapping[str, str]

    @property
    def realm(self) -> str | None:
        return self.params.get("realm")


# -- RFC 7235 challenge parsing -------
#   WWW-Authenticate = 1#challenge
#   challenge        = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
#   auth-param       = token BWS "=" BWS ( token / quoted-string )
# Challenges and their parameters share one comma-separated list, so the list is split on commas outside
# quoted strings first; an element "scheme SP rest" then starts a new challenge, an element "name=value"
# belongs to the current one.

_TOKEN = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
_QUOTED = r'"(?:[^"\\]|\\.)*"'
_PARAM_RE = re.compile(rf"({_TOKEN})[ \t]*=[ \t]*({_TOKEN}|{_QUOTED})")
_SCHEME_RE = re.compile(rf"({_TOKEN})(?:[ \t]+(.*))?", re.DOTALL)
_TOKEN68_RE = re.compile(r"[A-Za-z0-9\-._~+/]+=*")


def _split_list(header: str) -> list[str]:
    elements: list[str] = []
    current: list[str] = []
    in_quotes = escaped = False
    for char in header:
        if escaped:
            escaped = False
        elif in_quotes and char == "\\":
            escaped = True
        elif char == '"':
            in_quotes = not in_quotes
        elif char == "," and not in_quotes:
            elements.append("".join(current).strip())
            current = []
            continue
        current.append(char)
    elements.append("".join(current).strip())
    return [e for e in elements if e]


def _param(element: str) -> tuple[str, str] | None:
    match = _PARAM_RE.fullmatch(element)
    if match is None:
        return None
    value = match[2]
    if value.startswith('"'):
        value = re.sub(r"\\(.)", r"\1", value[1:-1], flags=re.DOTALL)
    return match[1].lower(), value


def parse_challenges(headers: Iterable[str]) -> list[Challenge]:
    """Parse ``WWW-Authenticate`` header values into challenges (RFC 7235 §4.1).

    Handles several challenges per header (and several headers), quoted values containing commas and escaped
    quotes (``scope="repository:a:pull,push"``), and token68 credentials (kept under the ``""`` key).
    Malformed elements are skipped.
    """
    challenges: list[Challenge] = []
    for header in headers:
        scheme: str | None = None
        params: dict[str, str] = {}
        for element in _split_list(header):
            param = _param(element)
            if param is not None and scheme is not None:
                params.setdefault(param[0], param[1])
                continue
            match = _SCHEME_RE.fullmatch(element)
            if match is None or param is not None:
                continue  # a parameter before any scheme, or garbage
            if scheme is not None:
                challenges.append(Challenge(scheme, params))
            scheme, params = match[1].lower(), {}
            rest = (match[2] or "").strip()
            if rest:
                first = _param(rest)
                if first is not None:
                    params[first[0]] = first[1]
                elif _TOKEN68_RE.fullmatch(rest):
                    params[""] = rest
        if scheme is not None:
            challenges.append(Challenge(scheme, params))
    return challenges


def merge_query(url: str, params: Iterable[tuple[str, str]]) -> str:
    """``url`` with ``params`` appended to its existing query (httpx's ``params=`` would replace it)."""
    parsed = httpx.URL(url)
    existing = list(parsed.params.multi_items())
    return str(parsed.copy_with(params=[*existing, *params]))


# -- tokens -------


@dataclass(frozen=True, slots=True)
class _Token:
    value: str
    expires_at: float


class TokenCache:
    """Bearer tokens in memory, keyed by (registry host, scope); never written anywhere."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._tokens: dict[tuple[str, str], _Token] = {}
        self._lock = threading.Lock()
        self._clock = clock

    def get(self, host: str, scope: str) -> str | None:
        with self._lock:
            token = self._tokens.get((host, scope))
            if token is None:
                return None
            if token.expires_at - EXPIRY_MARGIN <= self._clock():
                del self._tokens[(host, scope)]
                return None
            return token.value

    def put(self, host: str, scope: str, value: str, lifetime: float) -> None:
        with self._lock:
            self._tokens[(host, scope)] = _Token(value, self._clock() + lifetime)

    def __len__(self) -> int:
        with self._lock:
            return len(self._tokens)


def _basic_header(credentials: Credentials) -> str:
    raw = f"{credentials.username}:{credentials.secret}".encode()
    return "Basic " + base64.b64encode(raw).decode("ascii")


class Authenticator:
    """Turns 401 challenges into ``Authorization`` headers for one registry client.

    ``credentials_for(host)`` returns the user's credentials for a registry host (or ``None``); it is asked
    only when a registry challenges. ``allow_plain_http(host)`` says whether credentials may travel to
    ``host`` (``name[:port]``) without TLS: loopback and user-declared insecure hosts only.
    """

    def __init__(
        self,
        http: httpx.Client,
        credentials_for: Callable[[str], Credentials | None],
        *,
        allow_plain_http: Callable[[str], bool],
        tokens: TokenCache | None = None,
    ) -> None:
        self._http = http
        self._credentials_for = credentials_for
        self._allow_plain_http = allow_plain_http
        self.tokens = tokens or TokenCache()
        self._lock = threading.Lock()
        # The last challenge each registry host sent: lets us fetch a token for a new repository before the
        # first request (saving a 401 round trip per repository), or send Basic credentials up front.
        self._challenges: dict[str, Challenge] = {}
        self._credentials: dict[str, Credentials | None] = {}

    def credentials(self, host: str) -> Credentials | None:
        with self._lock:
            if host in self._credentials:
                return self._credentials[host]
        found = self._credentials_for(host)
        with self._lock:
            self._credentials[host] = found
        return found

    def header_for(self, host: str, scope: str) -> str | None:
        """An ``Authorization`` value to send with a request to ``host`` for ``scope``, if one is known."""
        with self._lock:
            challenge = self._challenges.get(host)
        if challenge is None:
            return None
        if challenge.scheme == "basic":
            credentials = self.credentials(host)
            return _basic_header(credentials) if credentials is not None else None
        token = self.tokens.get(host, scope)
        if token is not None:
            return f"Bearer {token}"
        # A Bearer registry we have talked to before: get a token for this scope before asking.
        return f"Bearer {self._fetch_token(host, challenge, scope)}"

    def answer(self, host: str, scope: str, www_authenticate: list[str]) -> str:
        """The ``Authorization`` value that answers a 401 from ``host``; raises :class:`AuthError`."""
        challenges = parse_challenges(www_authenticate)
        by_scheme = {c.scheme: c for c in challenges}
        if "bearer" in by_scheme:
            challenge = by_scheme["bearer"]
            if not challenge.realm:
                raise AuthError("invalid", f"registry {host} sent a Bearer challenge without a realm")
            with self._lock:
                self._challenges[host] = challenge
            # The registry's scope wins when it names one: it knows what it will check. The token is cached
            # under our scope too, so the next request for it goes out authorised.
            wanted = challenge.params.get("scope") or scope
            return f"Bearer {self._fetch_token(host, challenge, wanted, also_cache=scope)}"
        if "basic" in by_scheme:
            credentials = self.credentials(host)
            if credentials is None:
                raise AuthError(
                    "unauthorized",
                    f"registry {host} requires a login: run `docker login {host}` "
                    "(dockmod reads ~/.docker/config.json and credential helpers)",
                )
            if credentials.is_identity_token:
                raise AuthError(
                    "unauthorized",
                    f"registry {host} asks for Basic credentials but only an identity token is stored: "
                    f"run `docker login {host}` with a user name and password",
                )
            with self._lock:
                self._challenges[host] = by_scheme["basic"]
            return _basic_header(credentials)
        schemes = ", ".join(sorted(by_scheme)) or "none"
        raise AuthError(
            "unauthorized", f"registry {host} answered 401 with unsupported authentication schemes: {schemes}"
        )

    def _fetch_token(self, host: str, challenge: Challenge, scope: str, *, also_cache: str | None = None) -> str:
        realm = challenge.params["realm"]
        realm_url = httpx.URL(realm)
        if realm_url.scheme not in ("https", "http"):
            raise AuthError("invalid", f"registry {host} named a token realm that is not an HTTP URL: {realm}")
        credentials = self.credentials(host)
        realm_host = realm_url.host + (f":{realm_url.port}" if realm_url.port else "")
        if realm_url.scheme == "http" and credentials is not None and not self._allow_plain_http(realm_host):
            raise AuthError(
                "invalid",
                f"registry {host} asked for credentials over plain HTTP ({realm}); refusing to send them. "
                "List the registry as insecure only if you trust the network.",
            )
        query: list[tuple[str, str]] = []
        if "service" in challenge.params:
            query.append(("service", challenge.params["service"]))
        query.extend(("scope", s) for s in scope.split(" ") if s)
        try:
            if credentials is not None and credentials.is_identity_token:
                # OAuth2 refresh-token grant (distribution docs/spec/auth/oauth.md), how `docker login`
                # identity tokens are exchanged.
                form = {
                    "grant_type": "refresh_token",
                    "refresh_token": credentials.secret,
                    "client_id": "dockmod",
                    "service": challenge.params.get("service", ""),
                    "scope": scope,
                }
                response = self._http.post(realm, data=form, follow_redirects=False)
            else:
                headers = {"Authorization": _basic_header(credentials)} if credentials is not None else {}
                response = self._http.get(merge_query(realm, query), headers=headers, follow_redirects=False)
        except httpx.HTTPError as exc:
            raise AuthError(
                "unreachable", f"could not reach the token service of {host} ({realm_url.host}): {exc}"
            ) from None
        if response.status_code in (401, 403):
            who = f"user {credentials.username!r}" if credentials is not None else "anonymous access"
            raise AuthError(
                "unauthorized",
                f"the token service of {host} refused {who} (HTTP {response.status_code}): "
                f"check the credentials with `docker login {host}`",
            )
        if response.status_code != 200:
            raise AuthError(
                "unreachable" if response.status_code >= 500 else "invalid",
                f"the token service of {host} answered HTTP {response.status_code}",
            )
        try:
            body = json.loads(response.content)
        except ValueError:
            raise AuthError("invalid", f"the token service of {host} answered with invalid JSON") from None
        token = body.get("token") or body.get("access_token") if isinstance(body, dict) else None
        if not isinstance(token, str) or not token:
            raise AuthError("invalid", f"the token service of {host} answered without a token")
        lifetime = body.get("expires_in", DEFAULT_TOKEN_LIFETIME)
        if not isinstance(lifetime, int | float) or isinstance(lifetime, bool) or lifetime <= 0:
            lifetime = DEFAULT_TOKEN_LIFETIME
        self.tokens.put(host, scope, token, float(lifetime))
        if also_cache is not None and also_cache != scope:
            self.tokens.put(host, also_cache, token, float(lifetime))
        return token

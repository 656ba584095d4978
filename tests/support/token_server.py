"""A small Docker token server for distribution's ``auth: token`` mode.

Distribution (2.8.2, ``registry/auth/token``) accepts a JWT signed with ES256 whose header carries the signing
certificate chain in ``x5c``; the chain must verify against the ``rootcertbundle`` named in the registry's
config. The claim set it checks: ``iss`` (= config ``issuer``), ``aud`` (= config ``service``),
``exp``/``nbf`` (with a minute of leeway) and ``access`` (a list of ``{type, name, actions}``). The token
endpoint protocol ("Docker Registry v2 authentication via central service", docs/spec/auth/token.md):
``GET realm?service=S&scope=repository:NAME:ACTIONS[&scope=...]`` with optional Basic credentials; the answer
is JSON with ``token`` (and ``access_token``), ``expires_in`` and ``issued_at``.

The server generates a throw-away CA and a signing leaf on start; nothing touches disk except the root
certificate bundle the registry reads.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import NameOID

ISSUER = "dockmod-test-issuer"
SERVICE = "dockmod-test-registry"

AnonymousAccess = Literal["none", "pull"]


@dataclass(frozen=True, slots=True)
class TokenRequest:
    """One request the token server answered: who asked (``None`` = anonymous) and for which scopes."""

    account: str | None
    scopes: tuple[str, ...]
    service: str | None
    status: int


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class _SigningMaterial:
    """A throw-away root CA and an ES256 leaf it signed; the leaf signs tokens."""

    def __init__(self) -> None:
        now = dt.datetime.now(dt.UTC)
        self.root_key = ec.generate_private_key(ec.SECP256R1())
        root_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "dockmod test token CA")])
        self.root_cert = (
            x509.CertificateBuilder()
            .subject_name(root_name)
            .issuer_name(root_name)
            .public_key(self.root_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .sign(self.root_key, hashes.SHA256())
        )
        self.leaf_key = ec.generate_private_key(ec.SECP256R1())
        # No ExtendedKeyUsage extension: Go's x509.Verify (used by distribution with default options, i.e.
        # ServerAuth) accepts a leaf without EKU for any usage.
        self.leaf_cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "dockmod test token signer")]))
            .issuer_name(root_name)
            .public_key(self.leaf_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .sign(self.root_key, hashes.SHA256())
        )

    def root_pem(self) -> bytes:
        return self.root_cert.public_bytes(serialization.Encoding.PEM)

    def sign_jwt(self, claims: Mapping[str, Any]) -> str:
        header = {
            "typ": "JWT",
            "alg": "ES256",
            # x5c holds standard (not URL-safe) base64 DER certificates, leaf first (RFC 7515 §4.1.6).
            "x5c": [
                base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode("ascii")
                for cert in (self.leaf_cert, self.root_cert)
            ],
        }
        signing_input = (
            _b64url(json.dumps(header, separators=(",", ":")).encode())
            + "."
            + _b64url(json.dumps(dict(claims), separators=(",", ":")).encode())
        )
        der = self.leaf_key.sign(signing_input.encode("ascii"), ec.ECDSA(hashes.SHA256()))
        # JWS ES256 signatures are the raw 32-byte R || S pair (RFC 7518 §3.4), not the DER that
        # cryptography produces.
        r, s = decode_dss_signature(der)
        return signing_input + "." + _b64url(r.to_bytes(32, "big") + s.to_bytes(32, "big"))


class TokenServer:
    """Issues registry tokens on ``http://127.0.0.1:PORT/token``.

    ``users`` maps user names to plain-text passwords. A request with valid Basic credentials is granted every
    action it asks for; a request with wrong credentials gets 401; an anonymous request is granted ``pull``
    when ``anonymous`` is ``"pull"`` and nothing otherwise (the registry then answers 401 again).
    """

    def __init__(
        self,
        *,
        users: Mapping[str, str] | None = None,
        anonymous: AnonymousAccess = "none",
        expires_in: int = 300,
    ) -> None:
        self.users: dict[str, str] = dict(users or {})
        self.anonymous: AnonymousAccess = anonymous
        self.expires_in = expires_in
        self.issuer = ISSUER
        self.service = SERVICE
        self._material = _SigningMaterial()
        self._requests: list[TokenRequest] = []
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------

    def start(self) -> None:
        if self._httpd is not None:
            raise RuntimeError("token server already started")
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="token-server", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> TokenServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("token server not started")
        return int(self._httpd.server_address[1])

    @property
    def realm(self) -> str:
        return f"http://127.0.0.1:{self.port}/token"

    def write_root_bundle(self, path: Path) -> Path:
        path.write_bytes(self._material.root_pem())
        return path

    @property
    def requests(self) -> list[TokenRequest]:
        with self._lock:
            return list(self._requests)

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    # -- token issuing -------

    def issue(self, account: str | None, scopes: tuple[str, ...]) -> str:
        """A signed token granting ``account`` (None = anonymous) what the policy allows for ``scopes``."""
        access: list[dict[str, Any]] = []
        for scope in scopes:
            # scope = resourcetype:resourcename:action[,action...]; the name may contain ':' (a port), so
            # split the type off the front and the actions off the back (docs/spec/auth/scope.md).
            kind, _, rest = scope.partition(":")
            name, _, actions = rest.rpartition(":")
            if not kind or not name:
                continue
            wanted = [a for a in actions.split(",") if a]
            if account is not None:
                granted = wanted
            elif self.anonymous == "pull":
                granted = [a for a in wanted if a == "pull"]
            else:
                granted = []
            access.append({"type": kind, "name": name, "actions": granted})
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": account or "",
            "aud": self.service,
            "exp": now + self.expires_in,
            "nbf": now - 10,
            "iat": now,
            "jti": uuid.uuid4().hex,
            "access": access,
        }
        return self._material.sign_jwt(claims)

    def _record(self, request: TokenRequest) -> None:
        with self._lock:
            self._requests.append(request)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return  # keep test output quiet; requests are recorded in TokenServer.requests

            def _reply(self, status: int, body: Mapping[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                if status == 401:
                    self.send_header("WWW-Authenticate", 'Basic realm="dockmod-test-token"')
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                query = parse_qs(url.query)
                scopes = tuple(s for value in query.get("scope", []) for s in value.split(" ") if s)
                service = query.get("service", [None])[0]
                if url.path != "/token":
                    server._record(TokenRequest(None, scopes, service, 404))
                    self._reply(404, {"errors": [{"code": "NOT_FOUND", "message": url.path}]})
                    return
                account: str | None = None
                header = self.headers.get("Authorization")
                if header is not None:
                    kind, _, value = header.partition(" ")
                    try:
                        user, _, password = base64.b64decode(value, validate=True).decode().partition(":")
                    except (binascii.Error, UnicodeDecodeError):
                        user, password = "", ""
                    if kind.lower() != "basic" or server.users.get(user) != password or not user:
                        server._record(TokenRequest(user or None, scopes, service, 401))
                        self._reply(401, {"errors": [{"code": "UNAUTHORIZED", "message": "bad credentials"}]})
                        return
                    account = user
                token = server.issue(account, scopes)
                server._record(TokenRequest(account, scopes, service, 200))
                self._reply(
                    200,
                    {
                        "token": token,
                        "access_token": token,
                        "expires_in": server.expires_in,
                        "issued_at": dt.datetime.now(dt.UTC).isoformat(),
                    },
                )

        return Handler

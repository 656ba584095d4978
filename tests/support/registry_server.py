"""A real OCI registry for tests: Debian's ``docker-registry`` (distribution 2.8.2) on 127.0.0.1.

Every server gets its own config file (never the packaged ``/etc/docker/registry/config.yml``, which listens
on all interfaces and turns on htpasswd), its own storage root, and a free port. Auth variants:

- ``none``: anonymous pull and push.
- ``htpasswd``: distribution's htpasswd backend accepts bcrypt entries only; the file is generated from
  ``users`` with the ``bcrypt`` package.
- ``token``: a :class:`~support.token_server.TokenServer` in this process is the realm; the registry verifies
  its ES256 tokens against the root certificate written next to the config.

Distribution logs every request twice: an Apache combined-format access log on stdout (gorilla/handlers) and a
logrus "response completed" entry on stderr. :attr:`RegistryServer.access_log` parses the stdout one.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import ssl
import subprocess
import threading
import time
import uuid
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal
from urllib.parse import urlsplit

import httpx

from support.token_server import TokenServer

AuthMode = Literal["none", "htpasswd", "token"]

DEFAULT_BINARY = "/usr/bin/docker-registry"
_MARKER_PATH = "/v2/"
_MARKER_PARAM = "dockmod-log-marker"

# 127.0.0.1 - - [26/Nov/2026:19:29:53 +0000] "HEAD /v2/foo/manifests/latest HTTP/1.1" 404 96 "" "curl/7.88.1"
_COMBINED_LOG = re.compile(
    r"^(?P<remote>\S+) \S+ (?P<user>\S+) \[(?P<time>[^\]]+)\] "
    r'"(?P<method>[A-Z]+) (?P<target>\S+) (?P<proto>[^"]+)"'
    r" (?P<status>\d{3}) (?P<size>\d+|-)"
)


def registry_binary() -> Path | None:
    """The ``docker-registry`` executable: ``$DOCKMOD_REGISTRY_BIN``, then ``PATH``, then Debian's path."""
    configured = os.environ.get("DOCKMOD_REGISTRY_BIN")
    if configured:
        return Path(configured) if Path(configured).is_file() else None
    found = shutil.which("docker-registry")
    if found:
        return Path(found)
    return Path(DEFAULT_BINARY) if Path(DEFAULT_BINARY).is_file() else None


@dataclass(frozen=True, slots=True)
class AccessLogEntry:
    """One request as the registry logged it."""

    method: str
    target: str  # path and query, as sent
    status: int
    protocol: str = "HTTP/1.1"  # as the server saw it: "HTTP/2.0" over TLS with ALPN

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    @property
    def is_manifest_request(self) -> bool:
        return "/manifests/" in self.path


def free_port() -> int:
    """A port that was free a moment ago (the caller retries if someone else takes it first)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _yaml_str(value: str) -> str:
    # JSON string literals are valid YAML double-quoted scalars.
    import json

    return json.dumps(value)


class RegistryStartError(RuntimeError):
    pass


class RegistryServer:
    """Runs ``docker-registry serve`` on 127.0.0.1; use as a context manager.

    ``root`` holds the config, credentials and storage (``root / "storage"``); restarting a server on the same
    root keeps the pushed images. ``users`` maps user names to plain-text passwords for ``htpasswd`` and
    ``token`` auth.
    """

    def __init__(
        self,
        root: Path,
        *,
        auth: AuthMode = "none",
        users: Mapping[str, str] | None = None,
        binary: Path | None = None,
        anonymous_pull: bool = False,
        tls: bool = False,
    ) -> None:
        self.root = Path(root)
        # HTTPS with a certificate of its own for 127.0.0.1 (``ca_file`` trusts it); Go's server then offers
        # HTTP/2 through ALPN, as registries on the internet do.
        self.tls = tls
        self.auth: AuthMode = auth
        self.users: dict[str, str] = dict(users or {})
        self.anonymous_pull = anonymous_pull
        self._binary = binary
        self._port: int | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._threads: list[threading.Thread] = []
        self._log: list[AccessLogEntry] = []
        self._log_lock = threading.Lock()
        self._log_changed = threading.Condition(self._log_lock)
        self._stderr_tail: deque[str] = deque(maxlen=200)
        self.token_server: TokenServer | None = None

    # -- addresses -------

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("registry not started")
        return self._port

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://{self.host}"

    def ssl_context(self) -> ssl.SSLContext:
        """A client context that trusts this registry's certificate (and nothing else)."""
        return ssl.create_default_context(cafile=str(self.ca_file))

    @property
    def ca_file(self) -> Path:
        """The self-signed certificate a TLS registry serves; trust it (``SSL_CERT_FILE``) to reach it."""
        return self.root / "tls-cert.pem"

    @property
    def storage(self) -> Path:
        return self.root / "storage"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    # -- lifecycle -------

    def start(self, timeout: float = 20.0) -> None:
        if self.running:
            raise RuntimeError("registry already running")
        binary = self._binary or registry_binary()
        if binary is None:
            raise RegistryStartError("docker-registry not found: install Debian's docker-registry package")
        self.root.mkdir(parents=True, exist_ok=True)
        self.storage.mkdir(exist_ok=True)
        if self.auth == "token" and self.token_server is None:
            self.token_server = TokenServer(users=self.users, anonymous="pull" if self.anonymous_pull else "none")
            self.token_server.start()
        last_error = ""
        # A free port can be taken between probing and binding: try a few.
        for _ in range(5):
            self._port = free_port()
            config = self._write_config()
            self._process = subprocess.Popen(
                [str(binary), "serve", str(config)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                cwd=self.root,
            )
            self._start_readers()
            try:
                self._wait_ready(timeout)
                return
            except RegistryStartError as exc:
                last_error = str(exc)
                self._terminate()
                if "address already in use" not in last_error:
                    break
        self._stop_token_server()
        raise RegistryStartError(last_error)

    def stop(self) -> None:
        self._terminate()
        self._stop_token_server()

    def __enter__(self) -> RegistryServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _terminate(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads = []

    def _stop_token_server(self) -> None:
        if self.token_server is not None:
            self.token_server.stop()
            self.token_server = None

    # -- config -------

    def _write_config(self) -> Path:
        lines = [
            "version: 0.1",
            "log:",
            "  level: info",
            "  formatter: json",
            "  accesslog:",
            "    disabled: false",
            "storage:",
            "  filesystem:",
            f"    rootdirectory: {_yaml_str(str(self.storage))}",
            "  delete:",
            "    enabled: true",
            "  maintenance:",
            "    uploadpurging:",
            "      enabled: false",
            "http:",
            f"  addr: {_yaml_str(self.host)}",
            # A fixed secret silences the warning; uploads never cross instances here.
            f"  secret: {_yaml_str('dockmod-test-' + uuid.uuid4().hex)}",
            "health:",
            "  storagedriver:",
            "    enabled: false",
        ]
        if self.tls:
            key = self._write_certificate()
            i = lines.index("health:")
            lines[i:i] = [
                "  tls:",
                f"    certificate: {_yaml_str(str(self.ca_file))}",
                f"    key: {_yaml_str(str(key))}",
            ]
        if self.auth == "htpasswd":
            htpasswd = self._write_htpasswd()
            lines += [
                "auth:",
                "  htpasswd:",
                "    realm: dockmod-test",
                f"    path: {_yaml_str(str(htpasswd))}",
            ]
        elif self.auth == "token":
            assert self.token_server is not None
            bundle = self.token_server.write_root_bundle(self.root / "token-root.pem")
            lines += [
                "auth:",
                "  token:",
                f"    realm: {_yaml_str(self.token_server.realm)}",
                f"    service: {_yaml_str(self.token_server.service)}",
                f"    issuer: {_yaml_str(self.token_server.issuer)}",
                f"    rootcertbundle: {_yaml_str(str(bundle))}",
            ]
        config = self.root / "config.yml"
        config.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return config

    def _write_certificate(self) -> Path:
        """A self-signed certificate for 127.0.0.1 (``ca_file``), and its key; returns the key's path."""
        import datetime
        import ipaddress

        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
        now = datetime.datetime.now(datetime.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .sign(key, hashes.SHA256())
        )
        self.ca_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        key_path = self.root / "tls-key.pem"
        key_path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        return key_path

    def _write_htpasswd(self) -> Path:
        import bcrypt

        # Distribution's htpasswd backend only understands bcrypt ("$2y$"/"$2b$"); cost 4 keeps tests fast.
        entries = [
            f"{user}:{bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=4)).decode()}"
            for user, password in sorted(self.users.items())
        ]
        path = self.root / "htpasswd"
        path.write_text("\n".join(entries) + "\n", encoding="utf-8")
        return path

    # -- logs -------

    def _start_readers(self) -> None:
        assert self._process is not None
        assert self._process.stdout is not None
        assert self._process.stderr is not None
        self._threads = [
            threading.Thread(target=self._read_stdout, args=(self._process.stdout,), daemon=True),
            threading.Thread(target=self._read_stderr, args=(self._process.stderr,), daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def _read_stdout(self, stream: IO[bytes]) -> None:
        for raw in stream:
            match = _COMBINED_LOG.match(raw.decode("utf-8", "replace"))
            if match is None:
                continue
            entry = AccessLogEntry(match["method"], match["target"], int(match["status"]), match["proto"])
            with self._log_changed:
                self._log.append(entry)
                self._log_changed.notify_all()

    def _read_stderr(self, stream: IO[bytes]) -> None:
        for raw in stream:
            self._stderr_tail.append(raw.decode("utf-8", "replace").rstrip("\n"))

    @property
    def stderr_tail(self) -> str:
        return "\n".join(self._stderr_tail)

    @property
    def access_log(self) -> list[AccessLogEntry]:
        """Every request the registry has logged so far, oldest first (readiness and marker probes excluded).

        The registry writes a log line after the response has gone out, so a test that reads the log right
        after its last request could miss it; while the server runs, a marker request is sent and the log is
        read up to that marker.
        """
        if self.running:
            self._sync_log()
        with self._log_lock:
            return [e for e in self._log if _MARKER_PARAM not in e.target]

    def manifest_requests(self) -> list[AccessLogEntry]:
        return [e for e in self.access_log if e.is_manifest_request]

    def clear_access_log(self) -> None:
        if self.running:
            self._sync_log()
        with self._log_lock:
            self._log.clear()

    def _sync_log(self, timeout: float = 5.0) -> None:
        token = uuid.uuid4().hex
        with contextlib.suppress(httpx.HTTPError):
            httpx.get(f"{self.url}{_MARKER_PATH}?{_MARKER_PARAM}={token}", timeout=timeout)
        deadline = time.monotonic() + timeout
        with self._log_changed:
            while not any(token in e.target for e in self._log[-50:]):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"registry did not log the marker request within {timeout}s")
                self._log_changed.wait(remaining)
        # Lines for concurrent requests that finished just before the marker may land a moment later.
        time.sleep(0.02)

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        probe = f"{self.url}{_MARKER_PATH}?{_MARKER_PARAM}=ready"
        while time.monotonic() < deadline:
            if self._process is None or self._process.poll() is not None:
                time.sleep(0.05)  # let the stderr reader catch the last lines
                raise RegistryStartError(f"docker-registry exited during start-up:\n{self.stderr_tail}")
            try:
                response = httpx.get(probe, timeout=1.0, verify=self.ssl_context() if self.tls else True)
            except httpx.HTTPError:
                time.sleep(0.05)
                continue
            # /v2/ answers 200 without auth and 401 with it; either means the API is up.
            if response.status_code in (200, 401):
                return
            time.sleep(0.05)
        raise RegistryStartError(f"docker-registry not ready within {timeout}s:\n{self.stderr_tail}")

"""Registry credentials from Docker's client configuration, read-only.

Where Docker keeps them (docker/cli ``cli/config/configfile``, ``docker-credential-helpers``):

- ``$DOCKER_CONFIG/config.json``, else ``~/.docker/config.json``;
- ``credHelpers.<host>``: a per-registry helper; it wins over everything else;
- ``credsStore``: the default helper for every registry;
- ``auths.<host>``: ``auth`` is base64 ``user:password``; ``identitytoken`` is an OAuth2 refresh token
  (``username`` is then ``<token>`` in helper answers);
- Docker Hub's key is ``https://index.docker.io/v1/``; other keys may carry a scheme or path
  (``https://ghcr.io``), which Docker strips when matching a host.

Helper protocol: run ``docker-credential-<name> get``, write the server URL to its stdin, read
``{"ServerURL", "Username", "Secret"}`` from its stdout. Secrets are never logged, cached, written, or put in
exception messages; :class:`Credentials` hides them from ``repr``.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "DOCKER_HUB_CONFIG_KEY",
    "CredentialError",
    "CredentialStore",
    "Credentials",
    "config_path",
    "run_helper",
]

DOCKER_HUB_CONFIG_KEY = "https://index.docker.io/v1/"
_DOCKER_HUB_HOSTS = frozenset({"docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"})
# docker-credential-helpers answers this user name when the secret is an identity token.
_IDENTITY_TOKEN_USER = "<token>"
_HELPER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
HELPER_TIMEOUT = 30.0


class CredentialError(Exception):
    """The Docker configuration or a credential helper is broken; the message says which and how to fix it."""


@dataclass(frozen=True, slots=True)
class Credentials:
    """A user name and a secret (a password, or an identity token when ``is_identity_token``)."""

    username: str
    secret: str = field(repr=False)
    is_identity_token: bool = False


def config_path(env: Mapping[str, str] | None = None) -> Path:
    """``$DOCKER_CONFIG/config.json``, else ``~/.docker/config.json``."""
    env = os.environ if env is None else env
    directory = env.get("DOCKER_CONFIG")
    if directory:
        return Path(directory) / "config.json"
    home = env.get("HOME")
    return (Path(home) if home else Path.home()) / ".docker" / "config.json"


def _hostname(key: str) -> str:
    # docker/cli credentials.ConvertToHostname: drop the scheme and anything after the first "/".
    for prefix in ("https://", "http://"):
        if key.startswith(prefix):
            key = key[len(prefix) :]
            break
    return key.split("/", 1)[0]


def config_key(host: str) -> str:
    """The key Docker files ``host``'s credentials under: Docker Hub's legacy URL, else the host."""
    return DOCKER_HUB_CONFIG_KEY if host in _DOCKER_HUB_HOSTS else host


HelperRunner = Callable[[str, str], "Credentials | None"]


def run_helper(helper: str, server_url: str) -> Credentials | None:
    """Ask ``docker-credential-<helper>`` for ``server_url``'s credentials; ``None`` when it has none."""
    if _HELPER_NAME.fullmatch(helper) is None:
        raise CredentialError(f"invalid credential helper name {helper!r} in the Docker configuration")
    program = f"docker-credential-{helper}"
    executable = shutil.which(program)
    if executable is None:
        raise CredentialError(
            f"credential helper {program} (configured in the Docker configuration) is not on PATH: "
            "install it or remove it from credHelpers/credsStore"
        )
    try:
        completed = subprocess.run(
            [executable, "get"],
            input=server_url.encode(),
            capture_output=True,
            timeout=HELPER_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise CredentialError(f"credential helper {program} did not answer within {HELPER_TIMEOUT:.0f}s") from None
    except OSError as exc:
        raise CredentialError(f"could not run credential helper {program}: {exc.strerror}") from None
    if completed.returncode != 0:
        # docker-credential-helpers prints "credentials not found in native keychain" for a miss; anything
        # else is an error. Only that fixed message is inspected: the output could contain secrets.
        if b"credentials not found" in completed.stdout.lower() + completed.stderr.lower():
            return None
        raise CredentialError(
            f"credential helper {program} failed for {server_url} (exit status {completed.returncode})"
        )
    try:
        answer = json.loads(completed.stdout)
    except ValueError:
        raise CredentialError(f"credential helper {program} answered with invalid JSON") from None
    if not isinstance(answer, dict):
        raise CredentialError(f"credential helper {program} answered with invalid JSON")
    username, secret = answer.get("Username"), answer.get("Secret")
    if not isinstance(username, str) or not isinstance(secret, str) or not secret:
        return None
    if username == _IDENTITY_TOKEN_USER:
        return Credentials(username, secret, is_identity_token=True)
    return Credentials(username, secret)


class CredentialStore:
    """Looks up credentials per registry host in the Docker configuration (read once, lazily)."""

    def __init__(
        self,
        path: Path | None = None,
        *,
        env: Mapping[str, str] | None = None,
        helper: HelperRunner = run_helper,
    ) -> None:
        self.path = path if path is not None else config_path(env)
        self._helper = helper
        self._config: dict[str, Any] | None = None

    def _load(self) -> dict[str, Any]:
        if self._config is None:
            try:
                text = self.path.read_text(encoding="utf-8")
            except FileNotFoundError:
                text = "{}"
            except OSError as exc:
                raise CredentialError(f"cannot read {self.path}: {exc.strerror}") from None
            try:
                config = json.loads(text) if text.strip() else {}
            except ValueError as exc:
                raise CredentialError(
                    f"{self.path} is not valid JSON (line {exc.lineno if hasattr(exc, 'lineno') else '?'}): "
                    "fix or remove it"
                ) from None
            self._config = config if isinstance(config, dict) else {}
        return self._config

    def get(self, host: str) -> Credentials | None:
        """Credentials for the registry ``host`` (``host[:port]``; any Docker Hub alias), or ``None``."""
        config = self._load()
        key = config_key(host)
        helpers = config.get("credHelpers")
        if isinstance(helpers, dict):
            for name, helper in helpers.items():
                if isinstance(helper, str) and (name == key or _hostname(name) == host):
                    return self._helper(helper, key)
        store = config.get("credsStore")
        if isinstance(store, str) and store:
            found = self._helper(store, key)
            if found is not None:
                return found
        return self._from_auths(config, host, key)

    def _from_auths(self, config: Mapping[str, Any], host: str, key: str) -> Credentials | None:
        auths = config.get("auths")
        if not isinstance(auths, dict):
            return None
        entry = auths.get(key)
        if entry is None:
            wanted = _hostname(key)
            entry = next((v for k, v in auths.items() if _hostname(k) == wanted), None)
        if not isinstance(entry, dict):
            return None
        username = entry.get("username") if isinstance(entry.get("username"), str) else ""
        password = entry.get("password") if isinstance(entry.get("password"), str) else ""
        encoded = entry.get("auth")
        if isinstance(encoded, str) and encoded:
            try:
                decoded = base64.b64decode(encoded, validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                raise CredentialError(
                    f"the 'auth' entry for {key} in {self.path} is not base64 user:password: "
                    f"run `docker login {host}` again"
                ) from None
            username, sep, password = decoded.partition(":")
            if not sep:
                raise CredentialError(
                    f"the 'auth' entry for {key} in {self.path} has no ':' between user and password: "
                    f"run `docker login {host}` again"
                )
        identity = entry.get("identitytoken")
        if isinstance(identity, str) and identity:
            return Credentials(str(username), identity, is_identity_token=True)
        if username and password:
            return Credentials(str(username), str(password))
        return None

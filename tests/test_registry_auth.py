"""Challenge parsing, the token cache, and credentials from Docker's configuration and helpers."""

from __future__ import annotations

import base64
import json
import os
import stat
from pathlib import Path

import pytest

from dockmod.registry.auth import Challenge, TokenCache, merge_query, parse_challenges
from dockmod.registry.credentials import (
    DOCKER_HUB_CONFIG_KEY,
    CredentialError,
    Credentials,
    CredentialStore,
    config_path,
)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        pytest.param(
            [
                'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",'
                'scope="repository:samalba/my-app:pull,push"'
            ],
            [
                Challenge(
                    "bearer",
                    {
                        "realm": "https://auth.docker.io/token",
                        "service": "registry.docker.io",
                        "scope": "repository:samalba/my-app:pull,push",
                    },
                )
            ],
            id="docker-hub-scope-with-comma",
        ),
        pytest.param(
            ['Basic realm="registry", Bearer realm="https://t/token", error="insufficient_scope"'],
            [
                Challenge("basic", {"realm": "registry"}),
                Challenge("bearer", {"realm": "https://t/token", "error": "insufficient_scope"}),
            ],
            id="two-challenges-one-header",
        ),
        pytest.param(
            ['Basic realm="a"', 'Bearer realm="b"'],
            [Challenge("basic", {"realm": "a"}), Challenge("bearer", {"realm": "b"})],
            id="two-headers",
        ),
        pytest.param(
            ['BEARER Realm = "x \\"quoted\\" y" , Service=tok'],
            [Challenge("bearer", {"realm": 'x "quoted" y', "service": "tok"})],
            id="case-spaces-escapes",
        ),
        pytest.param(["Negotiate abc123=="], [Challenge("negotiate", {"": "abc123=="})], id="token68"),
        pytest.param(
            ['Bearer realm="r",scope="repository:a:pull repository:b:pull"'],
            [Challenge("bearer", {"realm": "r", "scope": "repository:a:pull repository:b:pull"})],
            id="space-in-scope",
        ),
        pytest.param(["Bearer"], [Challenge("bearer", {})], id="bare-scheme"),
        pytest.param([""], [], id="empty"),
        pytest.param(['realm="orphan", Basic realm="x"'], [Challenge("basic", {"realm": "x"})], id="orphan-param"),
    ],
)
def test_parse_challenges(headers: list[str], expected: list[Challenge]) -> None:
    assert parse_challenges(headers) == expected


def test_merge_query_keeps_existing_parameters() -> None:
    url = merge_query("https://auth.example/token?account=x", [("service", "s"), ("scope", "repository:a:pull")])
    assert url == "https://auth.example/token?account=x&service=s&scope=repository%3Aa%3Apull"


def test_token_cache_expiry() -> None:
    now = [100.0]
    cache = TokenCache(clock=lambda: now[0])
    cache.put("h", "repository:a:pull", "t1", 60)
    assert cache.get("h", "repository:a:pull") == "t1"
    assert cache.get("h", "repository:b:pull") is None
    assert cache.get("other", "repository:a:pull") is None
    now[0] += 54
    assert cache.get("h", "repository:a:pull") == "t1"
    now[0] += 2  # within the safety margin before expiry: treated as expired
    assert cache.get("h", "repository:a:pull") is None


# -- credentials -------


def write_config(directory: Path, config: dict[str, object]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "config.json"
    path.write_text(json.dumps(config))
    return path


def basic(user: str, password: str) -> str:
    return base64.b64encode(f"{user}:{password}".encode()).decode()


def test_config_path_prefers_docker_config(tmp_path: Path) -> None:
    assert config_path({"DOCKER_CONFIG": str(tmp_path), "HOME": "/nowhere"}) == tmp_path / "config.json"
    assert config_path({"HOME": str(tmp_path)}) == tmp_path / ".docker" / "config.json"


def test_auths_basic(tmp_path: Path) -> None:
    path = write_config(tmp_path, {"auths": {"ghcr.io": {"auth": basic("bob", "p:w")}}})
    store = CredentialStore(path)
    assert store.get("ghcr.io") == Credentials("bob", "p:w")
    assert store.get("quay.io") is None


def test_auths_keys_with_scheme_and_docker_hub(tmp_path: Path) -> None:
    path = write_config(
        tmp_path,
        {
            "auths": {
                DOCKER_HUB_CONFIG_KEY: {"auth": basic("hub", "pw")},
                "https://registry.example:5000/v2/": {"auth": basic("ex", "pw2")},
            }
        },
    )
    store = CredentialStore(path)
    for host in ("registry-1.docker.io", "docker.io", "index.docker.io"):
        assert store.get(host) == Credentials("hub", "pw")
    assert store.get("registry.example:5000") == Credentials("ex", "pw2")


def test_identity_token(tmp_path: Path) -> None:
    path = write_config(tmp_path, {"auths": {"r.example": {"auth": basic("<token>", ""), "identitytoken": "rt"}}})
    found = CredentialStore(path).get("r.example")
    assert found == Credentials("<token>", "rt", is_identity_token=True)


def test_missing_config_means_anonymous(tmp_path: Path) -> None:
    assert CredentialStore(tmp_path / "absent.json").get("ghcr.io") is None


def test_broken_config_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text("{not json")
    with pytest.raises(CredentialError, match=str(path)):
        CredentialStore(path).get("ghcr.io")


def test_bad_base64_does_not_leak(tmp_path: Path) -> None:
    path = write_config(tmp_path, {"auths": {"ghcr.io": {"auth": "secret!!"}}})
    with pytest.raises(CredentialError) as info:
        CredentialStore(path).get("ghcr.io")
    assert "secret" not in str(info.value)
    assert "docker login ghcr.io" in str(info.value)


def test_repr_hides_secret() -> None:
    assert "hunter2" not in repr(Credentials("bob", "hunter2"))


@pytest.fixture
def fake_helpers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Real ``docker-credential-*`` executables on PATH; each logs the server URL it was asked for."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "helper.log"
    scripts = {
        "store": f"""#!/bin/sh
[ "$1" = get ] || exit 3
read url
echo "store $url" >> {log}
case "$url" in
  {DOCKER_HUB_CONFIG_KEY}) echo '{{"ServerURL":"'"$url"'","Username":"hubuser","Secret":"hubpw"}}' ;;
  ghcr.io) echo '{{"ServerURL":"ghcr.io","Username":"<token>","Secret":"refresh"}}' ;;
  *) echo "credentials not found in native keychain"; exit 1 ;;
esac
""",
        "ecr": f"""#!/bin/sh
read url
echo "ecr $url" >> {log}
echo '{{"ServerURL":"'"$url"'","Username":"AWS","Secret":"ecrpw"}}'
""",
        "broken": """#!/bin/sh
echo "oops secret-in-output" >&2
exit 2
""",
    }
    for name, text in scripts.items():
        path = bin_dir / f"docker-credential-{name}"
        path.write_text(text)
        path.chmod(path.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    return log


def test_creds_store_default_helper(tmp_path: Path, fake_helpers: Path) -> None:
    path = write_config(tmp_path / "cfg", {"credsStore": "store", "auths": {"quay.io": {"auth": basic("q", "qp")}}})
    store = CredentialStore(path)
    assert store.get("registry-1.docker.io") == Credentials("hubuser", "hubpw")
    assert store.get("ghcr.io") == Credentials("<token>", "refresh", is_identity_token=True)
    # The store has nothing for quay.io: the auths entry is the fallback.
    assert store.get("quay.io") == Credentials("q", "qp")
    assert fake_helpers.read_text().splitlines() == [
        f"store {DOCKER_HUB_CONFIG_KEY}",
        "store ghcr.io",
        "store quay.io",
    ]


def test_cred_helpers_win(tmp_path: Path, fake_helpers: Path) -> None:
    path = write_config(
        tmp_path / "cfg",
        {
            "credsStore": "store",
            "credHelpers": {"123.dkr.ecr.example": "ecr"},
            "auths": {"123.dkr.ecr.example": {"auth": basic("old", "old")}},
        },
    )
    assert CredentialStore(path).get("123.dkr.ecr.example") == Credentials("AWS", "ecrpw")
    assert fake_helpers.read_text().splitlines() == ["ecr 123.dkr.ecr.example"]


def test_failing_helper_is_reported_without_its_output(tmp_path: Path, fake_helpers: Path) -> None:
    path = write_config(tmp_path / "cfg", {"credHelpers": {"ghcr.io": "broken"}})
    with pytest.raises(CredentialError) as info:
        CredentialStore(path).get("ghcr.io")
    assert "docker-credential-broken" in str(info.value)
    assert "secret-in-output" not in str(info.value)


def test_missing_helper(tmp_path: Path, fake_helpers: Path) -> None:
    path = write_config(tmp_path / "cfg", {"credsStore": "nonexistent"})
    with pytest.raises(CredentialError, match=r"docker-credential-nonexistent .* not on PATH"):
        CredentialStore(path).get("ghcr.io")


def test_helper_name_cannot_be_a_path(tmp_path: Path) -> None:
    path = write_config(tmp_path, {"credsStore": "../../bin/sh"})
    with pytest.raises(CredentialError, match="invalid credential helper name"):
        CredentialStore(path).get("ghcr.io")

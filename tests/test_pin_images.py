"""pin-images end to end: the CLI against a real registry (Debian's docker-registry), lock file, offline mode,
credentials, and the batch's economy (each unique reference resolved once)."""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from dockmod.cli import main
from support.fixtures import USERS, SeededRegistry
from support.registry_server import RegistryServer

pytestmark = pytest.mark.registry


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """No user cache, no user credentials: each test starts cold."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path / "docker-config"))
    work = tmp_path / "work"
    work.mkdir()
    old = Path.cwd()
    os.chdir(work)
    yield work
    os.chdir(old)


def refactor(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["refactor", "--select", "pin-images", *args], catch_exceptions=False)
    return result.exit_code, result.stdout_bytes.decode(), result.stderr


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_from_is_pinned_keeping_platform_stage_name_and_case(isolated: Path, seeded_registry: SeededRegistry) -> None:
    host = seeded_registry.host
    digest = seeded_registry.images.digest("library/node:18-slim")
    path = write(
        isolated / "Dockerfile", f"from --platform=$BUILDPLATFORM {host}/library/node:18-slim as Build\r\nRUN x\r\n"
    )
    code, _, err = refactor("--apply", ".")
    assert code == 0, err
    assert path.read_bytes() == (
        f"from --platform=$BUILDPLATFORM {host}/library/node:18-slim@{digest} as Build\r\nRUN x\r\n".encode()
    )
    lock = json.loads((isolated / "dockmod.lock").read_text())
    assert any(digest in json.dumps(v) for v in lock.values())
    assert refactor("--check", ".")[0] == 0


def test_copy_from_mount_from_and_arg_default(isolated: Path, seeded_registry: SeededRegistry) -> None:
    host = seeded_registry.host
    node = seeded_registry.images.digest("library/node:18")
    alpine = seeded_registry.images.digest("library/alpine:3.19")
    text = (
        f"ARG BASE={host}/library/node:18\n"
        "FROM ${BASE} AS build\n"
        f"COPY --from={host}/library/alpine:3.19 /etc/os-release /x\n"
        f"RUN --mount=type=bind,from={host}/library/alpine:3.19,target=/a ls /a\n"
        "FROM build\n"
        "COPY --from=build /x /y\n"
        "COPY --from=0 /x /z\n"
    )
    path = write(isolated / "Dockerfile", text)
    assert refactor("--apply", ".")[0] == 0
    assert path.read_text() == (
        f"ARG BASE={host}/library/node:18@{node}\n"
        "FROM ${BASE} AS build\n"
        f"COPY --from={host}/library/alpine:3.19@{alpine} /etc/os-release /x\n"
        f"RUN --mount=type=bind,from={host}/library/alpine:3.19@{alpine},target=/a ls /a\n"
        "FROM build\n"
        "COPY --from=build /x /y\n"
        "COPY --from=0 /x /z\n"
    )


def test_arg_used_elsewhere_is_reported_not_pinned(isolated: Path, seeded_registry: SeededRegistry) -> None:
    host = seeded_registry.host
    text = f"ARG BASE={host}/library/node:18\nFROM ${{BASE}}\nLABEL base=${{BASE}}\n"
    path = write(isolated / "Dockerfile", text)
    code, out, _ = refactor("--format", "json", ".")
    assert code == 0
    (entry,) = json.loads(out)["files"]
    assert "ARG BASE is used elsewhere too" in entry["fixes"][0]["message"]
    assert path.read_text() == text


def test_already_pinned_and_digest_only_are_left_alone(isolated: Path, seeded_registry: SeededRegistry) -> None:
    host = seeded_registry.host
    old = seeded_registry.images.digest("library/node:18.20.3-slim")
    text = f"FROM {host}/library/node:18-slim@{old}\nFROM {host}/library/node@{old}\n"
    path = write(isolated / "Dockerfile", text)
    assert refactor("--apply", ".")[0] == 0
    assert path.read_text() == text
    # --update re-resolves the tag and replaces a digest that moved; digest-only references stay.
    write(isolated / "dockmod.toml", "[pin-images]\nupdate = true\n")
    assert refactor("--apply", ".")[0] == 0
    current = seeded_registry.images.digest("library/node:18-slim")
    assert path.read_text() == f"FROM {host}/library/node:18-slim@{current}\nFROM {host}/library/node@{old}\n"


def test_missing_tag_fails_and_leaves_the_file(isolated: Path, seeded_registry: SeededRegistry) -> None:
    host = seeded_registry.host
    good = write(isolated / "a" / "Dockerfile", f"FROM {host}/library/node:18\n")
    bad_text = f"FROM {host}/library/node:18\nFROM {host}/library/node:99-nope\n"
    bad = write(isolated / "b" / "Dockerfile", bad_text)
    code, _, err = refactor("--apply", ".")
    assert code == 2
    assert "99-nope" in err
    assert "has no tag 99-nope" in err
    assert bad.read_text() == bad_text
    assert "@sha256:" in good.read_text()


def test_concretize_picks_the_digest_equal_tag(isolated: Path, seeded_registry: SeededRegistry) -> None:
    host = seeded_registry.host
    write(isolated / "dockmod.toml", "[pin-images]\nconcretize = true\n")
    path = write(isolated / "Dockerfile", f"FROM {host}/library/node:18-slim\nFROM {host}/library/node:20-slim\n")
    assert refactor("--apply", ".")[0] == 0
    slim18 = seeded_registry.images.digest("library/node:18-slim")
    slim20 = seeded_registry.images.digest("library/node:20-slim")
    # 18.20.4-slim has the same digest as 18-slim (18.20.3-slim does not); no version tag has 20-slim's.
    assert path.read_text() == (
        f"FROM {host}/library/node:18.20.4-slim@{slim18}\nFROM {host}/library/node:20-slim@{slim20}\n"
    )


def test_offline_uses_the_lock_file_with_the_registry_stopped(
    isolated: Path, make_registry: object, seeded_registry: SeededRegistry
) -> None:
    from support.fixtures import seed_standard_images

    server: RegistryServer = make_registry()  # type: ignore[operator]
    images = seed_standard_images(server)
    text = f"FROM {server.host}/library/node:18\n"
    first = write(isolated / "one" / "Dockerfile", text)
    assert refactor("--apply", "one")[0] == 0
    server.stop()
    second = write(isolated / "two" / "Dockerfile", text)
    code, _, err = refactor("--apply", "--offline", "two")
    assert code == 0, err
    assert (
        second.read_text()
        == first.read_text()
        == f"FROM {server.host}/library/node:18@{images.digest('library/node:18')}\n"
    )
    # A reference the lock does not know is reported, not failed, offline.
    unknown = write(isolated / "three" / "Dockerfile", f"FROM {server.host}/library/node:22\n")
    code, out, _ = refactor("--offline", "--format", "json", "three")
    assert code == 0
    assert "not pinned (offline)" in out
    assert unknown.read_text() == f"FROM {server.host}/library/node:22\n"


def _docker_config(path: Path, host: str, user: str, password: str) -> None:
    auth = base64.b64encode(f"{user}:{password}".encode()).decode()
    write(path / "config.json", json.dumps({"auths": {host: {"auth": auth}}}))


def test_credentials_right_and_wrong(isolated: Path, htpasswd_registry: SeededRegistry, tmp_path: Path) -> None:
    host = htpasswd_registry.host
    user, password = next(iter(USERS.items()))
    path = write(isolated / "Dockerfile", f"FROM {host}/library/node:18\n")
    _docker_config(tmp_path / "docker-config", host, user, "wrong password")
    code, _, err = refactor("--apply", ".")
    assert code == 2
    assert "refused access" in err
    assert password not in err
    assert path.read_text() == f"FROM {host}/library/node:18\n"
    assert not (isolated / "dockmod.lock").exists()
    _docker_config(tmp_path / "docker-config", host, user, password)
    assert refactor("--apply", ".")[0] == 0
    assert htpasswd_registry.images.digest("library/node:18") in path.read_text()
    assert password not in (isolated / "dockmod.lock").read_text()


def test_batch_resolves_each_unique_reference_once(isolated: Path, make_registry: object) -> None:
    from support.fixtures import seed_standard_images

    server: RegistryServer = make_registry()  # type: ignore[operator]
    seed_standard_images(server)
    refs = ["library/node:18", "library/node:18-slim", "library/alpine:3.19", "acme/app:1.0"]
    for k in range(300):
        write(isolated / f"svc{k:03d}" / "Dockerfile", f"FROM {server.host}/{refs[k % 4]}\nRUN true\n")
    server.clear_access_log()
    code, _, err = refactor("--apply", "-j", "2", ".")
    assert code == 0, err
    assert len(server.manifest_requests()) <= 4
    # A second run (files changed back, lock and cache present) asks the registry nothing.
    for k in range(300):
        write(isolated / f"svc{k:03d}" / "Dockerfile", f"FROM {server.host}/{refs[k % 4]}\nRUN true\n")
    server.clear_access_log()
    assert refactor("--apply", ".")[0] == 0
    assert server.manifest_requests() == []

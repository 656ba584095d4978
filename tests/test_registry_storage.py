"""The disk cache and the lock file: formats, expiry, atomicity, discovery."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dockmod.imageref import parse
from dockmod.registry.cache import DiskCache, default_cache_dir
from dockmod.registry.lockfile import LockEntry, LockFile, LockFileError, find_lock_path, reference_key

DIGEST_A = "sha256:" + "a" * 64
DIGEST_B = "sha256:" + "b" * 64


def test_default_cache_dir() -> None:
    assert default_cache_dir({"XDG_CACHE_HOME": "/x/cache", "HOME": "/home/u"}) == Path("/x/cache/dockmod")
    assert default_cache_dir({"HOME": "/home/u"}) == Path("/home/u/.cache/dockmod")
    # The XDG spec: a relative XDG_CACHE_HOME is invalid and ignored.
    assert default_cache_dir({"XDG_CACHE_HOME": "rel", "HOME": "/home/u"}) == Path("/home/u/.cache/dockmod")


def test_cache_round_trip_and_ttl(tmp_path: Path) -> None:
    now = [1000.0]
    cache = DiskCache(tmp_path, ttl=60, clock=lambda: now[0])
    cache.put_digest("docker.io/library/node:18", DIGEST_A, "application/vnd.oci.image.index.v1+json")
    cache.put_tags("docker.io/library/node", ["18", "18.20.4"])
    hit = cache.get_digest("docker.io/library/node:18")
    assert hit is not None
    assert (hit.digest, hit.media_type) == (DIGEST_A, "application/vnd.oci.image.index.v1+json")
    assert cache.get_tags("docker.io/library/node") == ["18", "18.20.4"]
    assert cache.get_digest("docker.io/library/node:20") is None
    now[0] += 61
    assert cache.get_digest("docker.io/library/node:18") is None
    assert cache.get_tags("docker.io/library/node") is None


def test_cache_survives_corruption(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path)
    cache.put_digest("k", DIGEST_A, None)
    files = list((tmp_path / "registry-v1").rglob("*.json"))
    assert len(files) == 1
    files[0].write_text("{truncated")
    assert cache.get_digest("k") is None
    cache.put_digest("k", DIGEST_B, None)
    assert cache.get_digest("k") is not None
    assert not list((tmp_path / "registry-v1").rglob(".tmp-*"))  # atomic writes leave no temporaries


def test_cache_write_failure_is_ignored(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    cache = DiskCache(blocker)
    cache.put_digest("k", DIGEST_A, None)  # must not raise
    assert cache.get_digest("k") is None


def test_cache_holds_no_secrets_only_digests(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path)
    cache.put_digest("ghcr.io/a/b:1", DIGEST_A, None)
    (entry,) = (tmp_path / "registry-v1").rglob("*.json")
    assert set(json.loads(entry.read_text())) == {"key", "stored_at", "value"}


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("node", "docker.io/library/node:latest"),
        ("node:18-slim", "docker.io/library/node:18-slim"),
        ("index.docker.io/library/node:18-slim", "docker.io/library/node:18-slim"),
        (f"node:18@{DIGEST_A}", "docker.io/library/node:18"),
        ("localhost:5000/a/b:1", "localhost:5000/a/b:1"),
    ],
)
def test_reference_key(text: str, key: str) -> None:
    assert reference_key(parse(text)) == key


def test_reference_key_rejects_digest_only() -> None:
    with pytest.raises(ValueError, match="nothing to resolve"):
        reference_key(parse(f"node@{DIGEST_A}"))


def test_lock_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "dockmod.lock"
    lock = LockFile.load(path)
    assert len(lock) == 0
    lock.set("docker.io/library/node:18-slim", LockEntry(DIGEST_A, "18.20.4-slim"))
    lock.set("docker.io/library/alpine:3.19", LockEntry(DIGEST_B))
    assert lock.save()
    assert path.read_text() == (
        "{\n"
        '  "images": {\n'
        '    "docker.io/library/alpine:3.19": {\n'
        f'      "digest": "{DIGEST_B}"\n'
        "    },\n"
        '    "docker.io/library/node:18-slim": {\n'
        '      "concrete_tag": "18.20.4-slim",\n'
        f'      "digest": "{DIGEST_A}"\n'
        "    }\n"
        "  },\n"
        '  "version": 1\n'
        "}\n"
    )
    again = LockFile.load(path)
    assert again.get("docker.io/library/node:18-slim") == LockEntry(DIGEST_A, "18.20.4-slim")
    assert list(again) == ["docker.io/library/alpine:3.19", "docker.io/library/node:18-slim"]
    assert not again.save()  # nothing changed, nothing written
    again.set("docker.io/library/alpine:3.19", LockEntry(DIGEST_A))
    assert again.changed
    assert again.save()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param("{oops", "not valid JSON", id="json"),
        pytest.param('{"version": 2, "images": {}}', "not a version 1", id="version"),
        pytest.param('{"version": 1, "images": []}', "'images' must be an object", id="images"),
        pytest.param('{"version": 1, "images": {"k": {"digest": "md5:x"}}}', "no valid digest", id="digest"),
        pytest.param(
            '{"version": 1, "images": {"k": {"digest": "' + DIGEST_A + '", "concrete_tag": "a b"}}}',
            "invalid concrete_tag",
            id="tag",
        ),
    ],
)
def test_lock_errors_name_the_file_and_the_fix(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "dockmod.lock"
    path.write_text(content)
    with pytest.raises(LockFileError) as info:
        LockFile.load(path)
    assert str(path) in str(info.value)
    assert message in str(info.value)
    assert "dockmod refactor --apply" in str(info.value)


def test_find_lock_path(tmp_path: Path) -> None:
    nested = tmp_path / "repo" / "services" / "api"
    nested.mkdir(parents=True)
    assert find_lock_path(nested) == nested / "dockmod.lock"
    (tmp_path / "repo" / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert find_lock_path(nested) == nested / "dockmod.lock"  # no [tool.dockmod]: not a config file
    (tmp_path / "repo" / "pyproject.toml").write_text("[tool.dockmod]\nselect = ['pin-images']\n")
    assert find_lock_path(nested) == tmp_path / "repo" / "dockmod.lock"
    (tmp_path / "repo" / "services" / "dockmod.toml").write_text("")
    assert find_lock_path(nested) == tmp_path / "repo" / "services" / "dockmod.lock"

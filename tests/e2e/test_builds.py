"""End-to-end: :func:`dockmod.verify.verify` on real builds of generated applications.

Each application under ``apps/`` has the legacy Dockerfile a user would have (the whole tree copied before
the dependency install, running as root) and, under ``refactored/``, the version dockmod's transforms aim
for (manifests first, cache mounts, a non-root user, multi-stage builds for Go and Maven). verify must prove the
good refactorings and catch the broken ones (``refactored/*-*.Dockerfile`` with a defect in the name).
"""

from __future__ import annotations

import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from dockmod.verify import (
    CommandSmoke,
    ConfigField,
    ImageReport,
    VerifyOptions,
    VerifyReport,
    find_builder,
)
from e2e.conftest import REFACTORED, USER_LAYER_ALLOWANCE, E2EEnv, app, assert_kept_and_not_root

pytestmark = pytest.mark.e2e


@dataclass(frozen=True, slots=True)
class Case:
    app: str
    intended: frozenset[ConfigField]
    expect_faster: bool  # the install dominates the rebuild, so skipping it must show in the time
    expect_smaller: bool  # multi-stage: the runtime stage leaves the build's tools and caches behind


CASES = (
    # npm install of express-generator's dependencies takes about a second here: too close to the
    # rebuild's fixed costs to assert a speed-up; the cache hit is asserted.
    Case("express", frozenset({"User"}), expect_faster=False, expect_smaller=False),
    Case("django", frozenset({"User"}), expect_faster=True, expect_smaller=False),
    # The runtime stage is debian:bookworm-slim: GOPATH and Go's PATH entries are meant to go.
    Case("go", frozenset({"User", "Env"}), expect_faster=False, expect_smaller=True),
    # Single-stage, go-offline would add every lifecycle's plugins to the image (10 MB here): the runtime
    # stage gets the jar only. Plugins come from Debian's file repository, so go-offline saves little time.
    Case("maven", frozenset({"User"}), expect_faster=False, expect_smaller=True),
)


def _mb(report: ImageReport) -> str:
    size = report.info.size_bytes if report.info is not None else None
    return "?" if size is None else f"{size / 1e6:.1f} MB"


def _summary_line(name: str, report: VerifyReport) -> str:
    before, after = report.before, report.after
    line = (
        f"{name}: build {before.build.duration_s:.1f} s / {after.build.duration_s:.1f} s, "
        f"size {_mb(before)} -> {_mb(after)}"
    )
    rebuild = report.rebuild
    if rebuild is not None:
        speedup = f"{rebuild.speedup:.2f}x" if rebuild.speedup is not None else "n/a"
        line += (
            f"; rebuild after changing {rebuild.changed_file}: {rebuild.before.duration_s:.1f} s -> "
            f"{rebuild.after.duration_s:.1f} s ({speedup}), install cached "
            f"{rebuild.before_install_cached} -> {rebuild.after_install_cached}"
        )
    return line


@pytest.mark.parametrize("case", CASES, ids=[c.app for c in CASES])
def test_refactored_app_is_proven(e2e_env: E2EEnv, case: Case) -> None:
    subject = app(case.app)
    options = VerifyOptions(smoke=subject.smoke(), intended=case.intended)

    report = e2e_env.verify(subject.dockerfile, subject.refactored, subject.context, options)
    e2e_env.summarise(_summary_line(case.app, report))

    assert report.ok, report.problems
    before, after = report.before, report.after
    assert before.info is not None
    assert after.info is not None
    assert before.smoke is not None
    assert after.smoke is not None
    if before.smoke.http_status is not None:
        assert before.smoke.http_status == after.smoke.http_status == 200
    else:
        assert before.smoke.exit_code == after.smoke.exit_code == 0
        assert before.smoke.stdout == after.smoke.stdout != ""
    assert_kept_and_not_root(before.info, after.info)
    size_before, size_after = before.info.size_bytes, after.info.size_bytes
    assert size_before is not None
    assert size_after is not None
    limit = size_before - 1 if case.expect_smaller else size_before + USER_LAYER_ALLOWANCE
    assert size_after <= limit, f"refactored image {_mb(after)}, original {_mb(before)}"

    rebuild = report.rebuild
    assert rebuild is not None
    assert rebuild.before.ok
    assert rebuild.after.ok
    assert rebuild.after_install_cached is True
    assert rebuild.before_install_cached is not True
    if case.expect_faster:
        assert rebuild.after.duration_s < rebuild.before.duration_s


@pytest.mark.parametrize(
    ("app_name", "refactored", "expected_problems"),
    [
        pytest.param(
            "go",
            "go-changed-cmd",
            [
                'unexpected config change: Cmd: "[\\"hello\\"]" -> "[\\"hello\\", \\"there\\"]"',
                "the smoke check differs",
            ],
            id="changed-cmd",
        ),
        pytest.param("go", "go-does-not-build", ["the refactored Dockerfile does not build"], id="does-not-build"),
        # A non-root user that cannot write the app folder: Django's runserver opens db.sqlite3 there at
        # start-up and exits. The trap a non-root transform must avoid.
        pytest.param(
            "django",
            "django-unwritable-app-dir",
            ["the smoke check could not run in the refactored image: the server exited with status 1"],
            id="unwritable-app-dir",
        ),
    ],
)
def test_broken_refactoring_is_caught(
    e2e_env: E2EEnv, app_name: str, refactored: str, expected_problems: list[str]
) -> None:
    subject = app(app_name)
    options = VerifyOptions(smoke=subject.smoke(), intended=frozenset({"User"}), rebuild=False)
    after = (REFACTORED / f"{refactored}.Dockerfile").read_text(encoding="utf-8")

    report = e2e_env.verify(subject.dockerfile, after, subject.context, options)

    assert not report.ok
    for expected in expected_problems:
        assert any(problem.startswith(expected) for problem in report.problems), report.problems
    assert len(report.problems) == len(expected_problems), report.problems
    assert report.before.build.ok
    assert report.rebuild is None


@pytest.mark.parametrize(
    ("image", "argv", "expected"),
    [
        # The official node images ship a `node` user (uid/gid 1000, home /home/node) and set no WORKDIR.
        pytest.param(
            "node:18",
            ("sh", "-c", "id -u node; id -g node; getent passwd node | cut -d: -f6; node -p process.version"),
            "1000\n1000\n/home/node\nv18.",
            id="node",
        ),
        # python images: `python` on PATH, running as root, pip usable without a virtual environment.
        pytest.param(
            "python:3.11",
            (
                "sh",
                "-c",
                "python -c 'import sys; print(sys.version_info[:2])'; id -u; pip --version | cut -c1-4",
            ),
            "(3, 11)\n0\npip \n",
            id="python",
        ),
        pytest.param(
            "golang:1.19",
            ("sh", "-c", "go env GOPATH GOMODCACHE; pwd; go version | cut -d' ' -f3 | cut -c1-6"),
            "/go\n/go/pkg/mod\n/go\ngo1.19\n",
            id="golang",
        ),
        pytest.param(
            "maven:3-jdk17",
            (
                "sh",
                "-c",
                "command -v mvn; command -v java; echo $JAVA_HOME; java -version 2>&1 | head -n 1 | cut -d'\"' -f2",
            ),
            "/usr/bin/mvn\n/usr/bin/java\n/opt/java/openjdk\n17.",
            id="maven",
        ),
        # No official image has this tag: it holds what the machine can install, Debian's Gradle 4.4.1 on OpenJDK 17.
        pytest.param(
            "gradle:4.4-jdk17",
            (
                "sh",
                "-c",
                "command -v gradle; echo $JAVA_HOME; gradle --no-daemon --version 2>/dev/null | grep '^Gradle '; "
                "java -version 2>&1 | head -n 1 | cut -d'\"' -f2",
            ),
            "/usr/bin/gradle\n/opt/java/openjdk\nGradle 4.4.1\n17.",
            id="gradle",
        ),
        # Debian's Ruby 3.1 with the official image's Bundler settings; the app servers are Debian's gems
        # (rubygems.org is not reachable).
        pytest.param(
            "ruby:3.1",
            (
                "sh",
                "-c",
                "for p in ruby bundle puma rackup unicorn thin rails; do command -v $p; done; "
                "echo $GEM_HOME $BUNDLE_APP_CONFIG $BUNDLE_SILENCE_ROOT_WARNING; stat -c %a $GEM_HOME; "
                "ruby -e 'puts RUBY_VERSION[0, 3]'",
            ),
            "/usr/bin/ruby\n/usr/bin/bundle\n/usr/bin/puma\n/usr/bin/rackup\n/usr/bin/unicorn\n/usr/bin/thin\n"
            "/usr/bin/rails\n/usr/local/bundle /usr/local/bundle 1\n1777\n3.1\n",
            id="ruby",
        ),
        pytest.param(
            "php:8.2-cli",
            (
                "sh",
                "-c",
                "command -v php; command -v docker-php-entrypoint; "
                "php -r 'echo PHP_MAJOR_VERSION, \".\", PHP_MINOR_VERSION;'",
            ),
            "/usr/bin/php\n/usr/local/bin/docker-php-entrypoint\n8.2",
            id="php",
        ),
        # The official composer image keeps Composer's home (and so its cache) in /tmp and works in /app.
        pytest.param(
            "composer:2",
            ("sh", "-c", "command -v composer; echo $COMPOSER_HOME $COMPOSER_ALLOW_SUPERUSER; pwd; composer --version"),
            "/usr/bin/composer\n/tmp 1\n/app\nComposer version 2.",
            id="composer",
        ),
    ],
)
def test_base_image_mimics_the_official_image(
    e2e_env: E2EEnv, image: str, argv: tuple[str, ...], expected: str
) -> None:
    name = f"docker.io/library/{image}"
    info = e2e_env.buildah.inspect(name)

    result = e2e_env.buildah.smoke(name, CommandSmoke(argv=argv, timeout_s=60), info.config)

    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(expected)
    if image == "node:18":
        assert info.config.working_dir == ""
        assert info.config.user == ""


def test_registry_digest_builds_by_alias_and_by_address(e2e_env: E2EEnv, tmp_path: Path) -> None:
    """A digest read from the local registry, as a pinning resolver reads it, builds under both spellings.

    ``node:18@<digest>`` goes through the registries.conf rewrite of docker.io; ``127.0.0.1:PORT/...``
    names the registry directly (plain HTTP, allowed by the same file). Both must be the same image.
    """
    local = e2e_env.local_reference("node:18")
    host, _, path = local.partition("/")
    repository, _, tag = path.partition(":")
    request = urllib.request.Request(
        f"http://{host}/v2/{repository}/manifests/{tag}",
        method="HEAD",
        headers={
            "Accept": ", ".join(
                (
                    "application/vnd.oci.image.index.v1+json",
                    "application/vnd.docker.distribution.manifest.list.v2+json",
                    "application/vnd.oci.image.manifest.v1+json",
                    "application/vnd.docker.distribution.manifest.v2+json",
                )
            )
        },
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=30) as response:
        digest = response.headers["Docker-Content-Digest"]
    assert digest.startswith("sha256:")
    by_alias = f'FROM node:18@{digest}\nCMD ["node", "-p", "1 + 1"]\n'
    by_address = f'FROM {local}@{digest}\nCMD ["node", "-p", "1 + 1"]\n'

    report = e2e_env.verify(by_alias, by_address, tmp_path, VerifyOptions(smoke=CommandSmoke(), rebuild=False))

    assert report.ok, report.problems
    assert report.config_changes == ()
    assert report.before.smoke is not None
    assert report.before.smoke.stdout == "2\n"
    assert report.before.build.steps[0].instruction == f"FROM node:18@{digest}"
    assert report.after.build.steps[0].instruction == f"FROM {local}@{digest}"


def test_find_builder_finds_buildah_here(e2e_env: E2EEnv) -> None:
    builder = find_builder("buildah", buildah=e2e_env.buildah)

    assert builder == e2e_env.buildah

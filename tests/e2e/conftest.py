"""Fixtures of the end-to-end suite: a local registry, the base images, and :func:`dockmod.verify.verify`.

``e2e_env`` (session scope) is the entry point for every test that builds: it starts Debian's
``docker-registry`` on 127.0.0.1, makes sure the base images are current (:mod:`e2e.baseimages`), and
offers ``verify`` with a buildah on the suite's own storage. Dockerfiles keep their usual image names
(``FROM node:18``): buildah reads a registries.conf that serves docker.io from the local registry. A test
that needs the registry's address for an image (a resolver that pins digests) asks ``local_reference``.

Every test here is marked ``e2e`` and skips, with the reason, when buildah, debootstrap or docker-registry
is missing or the suite does not run as root (debootstrap and buildah's chroot isolation need it).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from dockmod.verify import (
    Buildah,
    CommandSmoke,
    HttpSmoke,
    ImageInfo,
    Smoke,
    VerifyOptions,
    VerifyReport,
    verify,
)
from e2e.baseimages import (
    BaseImagesReport,
    E2ECache,
    ensure_base_images,
    registry_root,
    select_storage,
    with_registry,
    write_registries_conf,
)
from support.registry_server import RegistryServer, free_port, registry_binary

E2E_DIR = Path(__file__).parent
APPS = E2E_DIR / "apps"
REFACTORED = E2E_DIR / "refactored"

# Lines for the terminal summary: base image timings, and what each verified app measured.
_SUMMARY: list[str] = []


ROOT_USERS = ("", "root", "0", "0:0", "root:root")
# Adding a user writes /etc/passwd, /etc/group and the folders given to the user: a few kilobytes.
USER_LAYER_ALLOWANCE = 1 << 20


def assert_kept(before: ImageInfo, after: ImageInfo) -> None:
    """What a refactoring must keep, whatever it intends: how the container starts and what it offers."""
    kept = (before.config, after.config)
    assert kept[0].cmd == kept[1].cmd
    assert kept[0].entrypoint == kept[1].entrypoint
    assert kept[0].working_dir == kept[1].working_dir
    assert kept[0].exposed_ports == kept[1].exposed_ports


def assert_kept_and_not_root(before: ImageInfo, after: ImageInfo) -> None:
    """:func:`assert_kept`, and the refactored image no longer runs as root."""
    assert_kept(before, after)
    assert after.config.user not in ROOT_USERS


def missing_prerequisites() -> str | None:
    """Why the end-to-end suite cannot run here, or None."""
    missing = [tool for tool in ("buildah", "debootstrap") if shutil.which(tool) is None]
    if registry_binary() is None:
        missing.append("docker-registry")
    if missing:
        return f"end-to-end builds need {', '.join(missing)} (Debian packages: buildah debootstrap docker-registry)"
    if os.geteuid() != 0:
        return "end-to-end builds need root (debootstrap, and buildah with chroot isolation)"
    return None


def _django_server(port: int) -> Smoke:
    # The image's CMD listens on 8000; the smoke check starts the same server on a free port instead, since
    # buildah's chroot isolation shares the host's network with whatever else runs on this machine.
    return HttpSmoke(port=port, argv=("python", "manage.py", "runserver", "--noreload", f"0.0.0.0:{port}"))


def _node_server(port: int) -> Smoke:
    # express-generator's bin/www and the other Node servers read PORT: the image's own CMD (npm start,
    # node dist/server.js, node server.js) runs unchanged.
    return HttpSmoke(port=port, env=(("PORT", str(port)),))


def _puma_server(port: int) -> Smoke:
    # The Sinatra app's config/puma.rb reads PORT: the image's own CMD (bundle exec puma) runs unchanged.
    return HttpSmoke(port=port, env=(("PORT", str(port)),))


def _php_server(port: int) -> Smoke:
    # PHP's built-in server takes its address on the command line: the same server, on a free port.
    return HttpSmoke(port=port, argv=("php", "-S", f"0.0.0.0:{port}", "-t", "public"))


def _own_cmd(_port: int) -> Smoke:
    return CommandSmoke()  # the image's ENTRYPOINT + CMD; stdout and exit status compared


# How each application is checked: a function of a free port.
SMOKES: Mapping[str, Callable[[int], Smoke]] = {
    "express": _node_server,
    "django": _django_server,
    "go": _own_cmd,
    "maven": _own_cmd,
    "yarn-typescript": _node_server,
    "npm-typescript": _node_server,
    "pnpm": _node_server,
    "rust": _own_cmd,
    "python-venv": _own_cmd,
    "poetry": _own_cmd,
    "pnpm-typescript": _node_server,
    "poetry-venv": _own_cmd,
    "poetry-run": _own_cmd,
    "gradle": _own_cmd,
    "uv": _own_cmd,
    "npm-node-user": _node_server,
    "yarn-berry": _node_server,
    "sinatra": _puma_server,
    "php-builtin": _php_server,
}


@dataclass(frozen=True, slots=True)
class App:
    """A test application: its build context, its legacy Dockerfile, and a hand-refactored version."""

    name: str
    context: Path

    @property
    def dockerfile(self) -> str:
        return (self.context / "Dockerfile").read_text(encoding="utf-8")

    @property
    def refactored(self) -> str:
        return (REFACTORED / f"{self.name}.Dockerfile").read_text(encoding="utf-8")

    def smoke(self) -> Smoke:
        """The application's smoke check, on a port free at the time of the call."""
        return SMOKES[self.name](free_port())


def app(name: str) -> App:
    context = APPS / name
    if not (context / "Dockerfile").is_file() or name not in SMOKES:
        raise LookupError(f"no test application {name!r} in {APPS}")
    return App(name=name, context=context)


@dataclass(frozen=True, slots=True)
class E2EEnv:
    registry_host: str  # "127.0.0.1:PORT", changes every session
    buildah: Buildah  # the suite's storage, with the registries.conf that serves docker.io locally
    base_images: BaseImagesReport
    cache: E2ECache

    def local_reference(self, image: str) -> str:
        """The local registry's name for an official image: ``node:18`` → ``127.0.0.1:PORT/library/node:18``.

        It is the image ``FROM node:18`` builds on in this suite; resolve digests against it.
        """
        name = image.removeprefix("docker.io/")
        if "/" not in name.partition(":")[0]:
            name = f"library/{name}"
        return f"{self.registry_host}/{name}"

    def verify(self, before: str, after: str, context: Path, options: VerifyOptions | None = None) -> VerifyReport:
        return verify(before, after, context, builder=self.buildah, options=options)

    def summarise(self, line: str) -> None:
        """Add a line to the suite's terminal summary (timings, sizes, speed-ups)."""
        _SUMMARY.append(line)


@pytest.fixture(scope="session")
def e2e_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[E2EEnv]:
    reason = missing_prerequisites()
    if reason is not None:
        pytest.skip(reason)
    cache = E2ECache.from_environment()
    buildah = select_storage(cache)
    tmp = tmp_path_factory.mktemp("e2e")
    with cache.session(buildah), RegistryServer(registry_root(tmp, cache)) as registry:
        conf = write_registries_conf(tmp / "registries.conf", registry.host)
        buildah = with_registry(buildah, conf)
        report = ensure_base_images(buildah, registry.host, cache)
        _SUMMARY.append(report.summary())
        yield E2EEnv(registry_host=registry.host, buildah=buildah, base_images=report, cache=cache)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _SUMMARY:
        terminalreporter.section("end-to-end measurements")
        for line in _SUMMARY:
            terminalreporter.write_line(line)

"""Local stand-ins for official base images, built from Debian packages only, served by a local registry.

The end-to-end suite may not reach Docker Hub. It builds what its Dockerfiles need from nothing but a Debian
mirror: ``debootstrap --variant=minbase bookworm`` makes a root file system, which becomes ``debian:bookworm``
(and, without documentation, ``debian:bookworm-slim``); small Dockerfiles in ``recipes/`` layer Debian's
Node.js, Python, Go, Rust, Maven and Gradle packages on top, mimicking the official images where transforms rely
on them.
Each image is pushed to a local ``docker-registry`` as ``library/<name>`` (Docker Hub's own path).

**How Dockerfiles reach these images (the stable alias).** Test Dockerfiles keep the names users write
(``FROM node:18``). :func:`write_registries_conf` writes a registries.conf, passed to buildah through
``CONTAINERS_REGISTRIES_CONF``, that rewrites every ``docker.io`` reference to the local registry over
plain HTTP: ``docker.io/library/node:18`` is pulled from ``127.0.0.1:PORT/library/node:18``. The port may
change between sessions; the Dockerfiles do not, nothing can fall through to Docker Hub, and a digest a
resolver reads from the local registry (``local_reference``) is the digest buildah pulls.

**Cache.** Everything lives under one directory (``$DOCKMOD_E2E_CACHE``, else
``$XDG_CACHE_HOME/dockmod-e2e``, else ``~/.cache/dockmod-e2e``): buildah's storage (never the user's own),
the registry's storage, buildah's TMPDIR. Every image carries a label with the hash of its recipe (the
Dockerfile, the files it copies, the CA bundle, the mirror and its parent's hash); an image whose label
matches is reused, otherwise rebuilt, so a fresh machine builds all and a warm one builds nothing.

**TLS proxy.** The host's CA bundle is baked into these base images only (see the debian recipes), never
into application images; proxy variables in the environment reach debootstrap directly and RUN steps
through buildah's ``--http-proxy`` (on by default), without being stored in any image.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Final, Literal

from dockmod.verify import Buildah, VerifyError

RECIPES: Final = Path(__file__).parent / "recipes"
LABEL: Final = "org.dockmod.e2e.recipe"
# Bump when the way images are made changes in a way the recipe files do not show (e.g. the tar filter).
RECIPE_FORMAT: Final = "3"
LOCAL_NAMESPACE: Final = "localhost/dockmod-e2e"

DEFAULT_MIRROR: Final = "http://deb.debian.org/debian"
DEFAULT_SECURITY_MIRROR: Final = "http://deb.debian.org/debian-security"
DEFAULT_CA_BUNDLE: Final = Path("/etc/ssl/certs/ca-certificates.crt")
SUITE: Final = "bookworm"

Rootfs = Literal["full", "slim"]
Action = Literal["built", "reused"]
StorageDriver = Literal["overlay", "fuse-overlayfs", "vfs"]


@dataclass(frozen=True, slots=True)
class BaseImage:
    name: str  # repository:tag as written in Dockerfiles, e.g. "node:18"
    recipe: str  # file in recipes/
    parent: str | None  # the image its FROM names; None: built from the debootstrap root
    rootfs: Rootfs | None = None  # which tarball of the debootstrap root the recipe ADDs

    @property
    def repository(self) -> str:
        return self.name.partition(":")[0]

    @property
    def tag(self) -> str:
        return self.name.partition(":")[2]

    @property
    def local_tag(self) -> str:
        """The name in buildah's storage that the suite owns; builds refer to ``docker.io/library/...``."""
        return f"{LOCAL_NAMESPACE}/{self.name}"

    @property
    def hub_name(self) -> str:
        return f"docker.io/library/{self.name}"


# In build order: parents first.
BASE_IMAGES: Final[tuple[BaseImage, ...]] = (
    BaseImage("debian:bookworm", "debian-bookworm.Dockerfile", None, "full"),
    BaseImage("debian:bookworm-slim", "debian-bookworm-slim.Dockerfile", None, "slim"),
    BaseImage("node:18", "node-18.Dockerfile", "debian:bookworm-slim"),
    BaseImage("python:3.11", "python-3.11.Dockerfile", "debian:bookworm-slim"),
    BaseImage("golang:1.19", "golang-1.19.Dockerfile", "debian:bookworm-slim"),
    BaseImage("rust:1.63", "rust-1.63.Dockerfile", "debian:bookworm-slim"),
    BaseImage("maven:3-jdk17", "maven-3-jdk17.Dockerfile", "debian:bookworm-slim"),
    BaseImage("gradle:4.4-jdk17", "gradle-4.4-jdk17.Dockerfile", "debian:bookworm-slim"),
    BaseImage("ruby:3.1", "ruby-3.1.Dockerfile", "debian:bookworm-slim"),
    BaseImage("php:8.2-cli", "php-8.2-cli.Dockerfile", "debian:bookworm-slim"),
    BaseImage("composer:2", "composer-2.Dockerfile", "php:8.2-cli"),
)
_BY_NAME: Final = {image.name: image for image in BASE_IMAGES}


class BaseImageError(RuntimeError):
    """Making a base image failed; the message names the command and ends with its output's tail."""


@dataclass(frozen=True, slots=True)
class E2ECache:
    """The persistent directory of the end-to-end suite."""

    root: Path

    @classmethod
    def from_environment(cls) -> E2ECache:
        configured = os.environ.get("DOCKMOD_E2E_CACHE")
        if configured:
            return cls(Path(configured))
        xdg = os.environ.get("XDG_CACHE_HOME")
        base = Path(xdg) if xdg else Path.home() / ".cache"
        return cls(base / "dockmod-e2e")

    def storage(self, driver: StorageDriver) -> Path:
        # One root per driver: containers/storage refuses to open a root made by another driver.
        return self.root / f"storage-{driver}"

    def runroot(self, driver: StorageDriver) -> Path:
        return self.root / f"run-{driver}"

    @property
    def registry_storage(self) -> Path:
        return self.root / "registry"

    @property
    def tmp(self) -> Path:
        return self.root / "tmp"

    @property
    def debootstrap_dir(self) -> Path:
        return self.root / "debootstrap"

    @contextlib.contextmanager
    def session(self, buildah: Buildah) -> Iterator[None]:
        """Mark a test session as running; the first session that starts while no other runs cleans up.

        verify removes its tags, but each run's new layers stay behind as untagged cache images, and a
        killed run can leave containers: unbounded growth. Every session holds a shared lock for its
        lifetime; one that gets the lock exclusively is alone (no other xdist worker or CI job uses the
        storage) and may remove all containers and untagged images. The base images are tagged and stay.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / "sessions.lock").open("w") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                pass  # another session runs: leave its containers and images alone
            else:
                buildah.check("rm", "--all")
                buildah.check("rmi", "--prune", timeout_s=600.0)
            fcntl.flock(handle, fcntl.LOCK_SH)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Serialise image preparation between processes (pytest-xdist workers, parallel CI jobs)."""
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / "lock").open("w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass(frozen=True, slots=True)
class ImageTiming:
    name: str
    action: Action
    recipe_hash: str
    build_s: float  # 0 when reused
    push_s: float  # 0 when the registry already had it
    pull_s: float  # 0 when the Dockerfile name already pointed at it
    size_bytes: int | None


@dataclass(frozen=True, slots=True)
class BaseImagesReport:
    storage_driver: StorageDriver
    debootstrap_s: float | None  # None: no image needed a new root file system
    rootfs_tar_s: float | None
    images: tuple[ImageTiming, ...]
    total_s: float

    def summary(self) -> str:
        lines = [f"base images (storage driver {self.storage_driver}, total {self.total_s:.1f} s):"]
        if self.debootstrap_s is not None:
            lines.append(f"  debootstrap --variant=minbase {SUITE}: {self.debootstrap_s:.1f} s")
        if self.rootfs_tar_s is not None:
            lines.append(f"  root file system tarballs: {self.rootfs_tar_s:.1f} s")
        for t in self.images:
            lines.append(
                f"  {t.name:22} {t.action:7} build {t.build_s:6.1f} s  push {t.push_s:5.1f} s  "
                f"pull {t.pull_s:5.1f} s  {_megabytes(t.size_bytes)}"
            )
        return "\n".join(lines)


def _megabytes(size: int | None) -> str:
    return "size unknown" if size is None else f"{size / 1e6:7.1f} MB"


# -- buildah storage -------


def select_storage(cache: E2ECache, *, executable: str = "buildah") -> Buildah:
    """buildah on the suite's own storage, with the fastest driver that works on this machine.

    Native overlay first (root on a kernel with overlayfs); then overlay through fuse-overlayfs (rootless,
    or kernels that refuse overlay mounts here); vfs last: it copies every layer in full and is about ten
    times slower. ``DOCKMOD_E2E_STORAGE_DRIVER`` forces one. ``buildah info`` initialises the driver, which
    for overlay includes a test mount, so a driver that passes the probe works.
    """
    forced = os.environ.get("DOCKMOD_E2E_STORAGE_DRIVER")
    order: tuple[StorageDriver, ...] = ("overlay", "fuse-overlayfs", "vfs")
    if forced:
        if forced not in order:
            raise BaseImageError(f"DOCKMOD_E2E_STORAGE_DRIVER={forced!r}: expected one of {', '.join(order)}")
        order = tuple(d for d in order if d == forced)
    reasons = []
    for driver in order:
        buildah = _buildah_for(cache, driver, executable)
        if driver == "fuse-overlayfs" and shutil.which("fuse-overlayfs") is None:
            reasons.append("fuse-overlayfs: not installed")
            continue
        cache.storage(driver).mkdir(parents=True, exist_ok=True)
        reason = buildah.probe()
        if reason is None:
            return buildah
        reasons.append(f"{driver}: {reason}")
    raise BaseImageError("no buildah storage driver works here: " + "; ".join(reasons))


def _buildah_for(cache: E2ECache, driver: StorageDriver, executable: str) -> Buildah:
    cache.tmp.mkdir(parents=True, exist_ok=True)
    fuse = shutil.which("fuse-overlayfs") or "/usr/bin/fuse-overlayfs"
    return Buildah(
        executable=executable,
        root=cache.storage(driver),
        runroot=cache.runroot(driver),
        storage_driver="vfs" if driver == "vfs" else "overlay",
        storage_opts=(f"overlay.mount_program={fuse}",) if driver == "fuse-overlayfs" else (),
        env=(("TMPDIR", str(cache.tmp)),),
    )


def driver_of(buildah: Buildah) -> StorageDriver:
    if buildah.storage_driver == "vfs":
        return "vfs"
    return "fuse-overlayfs" if buildah.storage_opts else "overlay"


def write_registries_conf(path: Path, registry_host: str) -> Path:
    """A registries.conf that serves all of docker.io from the local registry over plain HTTP."""
    path.write_text(
        "# Written by tests/e2e/baseimages.py for one test session. docker.io is rewritten to the local\n"
        "# registry (same repository paths, e.g. library/node), so Dockerfiles keep their usual names and\n"
        "# nothing can reach Docker Hub; the registry speaks plain HTTP.\n"
        'unqualified-search-registries = ["docker.io"]\n'
        'short-name-mode = "permissive"\n'
        "\n"
        "[[registry]]\n"
        'prefix = "docker.io"\n'
        f'location = "{registry_host}"\n'
        "insecure = true\n"
        "\n"
        "[[registry]]\n"
        f'location = "{registry_host}"\n'
        "insecure = true\n",
        encoding="utf-8",
    )
    return path


# -- recipes -------


@dataclass(frozen=True, slots=True)
class Sources:
    """What the images are made from besides the recipes: mirrors and the CA bundle to trust."""

    mirror: str = DEFAULT_MIRROR
    security_mirror: str = DEFAULT_SECURITY_MIRROR
    ca_bundle: Path = DEFAULT_CA_BUNDLE

    @classmethod
    def from_environment(cls) -> Sources:
        return cls(
            mirror=os.environ.get("DOCKMOD_E2E_DEBIAN_MIRROR", DEFAULT_MIRROR),
            security_mirror=os.environ.get("DOCKMOD_E2E_DEBIAN_SECURITY_MIRROR", DEFAULT_SECURITY_MIRROR),
            ca_bundle=Path(os.environ.get("DOCKMOD_E2E_CA_BUNDLE", str(DEFAULT_CA_BUNDLE))),
        )

    def debian_sources(self) -> str:
        """/etc/apt/sources.list.d/debian.sources, as in the official images (deb822, three suites)."""
        keyring = "/usr/share/keyrings/debian-archive-keyring.gpg"
        return (
            f"Types: deb\nURIs: {self.mirror}\nSuites: {SUITE} {SUITE}-updates\nComponents: main\n"
            f"Signed-By: {keyring}\n\n"
            f"Types: deb\nURIs: {self.security_mirror}\nSuites: {SUITE}-security\nComponents: main\n"
            f"Signed-By: {keyring}\n"
        )


def recipe_hashes(sources: Sources) -> dict[str, str]:
    """The recipe hash of every base image; a child's hash includes its parent's."""
    shared = hashlib.sha256()
    shared.update(f"format {RECIPE_FORMAT}\n".encode())
    for path in sorted((RECIPES / "files").iterdir()):
        shared.update(f"{path.name}\n".encode())
        shared.update(path.read_bytes())
    shared.update(sources.ca_bundle.read_bytes())
    hashes: dict[str, str] = {}
    for image in BASE_IMAGES:
        digest = shared.copy()
        digest.update((RECIPES / image.recipe).read_bytes())
        if image.parent is None:
            digest.update(f"debootstrap minbase {SUITE} {sources.mirror}\n".encode())
            digest.update(sources.debian_sources().encode())
        else:
            digest.update(hashes[image.parent].encode())
        hashes[image.name] = digest.hexdigest()[:16]
    return hashes


# -- the root file system -------

# Left out of both tarballs: mount points the runtime fills (dev, proc, sys), files the runtime provides
# (hostname, resolv.conf: this machine's), and APT's lists and caches (the official images ship none).
_EXCLUDE_CONTENT: Final = ("dev", "proc", "sys", "run", "tmp", "var/lib/apt/lists", "var/cache/apt/archives")
_EXCLUDE_FILES: Final = ("etc/hostname", "etc/resolv.conf", "var/cache/apt/*.bin")
# debuerreotype's slimify: documentation, manual pages and translations (copyright files stay).
_SLIM_CONTENT: Final = (
    "usr/share/doc",
    "usr/share/groff",
    "usr/share/info",
    "usr/share/linda",
    "usr/share/lintian/overrides",
    "usr/share/locale",
    "usr/share/man",
)


def _tar_filter(slim: bool) -> Callable[[tarfile.TarInfo], tarfile.TarInfo | None]:
    emptied = _EXCLUDE_CONTENT + (_SLIM_CONTENT if slim else ())

    def keep(member: tarfile.TarInfo) -> tarfile.TarInfo | None:
        name = member.name.removeprefix("./")
        if any(fnmatchcase(name, pattern) for pattern in _EXCLUDE_FILES):
            return None
        inside = next((d for d in emptied if name.startswith(d + "/")), None)
        if inside is None:
            return member
        # The folders themselves stay, and so do APT's "partial" folders, which APT expects to exist.
        if name.endswith("/partial") and member.isdir():
            return member
        # Slim keeps /usr/share/doc/<package>/copyright, as the official slim images do.
        package_folder = name.count("/") == 3 and member.isdir()
        if inside == "usr/share/doc" and (package_folder or name.endswith("/copyright")):
            return member
        return None

    return keep


def debootstrap(target: Path, sources: Sources, *, timeout_s: float = 1800.0) -> float:
    """``debootstrap --variant=minbase`` into ``target``; returns the seconds it took."""
    if target.exists():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    argv = ["debootstrap", "--variant=minbase", SUITE, str(target), sources.mirror]
    return _run_or_raise(argv, timeout_s=timeout_s)


def write_rootfs_tar(rootfs: Path, destination: Path, *, slim: bool) -> None:
    with tarfile.open(destination, "w", format=tarfile.PAX_FORMAT) as archive:
        archive.add(rootfs, arcname=".", filter=_tar_filter(slim))


# -- building, pushing, pulling -------


def ensure_base_images(
    buildah: Buildah,
    registry_host: str,
    cache: E2ECache,
    *,
    sources: Sources | None = None,
    names: Iterable[str] | None = None,
) -> BaseImagesReport:
    """Make sure every base image (or ``names`` and their parents) is current in storage and registry.

    ``buildah`` must carry a registries.conf from :func:`write_registries_conf` for ``registry_host``:
    recipes name their parent as ``FROM debian:bookworm-slim`` and get it from the local registry.
    """
    src = sources or Sources.from_environment()
    if not src.ca_bundle.is_file():
        raise BaseImageError(f"CA bundle {src.ca_bundle} not found (set DOCKMOD_E2E_CA_BUNDLE)")
    wanted = _with_parents(names)
    hashes = recipe_hashes(src)
    start = time.monotonic()
    timings: list[ImageTiming] = []
    deboot_s: float | None = None
    tar_s: float | None = None
    with cache.locked(), tempfile.TemporaryDirectory(prefix="recipes-", dir=cache.root) as scratch:
        for image in BASE_IMAGES:
            if image.name not in wanted:
                continue
            recipe_hash = hashes[image.name]
            action: Action = "reused"
            build_s = 0.0
            if _label(buildah, image.local_tag) != recipe_hash:
                if image.rootfs is not None and tar_s is None:
                    deboot_s = debootstrap(cache.debootstrap_dir, src)
                    tar_started = time.monotonic()
                    for kind in ("full", "slim"):
                        name = "rootfs.tar" if kind == "full" else "rootfs-slim.tar"
                        write_rootfs_tar(cache.debootstrap_dir, Path(scratch) / name, slim=kind == "slim")
                    tar_s = time.monotonic() - tar_started
                build_s = _build(buildah, image, recipe_hash, Path(scratch), src)
                action = "built"
            image_id = _image_id(buildah, image.local_tag)
            push_s = _push_if_needed(buildah, image, image_id, registry_host)
            pull_s = _pull_if_needed(buildah, image, image_id)
            timings.append(
                ImageTiming(
                    name=image.name,
                    action=action,
                    recipe_hash=recipe_hash,
                    build_s=build_s,
                    push_s=push_s,
                    pull_s=pull_s,
                    size_bytes=buildah.inspect(image.local_tag).size_bytes,
                )
            )
        if cache.debootstrap_dir.exists():
            shutil.rmtree(cache.debootstrap_dir)  # the images hold it now; 200 MB less on disk
    return BaseImagesReport(
        storage_driver=driver_of(buildah),
        debootstrap_s=deboot_s,
        rootfs_tar_s=tar_s,
        images=tuple(timings),
        total_s=time.monotonic() - start,
    )


def _with_parents(names: Iterable[str] | None) -> set[str]:
    if names is None:
        return set(_BY_NAME)
    wanted: set[str] = set()
    for name in names:
        if name not in _BY_NAME:
            raise BaseImageError(f"unknown base image {name!r}; known: {', '.join(_BY_NAME)}")
        image: BaseImage | None = _BY_NAME[name]
        while image is not None:
            wanted.add(image.name)
            image = _BY_NAME[image.parent] if image.parent else None
    return wanted


def _label(buildah: Buildah, image: str) -> str | None:
    try:
        data = json.loads(buildah.check("inspect", "--type", "image", image))
    except VerifyError:
        return None  # not in storage
    labels = (data.get("OCIv1", {}).get("config") or {}).get("Labels") or {}
    value = labels.get(LABEL)
    return str(value) if value is not None else None


def _image_id(buildah: Buildah, image: str) -> str:
    data = json.loads(buildah.check("inspect", "--type", "image", image))
    return str(data["FromImageID"])


def _build(buildah: Buildah, image: BaseImage, recipe_hash: str, scratch: Path, sources: Sources) -> float:
    context = scratch / image.name.replace(":", "-")
    context.mkdir()
    shutil.copytree(RECIPES / "files", context / "files")
    for script in (context / "files").glob("*.sh"):
        script.chmod(0o755)  # COPY keeps the mode; a checkout may not have kept the executable bit
    shutil.copy2(sources.ca_bundle, context / "host-ca-bundle.crt")
    if image.rootfs is not None:
        tar = "rootfs.tar" if image.rootfs == "full" else "rootfs-slim.tar"
        os.link(scratch / tar, context / tar)
        (context / "debian.sources").write_text(sources.debian_sources(), encoding="utf-8")
    outcome = buildah.build(
        RECIPES / image.recipe,
        context,
        tag=image.local_tag,
        timeout_s=1800.0,
        extra=("--label", f"{LABEL}={recipe_hash}"),
    )
    if not outcome.ok:
        raise BaseImageError(f"building {image.name} from recipes/{image.recipe} failed: {outcome.error}")
    return outcome.duration_s


_MANIFEST_TYPES: Final = ", ".join(
    (
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
    )
)


def _registry_config_digest(registry_host: str, image: BaseImage) -> str | None:
    url = f"http://{registry_host}/v2/library/{image.repository}/manifests/{image.tag}"
    request = urllib.request.Request(url, headers={"Accept": _MANIFEST_TYPES})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never via a proxy
    try:
        with opener.open(request, timeout=30) as response:
            manifest = json.loads(response.read())
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return None
        raise BaseImageError(f"GET {url}: HTTP {exc.code}") from exc
    digest = (manifest.get("config") or {}).get("digest")
    return str(digest) if digest else None


def _push_if_needed(buildah: Buildah, image: BaseImage, image_id: str, registry_host: str) -> float:
    # buildah names an image by the digest of its config, which a push keeps: equal digests, same image.
    if _registry_config_digest(registry_host, image) == f"sha256:{image_id}":
        return 0.0
    started = time.monotonic()
    destination = f"docker://{registry_host}/library/{image.name}"
    buildah.check("push", "--tls-verify=false", image.local_tag, destination, timeout_s=1800.0)
    if _registry_config_digest(registry_host, image) != f"sha256:{image_id}":
        raise BaseImageError(f"pushed {image.local_tag} to {destination}, but the registry serves another image")
    return time.monotonic() - started


def _pull_if_needed(buildah: Buildah, image: BaseImage, image_id: str) -> float:
    """Point ``docker.io/library/<name>`` in storage at the image, by pulling it through the alias.

    Builds pull a missing base and otherwise use the stored one, so a name left over from an older recipe
    would shadow the registry; pulling through the registries.conf rewrite also proves the path builds use.
    """
    with contextlib.suppress(VerifyError):
        if _image_id(buildah, image.hub_name) == image_id:
            return 0.0
    started = time.monotonic()
    buildah.check("pull", "--policy", "always", image.hub_name, timeout_s=1800.0)
    if _image_id(buildah, image.hub_name) != image_id:
        raise BaseImageError(f"pulling {image.hub_name} through the local registry gave another image")
    return time.monotonic() - started


def _run_or_raise(argv: list[str], *, timeout_s: float) -> float:
    started = time.monotonic()
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout_s, check=False)
    except subprocess.TimeoutExpired as exc:
        raise BaseImageError(f"{' '.join(argv)} did not finish within {timeout_s:.0f} s") from exc
    if done.returncode != 0:
        tail = (done.stderr or done.stdout)[-2000:]
        raise BaseImageError(f"{' '.join(argv)} failed with exit status {done.returncode}:\n{tail}")
    return time.monotonic() - started


def with_registry(buildah: Buildah, registries_conf: Path) -> Buildah:
    return replace(buildah, registries_conf=registries_conf)


def main() -> None:
    """Prepare the base images and print the timings: ``cd tests && python -m e2e.baseimages``."""
    from support.registry_server import RegistryServer

    cache = E2ECache.from_environment()
    buildah = select_storage(cache)
    with (
        tempfile.TemporaryDirectory(prefix="dockmod-e2e-") as tmp,
        RegistryServer(registry_root(Path(tmp), cache)) as registry,
    ):
        conf = write_registries_conf(Path(tmp) / "registries.conf", registry.host)
        report = ensure_base_images(with_registry(buildah, conf), registry.host, cache)
    print(report.summary())


def registry_root(tmp: Path, cache: E2ECache) -> Path:
    """A per-session registry root whose ``storage`` is the persistent registry storage.

    RegistryServer writes its config into its root; a private root keeps concurrent sessions (xdist
    workers) from overwriting each other's config, while the symlink shares the pushed images.
    """
    cache.registry_storage.mkdir(parents=True, exist_ok=True)
    root = tmp / "registry"
    root.mkdir()
    (root / "storage").symlink_to(cache.registry_storage, target_is_directory=True)
    return root


if __name__ == "__main__":
    main()

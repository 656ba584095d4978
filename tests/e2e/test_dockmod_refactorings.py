"""End-to-end: dockmod's own output, built and run.

Every transform (unsafe fixes included, pin-images against the suite's local registry) refactors each
generated application's legacy Dockerfile; :func:`dockmod.verify.verify` then builds the original and the
refactored file with buildah and checks what issue 3 asks: both build, the smoke outputs match, CMD, ENTRYPOINT,
WORKDIR and ports are kept, the image runs as a non-root user, it is not larger, and after a source-only change
the rebuild reuses the dependency-install layer.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import hashlib
import http.server
import io
import json
import os
import shutil
import subprocess
import tarfile
import threading
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Final

import pytest
from click.testing import CliRunner

from dockmod import engine, imageref, parse
from dockmod import verify as verifying
from dockmod.cli import main
from dockmod.context import Context, DirectoryContext
from dockmod.cst import Run
from dockmod.imageref import ImageRef
from dockmod.registry.client import RegistryClient
from dockmod.registry.resolver import Resolver
from dockmod.registry.types import Concretization, Resolution
from dockmod.transforms import TransformConfig, build_transforms
from dockmod.transforms._base import Safety
from dockmod.verify import Buildah, BuildOutcome, CommandSmoke, VerifyOptions
from e2e.conftest import USER_LAYER_ALLOWANCE, E2EEnv, app, assert_kept, assert_kept_and_not_root

pytestmark = pytest.mark.e2e


@dataclass(frozen=True)
class LocalHub:
    """Resolves Docker Hub references against the suite's registry, which serves docker.io to buildah."""

    env: E2EEnv
    resolver: Resolver

    def _local(self, ref: ImageRef) -> ImageRef:
        return imageref.parse(self.env.local_reference(ref.familiar))

    def resolve(self, ref: ImageRef) -> Resolution:
        found = self.resolver.resolve(self._local(ref))
        return Resolution(ref, digest=found.digest, source=found.source, error=found.error)

    def resolve_many(self, refs: Iterable[ImageRef]) -> Mapping[ImageRef, Resolution]:
        return {ref: self.resolve(ref) for ref in refs}

    def concretize(self, ref: ImageRef) -> Concretization:
        return Concretization(ref, self.resolve(ref).digest, note="not used here")


@dataclass(frozen=True, slots=True)
class Case:
    app: str
    expect_faster: bool  # the install dominates the rebuild, so skipping it must show in the time
    expect_smaller: bool  # split into stages: the runtime image leaves the build's sources and caches behind
    installs: bool = True  # has dependencies to install (a crate without any has no install step to cache)
    # add-user gives the image a USER; it declines, with advice, where the CMD needs what lives in root's home, and
    # leaves alone an image that already runs as a non-root user. Without it, the image's user must not change.
    adds_user: bool = True
    # cache-mounts mounts the package manager's cache; it declines, with advice, where the base image moves it.
    caches: bool = True
    # Context folders lockfile-first copies before the sources that the source copy copies again: the image holds
    # them twice, and may grow by their size (a checked-in Yarn release weighs megabytes).
    copied_twice: tuple[str, ...] = ()


CASES = (
    Case("express", expect_faster=False, expect_smaller=False),
    Case("django", expect_faster=True, expect_smaller=False),
    Case("go", expect_faster=False, expect_smaller=False),
    Case("maven", expect_faster=False, expect_smaller=True),
    # Yarn 1: lockfile-first, a Yarn cache mount, and a split whose runtime installs production dependencies
    # only (TypeScript and the sources stay in the builder).
    Case("yarn-typescript", expect_faster=False, expect_smaller=True),
    # The same with npm: the runtime stage runs `npm ci --omit=dev`.
    Case("npm-typescript", expect_faster=False, expect_smaller=True),
    # Poetry: the install in two phases (dependencies before the source copy, the project after it).
    Case("poetry", expect_faster=False, expect_smaller=False),
    # pnpm 9, installed with npm: its store in a cache mount (pnpm copies from it across file systems).
    Case("pnpm", expect_faster=False, expect_smaller=False),
    # Cargo: a release build split into a builder and a runtime that gets the binary alone.
    Case("rust", expect_faster=False, expect_smaller=True, installs=False),
    # pip with build tools from apt: a virtual environment built beside gcc, a runtime without them, and apt's
    # cache mounts (unsafe: the preparation RUN keeps downloaded packages).
    Case("python-venv", expect_faster=False, expect_smaller=True),
    # pnpm with a TypeScript build: the runtime stage runs `pnpm install --prod` and gets `dist/` (no TypeScript).
    Case("pnpm-typescript", expect_faster=False, expect_smaller=True),
    # Poetry with gcc from apt: Poetry, which installs into the active VIRTUAL_ENV instead of an environment of its
    # own, puts itself and the dependencies in the builder's venv; the runtime copies it and starts with `poetry run`.
    Case("poetry-venv", expect_faster=False, expect_smaller=True),
    # Poetry's default virtualenv, made under /root/.cache/pypoetry/virtualenvs and used by `poetry run`, stays in the
    # image while Poetry's download folders (artifacts/, cache/) are cache mounts; it stays root's, so no USER is added.
    Case("poetry-run", expect_faster=False, expect_smaller=False, adds_user=False),
    # Gradle 4.4, core plugins only: a split whose runtime gets build/libs/tally.jar; no cache mount on gradle images.
    Case("gradle", expect_faster=False, expect_smaller=True, installs=False, caches=False),
    # uv: `uv sync` in two phases, uv's cache mounted; `uv run` at start-up creates its cache folder in HOME, which
    # the new user has (without one, uv stopped with "Failed to initialize cache at /home/app/.cache/uv").
    Case("uv", expect_faster=False, expect_smaller=False),
    # Already non-root: `npm ci` runs as node, so its cache mount is node's (/home/node/.npm, uid and gid 1000).
    Case("npm-node-user", expect_faster=False, expect_smaller=False, adds_user=False),
    # Yarn 4 (its release checked in, run through the image's Yarn 1), node-modules linker: its global cache mounted.
    Case("yarn-berry", expect_faster=False, expect_smaller=False, copied_twice=(".yarn/releases",)),
    # Bundler and Puma (Debian's gems, a Gemfile.lock made offline): the Gemfile first, Bundler's cache mounted
    # (nothing to download here: test_bundler_reuses_the_gems_its_cache_mount_keeps fills one), and a USER the app's
    # code allows (it writes tmp/ in its own folder; its project is read through puma).
    Case("sinatra", expect_faster=False, expect_smaller=False),
    # PHP's built-in server and no dependencies: only a USER (the project php -S serves is read, and writes nothing).
    Case("php-builtin", expect_faster=False, expect_smaller=False, installs=False, caches=False),
)


def size(image: verifying.ImageReport) -> int | None:
    return image.info.size_bytes if image.info is not None else None


def refactor(env: E2EEnv, name: str) -> engine.Changed:
    subject = app(name)
    with RegistryClient() as client:
        hub = LocalHub(env, Resolver(client))
        ctx = Context(build=DirectoryContext(subject.context), path=name, resolver=hub)
        outcome = engine.refactor(subject.dockerfile, build_transforms(TransformConfig()), ctx, threshold=Safety.UNSAFE)
    assert isinstance(outcome, engine.Changed), outcome
    return outcome


@pytest.mark.parametrize("case", CASES, ids=[c.app for c in CASES])
def test_dockmod_output_is_proven(e2e_env: E2EEnv, case: Case) -> None:
    subject = app(case.app)
    outcome = refactor(e2e_env, case.app)
    applied = {f.transform for f in outcome.fixes if f.applied}
    expected = {"pin-images"} | ({"lockfile-first"} if case.installs else set())
    assert expected <= applied, outcome.fixes
    assert ("add-user" in applied) is case.adds_user, outcome.fixes
    assert ("cache-mounts" in applied) is case.caches, outcome.fixes
    assert "@sha256:" in outcome.after
    intended, intended_env = verifying.intended_changes(outcome.before, outcome.after, applied)
    options = VerifyOptions(smoke=subject.smoke(), intended=intended, intended_env=intended_env)
    report = verifying.verify(
        outcome.before,
        outcome.after,
        subject.context,
        builder=e2e_env.buildah,
        options=options,
        after_files={k: v.after for k, v in outcome.files.items()},
    )
    before, after = report.before, report.after
    rebuild = report.rebuild
    e2e_env.summarise(
        f"dockmod {case.app} ({', '.join(sorted(applied))}): size {size(before)} -> {size(after)} bytes; "
        + (
            f"rebuild {rebuild.before.duration_s:.1f} s -> {rebuild.after.duration_s:.1f} s, install cached "
            f"{rebuild.before_install_cached} -> {rebuild.after_install_cached}"
            if rebuild
            else "no rebuild"
        )
    )
    assert report.ok, report.problems
    assert before.info is not None
    assert after.info is not None
    if case.adds_user:
        assert_kept_and_not_root(before.info, after.info)
    else:
        assert_kept(before.info, after.info)
        assert after.info.config.user == before.info.config.user
    size_before, size_after = size(before), size(after)
    assert size_before is not None
    assert size_after is not None
    twice = sum(
        f.stat().st_size for folder in case.copied_twice for f in (subject.context / folder).rglob("*") if f.is_file()
    )
    limit = size_before - 1 if case.expect_smaller else size_before + USER_LAYER_ALLOWANCE + twice
    assert size_after <= limit
    assert rebuild is not None
    if not case.installs:
        assert rebuild.before_install_cached is rebuild.after_install_cached is None
        return
    assert rebuild.after_install_cached is True
    assert rebuild.before_install_cached is not True
    if case.expect_faster:
        assert rebuild.after.duration_s < rebuild.before.duration_s


def test_verify_command(e2e_env: E2EEnv, monkeypatch: pytest.MonkeyPatch) -> None:
    """``dockmod verify`` on the command line, with the suite's buildah as the machine's builder."""
    monkeypatch.setattr(verifying, "find_builder", lambda prefer="auto": e2e_env.buildah)
    context = app("go").context
    result = CliRunner().invoke(main, ["verify", "--unsafe", "--no-rebuild", str(Path(context) / "Dockerfile")])
    assert result.exit_code == 0, result.output
    assert "proven with buildah" in result.stdout
    assert "config (intended) User" in result.stdout


# What each application's build must leave in the cache mounts dockmod gives it: the folder the package manager
# really downloads to. (The Go module has no dependencies, so /go/pkg/mod, also mounted, may stay empty: the module
# cache is proven against a module proxy, test_go_module_cache_mount_keeps_the_modules.)
FILLED = {
    "express": ("/root/.npm",),
    "yarn-typescript": ("/usr/local/share/.cache/yarn",),
    "maven": ("/root/.m2",),
    "go": ("/root/.cache/go-build",),
    "poetry": ("/root/.cache/pypoetry/artifacts",),  # the downloaded wheels
    "pnpm": ("/root/.npm", "/root/.local/share/pnpm/store"),  # npm installs pnpm itself
    "python-venv": ("/var/cache/apt", "/var/lib/apt"),  # downloaded packages, and the package lists
    "pnpm-typescript": ("/root/.npm", "/root/.local/share/pnpm/store"),  # both stages' installs share them
    "poetry-venv": ("/root/.cache/pypoetry/artifacts", "/var/cache/apt", "/var/lib/apt"),
    "poetry-run": ("/root/.cache/pypoetry/artifacts",),  # beside virtualenvs/, which the image keeps
    "npm-node-user": ("/home/node/.npm",),  # npm ci as node: the mount is owned by uid 1000
    "uv": ("/root/.cache/uv",),  # the wheels, unpacked, and the built project
    "yarn-berry": ("/root/.yarn/berry/cache",),  # Yarn 4's global cache (enableGlobalCache is true by default)
}


def cache_targets(text: str) -> set[str]:
    tree = parse(text)
    targets = set()
    for ins in tree.instructions:
        if isinstance(ins, Run):
            for flag in tree.view(ins).flags:
                options = dict(part.partition("=")[::2] for part in flag.text.removeprefix("--mount=").split(","))
                if flag.text.startswith("--mount=") and options.get("type") == "cache":
                    targets.add(options["target"])
    return targets


@pytest.mark.parametrize("name", sorted(FILLED))
def test_cache_mounts_hold_what_the_package_managers_download(e2e_env: E2EEnv, name: str, tmp_path: Path) -> None:
    """A cache mount whose target is not where the package manager downloads builds fine and caches nothing,
    so builds alone cannot catch a wrong target. Build the refactored file without layer cache, with cache
    mounts in an empty folder of their own (buildah keeps them under $TMPDIR), and look inside."""
    subject = app(name)
    outcome = refactor(e2e_env, name)
    assert set(FILLED[name]) <= cache_targets(outcome.after)
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(outcome.after, encoding="utf-8")
    mounts = tmp_path / "tmp"
    mounts.mkdir()
    buildah = _with_env(e2e_env.buildah, TMPDIR=str(mounts))
    tag = f"dockmod-e2e-cache:{name}"
    built = buildah.build(dockerfile, subject.context, tag=tag, timeout_s=1800, extra=["--no-cache"])
    try:
        assert built.ok, built.error
        for target in FILLED[name]:
            folder = mounts / "buildah-cache" / target.lstrip("/")
            files = [p for p in folder.rglob("*") if p.is_file() and p.name != "buildah-cache-lockfile"]
            assert files, f"{target}: the build left nothing in its cache mount"
            e2e_env.summarise(f"cache mount {name} {target}: {len(files)} files after one build")
    finally:
        buildah.remove([tag])


def _with_env(buildah: Buildah, **values: str) -> Buildah:
    """``buildah`` with these variables set for its commands (and so its RUN steps), in place of any it had."""
    return replace(buildah, env=(*[(k, v) for k, v in buildah.env if k not in values], *values.items()))


# buildah's RUN steps share this machine's network; the package sources are on loopback, never behind a proxy.
_LOOPBACK: Final = {"no_proxy": "127.0.0.1", "NO_PROXY": "127.0.0.1"}


def _fetched(downloads: Mapping[str, list[list[str]]], wanted: Callable[[str], bool]) -> dict[str, list[list[str]]]:
    """The paths ``wanted`` picks out (the packages' files) of what each build asked the source for."""
    return {kind: [[p for p in run if wanted(p)] for run in runs] for kind, runs in downloads.items()}


@contextlib.contextmanager
def _serving(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    """``handler`` answering HTTP on a free port of loopback, in a thread of its own: yields the address."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _Responder(http.server.BaseHTTPRequestHandler):
    """A handler that logs nothing (the fixtures record what they are asked themselves) and answers in one call."""

    def reply(self, status: int, body: bytes, headers: Iterable[tuple[str, str]] = ()) -> None:
        self.send_response(status)
        for key, value in headers:
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def gem_server(tmp_path: Path) -> Iterator[tuple[str, list[str]]]:
    """A gem source on this machine (rubygems.org is out of reach): two one-file gems, ``greet`` and ``shout``,
    built and indexed with the host's RubyGems (Debian's ruby), with the compact index Bundler asks for first
    (``/versions``, ``/info/<gem>``, as rubygems.org serves it), over HTTP on a free port. Yields its address and the
    paths it was asked for, marked " (revalidated)" where Bundler sent the checksum of the copy it has."""
    gem = shutil.which("gem")
    assert gem is not None, "the gem command (Debian's ruby package, which scripts/test installs)"
    repo = tmp_path / "gem-repo"
    (repo / "gems").mkdir(parents=True)
    for name in ("greet", "shout"):
        source = tmp_path / "gem-sources" / name
        (source / "lib").mkdir(parents=True)
        (source / "lib" / f"{name}.rb").write_text(f'module {name.title()}\n  def self.word = "{name}"\nend\n')
        (source / f"{name}.gemspec").write_text(
            "Gem::Specification.new do |s|\n"
            f'  s.name = "{name}"; s.version = "1.0.0"; s.summary = "e2e"; s.authors = ["dockmod"]\n'
            f'  s.files = ["lib/{name}.rb"]; s.license = "MIT"\n'
            "end\n"
        )
        out = repo / "gems" / f"{name}-1.0.0.gem"
        subprocess.run([gem, "build", f"{name}.gemspec", "-o", str(out)], cwd=source, check=True, capture_output=True)
    subprocess.run([gem, "generate_index", "--directory", str(repo)], check=True, capture_output=True)
    (repo / "info").mkdir()
    versions = ["created_at: 2026-01-01T00:00:00Z", "---"]
    for name in ("greet", "shout"):
        checksum = hashlib.sha256((repo / "gems" / f"{name}-1.0.0.gem").read_bytes()).hexdigest()
        info = f"---\n1.0.0 |checksum:{checksum}\n"
        (repo / "info" / name).write_text(info)
        versions.append(f"{name} 1.0.0 {hashlib.md5(info.encode()).hexdigest()}")
    (repo / "versions").write_text("\n".join(versions) + "\n")
    asked: list[str] = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(repo), **kwargs)

        def log_message(self, format: str, *args: Any) -> None:
            asked.append(self.path + (" (revalidated)" if self.headers.get("If-None-Match") else ""))

    with _serving(Handler) as address:
        yield address, asked


# Prints the words of the gems the Gemfile names: "greet-ok", then "greet shout-ok".
_RUBY_APP = """require "bundler/setup"
Bundler.require
puts [Greet, (Shout if defined?(Shout))].compact.map(&:word).join(" ") + "-ok"
"""


def _builds_against_a_local_source(
    e2e_env: E2EEnv,
    asked: list[str],
    tmp_path: Path,
    context: Path,
    files: Callable[[tuple[str, ...]], None],
    texts: Mapping[str, str],
    ran: Callable[[Buildah, str, BuildOutcome], str],
) -> tuple[dict[str, list[list[str]]], Path]:
    """Build each of ``texts`` (the original, dockmod's output) twice in ``context``, ``files`` writing the project
    for greet, then for greet and shout, against a package source on loopback. Without layer cache: every step
    runs (the original's install, as after a manifest change), and only the cache mounts (kept between the builds)
    carry anything over. ``ran`` says what the app printed (in the build's log, or run from the image), which must
    name the packages of each build. Returns what each build asked the source for, and the folder that holds the
    cache mounts."""
    mounts = tmp_path / "tmp"
    mounts.mkdir()
    buildah = _with_env(e2e_env.buildah, TMPDIR=str(mounts), **_LOOPBACK)
    downloads: dict[str, list[list[str]]] = {}
    tags = [f"dockmod-e2e-source:{kind}" for kind in texts]
    try:
        for (kind, text), tag in zip(texts.items(), tags, strict=True):
            dockerfile = tmp_path / f"{kind}.Dockerfile"
            dockerfile.write_text(text, encoding="utf-8")
            for packages in (("greet",), ("greet", "shout")):
                files(packages)
                asked.clear()
                built = buildah.build(dockerfile, context, tag=tag, timeout_s=900, extra=["--no-cache"])
                assert built.ok, built.error
                assert f"{' '.join(packages)}-ok" in ran(buildah, tag, built)  # the image has the packages
                downloads.setdefault(kind, []).append(sorted(asked))
    finally:
        buildah.remove(tags)
    return downloads, mounts


def _printed_in_the_build(_buildah: Buildah, _tag: str, built: BuildOutcome) -> str:
    return built.log


def _printed_by_the_image(buildah: Buildah, tag: str, _built: BuildOutcome) -> str:
    smoke = buildah.smoke(tag, CommandSmoke(), buildah.inspect(tag).config)
    assert smoke.exit_code == 0, smoke
    return smoke.stdout


def _cache_mounts_only(text: str, context: Path) -> engine.Changed:
    ctx = Context(build=DirectoryContext(context), path="Dockerfile")
    outcome = engine.refactor(text, build_transforms(TransformConfig(select=("cache-mounts",))), ctx)
    assert isinstance(outcome, engine.Changed), outcome
    return outcome


def test_bundler_reuses_the_gems_its_cache_mount_keeps(
    e2e_env: E2EEnv, gem_server: tuple[str, list[str]], tmp_path: Path
) -> None:
    """Bundler downloads each gem into $GEM_HOME/cache and installs it from there, and keeps the source's index in
    ~/.bundle/cache. With dockmod's mounts of both, the install after a Gemfile change downloads only the new gem
    and its index entry, and revalidates the list of versions it has; the original
    file downloads everything again. Each image then runs the app with its gems."""
    source, asked = gem_server
    context = tmp_path / "context"
    context.mkdir()
    (context / "app.rb").write_text(_RUBY_APP)

    def gemfile(gems: tuple[str, ...]) -> None:
        (context / "Gemfile").write_text(f'source "{source}"\n' + "".join(f'gem "{g}"\n' for g in gems))

    gemfile(("greet",))
    before = (
        "FROM ruby:3.1\nWORKDIR /usr/src/app\nCOPY Gemfile ./\nRUN bundle install\nCOPY . .\n"
        'RUN ruby app.rb\nCMD ["ruby", "app.rb"]\n'
    )
    outcome = _cache_mounts_only(before, context)
    assert cache_targets(outcome.after) == {"/usr/local/bundle/cache", "/root/.bundle/cache"}
    downloads, mounts = _builds_against_a_local_source(
        e2e_env, asked, tmp_path, context, gemfile, {"before": before, "after": outcome.after}, _printed_in_the_build
    )
    cached = mounts / "buildah-cache" / "usr/local/bundle/cache"
    assert sorted(p.name for p in cached.glob("*.gem")) == ["greet-1.0.0.gem", "shout-1.0.0.gem"]
    index = mounts / "buildah-cache" / "root/.bundle/cache/compact_index"
    assert sorted(p.name for p in index.glob("*/info/*")) == ["greet", "shout"]
    everything = ["/gems/greet-1.0.0.gem", "/gems/shout-1.0.0.gem", "/info/greet", "/info/shout", "/versions"]
    first = ["/gems/greet-1.0.0.gem", "/info/greet", "/versions"]
    assert downloads["before"] == [first, everything]
    assert downloads["after"] == [first, ["/gems/shout-1.0.0.gem", "/info/shout", "/versions (revalidated)"]]
    e2e_env.summarise(f"bundler cache mounts: downloads before {downloads['before']}, after {downloads['after']}")


def test_bundler_mount_in_a_rails_shaped_build(
    e2e_env: E2EEnv, gem_server: tuple[str, list[str]], tmp_path: Path
) -> None:
    """The shape of Rails' generated Dockerfile: BUNDLE_DEPLOYMENT with BUNDLE_PATH, so the gems and their cache go
    to $BUNDLE_PATH/ruby/3.1.0; its clean-up of `"${BUNDLE_PATH}"/ruby/*/cache` and ~/.bundle/; a final stage that
    copies BUNDLE_PATH from the build stage and runs the app. dockmod mounts the versioned cache folder and takes
    that operand out of the rm; the final image still runs the app, and the rebuild downloads only the new gem."""
    source, asked = gem_server
    context = tmp_path / "context"
    context.mkdir()
    (context / "app.rb").write_text(_RUBY_APP)
    platform = f"{os.uname().machine}-linux"

    def gems_and_lock(gems: tuple[str, ...]) -> None:
        (context / "Gemfile").write_text(f'source "{source}"\n' + "".join(f'gem "{g}"\n' for g in gems))
        specs = "".join(f"    {g} (1.0.0)\n" for g in gems)
        dependencies = "".join(f"  {g}\n" for g in gems)
        (context / "Gemfile.lock").write_text(
            f"GEM\n  remote: {source}/\n  specs:\n{specs}\nPLATFORMS\n  ruby\n  {platform}\n\n"
            f"DEPENDENCIES\n{dependencies}\nBUNDLED WITH\n   2.3.15\n"
        )

    gems_and_lock(("greet",))
    before = """ARG RUBY_VERSION=3.1
FROM ruby:$RUBY_VERSION AS base
WORKDIR /rails
ENV BUNDLE_DEPLOYMENT="1" \\
    BUNDLE_PATH="/usr/local/bundle" \\
    BUNDLE_WITHOUT="development"

FROM base AS build
COPY Gemfile Gemfile.lock ./
RUN bundle install && \\
    rm -rf ~/.bundle/ "${BUNDLE_PATH}"/ruby/*/cache "${BUNDLE_PATH}"/ruby/*/bundler/gems/*/.git
COPY . .

FROM base
COPY --from=build /usr/local/bundle /usr/local/bundle
COPY --from=build /rails /rails
RUN bundle exec ruby app.rb
CMD ["bundle", "exec", "ruby", "app.rb"]
"""
    outcome = _cache_mounts_only(before, context)
    assert cache_targets(outcome.after) == {"/usr/local/bundle/ruby/3.1.0/cache"}
    assert 'rm -rf ~/.bundle/ "${BUNDLE_PATH}"/ruby/*/bundler/gems/*/.git' in outcome.after
    downloads, mounts = _builds_against_a_local_source(
        e2e_env,
        asked,
        tmp_path,
        context,
        gems_and_lock,
        {"before": before, "after": outcome.after},
        _printed_in_the_build,
    )
    cached = mounts / "buildah-cache" / "usr/local/bundle/ruby/3.1.0/cache"
    assert sorted(p.name for p in cached.glob("*.gem")) == ["greet-1.0.0.gem", "shout-1.0.0.gem"]
    gems = _fetched(downloads, lambda p: p.startswith("/gems/"))
    greet, shout = "/gems/greet-1.0.0.gem", "/gems/shout-1.0.0.gem"
    assert gems == {"before": [[greet], [greet, shout]], "after": [[greet], [shout]]}
    e2e_env.summarise(f"bundler BUNDLE_PATH mount: downloads before {downloads['before']}, after {downloads['after']}")


def _go_dirhash(files: Mapping[str, bytes]) -> str:
    """Go's "h1:" checksum of a set of files (golang.org/x/mod/sumdb/dirhash.Hash1), as go.sum records it: the
    SHA-256 of the sorted lines "<SHA-256 of the file>  <name>"."""
    lines = "".join(f"{hashlib.sha256(files[name]).hexdigest()}  {name}\n" for name in sorted(files))
    return "h1:" + base64.b64encode(hashlib.sha256(lines.encode()).digest()).decode()


@dataclass(frozen=True, slots=True)
class _GoModule:
    path: str
    mod: bytes
    zip: bytes
    sums: str  # its two go.sum lines


def _go_module(name: str) -> _GoModule:
    """example.com/<name> v1.0.0: one package whose Word() returns its name."""
    path, prefix = f"example.com/{name}", f"example.com/{name}@v1.0.0/"
    mod = f"module {path}\n\ngo 1.19\n".encode()
    files = {
        prefix + "go.mod": mod,
        prefix + f"{name}.go": f'package {name}\n\nfunc Word() string {{ return "{name}" }}\n'.encode(),
    }
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        for entry, data in files.items():
            z.writestr(entry, data)
    sums = f"{path} v1.0.0 {_go_dirhash(files)}\n{path} v1.0.0/go.mod {_go_dirhash({'go.mod': mod})}\n"
    return _GoModule(path, mod, archive.getvalue(), sums)


@pytest.fixture
def go_proxy() -> Iterator[tuple[str, list[str]]]:
    """A Go module proxy on this machine (proxy.golang.org is out of reach): modules ``example.com/greet`` and
    ``example.com/shout`` v1.0.0, served by the GOPROXY protocol (``/<module>/@v/list``, ``.info``, ``.mod``,
    ``.zip``) over HTTP on a free port. Yields its address and the paths it was asked for."""
    modules = {m.path: m for m in map(_go_module, ("greet", "shout"))}
    asked: list[str] = []

    class Handler(_Responder):
        def do_GET(self) -> None:
            asked.append(self.path)
            path, _, file = self.path.lstrip("/").partition("/@v/")
            module = modules.get(path)
            body = None
            if module is not None:
                body = {
                    "list": b"v1.0.0\n",
                    "v1.0.0.info": json.dumps({"Version": "v1.0.0", "Time": "2026-01-01T00:00:00Z"}).encode(),
                    "v1.0.0.mod": module.mod,
                    "v1.0.0.zip": module.zip,
                }.get(file)
            self.reply(404 if body is None else 200, body or b"")

    with _serving(Handler) as address:
        yield address, asked


def test_go_module_cache_mount_keeps_the_modules(
    e2e_env: E2EEnv, go_proxy: tuple[str, list[str]], tmp_path: Path
) -> None:
    """`go mod download` fills the module cache (/go/pkg/mod on golang images); `go mod vendor` and the build load
    the modules from it. dockmod mounts all three RUNs (the twenty-seventh round: with `go mod vendor` left unmounted,
    a real build downloaded every module again). The output builds an image that prints what the original's does,
    and after a go.mod change downloads only the new module, where the original downloads every module again."""
    proxy, asked = go_proxy
    context = tmp_path / "context"
    context.mkdir()

    def module(requires: tuple[str, ...]) -> None:
        used = [_go_module(name) for name in requires]
        (context / "go.mod").write_text(
            "module example.com/app\n\ngo 1.19\n\n" + "".join(f"require {m.path} v1.0.0\n" for m in used)
        )
        (context / "go.sum").write_text("".join(m.sums for m in used))
        imports = "".join(f'\t"{m.path}"\n' for m in used)
        words = ' + " " + '.join(f"{name}.Word()" for name in requires)
        (context / "main.go").write_text(
            f'package main\n\nimport (\n\t"fmt"\n{imports})\n\nfunc main() {{ fmt.Println({words} + "-ok") }}\n'
        )

    module(("greet",))
    before = f"""FROM golang:1.19 AS build
ENV GOPROXY={proxy} GOSUMDB=off
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go mod vendor
RUN CGO_ENABLED=0 go build -mod=vendor -o /app .

FROM debian:bookworm-slim
COPY --from=build /app /app
CMD ["/app"]
"""
    outcome = _cache_mounts_only(before, context)
    assert cache_targets(outcome.after) == {"/go/pkg/mod", "/root/.cache/go-build"}
    assert outcome.after.count("--mount=type=cache,target=/go/pkg/mod") == 3
    downloads, mounts = _builds_against_a_local_source(
        e2e_env, asked, tmp_path, context, module, {"before": before, "after": outcome.after}, _printed_by_the_image
    )
    cached = mounts / "buildah-cache" / "go/pkg/mod"
    assert sorted(p.name for p in (cached / "example.com").iterdir()) == ["greet@v1.0.0", "shout@v1.0.0"]
    zips = _fetched(downloads, lambda p: p.endswith(".zip"))
    greet, shout = "/example.com/greet/@v/v1.0.0.zip", "/example.com/shout/@v/v1.0.0.zip"
    assert zips == {"before": [[greet], [greet, shout]], "after": [[greet], [shout]]}
    e2e_env.summarise(f"go module cache mount: downloads before {downloads['before']}, after {downloads['after']}")


def _crate(name: str) -> bytes:
    """The .crate file of <name> 1.0.0 (a gzipped tar of <name>-1.0.0/): a library whose word() returns its name."""
    files = {
        f"{name}-1.0.0/Cargo.toml": f'[package]\nname = "{name}"\nversion = "1.0.0"\nedition = "2018"\n'.encode(),
        f"{name}-1.0.0/src/lib.rs": f'pub fn word() -> &\'static str {{ "{name}" }}\n'.encode(),
    }
    archive = io.BytesIO()
    with tarfile.open(fileobj=archive, mode="w:gz") as tar:
        for entry, data in files.items():
            info = tarfile.TarInfo(entry)
            info.size, info.mtime = len(data), 1_700_000_000
            tar.addfile(info, io.BytesIO(data))
    return archive.getvalue()


@pytest.fixture
def cargo_registry(tmp_path: Path) -> Iterator[tuple[str, list[str]]]:
    """A Cargo registry on this machine (crates.io is out of reach): crates ``greet`` and ``shout`` 1.0.0, a git
    index (what Cargo 0.66, the rust:1.63 stand-in's, reads: its sparse protocol is not stable) served over git's
    smart HTTP by the host's ``git http-backend``, and the crates at the index's ``dl`` address. Yields the index's
    address and the paths asked for."""
    crates = {name: _crate(name) for name in ("greet", "shout")}
    index = tmp_path / "index"
    asked: list[str] = []

    class Handler(_Responder):
        def do_GET(self) -> None:
            asked.append(self.path)
            if self.path.startswith("/git/"):
                self._git()
                return
            parts = self.path.strip("/").split("/")  # crates/<name>/<version>/download
            data = crates.get(parts[1], b"") if len(parts) == 4 and parts[0] == "crates" else b""
            self.reply(200 if data else 404, data)

        def do_POST(self) -> None:
            asked.append(f"POST {self.path}")
            self._git()

        def _git(self) -> None:
            """git-http-backend as a CGI program: the request in its environment and stdin, a CGI response out."""
            path, _, query = self.path.partition("?")
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            env = {
                "PATH": os.environ["PATH"],
                "GIT_PROJECT_ROOT": str(tmp_path),
                "GIT_HTTP_EXPORT_ALL": "1",
                "PATH_INFO": path.removeprefix("/git"),
                "QUERY_STRING": query,
                "REQUEST_METHOD": self.command,
                "CONTENT_TYPE": self.headers.get("Content-Type", ""),
                "CONTENT_LENGTH": str(len(body)),
                "REMOTE_ADDR": "127.0.0.1",
                "GIT_PROTOCOL": self.headers.get("Git-Protocol", ""),
            }
            out = subprocess.run(["git", "http-backend"], input=body, env=env, capture_output=True, check=True).stdout
            head, _, payload = out.partition(b"\r\n\r\n")
            fields = [line.partition(":")[::2] for line in head.decode().split("\r\n") if line]
            status = next((int(v.split()[0]) for k, v in fields if k.lower() == "status"), 200)
            self.reply(status, payload, [(k, v.strip()) for k, v in fields if k.lower() != "status"])

    with _serving(Handler) as address:
        # The index names the address its crates are downloaded from: written once the server has its port.
        index.mkdir()
        (index / "config.json").write_text(json.dumps({"dl": f"{address}/crates"}))
        for name, data in crates.items():
            cksum = hashlib.sha256(data).hexdigest()
            entry = {"name": name, "vers": "1.0.0", "deps": [], "cksum": cksum, "features": {}}
            path = index / name[:2] / name[2:4] / name  # the index's layout for names of four letters or more
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(entry) + "\n")
        git = ["git", "-C", str(index), "-c", "user.name=dockmod", "-c", "user.email=e2e@dockmod.invalid"]
        for argv in (["init", "-q", "-b", "master"], ["add", "."], ["commit", "-q", "-m", "index"]):
            subprocess.run([*git, *argv], check=True)
        yield f"{address}/git/index", asked


def test_cargo_registry_mount_keeps_the_crates(
    e2e_env: E2EEnv, cargo_registry: tuple[str, list[str]], tmp_path: Path
) -> None:
    """Cargo keeps the registry's index and the downloaded .crate files (and their unpacked sources) in
    $CARGO_HOME/registry. dockmod mounts it for `cargo fetch`, and for the `cargo check` and `cargo build` that read
    it (the twenty-seventh round: an unmounted `cargo check` after a mounted `cargo fetch` downloaded every crate
    again). The output builds an image that prints what the original's does, and after a Cargo.toml change
    downloads only the new crate, where the original downloads every crate again."""
    index, asked = cargo_registry
    context = tmp_path / "context"
    (context / "src").mkdir(parents=True)

    def crates(names: tuple[str, ...]) -> None:
        dependencies = "".join(f'{n} = {{ version = "1.0.0", registry = "local" }}\n' for n in names)
        (context / "Cargo.toml").write_text(
            f'[package]\nname = "app"\nversion = "0.1.0"\nedition = "2018"\n\n[dependencies]\n{dependencies}'
        )
        words = ", ".join(f"{n}::word()" for n in names)
        shown = " ".join("{}" for _ in names)
        (context / "src" / "main.rs").write_text(f'fn main() {{ println!("{shown}-ok", {words}); }}\n')

    crates(("greet",))
    before = f"""FROM rust:1.63 AS build
ENV CARGO_REGISTRIES_LOCAL_INDEX={index}
WORKDIR /src
COPY . .
RUN cargo fetch
RUN cargo check
RUN cargo build --release --offline

FROM debian:bookworm-slim
COPY --from=build /src/target/release/app /usr/local/bin/app
CMD ["app"]
"""
    outcome = _cache_mounts_only(before, context)
    assert cache_targets(outcome.after) == {"/usr/local/cargo/registry", "/usr/local/cargo/git/db"}
    assert outcome.after.count("--mount=type=cache,target=/usr/local/cargo/registry") == 3
    downloads, mounts = _builds_against_a_local_source(
        e2e_env, asked, tmp_path, context, crates, {"before": before, "after": outcome.after}, _printed_by_the_image
    )
    cached = mounts / "buildah-cache" / "usr/local/cargo/registry/cache"
    assert sorted(p.name for p in cached.glob("*/*.crate")) == ["greet-1.0.0.crate", "shout-1.0.0.crate"]
    fetched = _fetched(downloads, lambda p: p.startswith("/crates/"))
    greet, shout = "/crates/greet/1.0.0/download", "/crates/shout/1.0.0/download"
    assert fetched == {"before": [[greet], [greet, shout]], "after": [[greet], [shout]]}
    e2e_env.summarise(f"cargo registry mount: downloads before {downloads['before']}, after {downloads['after']}")


def _wheel(name: str) -> bytes:
    """<name>-1.0.0-py3-none-any.whl: a module whose word() returns its name, with the metadata pip reads."""
    info = f"{name}-1.0.0.dist-info"
    files = {
        f"{name}.py": f'def word():\n    return "{name}"\n'.encode(),
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0.0\n".encode(),
        f"{info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: dockmod-e2e\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = [
        f"{entry},sha256={base64.urlsafe_b64encode(hashlib.sha256(data).digest()).decode().rstrip('=')},{len(data)}"
        for entry, data in files.items()
    ]
    files[f"{info}/RECORD"] = ("\n".join([*record, f"{info}/RECORD,,"]) + "\n").encode()
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        for entry, data in files.items():
            z.writestr(entry, data)
    return archive.getvalue()


@pytest.fixture
def python_index() -> Iterator[tuple[str, list[str]]]:
    """A Python package index on this machine: ``greet`` and ``shout`` 1.0.0 as wheels, behind the simple API
    (``/simple/<name>/``, PEP 503) over HTTP on a free port. The wheels are served as PyPI serves them, cacheable
    for a year (pip keeps only responses it may cache: this machine's proxy to PyPI sends no such header, so
    pip's cache never fills through it). Yields the index's address and the paths it was asked for."""
    wheels = {f"{name}-1.0.0-py3-none-any.whl": _wheel(name) for name in ("greet", "shout")}
    asked: list[str] = []

    class Handler(_Responder):
        def do_GET(self) -> None:
            asked.append(self.path)
            parts = self.path.strip("/").split("/")
            if len(parts) == 2 and parts[0] == "simple" and f"{parts[1]}-1.0.0-py3-none-any.whl" in wheels:
                file = f"{parts[1]}-1.0.0-py3-none-any.whl"
                digest = hashlib.sha256(wheels[file]).hexdigest()
                page = f'<html><body><a href="/files/{file}#sha256={digest}">{file}</a></body></html>'
                self.reply(200, page.encode(), [("Content-Type", "text/html")])
            elif len(parts) == 2 and parts[0] == "files" and parts[1] in wheels:
                self.reply(200, wheels[parts[1]], [("Cache-Control", "max-age=31536000, public, immutable")])
            else:
                self.reply(404, b"")

    with _serving(Handler) as address:
        yield f"{address}/simple", asked


# pip wheel in a builder stage, the wheels installed offline in the final one (the shape of healthchecks' and
# cookiecutter-django's files), and a plain pip install from the index.
_PIP_BUILDS: Final = {
    "wheel": """FROM python:3.11 AS wheels
WORKDIR /src
COPY requirements.txt .
RUN pip wheel --no-cache-dir --wheel-dir /wheels -r requirements.txt

FROM python:3.11
COPY --from=wheels /wheels /wheels
RUN pip install --no-cache-dir --no-index /wheels/*
COPY app.py .
CMD ["python", "app.py"]
""",
    "install": """FROM python:3.11
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY app.py .
CMD ["python", "app.py"]
""",
}


@pytest.mark.parametrize("shape", sorted(_PIP_BUILDS))
def test_pip_reuses_the_downloads_its_cache_mount_keeps(
    e2e_env: E2EEnv, python_index: tuple[str, list[str]], shape: str, tmp_path: Path
) -> None:
    """pip keeps what it downloads in ~/.cache/pip (its HTTP cache); `pip wheel` as `pip install` does. dockmod
    mounts the folder and drops --no-cache-dir; the output builds an image that prints what the original's does,
    and after a requirements change downloads only the new wheel, where the original downloads every wheel again."""
    index, asked = python_index
    context = tmp_path / "context"
    context.mkdir()

    def requirements(names: tuple[str, ...]) -> None:
        # pip caches what it fetches over plain HTTP only from a trusted host.
        (context / "requirements.txt").write_text(
            f"--index-url {index}\n--trusted-host 127.0.0.1\n" + "".join(f"{n}\n" for n in names)
        )
        words = ", ".join(f"{n}.word()" for n in names)
        (context / "app.py").write_text(f'import {", ".join(names)}\nprint(" ".join([{words}]) + "-ok")\n')

    requirements(("greet",))
    before = _PIP_BUILDS[shape]
    outcome = _cache_mounts_only(before, context)
    assert cache_targets(outcome.after) == {"/root/.cache/pip"}
    assert "--no-cache-dir" not in outcome.after
    downloads, mounts = _builds_against_a_local_source(
        e2e_env,
        asked,
        tmp_path,
        context,
        requirements,
        {"before": before, "after": outcome.after},
        _printed_by_the_image,
    )
    assert any((mounts / "buildah-cache" / "root/.cache/pip").rglob("*")), "pip left nothing in its cache mount"
    wheels = _fetched(downloads, lambda p: p.startswith("/files/"))
    greet, shout = "/files/greet-1.0.0-py3-none-any.whl", "/files/shout-1.0.0-py3-none-any.whl"
    assert wheels == {"before": [[greet], [greet, shout]], "after": [[greet], [shout]]}
    e2e_env.summarise(f"pip {shape} cache mount: downloads before {downloads['before']}, after {downloads['after']}")


def _npm_package(name: str) -> bytes:
    """The tarball of <name> 1.0.0 as npm publishes one (a gzipped tar of ``package/``): a module whose ``word()``
    says its name. Fixed dates: the same bytes every time, as the lock files' integrity needs."""
    archive = io.BytesIO()
    with gzip.GzipFile(fileobj=archive, mode="wb", mtime=0) as zipped, tarfile.open(fileobj=zipped, mode="w") as tar:
        for entry, text in {
            "package/package.json": json.dumps({"name": name, "version": "1.0.0", "main": "index.js"}),
            "package/index.js": f'exports.word = () => "{name}";\n',
        }.items():
            info = tarfile.TarInfo(entry)
            data = text.encode()
            info.size, info.mode, info.mtime = len(data), 0o644, 1767225600
            tar.addfile(info, io.BytesIO(data))
    return archive.getvalue()


def _integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


@pytest.fixture
def npm_registry() -> Iterator[tuple[str, list[str]]]:
    """An npm registry on this machine, serving packages of the test's own (so that what each build downloads can be
    counted): ``greet`` and ``shout`` 1.0.0, their documents at ``/<name>`` and tarballs at
    ``/<name>/-/<name>-1.0.0.tgz``, with registry.npmjs.org's caching headers, over HTTP on a free port. Yields its
    address (ending in /) and what it was asked for (``POST`` marked: npm's audit, answered 404)."""
    tarballs = {name: _npm_package(name) for name in ("greet", "shout")}
    asked: list[str] = []

    class Handler(_Responder):
        def do_GET(self) -> None:
            asked.append(self.path)
            name, _, rest = self.path.strip("/").partition("/")
            data = tarballs.get(name)
            if data is not None and not rest:
                host = self.headers.get("Host", "")
                release = {
                    "name": name,
                    "version": "1.0.0",
                    "main": "index.js",
                    "dist": {
                        "tarball": f"http://{host}/{name}/-/{name}-1.0.0.tgz",
                        "shasum": hashlib.sha1(data).hexdigest(),
                        "integrity": _integrity(data),
                    },
                }
                document = {"name": name, "dist-tags": {"latest": "1.0.0"}, "versions": {"1.0.0": release}}
                headers = [("Content-Type", "application/json"), ("Cache-Control", "public, max-age=300")]
                self.reply(200, json.dumps(document).encode(), headers)
            elif data is not None and rest == f"-/{name}-1.0.0.tgz":
                headers = [("Content-Type", "application/octet-stream"), ("Cache-Control", "max-age=31557600")]
                self.reply(200, data, headers)
            else:
                self.reply(404, b"")

        def do_POST(self) -> None:
            asked.append(f"POST {self.path}")
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            self.reply(404, b"")

    with _serving(Handler) as address:
        yield f"{address}/", asked


def _npm_project(context: Path, registry: str, names: tuple[str, ...]) -> None:
    """A Node app that requires ``names`` from ``registry``: package.json, .npmrc, and the lock files of npm, Yarn 1
    and pnpm 9, each with the tarballs' integrity (and npm's and Yarn's with their addresses), as the tools write
    them."""
    versions = dict.fromkeys(names, "1.0.0")
    (context / "package.json").write_text(json.dumps({"name": "app", "version": "1.0.0", "dependencies": versions}))
    (context / ".npmrc").write_text(f"registry={registry}\n")
    npm: dict[str, Any] = {"": {"name": "app", "version": "1.0.0", "dependencies": versions}}
    yarn = "# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n# yarn lockfile v1\n"
    importers, packages, snapshots = "", "", ""
    for n in names:
        data, tarball = _npm_package(n), f"{registry}{n}/-/{n}-1.0.0.tgz"
        integrity, sha1 = _integrity(data), hashlib.sha1(data).hexdigest()
        npm[f"node_modules/{n}"] = {"version": "1.0.0", "resolved": tarball, "integrity": integrity}
        yarn += f'\n\n{n}@1.0.0:\n  version "1.0.0"\n  resolved "{tarball}#{sha1}"\n  integrity {integrity}\n'
        importers += f"      {n}:\n        specifier: 1.0.0\n        version: 1.0.0\n"
        packages += f"\n  {n}@1.0.0:\n    resolution: {{integrity: {integrity}}}\n"
        snapshots += f"\n  {n}@1.0.0: {{}}\n"
    lock = {"name": "app", "version": "1.0.0", "lockfileVersion": 3, "requires": True, "packages": npm}
    (context / "package-lock.json").write_text(json.dumps(lock, indent=2) + "\n")
    (context / "yarn.lock").write_text(yarn)
    pnpm = f"lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n{importers}"
    (context / "pnpm-lock.yaml").write_text(f"{pnpm}\npackages:\n{packages}\nsnapshots:\n{snapshots}")
    words = " + ' ' + ".join(f"require('{n}').word()" for n in names)
    (context / "app.js").write_text(f"console.log({words} + '-ok');\n")


# npm install without a lock (the express app's shape), npm ci from the lock with npm's cache cleaned after, npm ci
# as the node image's user (a mount owned by uid 1000), Yarn 1 from its lock with its cache cleaned after, and pnpm
# 9 (installed with npm from the public registry) from its lock, also with PNPM_HOME set as pnpm.io's Docker guide
# sets it.
_NODE_BUILDS: Final = {
    "install": """FROM node:18
WORKDIR /usr/src/app
COPY package.json .npmrc ./
RUN npm install
COPY app.js .
CMD ["node", "app.js"]
""",
    "ci": """FROM node:18
WORKDIR /usr/src/app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev && npm cache clean --force
COPY app.js .
CMD ["node", "app.js"]
""",
    "user": """FROM node:18
WORKDIR /home/node/app
RUN chown node:node /home/node/app
USER node
COPY --chown=node:node package.json package-lock.json .npmrc ./
RUN npm ci
COPY --chown=node:node app.js .
CMD ["node", "app.js"]
""",
    "yarn": """FROM node:18
WORKDIR /usr/src/app
COPY package.json yarn.lock .npmrc ./
RUN yarn install --frozen-lockfile && yarn cache clean
COPY app.js .
CMD ["node", "app.js"]
""",
    "pnpm": """FROM node:18
RUN npm install -g pnpm@9.15.9
WORKDIR /app
COPY package.json pnpm-lock.yaml .npmrc ./
RUN pnpm install --frozen-lockfile --prod
COPY app.js .
CMD ["node", "app.js"]
""",
    "pnpm-home": """FROM node:18
ENV PNPM_HOME="/pnpm"
ENV PATH="$PNPM_HOME:$PATH"
RUN npm install -g pnpm@9.15.9
WORKDIR /app
COPY package.json pnpm-lock.yaml .npmrc ./
RUN pnpm install --prod --frozen-lockfile
COPY app.js .
CMD ["node", "app.js"]
""",
}
_NODE_TARGETS: Final = {
    "install": "/root/.npm",
    "ci": "/root/.npm",
    "user": "/home/node/.npm",
    "yarn": "/usr/local/share/.cache/yarn",
    "pnpm": "/root/.local/share/pnpm/store",  # and /root/.npm, for npm's install of pnpm itself
    "pnpm-home": "/pnpm/store",  # pnpm.io's Docker guide: PNPM_HOME=/pnpm moves pnpm's home, and its store
}


@pytest.mark.parametrize("shape", sorted(_NODE_BUILDS))
def test_node_installs_reuse_the_downloads_their_cache_mount_keeps(
    e2e_env: E2EEnv, npm_registry: tuple[str, list[str]], shape: str, tmp_path: Path
) -> None:
    """npm keeps the tarballs it downloads in ~/.npm (_cacache), Yarn 1 in /usr/local/share/.cache/yarn, pnpm in
    ~/.local/share/pnpm/store. dockmod mounts them (owned by the user who installs) and takes the cache clean-ups
    out; the output builds an image that prints what the original's does, and after a dependency is added downloads
    only the new tarball, where the original downloads every tarball again."""
    registry, asked = npm_registry
    context = tmp_path / "context"
    context.mkdir()

    def project(names: tuple[str, ...]) -> None:
        _npm_project(context, registry, names)

    project(("greet",))
    before = _NODE_BUILDS[shape]
    outcome = _cache_mounts_only(before, context)
    assert cache_targets(outcome.after) - {"/root/.npm"} == {_NODE_TARGETS[shape]} - {"/root/.npm"}
    assert "cache clean" not in outcome.after
    downloads, mounts = _builds_against_a_local_source(
        e2e_env,
        asked,
        tmp_path,
        context,
        project,
        {"before": before, "after": outcome.after},
        _printed_by_the_image,
    )
    assert any((mounts / "buildah-cache" / _NODE_TARGETS[shape].lstrip("/")).rglob("*")), "the mount stayed empty"
    tarballs = _fetched(downloads, lambda p: p.endswith(".tgz"))
    greet, shout = "/greet/-/greet-1.0.0.tgz", "/shout/-/shout-1.0.0.tgz"
    assert tarballs == {"before": [[greet], [greet, shout]], "after": [[greet], [shout]]}
    e2e_env.summarise(f"node {shape} cache mount: downloads before {downloads['before']}, after {downloads['after']}")


def _composer_package(name: str) -> bytes:
    """The dist archive of acme/<name> 1.0.0: a file Composer's autoloader loads, defining acme_<name>()."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        # A fixed date: the same bytes every time, as the lock file's checksum of the archive needs.
        entry = zipfile.ZipInfo(f"{name}/{name}.php", date_time=(2026, 1, 1, 0, 0, 0))
        entry.external_attr = 0o644 << 16  # readable by every user, as a published package's files are
        z.writestr(entry, f'<?php\nfunction acme_{name}() {{ return "{name}"; }}\n')
    return archive.getvalue()


@pytest.fixture
def composer_repository() -> Iterator[tuple[str, list[str]]]:
    """A Composer repository on this machine (packagist.org is out of reach): acme/greet and acme/shout 1.0.0,
    listed in ``/packages.json`` with their zip archives at ``/dist/``, over HTTP on a free port. Yields its address
    and the paths it was asked for."""
    archives = {name: _composer_package(name) for name in ("greet", "shout")}
    asked: list[str] = []

    class Handler(_Responder):
        def do_GET(self) -> None:
            asked.append(self.path)
            if self.path == "/packages.json":
                host = self.headers.get("Host", "")
                packages = {
                    f"acme/{name}": {
                        "1.0.0": {
                            "name": f"acme/{name}",
                            "version": "1.0.0",
                            "dist": {
                                "type": "zip",
                                "url": f"http://{host}/dist/{name}-1.0.0.zip",
                                "shasum": hashlib.sha1(data).hexdigest(),
                            },
                            "autoload": {"files": [f"{name}.php"]},
                        }
                    }
                    for name, data in archives.items()
                }
                self.reply(200, json.dumps({"packages": packages}).encode(), [("Content-Type", "application/json")])
                return
            name = self.path.removeprefix("/dist/").removesuffix("-1.0.0.zip")
            data = archives.get(name) if self.path.startswith("/dist/") else None
            self.reply(200 if data else 404, data or b"")

    with _serving(Handler) as address:
        yield address, asked


# The official composer image's shape (COMPOSER_HOME=/tmp: the cache is /tmp/cache) in a vendor stage, and an
# install that moves Composer's home with an export, as kimai's Dockerfile does; both clear the cache after.
_COMPOSER_BUILDS: Final = {
    "image": """FROM composer:2 AS vendor
COPY composer.json ./
RUN composer install --no-interaction --no-progress && composer clear-cache

FROM php:8.2-cli
WORKDIR /app
COPY --from=vendor /app/vendor ./vendor
COPY app.php .
CMD ["php", "app.php"]
""",
    "export": """FROM composer:2
COPY composer.json ./
RUN export COMPOSER_HOME=/composer && composer --no-ansi install --no-interaction && composer --no-ansi clearcache
COPY app.php .
CMD ["php", "app.php"]
""",
}


@pytest.mark.parametrize("shape", sorted(_COMPOSER_BUILDS))
def test_composer_reuses_the_downloads_its_cache_mount_keeps(
    e2e_env: E2EEnv, composer_repository: tuple[str, list[str]], shape: str, tmp_path: Path
) -> None:
    """Composer keeps the archives it downloads in its cache folder ($COMPOSER_HOME/cache). dockmod mounts it and
    takes `composer clear-cache` out (it would empty the mount); the output builds an image that prints what the
    original's does, and after a composer.json change downloads only the new package, where the original downloads
    every package again."""
    repository, asked = composer_repository
    context = tmp_path / "context"
    context.mkdir()

    def packages(names: tuple[str, ...]) -> None:
        (context / "composer.json").write_text(
            json.dumps(
                {
                    "repositories": [{"type": "composer", "url": repository}, {"packagist.org": False}],
                    "require": {f"acme/{n}": "1.0.0" for n in names},
                    "config": {"secure-http": False},
                }
            )
        )
        words = ", ".join(f"acme_{n}()" for n in names)
        (context / "app.php").write_text(
            f'<?php\nrequire __DIR__ . "/vendor/autoload.php";\necho implode(" ", [{words}]) . "-ok\\n";\n'
        )

    packages(("greet",))
    before = _COMPOSER_BUILDS[shape]
    outcome = _cache_mounts_only(before, context)
    target = {"image": "/tmp/cache", "export": "/composer/cache"}[shape]
    assert cache_targets(outcome.after) == {target}
    assert "clear-cache" not in outcome.after
    assert "clearcache" not in outcome.after
    downloads, mounts = _builds_against_a_local_source(
        e2e_env,
        asked,
        tmp_path,
        context,
        packages,
        {"before": before, "after": outcome.after},
        _printed_by_the_image,
    )
    cached = mounts / "buildah-cache" / target.lstrip("/") / "files" / "acme"
    assert sorted(p.name for p in cached.iterdir()) == ["greet", "shout"]
    archives = _fetched(downloads, lambda p: p.startswith("/dist/"))
    greet, shout = "/dist/greet-1.0.0.zip", "/dist/shout-1.0.0.zip"
    assert archives == {"before": [[greet], [greet, shout]], "after": [[greet], [shout]]}
    e2e_env.summarise(f"composer {shape} mount: downloads before {downloads['before']}, after {downloads['after']}")


def _composer_lock(project: Mapping[str, Any], repository: str, names: tuple[str, ...]) -> str:
    """A composer.lock for ``project`` (composer.json's content) that pins acme/<name> 1.0.0 from ``repository``,
    with the content-hash Composer computes (Locker::getContentHash: the MD5 of the relevant keys, sorted, as PHP's
    json_encode writes them, slashes escaped), so Composer installs from it without a warning."""
    relevant = ("name", "version", "require", "require-dev", "conflict", "replace", "provide", "minimum-stability",
                "prefer-stable", "repositories", "extra")  # fmt: skip
    content = {key: project[key] for key in sorted(relevant) if key in project}
    encoded = json.dumps(content, separators=(",", ":")).replace("/", "\\/")
    packages = [
        {
            "name": f"acme/{name}",
            "version": "1.0.0",
            "dist": {
                "type": "zip",
                "url": f"{repository}/dist/{name}-1.0.0.zip",
                "shasum": hashlib.sha1(_composer_package(name)).hexdigest(),
            },
            "type": "library",
            "autoload": {"files": [f"{name}.php"]},
        }
        for name in names
    ]
    lock = {
        "content-hash": hashlib.md5(encoded.encode()).hexdigest(),
        "packages": packages,
        "packages-dev": [],
        "aliases": [],
        "minimum-stability": "stable",
        "stability-flags": [],
        "prefer-stable": False,
        "prefer-lowest": False,
        "platform": [],
        "platform-dev": [],
        "plugin-api-version": "2.3.0",
    }
    return json.dumps(lock, indent=4) + "\n"


def test_composer_two_phase_install_is_proven(
    e2e_env: E2EEnv, composer_repository: tuple[str, list[str]], tmp_path: Path
) -> None:
    """lockfile-first's Composer move: `composer install --no-scripts --no-autoloader` with composer.json alone
    before the source copy, the original install after it (which dumps the autoloader, here of the project's PSR-4
    classes, and runs the project's scripts). verify builds both: the images print the same, and after a source-only
    change the output's rebuild reuses the first install's layer, where the original installs again."""
    repository, _asked = composer_repository
    context = tmp_path / "context"
    (context / "src").mkdir(parents=True)
    (context / "composer.json").write_text(
        json.dumps(
            {
                "repositories": [{"type": "composer", "url": repository}, {"packagist.org": False}],
                "require": {"acme/greet": "1.0.0"},
                "autoload": {"psr-4": {"App\\": "src/"}},
                "scripts": {"post-install-cmd": ["php -r \"file_put_contents('installed.txt', 'scripts-ran');\""]},
                "config": {"secure-http": False},
            }
        )
    )
    (context / ".dockerignore").write_text("vendor\n")  # else a checkout's vendor/ would land on the install
    project = json.loads((context / "composer.json").read_text())
    (context / "composer.lock").write_text(_composer_lock(project, repository, ("greet",)))
    (context / "src" / "Greeter.php").write_text(
        "<?php\nnamespace App;\n\nclass Greeter\n{\n    public static function word(): string\n    {\n"
        '        return \\acme_greet() . "-ok";\n    }\n}\n'
    )
    (context / "app.php").write_text(
        '<?php\nrequire __DIR__ . "/vendor/autoload.php";\necho App\\Greeter::word(), " ", file_get_contents('
        '"installed.txt"), "\\n";\n'
    )
    before = 'FROM composer:2\nWORKDIR /app\nCOPY . .\nRUN composer install --no-interaction\nCMD ["php", "app.php"]\n'
    ctx = Context(build=DirectoryContext(context), path="Dockerfile")
    outcome = engine.refactor(before, build_transforms(TransformConfig(select=("lockfile-first",))), ctx)
    assert isinstance(outcome, engine.Changed), outcome
    assert "composer install --no-interaction --no-scripts --no-autoloader" in outcome.after
    buildah = _with_env(e2e_env.buildah, **_LOOPBACK)
    options = VerifyOptions(smoke=CommandSmoke(), source_file="src/Greeter.php")
    report = verifying.verify(outcome.before, outcome.after, context, builder=buildah, options=options)
    assert report.ok, report.problems
    assert report.smoke_matches is True
    assert report.before.smoke is not None
    assert report.before.smoke.stdout == "greet-ok scripts-ran\n"
    assert report.rebuild is not None
    assert report.rebuild.after_install_cached is True
    assert report.rebuild.before_install_cached is not True
    e2e_env.summarise(
        f"composer two-phase install: rebuild {report.rebuild.before.duration_s:.1f} s -> "
        f"{report.rebuild.after.duration_s:.1f} s, install cached {report.rebuild.before_install_cached} -> "
        f"{report.rebuild.after_install_cached}"
    )


def test_pip_caches_in_the_mounted_folder(e2e_env: E2EEnv, tmp_path: Path) -> None:
    """The Django app's packages come from PyPI through this machine's proxy, which sends no caching headers, so
    pip's cache does not fill in its builds (the loopback index above proves the reuse). Ask pip where its cache
    is, in the image the Django build uses."""
    assert "/root/.cache/pip" in cache_targets(refactor(e2e_env, "django").after)
    (tmp_path / "Dockerfile").write_text(
        "FROM python:3.11\nRUN echo pip-cache-dir=$(pip cache dir)\n", encoding="utf-8"
    )
    tag = "dockmod-e2e-cache:pip"
    built = e2e_env.buildah.build(tmp_path / "Dockerfile", tmp_path, tag=tag, timeout_s=600, extra=["--no-cache"])
    try:
        assert built.ok, built.error
        assert "pip-cache-dir=/root/.cache/pip\n" in built.log
    finally:
        e2e_env.buildah.remove([tag])

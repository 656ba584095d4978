"""What the cache-mounts modules share: the mount itself, what dockmod knows of each package manager (its cache
folders, the variables and options that move or disable them, the roles in which it downloads), a RUN's view of
the files the copies above it put in the image (``Site``), the home folder of the user it runs as, and helpers
for paths and messages."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from dockmod.context import BuildContext
from dockmod.cst import Dockerfile, Instruction, Run, Stage
from dockmod.cst.view import FlagView
from dockmod.transforms import _stages
from dockmod.transforms._managers import Manager
from dockmod.transforms._stages import State


@dataclass(frozen=True, slots=True)
class Mount:
    target: str
    sharing: str | None = None
    id: str | None = None
    uid: str | None = None
    gid: str | None = None
    # A shell pattern that names this cache alone where a clean-up spells it so: Bundler's `$BUNDLE_PATH/ruby/*/cache`
    # (the `ruby/<version>` folders hold one Ruby's gems each; Rails' generated Dockerfile removes it so).
    pattern: str | None = None

    @property
    def flag(self) -> str:
        parts = ["type=cache"]
        if self.id:
            parts.append(f"id={self.id}")
        parts.append(f"target={self.target}")
        if self.sharing:
            parts.append(f"sharing={self.sharing}")
        if self.uid:
            parts.append(f"uid={self.uid}")
        if self.gid:
            parts.append(f"gid={self.gid}")
        return "--mount=" + ",".join(parts)


# Cache folders relative to the home folder of the user the RUN runs as (REFERENCE §1).
HOME_CACHES: Final[dict[Manager, tuple[str, ...]]] = {
    "npm": (".npm",),
    "pnpm": (".local/share/pnpm/store",),
    "pip": (".cache/pip",),
    # Poetry downloads into artifacts/ and cache/ of its cache folder, and by default creates the project's
    # virtualenv beside them (virtualenvs/): a mount of the whole folder would keep the virtualenv out of the image.
    "poetry": (".cache/pypoetry/artifacts", ".cache/pypoetry/cache"),
    "pipenv": (".cache/pipenv", ".cache/pip"),
    "uv": (".cache/uv",),
    "dotnet": (".nuget/packages",),
}
# Environment variables that move or disable a manager's cache: the RUN is left alone.
MOVED_BY: Final[dict[Manager, tuple[str, ...]]] = {
    "npm": ("npm_config_cache", "NPM_CONFIG_CACHE"),
    "yarn": ("YARN_CACHE_FOLDER", "XDG_CACHE_HOME"),
    "pnpm": ("npm_config_store_dir",),  # PNPM_HOME, XDG_DATA_HOME: the store moves with pnpm's home (_pnpm_store)
    "pip": ("PIP_CACHE_DIR", "PIP_NO_CACHE_DIR", "XDG_CACHE_HOME"),
    "poetry": ("POETRY_CACHE_DIR", "XDG_CACHE_HOME"),
    "pipenv": ("PIPENV_CACHE_DIR", "PIP_CACHE_DIR", "PIP_NO_CACHE_DIR", "XDG_CACHE_HOME"),
    "uv": ("UV_CACHE_DIR", "UV_NO_CACHE", "XDG_CACHE_HOME"),
    "go": ("GOMODCACHE", "GOCACHE", "XDG_CACHE_HOME"),
    "cargo": (),
    "maven": ("MAVEN_OPTS", "MAVEN_CONFIG"),
    "gradle": ("GRADLE_USER_HOME",),
    "dotnet": ("NUGET_PACKAGES",),
    "composer": (),
    # `global_gem_cache` adds ~/.bundle/cache/gems (BUNDLE_PATH and BUNDLE_DEPLOYMENT: see cachedirs).
    "bundler": ("BUNDLE_GLOBAL_GEM_CACHE",),
    "apt": (),
    "apk": (),
}
# Options that disable the cache for one command: removed, since the mount keeps the cache out of the image.
NO_CACHE_OPTIONS: Final[dict[Manager, tuple[str, ...]]] = {
    "pip": ("--no-cache-dir", "--no-cache"),
    "pipenv": ("--clear",),  # it empties pipenv's and pip's caches: the mount points (a real build failed)
    "uv": ("--no-cache", "-n"),
    "poetry": ("--no-cache",),
    "composer": ("--no-cache",),
}
# Options that point a command at another cache folder: the RUN is left alone.
CACHE_OPTIONS: Final[dict[Manager, tuple[str, ...]]] = {
    "npm": ("--cache",),
    "yarn": ("--cache-folder",),
    "pnpm": ("--store-dir",),
    "pip": ("--cache-dir",),
    "uv": ("--cache-dir",),
}
# Managers whose cache also feeds later builds in the same image: unsafe when the image runs the tool.
RUNTIME_TOOL: Final[dict[Manager, tuple[str, ...]]] = {
    "go": ("go",),
    "cargo": ("cargo",),
    "maven": ("mvn", "mvnw", "./mvnw"),
    "gradle": ("gradle", "gradlew", "./gradlew"),
    "dotnet": ("dotnet",),
    "composer": ("composer",),
}
# Runners that download a package into the manager's cache and start it from there (npx keeps packages in
# ~/.npm/_npx, uvx its tool environments in uv's cache). What a RUN fetches with one under a cache mount stays
# out of the image, so an image that starts the same runner fetches it again, and needs the network to start.
CACHED_RUNNERS: Final[dict[Manager, frozenset[str]]] = {"npm": frozenset({"npx"}), "uv": frozenset({"uvx"})}
# Managers whose install when the image starts finds what the build installed and asks the cache for nothing: the
# .gem files Bundler keeps are those of the installed gems (round 26: `CMD sh -c "bundle install --local && ruby
# app.rb"` printed the same with the mount).
INSTALLED_IS_ENOUGH: Final = frozenset({"bundler"})
PACKAGE_MANAGERS: Final = frozenset(MOVED_BY)
# Distribution images that set no tool-specific environment, so the tools' own defaults apply.
PLAIN_IMAGES: Final = frozenset({"debian", "ubuntu", "alpine", "fedora", "centos", "rockylinux", "almalinux",
                                  "amazonlinux", "busybox", "archlinux", "buildpack-deps"})  # fmt: skip
# The roles in which a tool downloads: JavaScript and Python tools only while installing; compilers also
# fetch missing modules while building.
INSTALLS: Final = frozenset({"install", "add", "fetch"})
DOWNLOADS: Final[dict[Manager, frozenset[str]]] = {
    **{m: INSTALLS | {"build"} for m in ("go", "cargo", "maven", "gradle", "dotnet")},
    "apt": frozenset({"add", "update"}),
    "apk": frozenset({"add", "update"}),
}
# Folders an official image makes writable for every user (mode 1777), so the builder need not create them for a
# mount below: the ruby images' GEM_HOME, where any user's `bundle install` puts its gems.
SHARED_FOLDERS: Final[dict[str, tuple[str, ...]]] = {"ruby": ("/usr/local/bundle",)}
ROOT_USERS: Final = frozenset({"root", "0", "root:root", "0:0", "root:0", "0:root"})


@dataclass(frozen=True, slots=True)
class Site:
    """A RUN and what it sees of the project it installs: the build context, through the copies above it."""

    build: BuildContext
    walked: tuple[tuple[Instruction, State], ...]  # the stage's instructions, each with the state before it
    index: int  # the RUN's position in ``walked``

    @property
    def run(self) -> Run:
        run = self.walked[self.index][0]
        assert isinstance(run, Run)
        return run

    def read(self, tree: Dockerfile, path: str) -> str | None:
        """The text of the file at the image path ``path``, as the stage's copies left it (None: none there)."""
        source = _stages.context_file(tree, self.walked, path, self.build, end=self.index)
        if isinstance(source, _stages.Unreadable):
            raise Unreadable(path)
        return self.build.read_text(source) if source is not None else None

    def search_runs(self, tree: Dockerfile, pattern: re.Pattern[str]) -> re.Match[str] | None:
        """The first match of ``pattern`` in the stage's RUN lines up to this one (commands and heredocs)."""
        for ins, _ in self.walked[: self.index + 1]:
            if isinstance(ins, Run):
                found = pattern.search(run_text(tree, ins))
                if found is not None:
                    return found
        return None


def run_text(tree: Dockerfile, run: Run) -> str:
    """A RUN's command and its heredoc bodies: what it runs, without flags or comments."""
    view = tree.view(run)
    return view.args_text + "".join(h.content for h in view.heredocs) if view.heredocs else view.args_text


class Unreadable(Exception):
    """A file the tool reads may come from a copy whose source dockmod cannot read (``COPY --from``...)."""


def readable(tree: Dockerfile, site: Site, path: str) -> str | None:
    """The file's text, or None where no copy put it or dockmod cannot read its source."""
    try:
        return site.read(tree, path)
    except Unreadable:
        return None


def home(
    tree: Dockerfile, stage: Stage, state: State, env: Mapping[str, str]
) -> tuple[str | None, str | None, str | None, str | None]:
    """(home, uid, gid, reason-unknown) of the user a RUN runs as."""
    user = state.user
    if user is None or user in ROOT_USERS:
        home = env.get("HOME", "/root")
        return (home, None, None, None) if home.startswith("/") else (None, None, None, "HOME is not absolute")
    name = user.split(":", 1)[0]
    created = _stages.created_users(tree, stage).get(name)
    if created is not None:
        if created.home is None:
            return None, None, None, f"user {name} has no home folder"
        if created.uid is None:
            return None, None, None, f"user {name}'s uid is not fixed, so the mount cannot be given to it"
        return env.get("HOME", created.home), created.uid, created.gid, None
    base = _stages.image_name(_stages.base_image(tree, stage))
    if name in ("node", "1000") and base == "node":
        return env.get("HOME", "/home/node"), "1000", "1000", None
    return None, None, None, f"the RUN runs as {user}, whose home folder and uid the Dockerfile does not show"


def mount_target(flag: FlagView) -> str:
    options = flag.options
    target = options.get("target") or options.get("dst") or options.get("destination")
    return normpath(target) if target else ""


def inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def normpath(path: str) -> str:
    """``path`` normalised as Linux reads it: POSIX keeps a leading `//` (`posixpath.normpath`), Linux reads it as
    `/` (`rm -rf //root/.npm` removes the cache: a real build failed on the mount point)."""
    path = posixpath.normpath(path)
    return "/" + path.lstrip("/") if path.startswith("//") else path


def shell_excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 50 else text[:47] + "..."


OFFLINE: Final = re.compile(r"--offline\b|only-if-cached|GOPROXY=off")

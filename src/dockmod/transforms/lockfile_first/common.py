"""What the lockfile-first modules share: the files each package manager's install reads from its project
(``REQUIRED``, ``LOCKFILES``, ``OPTIONAL``; split-stages reads the last two too), the source copy (``Source``)
and the install to move above it (``Target``) as records, and helpers for paths of the build context and the
paths pip's ``file:`` URLs name."""

from __future__ import annotations

import posixpath
import urllib.parse
from dataclasses import dataclass
from typing import Final

from dockmod.context import BuildContext
from dockmod.cst import Add, Copy
from dockmod.transforms._managers import Invocation, Manager

# Managers whose install reads only manifests (REFERENCE §2), with the files to copy first.
REQUIRED: Final[dict[Manager, tuple[str, ...]]] = {
    "npm": ("package.json",),
    "yarn": ("package.json",),
    "pnpm": ("package.json",),
    "poetry": ("pyproject.toml",),
    "pipenv": ("Pipfile",),
    "uv": ("pyproject.toml",),
    "go": ("go.mod",),
    "bundler": ("Gemfile",),
    "composer": ("composer.json",),
    "maven": ("pom.xml",),
}
LOCKFILES: Final[dict[Manager, tuple[str, ...]]] = {
    "npm": ("package-lock.json", "npm-shrinkwrap.json"),
    "yarn": ("yarn.lock",),
    "pnpm": ("pnpm-lock.yaml",),
    "poetry": ("poetry.lock",),
    "pipenv": ("Pipfile.lock",),
    "uv": ("uv.lock",),
    "go": (),  # go.sum is copied when present: a module that needs only the standard library has none
    "bundler": ("Gemfile.lock",),
    "composer": ("composer.lock",),
    "maven": (),
}
OPTIONAL: Final[dict[Manager, tuple[str, ...]]] = {
    "npm": (".npmrc",),
    # .yarn/cache: Yarn 2+'s project cache (zero-installs, enableGlobalCache: false), which `--immutable-cache`
    # requires (a real build: "Cache path does not exist").
    # .yarnclean: what Yarn 1's autoclean deletes from node_modules during the install (a real image kept them).
    "yarn": (
        *(".yarnrc", ".yarnrc.yml", ".npmrc", ".yarnclean"),
        *(".yarn/releases/", ".yarn/plugins/", ".yarn/patches/", ".yarn/cache/"),
    ),
    "pnpm": (".npmrc", ".pnpmfile.cjs", "patches/"),
    "poetry": ("poetry.toml",),
    "uv": (".python-version", "uv.toml"),
    "bundler": (".ruby-version", ".bundle/config"),
    "composer": ("auth.json",),
    "maven": (".mvn/", "mvnw"),
    "go": ("go.sum",),
}


@dataclass(frozen=True, slots=True)
class Source:
    """A COPY/ADD of the whole build context (or of a folder of it) into ``dest``."""

    node: Copy | Add
    root: str  # context folder copied ("" for the whole context)
    dest: str  # destination as written
    resolved: str  # destination resolved against WORKDIR ("?..." when relative to an unknown base)

    def context_path(self, path: str) -> str | None:
        """The context path the copy puts at ``path`` (an image path, resolved as ``resolved`` is; "." or the root
        folder for the destination itself), None when the copy puts nothing there."""
        rel = relative(path, self.resolved)
        return posixpath.normpath(posixpath.join(self.root, rel)) if rel is not None else None


@dataclass(frozen=True, slots=True)
class Target:
    """The install to move, and what it needs."""

    invocations: tuple[Invocation, ...]  # the installs found in the RUN
    projects: tuple[tuple[Manager, str], ...]  # (manager, project folder relative to the source root)
    # Context files the RUN's environment names as configuration (PIP_CONFIG_FILE=/app/pip.conf), when the source
    # copy puts them there: the install reads them, so they are copied first.
    configs: tuple[str, ...] = ()
    # Folders of the context the install writes into (a vendor/ or .venv the source copy would put over it).
    outputs: tuple[str, ...] = ()
    # pip's command line with its variables given their values: whether it installs a local path (`.`, `"$PWD"`,
    # `${APP_HOME}`), and the words whose value is unknown (`$EXTRA`), which may be one.
    pip_local: bool = False
    pip_unknown: tuple[str, ...] = ()
    # Requirement and constraint files of the context pip's environment names (PIP_CONSTRAINT): their includes are
    # read too.
    pip_files: tuple[str, ...] = ()
    # Why the install may read a file of the sources dockmod cannot place (`PIP_CONSTRAINT=$CONSTRAINTS`).
    unplaced: tuple[str, ...] = ()
    # Why the install may run code of the sources before it installs (NODE_OPTIONS' preloads, BASH_ENV, PYTHONPATH's
    # sitecustomize.py), whatever the manager.
    hazards: tuple[str, ...] = ()


def url_path(value: str, *, fetched: bool = False) -> str | None:
    """The file-system path a pip or uv setting names: the value itself, or a `file:` URL's path as pip's
    url_to_path reads it (`file:///app/x` and `file://localhost/app/x` are /app/x, `file:wheels` is wheels, from the
    install's folder); None for another address (`https://...`, `file://host/x`). ``fetched``: a requirements or
    constraints file, which pip opens through its session, whose URL handling (urlunsplit) roots a relative path
    at / (`-r file:reqs/base.txt` reads /reqs/base.txt; pip 23.2)."""
    if not value.lower().startswith("file:"):
        return None if "://" in value else value
    parts = urllib.parse.urlsplit(value)
    if parts.netloc not in ("", "localhost"):
        return None
    path = urllib.parse.unquote(parts.path)
    return "/" + path if fetched and not path.startswith("/") else path


def read(build: BuildContext, path: str) -> str | None:
    """A file of the context as the installers read it: without a UTF-8 byte-order mark (pip drops it; with it
    kept, a requirements file's first line `-r base.txt` went unseen, and a real build lost base.txt)."""
    text = build.read_text(path)
    return text.removeprefix("\ufeff") if text is not None else None


def relative(folder: str, root: str) -> str | None:
    """``folder`` relative to ``root`` when it is inside it."""
    if folder == root:
        return "."
    if folder.startswith(root.rstrip("/") + "/"):
        return folder[len(root.rstrip("/")) + 1 :]
    return None


def path(project: str, name: str) -> str:
    return posixpath.join(project, name) if project else name


def kind(inv: Invocation) -> Manager:
    """The manager whose files an install reads: ``uv pip install -r requirements.txt`` (and ``uv pip sync``)
    reads pip's."""
    return "pip" if inv.manager == "uv" and inv.sub.startswith("pip ") else inv.manager

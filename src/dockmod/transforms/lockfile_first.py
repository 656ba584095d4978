"""``lockfile-first``: install dependencies from the manifests before copying the rest of the sources.

``COPY . .`` followed by ``RUN npm ci`` re-runs the install whenever any source file changes. Copying the
manifests and lockfiles first, installing, and only then copying the rest keeps the install layer cached
until the dependencies change (Docker's "Order your layers"). See ``transforms/lockfile-first.md``.
"""

from __future__ import annotations

import json
import posixpath
import re
import tomllib
import urllib.parse
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar, Final

from dockmod.context import BuildContext, Context
from dockmod.cst import Add, Arg, Copy, Dockerfile, Instruction, Run, Stage, Workdir
from dockmod.cst.edit import physical_text, splice_args, split_leading
from dockmod.transforms import _managers, _shell, _stages
from dockmod.transforms._base import Fix, Safety
from dockmod.transforms._managers import Invocation, Manager
from dockmod.transforms._stages import State

# Managers whose install reads only manifests (REFERENCE §2), with the files to copy first.
_REQUIRED: Final[dict[Manager, tuple[str, ...]]] = {
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
_LOCKFILES: Final[dict[Manager, tuple[str, ...]]] = {
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
_OPTIONAL: Final[dict[Manager, tuple[str, ...]]] = {
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
# Folders an install fills inside the project: once the install runs before the source copy, a copy of the
# context's own folder (a developer's node_modules, with other versions or binaries for another system) lands on
# top of it, where before `npm ci` replaced it (a real build served a local debugging copy of a package).
_INSTALLED_INTO: Final[dict[Manager, str]] = {"npm": "node_modules", "yarn": "node_modules", "pnpm": "node_modules",
                                              "composer": "vendor"}  # fmt: skip
# Other files an install writes in the project, flagged when the context has them and .dockerignore keeps them.
_INSTALL_OUTPUTS: Final[dict[Manager, tuple[str, ...]]] = {
    "yarn": (".pnp.cjs", ".pnp.loader.mjs", ".pnp.js", ".yarn/install-state.gz", ".yarn/unplugged"),
}
# Scripts `npm install`/`npm ci` run from the project's package.json (npm's lifecycle: the prepublish and prepare
# families, and `dependencies` after node_modules changes); Yarn and pnpm run a subset of them. A real build with
# `postprepare` reading scripts/ failed after the move.
# pnpm's `pnpm:devPreinstall` as well (a real build of one reading scripts/ failed after the move).
_INSTALL_SCRIPTS: Final = ("preinstall", "install", "postinstall", "prepublish", "preprepare", "prepare", "postprepare",
                           "dependencies", "pnpm:devPreinstall")  # fmt: skip
# Dependency specs npm installs from the file system: folders and tarballs (`./lib/x`, `../x`, `~/x`, `/x`), as
# `file:` does; Yarn's `link:`/`portal:` too. npm-package-arg also takes for a file a bare tarball name (its
# `isFileType`: `"ms": "ms-2.1.3.tgz"`) and a path with slashes that is not GitHub's `owner/repo` shorthand
# (`vendor/greet/`): real builds failed with ENOENT for both after the move.
_NPM_LOCAL_SPEC: Final = re.compile(
    r"(?:file|link|portal|git\+file):|\.{1,2}(?:/|$)|~/|/|[^:]*\.(?:tgz|tar\.gz|tar)$"
    r"|(?![\w.-]+/[\w.-]+(?:#.*)?$)[^:@]*/",
    re.IGNORECASE,
)
# Instructions that may sit between the source copy and the install: they do not read the sources.
_METADATA: Final = frozenset({"ENV", "ARG", "LABEL", "EXPOSE", "USER", "STOPSIGNAL", "SHELL", "HEALTHCHECK",
                              "MAINTAINER", "CMD", "ENTRYPOINT"})  # fmt: skip


@dataclass(frozen=True)
class LockfileFirst:
    """Copy manifests and lockfiles, install, then copy the sources."""

    name: ClassVar[str] = "lockfile-first"
    summary: ClassVar[str] = "copy manifests and lockfiles before the sources so the install layer stays cached"
    safety: ClassVar[Safety] = Safety.SAFE

    def check(self, tree: Dockerfile, ctx: Context) -> Iterator[Fix]:
        for stage in tree.stages:
            fix = _stage_fix(tree, stage, ctx.build)
            if fix is not None:
                yield fix


@dataclass(frozen=True, slots=True)
class _Source:
    """A COPY/ADD of the whole build context (or of a folder of it) into ``dest``."""

    node: Copy | Add
    root: str  # context folder copied ("" for the whole context)
    dest: str  # destination as written
    resolved: str  # destination resolved against WORKDIR ("?..." when relative to an unknown base)

    def context_path(self, path: str) -> str | None:
        """The context path the copy puts at ``path`` (an image path, resolved as ``resolved`` is; "." or the root
        folder for the destination itself), None when the copy puts nothing there."""
        rel = _relative(path, self.resolved)
        return posixpath.normpath(posixpath.join(self.root, rel)) if rel is not None else None


def _stage_fix(tree: Dockerfile, stage: Stage, build: BuildContext) -> Fix | None:
    body = list(_stages.walk(tree, stage))
    done: set[tuple[Manager, str]] = set()  # (manager, project folder) installed before any source copy
    for ci, (node, state) in enumerate(body):
        source = _source_copy(tree, node, state, build) if isinstance(node, Copy | Add) else None
        if source is None:
            if isinstance(node, Run):
                done |= _installs(tree, node, state)
            continue
        for ri in range(ci + 1, len(body)):
            run, run_state = body[ri]
            if not isinstance(run, Run):
                continue
            target = _target(tree, run, run_state, source, build, done)
            if target is None:
                continue
            return _fix(tree, source, (run, run_state), target, body[ci + 1 : ri], build, body[:ci])
        return None
    return None


def _source_copy(tree: Dockerfile, node: Copy | Add, state: State, build: BuildContext) -> _Source | None:
    view = tree.view(node)
    if view.flag("from") is not None or view.json or len(view.args) != 2:
        return None
    if any(f.name in ("parents", "exclude") for f in view.flags):
        return None
    src, dest = view.args
    if "$" in src or "$" in dest:
        return None  # a variable could be redefined between the copy and the install
    root = posixpath.normpath(src.lstrip("/"))
    if root == ".":
        root = ""
    elif not (src.endswith("/") or build.is_dir(root)) or "*" in root:
        return None
    return _Source(node, root, dest, _stages.join(state.workdir, dest))


@dataclass(frozen=True, slots=True)
class _Target:
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


def _target(
    tree: Dockerfile,
    run: Run,
    state: State,
    source: _Source,
    build: BuildContext,
    done: set[tuple[Manager, str]],
) -> _Target | None:
    """The dependency installs in ``run`` that read manifests ``source`` copied, if any are not done yet."""
    script = _managers.run_script(tree, run)
    if script is None or script.heredoc:
        return None
    found: list[Invocation] = []
    projects: list[tuple[Manager, str]] = []
    for inv in script.invocations:
        kind = _kind(inv)
        if kind not in _REQUIRED and kind != "pip":
            continue
        if inv.role not in ("install", "fetch", "build") or inv.cwd == "?":
            continue
        if kind == "pip" and not inv.files:
            continue
        if inv.manager in ("poetry", "uv") and inv.role == "build":
            continue
        folder = _stages.join(state.workdir, inv.cwd)
        rel = _relative(folder, source.resolved)
        if rel is None:
            continue
        if (kind, folder) in done:
            continue  # installed before the copy already (the second phase of a two-phase install)
        project = posixpath.normpath(posixpath.join(source.root, rel)) if source.root else rel
        project = "" if project == "." else project
        if inv.manager == "go" and (build.exists(_path(project, "vendor/modules.txt"))):
            continue  # vendored modules: nothing to download
        required = _REQUIRED.get(kind, ())
        if not all(build.exists(_path(project, f)) for f in required):
            continue  # not this context's project (the build may use another context)
        if kind == "pip" and not all(build.exists(_path(project, f)) for f in inv.files):
            continue
        found.append(inv)
        projects.append((kind, project))
    if not found:
        return None
    configs = []
    outputs: list[str] = []
    pip_local = False
    pip_unknown: list[str] = []
    pip_files: list[str] = []
    unplaced: list[str] = []
    hazards: list[str] = []
    for inv in found:
        env = _managers.environment(script, inv, state.env)
        cwd = _stages.join(state.workdir, inv.cwd)
        preloads, hazard = _runs_sources(inv, env, cwd, source, build)
        configs += preloads
        hazards += hazard
        if _kind(inv) == "pip":
            installs_path, unknown = _managers.pip_sources(inv, env, cwd)
            pip_local |= installs_path
            pip_unknown += unknown
        # Lists: pip's are spaced (as pip splits them), GOPROXY's take commas and pipes.
        variables = _CONFIG_VARIABLES.get(inv.manager, ()) + _CA_VARIABLES
        named = [(v, var) for var in variables for v in re.split(r"[\s,|]+", env.get(var, "")) if v]
        named += [(v, "") for v in _managers.option_values(inv.args, _CONFIG_OPTIONS.get(inv.manager, ()))]
        if _kind(inv) == "pip":
            # (a real build with XDG_CONFIG_HOME in the project lost its constraints)
            named += [(v, "") for v in _managers.pip_config_files(env)]
        fetched = set(_managers.option_values(inv.args, _FETCHED_OPTIONS))
        for value, variable in named:
            opened = variable in _FETCHED_VARIABLES or value in fetched
            # A variable's value as the shell leaves it (`export PIP_CONSTRAINT=$(pwd)/c.txt`); options written with
            # variables (`--find-links $WHEELS`) are found with the other settings, in `_named_elsewhere`.
            text = _stages.substitute(value, env, cwd if cwd.startswith("/") else ".") if variable else value
            local = _url_path(text, fetched=opened)
            if local is None:
                continue  # an address of the network
            if "$" in local or "`" in local:
                if _kind(inv) == "pip" and variable in _CONFIG_VARIABLES.get(inv.manager, ()):
                    unplaced.append(f"{variable} names {value}, which dockmod cannot place: the install may read a "
                                    "file of the sources there")  # fmt: skip
                continue
            path = source.context_path(_stages.join(cwd, local))
            if path is not None and build.exists(path):
                configs.append(path + "/" if build.is_dir(path) else path)
                pip_files += [path] if opened and _kind(inv) == "pip" and not build.is_dir(path) else []
        outputs += _python_outputs(inv, env, cwd, source, build)
    return _Target(
        tuple(found), tuple(dict.fromkeys(projects)), tuple(dict.fromkeys(configs)), tuple(outputs), pip_local,
        tuple(dict.fromkeys(pip_unknown)), tuple(dict.fromkeys(pip_files)), tuple(dict.fromkeys(unplaced)),
        tuple(dict.fromkeys(hazards)),
    )  # fmt: skip


def _runs_sources(
    inv: Invocation, env: Mapping[str, str], cwd: str, source: _Source, build: BuildContext
) -> tuple[list[str], list[str]]:
    """(files of the sources the install's own interpreter loads, to copy first; why the move is unsafe) for code
    the environment makes the install run before it installs. npm's, Yarn's and pnpm's node loads what NODE_OPTIONS'
    `--require`, `-r`, `--import` and `--(experimental-)loader` name (real builds failed after the move: "Cannot find
    module '/app/preload.js'"); bash sources BASH_ENV before every RUN, and pip's Python imports sitecustomize.py
    from PYTHONPATH (real builds lost the PIP_CONSTRAINT those set). ``env`` and ``cwd``: the install's."""
    files: list[str] = []
    hazards: list[str] = []
    here = cwd if cwd.startswith("/") else "."
    if inv.manager in ("npm", "yarn", "pnpm"):
        words = _shell.split_string(env.get("NODE_OPTIONS", ""))
        for value in _managers.option_values(tuple(words), _NODE_PRELOADS):
            text = _stages.substitute(value, env, here)
            if "$" in text or "`" in text:
                hazards.append(f"NODE_OPTIONS makes node load {value}, which dockmod cannot place: it may be a file "
                               "of the sources")  # fmt: skip
                continue
            if not text.startswith(("/", "./", "../", "file:")):
                continue  # a package (`-r dd-trace/init`)
            path = source.context_path(_stages.join(cwd, text.removeprefix("file://").removeprefix("file:")))
            if path is None:
                continue
            # As node resolves it: the file as named, with `.js`, `.json`, `.node` added, or a folder's index.js
            # (`-r ./preload` loads preload.js: a real build failed after the move, "Cannot find module").
            found = next((c for c in _node_candidates(path) if build.exists(c) and not build.is_dir(c)), None)
            if found is None:
                if build.is_dir(path):
                    hazards.append(f"NODE_OPTIONS makes node load {path}/, a folder of the sources")
                continue
            files.append(found)
            if _LOADS_OTHERS.search(_read(build, found) or ""):
                # Also by a path it builds (`require(__dirname + '/lib/env')`, `path.join(__dirname, ...)`, a
                # variable) or a file it reads: real builds failed after the move.
                hazards.append(f"NODE_OPTIONS makes node load {found}, which loads other files of the sources")
    for variable in ("BASH_ENV", "ENV"):
        value = env.get(variable, "")
        path = source.context_path(_stages.join(cwd, value)) if value and "$" not in value else None
        if path is not None and build.exists(path) and not build.is_dir(path):
            hazards.append(f"{variable} makes the shell read {path}, a file of the sources, before the install")
    if _kind(inv) == "pip":
        for folder in env.get("PYTHONPATH", "").split(":"):
            path = source.context_path(_stages.join(cwd, folder)) if folder and "$" not in folder else None
            for name in ("sitecustomize.py", "usercustomize.py"):
                module = posixpath.normpath(posixpath.join(path, name)) if path is not None else ""
                if module and build.exists(module):
                    hazards.append(f"PYTHONPATH makes pip's Python import {module}, a file of the sources")
    return files, hazards


# node's options that load a module before the program (NODE_OPTIONS allows them all).
_NODE_PRELOADS: Final = ("-r", "--require", "--import", "--loader", "--experimental-loader")
# Code that loads or reads other files: a relative module, or one named by anything but a plain package name
# (`require(__dirname + '/x')`, `require(p)`), `__dirname`, `import.meta.url`, file reads.
_LOADS_OTHERS: Final = re.compile(
    r"""(?:require\s*\(|import\s*\(|\bfrom|^\s*import)\s*['"]\.{1,2}/|\brequire\s*\(\s*[^'"\s)]"""
    r"""|\bimport\s*\(\s*[^'"\s)]|__dirname|__filename|import\.meta|\breadFile(?:Sync)?\s*\(""",
    re.MULTILINE,
)


def _node_candidates(path: str) -> list[str]:
    """The files node may load for ``path``: as named, with an extension added, or a folder's index.js."""
    return [path, *(path + e for e in (".js", ".json", ".node", ".cjs", ".mjs")), posixpath.join(path, "index.js")]


def _python_outputs(
    inv: Invocation, env: Mapping[str, str], cwd: str, source: _Source, build: BuildContext
) -> list[str]:
    """Folders of the sources a Python install writes into (as node_modules is for npm): `pip install --target
    vendor`, PIP_TARGET, PYTHONUSERBASE with `--user`, a virtualenv in the project (`/app/venv` first in PATH,
    VIRTUAL_ENV, `uv sync`'s and in-project Poetry's and pipenv's `.venv`). A copy of the context's own folder
    there, after the moved install, lands on top of what it installed (real builds ran a stale vendor/ and a
    developer's .venv with another interpreter). ``env`` and ``cwd``: the install's."""
    kind = _kind(inv)
    named: list[str] = []
    if kind == "pip":
        named += _managers.option_values(inv.args, ("-t", "--target", "--prefix"))
        named += [env[v] for v in ("PIP_TARGET", "PIP_PREFIX", "VIRTUAL_ENV") if env.get(v)]
        if "--user" in inv.args or env.get("PIP_USER", "").lower() in ("1", "true", "yes"):
            named += [env["PYTHONUSERBASE"]] if env.get("PYTHONUSERBASE") else []
        named += [p.removesuffix("/bin") for p in env.get("PATH", "").split(":") if p.endswith("/bin")]
    elif inv.manager == "uv":
        named.append(env.get("UV_PROJECT_ENVIRONMENT") or ".venv")
    elif (inv.manager == "poetry" and env.get("POETRY_VIRTUALENVS_IN_PROJECT", "").lower() in ("1", "true")) or (
        inv.manager == "pipenv" and env.get("PIPENV_VENV_IN_PROJECT", "").lower() not in ("", "0", "false")
    ):
        named.append(".venv")
    out = []
    for value in named:
        rel = _relative(_stages.join(cwd, value), source.resolved) if "$" not in value else None
        path = posixpath.normpath(posixpath.join(source.root, rel)) if rel not in (None, ".") else None
        if path is not None and build.exists(path) and not build.ignored(path):
            out.append(path)
    return out


# Options that name files or folders the install reads: pip's package sources and configuration (a real build of
# `pip install --find-links=/app/wheels` failed after the move), npm's cache and user configuration (`npm ci
# --offline --cache ./npm-cache`: ENOTCACHED).
_CONFIG_OPTIONS: Final[dict[str, tuple[str, ...]]] = {
    "pip": ("-f", "--find-links", "-i", "--index-url", "--extra-index-url", "-c", "--constraint"),
    # uv's overrides and build constraints too (`--override overrides.txt`: a real build failed without the file).
    "uv": (
        *("-f", "--find-links", "-i", "--index-url", "--extra-index-url", "--config-file"),
        *("-c", "--constraint", "--constraints", "--override", "--overrides"),
        *("-b", "--build-constraint", "--build-constraints"),
    ),
    # (and the global configuration: `--globalconfig config/npmrc` with `omit=dev`, a real image kept devDependencies
    # after the move)
    "npm": ("--cache", "--userconfig", "--globalconfig"),
    "pnpm": ("--store-dir", "--config-file"),
    # Yarn 1's cache and offline mirror (`yarn install --offline --cache-folder ./yarn-cache`: a real build failed).
    "yarn": ("--cache-folder", "--offline-mirror"),
}


# Variables that point a manager at files or folders of the context: a configuration file (pip silently ignores
# one that does not exist yet: a real build then installed from PyPI instead of the folder pip.conf named),
# constraints, a folder of wheels (a real build: "Could not open requirements file: constraints.txt").
# The certificate authorities every manager's downloads trust (a corporate CA kept in the repository: a real build
# failed its TLS handshake without it).
_CA_VARIABLES: Final = (
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "REQUESTS_CA_BUNDLE",
    "CURL_CA_BUNDLE",
    "PIP_CERT",
    "NODE_EXTRA_CA_CERTS",
    "npm_config_cafile",
    "NPM_CONFIG_CAFILE",
)
_CONFIG_VARIABLES: Final[dict[str, tuple[str, ...]]] = {
    # pip reads each option from PIP_<OPTION>, wherever it is set: ENV, ARG, an `export` before the install in its
    # RUN, `PIP_CONSTRAINT=c.txt pip ...`, `env PIP_CONSTRAINT=c.txt pip ...` (real builds lost constraints.txt
    # from the last three after the move).
    "pip": (
        "PIP_CONFIG_FILE",
        "PIP_CONSTRAINT",
        "PIP_FIND_LINKS",
        "PIP_REQUIREMENT",
        "PIP_INDEX_URL",
        "PIP_EXTRA_INDEX_URL",
        "PIP_CLIENT_CERT",
    ),
    "uv": (
        *("UV_CONFIG_FILE", "UV_CONSTRAINT", "UV_FIND_LINKS", "UV_OVERRIDE", "UV_BUILD_CONSTRAINT"),
        *("UV_INDEX_URL", "UV_EXTRA_INDEX_URL", "UV_INDEX", "UV_DEFAULT_INDEX"),
    ),
    "npm": (
        *("NPM_CONFIG_USERCONFIG", "npm_config_userconfig", "npm_config_cache", "NPM_CONFIG_CACHE"),
        *("NPM_CONFIG_GLOBALCONFIG", "npm_config_globalconfig"),
    ),
    # Caches and stores an offline install reads (`ENV YARN_CACHE_FOLDER=/app/yarn-cache`, `npm_config_store_dir=
    # /app/.pnpm-store`: real builds failed without them).
    "yarn": ("YARN_CACHE_FOLDER", "YARN_YARN_OFFLINE_MIRROR", "YARN_OFFLINE_MIRROR"),
    "pnpm": ("npm_config_store_dir", "NPM_CONFIG_STORE_DIR", "PNPM_STORE_DIR", "npm_config_cache", "NPM_CONFIG_CACHE"),
    "poetry": ("POETRY_CONFIG_DIR",),
    # A module proxy kept in the repository (`GOPROXY=file:///src/proxy`: a real build's `go mod download` could
    # not read it before the move).
    "go": ("GOPROXY",),
}


# Requirement and constraint files, which pip opens through its session (`file:` URLs: see `_url_path`) and reads
# for includes.
_FETCHED_OPTIONS: Final = ("-c", "--constraint", "-r", "--requirement")
_FETCHED_VARIABLES: Final = frozenset({"PIP_CONSTRAINT", "PIP_REQUIREMENT"})


def _url_path(value: str, *, fetched: bool = False) -> str | None:
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


def _read(build: BuildContext, path: str) -> str | None:
    """A file of the context as the installers read it: without a UTF-8 byte-order mark (pip drops it; with it
    kept, a requirements file's first line `-r base.txt` went unseen, and a real build lost base.txt)."""
    text = build.read_text(path)
    return text.removeprefix("\ufeff") if text is not None else None


def _relative(folder: str, root: str) -> str | None:
    """``folder`` relative to ``root`` when it is inside it."""
    if folder == root:
        return "."
    if folder.startswith(root.rstrip("/") + "/"):
        return folder[len(root.rstrip("/")) + 1 :]
    return None


def _path(project: str, name: str) -> str:
    return posixpath.join(project, name) if project else name


def _installs(tree: Dockerfile, run: Run, state: State) -> set[tuple[Manager, str]]:
    """(manager, folder) of the installs a RUN performs before any source copy (already lockfile-first)."""
    script = _managers.run_script(tree, run)
    if script is None:
        return set()
    out: set[tuple[Manager, str]] = set()
    for inv in script.invocations:
        if inv.role in ("install", "fetch") and inv.cwd != "?":
            out.add((_kind(inv), _stages.join(state.workdir, inv.cwd)))
    return out


def _kind(inv: Invocation) -> Manager:
    """The manager whose files an install reads: ``uv pip install -r requirements.txt`` reads pip's."""
    return "pip" if inv.manager == "uv" and inv.sub == "pip install" else inv.manager


# ---------------------------------------------------------------------------------------------------------


def _fix(
    tree: Dockerfile,
    source: _Source,
    install: tuple[Run, State],
    target: _Target,
    between: Sequence[tuple[Instruction, State]],
    build: BuildContext,
    earlier: Sequence[tuple[Instruction, State]] = (),
) -> Fix:
    run, run_state = install

    def display(message: str) -> Fix:
        return Fix(message=message, safety=Safety.DISPLAY_ONLY, replace={run: (run,)})

    copy_text = _copy_text(tree, source.node)
    for ins, state in between:
        problem = _blocks_move(tree, ins, source, _Where(source, state), build)
        if problem is not None:
            return display(f"not moved above `{copy_text}`: {problem}")

    files: list[str] = []
    reasons: list[str] = []
    missing: list[str] = []
    files += target.configs
    for manager, project in target.projects:
        wanted, unsafe, absent = _manifests(manager, project, target, source, build)
        files += wanted
        reasons += unsafe
        missing += absent
    if missing:
        return display(f"not moved: {', '.join(missing)}")
    files += _named_elsewhere(tree, source, install, target, build, earlier)
    split = _split_run(tree, run, target, _Where(source, run_state), build)
    if split is None:
        return display(
            "not moved: the RUN also runs commands that may need the sources, in a form dockmod cannot split"
        )
    before, after, extra_unsafe = split
    reasons += extra_unsafe
    reasons += target.hazards
    reasons += _build_args(tree, target, [*earlier, *between], run_state)
    if any(_kind(i) == "pip" for i in target.invocations):
        reasons += _written_settings(tree, earlier)

    copies = _manifest_copies(tree, source, files)
    blank, comments = split_leading(source.node.leading)
    copies[0] = copies[0].with_leading(blank)
    moved = source.node.with_leading(comments)
    replacement_copy: tuple[Instruction, ...] = tuple(copies)
    tail = (*before, moved, *after)
    # As the user wrote it: ``uv pip`` installs pip's files but is not pip.
    managers = ", ".join(dict.fromkeys("uv pip" if i.sub == "pip install" else i.manager for i in target.invocations))
    names = ", ".join(dict.fromkeys(files))
    message = f"copy {names} and install ({managers}) before `{copy_text}`, so source changes keep the install layer"
    safety = Safety.SAFE
    if reasons:
        safety = Safety.UNSAFE
        message += "; unsafe: " + "; ".join(dict.fromkeys(reasons))
    return Fix(message=message, safety=safety, replace={source.node: replacement_copy, run: tail})


def _build_args(
    tree: Dockerfile, target: _Target, above: Sequence[tuple[Instruction, State]], state: State
) -> list[str]:
    """Why the move is unsafe when an ARG without a default above the install declares a variable the install reads
    for files (`ARG PIP_CONSTRAINT`, `ARG NODE_OPTIONS`): its value comes from `--build-arg`, unknown here, and may
    name a file of the sources (real builds given `PIP_CONSTRAINT=constraints.txt` and `NODE_OPTIONS=--require
    /app/preload.js` failed after the move). Index addresses (`ARG PIP_INDEX_URL`) name the network."""
    names = {"BASH_ENV", "ENV"}
    for inv in target.invocations:
        names |= {v for v in _CONFIG_VARIABLES.get(inv.manager, ()) + _CA_VARIABLES if v not in _ADDRESS_VARIABLES}
        names |= {"NODE_OPTIONS"} if inv.manager in ("npm", "yarn", "pnpm") else set()
        names |= {"PYTHONPATH"} if _kind(inv) == "pip" else set()
    out = []
    for ins, _state in above:
        if isinstance(ins, Arg):
            for word in tree.view(ins).args:
                if "=" not in word and word in names and word not in state.env:
                    out.append(f"ARG {word} has no default: the value given at build may name a file of the sources")
    return out


# Variables that name package indexes and proxies, which are addresses of the network as a rule.
_ADDRESS_VARIABLES: Final = frozenset({"PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "UV_INDEX_URL", "UV_EXTRA_INDEX_URL",
                                       "UV_INDEX", "UV_DEFAULT_INDEX", "GOPROXY"})  # fmt: skip


def _named_elsewhere(
    tree: Dockerfile,
    source: _Source,
    install: tuple[Run, State],
    target: _Target,
    build: BuildContext,
    earlier: Sequence[tuple[Instruction, State]],
) -> list[str]:
    """Files and folders of the sources that settings outside the manifests point the install at, by absolute path
    (or relative to a settings file): a pip.conf, uv.toml or .npmrc an earlier COPY put in /etc or the home folder,
    `pip config set` or `npm config set` in an earlier RUN, the settings files the environment names, the
    project's own, and the install's options written with variables (`--find-links $WHEELS`, `"$(pwd)/wheels"`).
    They go first with the manifests (real builds failed without `wheels/` and `npm-cache/`); copying more first
    changes no image, as the source copy brought them before the install in the original order."""
    _run, state = install
    cwd = _stages.join(state.workdir, target.invocations[0].cwd) if target.invocations else state.workdir
    # Settings files the environment names by a path of the image (`ENV PIP_CONFIG_FILE=/etc/pipcfg`): a COPY or a
    # RUN that writes one there is read like one named pip.conf (real builds failed without the constraints file
    # such a file named).
    named = {v for k, v in state.env.items() if k.upper() in _SETTINGS_VARIABLES and v}
    texts: list[tuple[str, str]] = []  # (text, the context folder its relative paths start from)
    for ins, _state in earlier:
        view = tree.view(ins)
        if isinstance(ins, Copy | Add) and view.flag("from") is None:
            into = {posixpath.basename(view.args[-1].rstrip("/"))} if len(view.args) > 1 else set()
            for src in view.args[:-1]:
                name = posixpath.normpath(src.lstrip("/"))
                given = any(posixpath.basename(v) in into | {posixpath.basename(name)} for v in named)
                if (_SETTINGS_NAME.search(name) or given) and build.exists(name) and not build.is_dir(name):
                    texts.append((_read(build, name) or "", posixpath.dirname(name)))
        elif isinstance(ins, Run) and (
            _CONFIG_SET.search(view.args_text)
            or _WRITES_SETTINGS.search(view.args_text)
            or _SETTINGS_WORD.search(view.args_text)
            or any(v in view.args_text for v in named)
            or any(v in view.args_text.upper() for v in _SETTINGS_VARIABLES)  # `> "$PIP_CONFIG_FILE"`
        ):
            texts.append((_run_text(tree, ins), ""))
            # `npm config set globalconfig config/npmrc`: a relative file, read from the folder npm runs in (a real
            # build lost the `omit=dev` it held).
            texts += [(f"./{m[1]}", "") for m in _CONFIG_FILE_SET.finditer(view.args_text) if not m[1].startswith("/")]
    projects = [project for _, project in target.projects]
    for name in [*target.configs, *(_path(p, n) for p in projects for n in _PROJECT_SETTINGS)]:
        if build.exists(name) and not build.is_dir(name):
            texts.append((_read(build, name) or "", posixpath.dirname(name)))
    script = _managers.run_script(tree, install[0])
    assert script is not None  # the install was found in it
    for inv in target.invocations:
        words = " ".join(w for w in inv.command.words if "$" in w or "`" in w)
        texts.append((_stages.substitute(words, _managers.environment(script, inv, state.env), cwd), ""))
    out: list[str] = []
    for text, base in texts:
        out += _named_paths(text, base, source, build)
    # And what the settings files so found name in turn (`npm config set globalconfig /app/config/npmrc`, whose
    # `cache=/app/.npm-cache` an offline install read: a real build failed without it).
    for found in list(out):
        if not found.endswith("/") and _SETTINGS_FILE_NAME.search(found):
            # A relative value there (`cache=.npm-cache`) is read from the folder npm runs in, or beside the file.
            text = _read(build, found) or ""
            for base in dict.fromkeys((posixpath.dirname(found), source.root)):
                out += _named_paths(text, base, source, build, values=True)
    return list(dict.fromkeys(out))


# Variables that name a settings file the installers read.
_SETTINGS_VARIABLES: Final = frozenset(
    {"PIP_CONFIG_FILE", "UV_CONFIG_FILE", "NPM_CONFIG_GLOBALCONFIG", "NPM_CONFIG_USERCONFIG"}
)
# A RUN that names a settings file at all (`python3 -c "open('/etc/pip.conf', 'w').write(...)"`: a real build).
_SETTINGS_WORD: Final = re.compile(r"\bpip\.(?:conf|ini)\b|\buv\.toml\b|\bnpmrc\b|\.yarnrc\b")
_SETTINGS_FILE_NAME: Final = re.compile(
    r"(?:npmrc|pip\.(?:conf|ini)|uv\.toml|yarnrc(?:\.yml)?|\.conf|\.ini|\.cfg|config)$"
)


def _named_paths(text: str, base: str, source: _Source, build: BuildContext, *, values: bool = False) -> list[str]:
    """The files and folders of the context ``text`` names by path (absolute, through the source copy's
    destination, or relative to ``base``), as copies of them would go; with ``values``, also a settings file's
    values written without `./` (`cache=.npm-cache`: a real build failed without the folder)."""
    out: list[str] = []
    if text:
        paths = [m.group(1) for m in _NAMED_PATH.finditer(text)]
        paths += [m.group(1) for m in _SETTING_VALUE.finditer(text)] if values else []
        for path in paths:
            if path.startswith("/"):
                rel = _relative(posixpath.normpath(path), source.resolved)
                found = posixpath.normpath(posixpath.join(source.root, rel)) if rel not in (None, ".") else None
            else:
                found = posixpath.normpath(posixpath.join(base, path))
            if found is None or found.startswith("..") or found == "." or not build.exists(found):
                continue
            if build.ignored(found):
                continue
            out.append(found + "/" if build.is_dir(found) else found)
    return out


# A `key = value` line of a settings file whose value may be a relative path (`cache=.npm-cache`).
_SETTING_VALUE: Final = re.compile(r"^\s*[\w.-]+\s*[=:]\s*['\"]?([\w.][\w.@+/-]*)['\"]?\s*$", re.MULTILINE)
# Settings files an earlier COPY may put where a manager reads them (/etc/pip.conf, ~/.npmrc, /etc/uv/uv.toml).
_SETTINGS_NAME: Final = re.compile(r"(?:^|/)(?:pip\.(?:conf|ini)|uv\.toml|\.?npmrc|\.yarnrc(?:\.yml)?)$")
_PROJECT_SETTINGS: Final = (".npmrc", "pip.conf", "uv.toml", ".yarnrc", ".yarnrc.yml")
_CONFIG_SET: Final = re.compile(r"\bconfig\b(?:\s+-{1,2}[\w-]+)*\s+set\b")
_CONFIG_FILE_SET: Final = re.compile(r"\b(?:global|user)config(?:\s*=\s*|\s+)['\"]?([\w./-]+)")
# A settings file a RUN writes (`printf '[install]\nconstraint = /app/constraints.txt\n' > /etc/pip.conf`, `tee
# ~/.npmrc`): a real build failed without the constraints file it named.
_WRITES_SETTINGS: Final = re.compile(
    r"(?:>|\btee\b(?:\s+-\w+)*)\s*['\"]?[^\s'\";&|<>]*(?:pip\.(?:conf|ini)|uv\.toml|npmrc|\.yarnrc(?:\.yml)?)\b"
)
# pip settings that name package sources, as a RUN writes them (on one line with `\n` escapes too).
_WRITTEN_SOURCE: Final = re.compile(
    r"(?:^|\\n|\s)(find[-_]links|constraint|requirement|index[-_]url|extra[-_]index[-_]url)\s*[=:]\s*([^\s'\"\\]+)",
    re.MULTILINE,
)
_NAMED_PATH: Final = re.compile(r"""(?:^|[\s='"\[,:])(/[\w.@+-]+(?:/[\w.@+-]+)*|\.{1,2}/[\w.@+/-]+)""")


def _run_text(tree: Dockerfile, run: Run) -> str:
    """A RUN's script with its here-documents (`cat > /etc/pip.conf <<EOF`)."""
    view = tree.view(run)
    return "\n".join([view.args_text, *(h.content for h in view.heredocs)])


def _written_settings(tree: Dockerfile, earlier: Sequence[tuple[Instruction, State]]) -> list[str]:
    """Why the move is unsafe when a RUN above writes a pip setting that names a relative path (`printf
    '[install]\\nconstraint = constraints.txt\\n' > /etc/pip.conf`): pip reads it from the install's folder, which
    the source copy fills (absolute paths are copied first, in `_named_elsewhere`)."""
    out = []
    for ins, _state in earlier:
        if not isinstance(ins, Run) or not _WRITES_SETTINGS.search(tree.view(ins).args_text):
            continue
        for m in _WRITTEN_SOURCE.finditer(_run_text(tree, ins)):
            value = m.group(2)
            if "index" in m.group(1) and "$" in value:
                continue  # an address given at build (`index-url = ${PIP_INDEX_URL}`)
            if not value.startswith("/") and not re.match(r"[a-z][\w+.-]*://", value, re.IGNORECASE):
                out.append(f"a RUN writes pip's {m.group(1)} = {value}, which pip reads from the install's folder")
    return out


def _copy_text(tree: Dockerfile, node: Instruction) -> str:
    view = tree.view(node)
    return f"{view.keyword} {view.args_text}"


def _blocks_move(tree: Dockerfile, ins: Instruction, source: _Source, where: _Where, build: BuildContext) -> str | None:
    """Why the source copy cannot move below ``ins`` (None: it can)."""
    view = tree.view(ins)
    if view.keyword in _METADATA:
        return None
    if isinstance(ins, Workdir):
        return None if source.dest.startswith("/") else "a WORKDIR between them changes where the copy goes"
    if isinstance(ins, Copy | Add):
        if view.flag("from") is not None:
            return None
        dest = view.args[-1] if view.args else ""
        if (
            dest.startswith("/")
            and source.resolved.startswith("/")
            and not (_relative(dest, source.resolved) or _relative(source.resolved, dest))
        ):
            return None
        return f"`{view.keyword} {view.args_text}` between them may be overwritten by the source copy"
    if isinstance(ins, Run):
        script = _managers.run_script(tree, ins)
        commands = range(len(script.script.commands)) if script is not None else range(0)
        if script is not None and all(_source_free(script, k, build, where) for k in commands):
            return None
        return f"`RUN {view.args_text[:60]}` between them may use the sources"
    return f"{view.keyword} between them"


# Commands that do not read the build context unless an argument names a file in it.
_SOURCE_FREE_TOOLS: Final = frozenset(
    {
        "apt-get",
        "apt",
        "apk",
        "yum",
        "dnf",
        "microdnf",
        "rm",
        "echo",
        "printf",
        "mkdir",
        "ln",
        "chmod",
        "chown",
        "update-ca-certificates",
        "corepack",
        "useradd",
        "groupadd",
        "adduser",
        "addgroup",
        "curl",
        "wget",
        "true",
        "set",
        "export",
    }
)


def _source_free(script: _managers.RunScript, index: int, build: BuildContext, where: _Where) -> bool:
    """Whether command ``index`` of ``script`` certainly neither reads the sources in the build context nor
    changes what the source copy puts in place (run before that copy, it would fail or be undone)."""
    command = script.script.commands[index]
    argv = command.argv
    # A command substitution that reads the sources (`VERSION=$(cat VERSION)`, `export V=$(cat VERSION)`): above
    # the copy the file is missing (a real build failed).
    substituted = " ".join(m.group(1) or m.group(2) for m in _SUBSTITUTION.finditer(" ".join(command.words)))
    if any(_names_context_file(w, build) for w in re.findall(r"[\w.][\w./-]*", substituted)):
        return False  # (also a path inside code: `$(node -p "require('./version.json').v")`)
    if not argv or argv[0] == "cd":
        return True  # an assignment or a change of folder reads nothing
    if any(_names_context_file(a, build) for a in argv[1:]):
        return False
    tool = argv[0].rsplit("/", 1)[-1]
    if _touches_destination(script, index, tool, where, build):
        return False
    if argv[1:2] == ("config",) and tool in _USER_CONFIG:
        # `poetry config virtualenvs.create false`, `npm config set registry ...`: the user's settings, unless
        # told to write the project's own file (poetry.toml, .npmrc), which the source copy would replace.
        return not any(a in _USER_CONFIG[tool] or a.startswith(_PROJECT_LOCATION) for a in argv[2:])
    found = [i for i in script.invocations if i.index == index]
    if found:
        # Named packages, index refreshes and cache clean-ups: npm install -g x, pip install --upgrade pip...
        return all(i.role in ("add", "update", "clean") and not i.local for i in found)
    if tool.startswith("python") and argv[1:3] == ("-m", "venv"):
        return True
    if tool in (".", "source") and len(argv) == 2 and argv[1].startswith("/"):
        return True  # `. /opt/venv/bin/activate`: outside the sources' folder (checked above); repeated after the copy
    return tool in _SOURCE_FREE_TOOLS


_SUBSTITUTION: Final = re.compile(r"\$\(([^)]*)\)|`([^`]*)`")


@dataclass(frozen=True, slots=True)
class _Where:
    """The source copy (where it puts the sources), and the state a RUN runs in (its WORKDIR, its variables)."""

    source: _Source
    state: State


# Tools whose arguments name no files (what they write goes through redirections, checked apart).
_NO_FILE_ARGUMENTS: Final = frozenset(
    {"echo", "printf", "true", "set", "export", "useradd", "groupadd", "adduser", "addgroup", "apt-get", "apt"}
    | {"apk", "yum", "dnf", "microdnf", "corepack", "update-ca-certificates"}
)
# Tools that change the files their arguments name: run at the sources' folder before the source copy, the copy
# puts its own files over what they did (a real build: `chown -R node:node .` then an EACCES at start).
_CHANGES_FILES: Final = frozenset(
    {"chmod", "chown", "chgrp", "ln", "rm", "touch", "cp", "mv", "install", "sed", "tee", "curl", "wget"}
)
_GLOB: Final = re.compile(r"[*?\[]")


def _touches_destination(
    script: _managers.RunScript, index: int, tool: str, where: _Where, build: BuildContext
) -> bool:
    """Whether command ``index`` may read or change what the source copy puts in place: an absolute path in the
    sources' folder (`chmod +x /app/bin/start`, `rm /app/.npmrc`; real builds failed or kept a token), a path from a
    variable, a glob or a changed file at the sources' folder (`chmod +x *.sh`), or a redirection into it
    (`echo $V > /app/VERSION`, undone by the copy)."""
    commands = script.script.commands
    words = commands[index].argv[1:]
    dest, workdir = where.source.resolved, where.state.workdir
    # In a folder the script moved to, a relative path could be anywhere.
    here = any(c.argv[:1] == ("cd",) for c in commands[:index]) or workdir.startswith("?")
    here = here or _relative(workdir, dest) is not None
    # Making a folder in the sources' folder is undone only when the copy brings one of that name (`python -m
    # venv $VIRTUAL_ENV`; a context .venv copied over the one the install filled: a real image ran the host's).
    creates = tool == "mkdir" or (tool.startswith("python") and words[:2] == ("-m", "venv"))
    paths: list[tuple[str, bool]] = []  # (path, written by a redirection)
    for k, word in enumerate(words):
        if word in (">", ">>", "<", "2>", "&>"):
            continue
        if k > 0 and words[k - 1] in (">", ">>", "2>", "&>"):
            paths.append((word, True))
        elif ">" in word:
            paths.append((word.rsplit(">", 1)[1].lstrip("&|"), True))
        elif "://" in word:
            continue  # a URL (`curl -o public/x https://...`: the file it names is the path)
        elif not word.startswith("-") or "=" in word:
            paths.append((word.split("=", 1)[1] if word.startswith("-") else word, False))
    for written_path, written in paths:
        path = _stages.substitute(written_path, where.state.env)
        if not path or path.startswith("/dev/") or (written and path.isdigit()):  # 2>&1: a descriptor
            continue
        if path.startswith("/") and "$" not in path:
            inside = None if dest.startswith("?") else _relative(posixpath.normpath(path), dest)
            if inside is not None and creates and not written and inside != ".":
                if build.exists(_path(where.source.root, inside)):
                    return True
            elif inside is not None or (not dest.startswith("?") and _relative(dest, path) is not None):
                return True
        elif "$" in path or path.startswith("~"):
            if written or tool not in _NO_FILE_ARGUMENTS:
                return True
        elif here and (written or (tool not in _NO_FILE_ARGUMENTS and (tool in _CHANGES_FILES or _GLOB.search(path)))):
            return True
    return False


# Tools whose `config` command writes the user's settings, and the options that make it write the project's.
_USER_CONFIG: Final = {"poetry": frozenset({"--local"}), "npm": frozenset({"-L"}), "pnpm": frozenset({"-L"})}
_PROJECT_LOCATION: Final = "--location"  # npm and pnpm: --location=project (or user, global: also refused)


def _names_context_file(arg: str, build: BuildContext) -> bool:
    if arg.startswith(("-", "/", "$", "~")) or "=" in arg:
        return False
    path = posixpath.normpath(arg)
    return path in (".", "..") or build.exists(path)


def _manifests(
    manager: Manager, project: str, target: _Target, source: _Source, build: BuildContext
) -> tuple[list[str], list[str], list[str]]:
    """(files to copy, reasons the move is unsafe, reasons it cannot be made) for one project."""
    files: list[str] = []
    unsafe: list[str] = []
    missing: list[str] = []
    files += [_path(project, name) for name in _REQUIRED.get(manager, ())]
    locks = [_path(project, f) for f in _LOCKFILES.get(manager, ()) if build.exists(_path(project, f))]
    if _LOCKFILES.get(manager) and not locks:
        missing.append(f"no {' or '.join(_LOCKFILES[manager])} in the build context for {manager}")
    files += locks
    files += [_path(project, f) for f in _OPTIONAL.get(manager, ()) if build.exists(_path(project, f.rstrip("/")))]
    if manager == "pip":
        for config in target.configs:
            if config.endswith((".conf", ".ini")):
                found = _PIP_CONFIG_SOURCE.search(_read(build, config) or "")
                if found is not None and not re.match(r"https?://", found.group(2)):
                    unsafe.append(
                        f"{config} points pip at {found.group(2)} ({found.group(1)}), which may be in the sources"
                    )
        invs = [i for i in target.invocations if _kind(i) == "pip"]
        named = [_path(project, f) for i in invs for f in i.files] + list(target.pip_files)
        pip_files, local, unplaced = _requirements(build, source, named)
        unsafe += unplaced + list(target.unplaced)
        files += pip_files
        if any(i.manager == "uv" for i in invs):
            # `uv pip` reads uv.toml's [pip] table and pyproject.toml's [tool.uv.pip] (find-links: real builds).
            extra, absent = _uv_files(build, project)
            files += extra
            unsafe += absent
            if build.exists(_path(project, "uv.toml")):
                files.append(_path(project, "uv.toml"))
            if _uv_pip_settings(build, project):
                files.append(_path(project, "pyproject.toml"))
        pip = "uv pip" if any(i.manager == "uv" for i in invs) else "pip"
        if local or target.pip_local:
            unsafe.append(f"{pip} installs a local path, which may read other sources")
        unsafe += [f"{pip} installs {u}, whose value dockmod cannot tell: a local path may read other sources"
                   for u in target.pip_unknown]  # fmt: skip
    if manager in ("npm", "yarn", "pnpm", "uv"):
        extra, absent = _uv_files(build, project) if manager == "uv" else _package_json_files(manager, build, project)
        files += extra
        unsafe += absent
    folders = [f for f in files if f.endswith("/")]
    files = [f for f in dict.fromkeys(files) if not any(f != d and f.startswith(d) for d in folders)]
    for f in list(files):
        if build.ignored(f.rstrip("/")):
            missing.append(f"{f} is excluded by .dockerignore")
    installed = _INSTALLED_INTO.get(manager)
    if installed is not None and not build.ignored(_path(project, installed)):
        folder = _path(project, installed)
        if build.exists(folder):
            unsafe.append(f"the build context has {folder}, which the source copy would put over the install")
        else:
            unsafe.append(f".dockerignore does not exclude {folder}: from a checkout that has one, the source copy "
                          "would put it over the install")  # fmt: skip
    for output in target.outputs:
        unsafe.append(f"the build context has {output}, which the source copy would put over the install")
    for output in _INSTALL_OUTPUTS.get(manager, ()):
        path = _path(project, output)
        if build.exists(path) and not build.ignored(path):
            # Plug'n'Play's map of where packages are: a developer's points into their own cache (a real build
            # then failed: "Required package missing from disk").
            unsafe.append(f"the build context has {path}, which the source copy would put over the install")
    uv_pip = manager == "pip" and any(i.manager == "uv" for i in target.invocations)
    unsafe += _settings_above("uv" if uv_pip else manager, build, project)
    if manager in ("npm", "yarn", "pnpm"):
        unsafe += _package_json_hazards(build, project, missing)
        unsafe += _lockfile_local(manager, build, project)
        if manager == "pnpm" and build.exists(_path(project, "pnpm-workspace.yaml")):
            missing.append("a pnpm workspace needs its members' manifests")
    elif manager in ("poetry", "uv"):
        unsafe += _pyproject_hazards(manager, build, project, missing)
    elif manager == "pipenv":
        if _PIPFILE_LOCAL.search(_read(build, _path(project, "Pipfile")) or ""):
            unsafe.append("the Pipfile has local path dependencies")
        dotenv = _path(project, ".env")
        if build.exists(dotenv) and not build.ignored(dotenv):
            # pipenv loads the project's .env before it installs (PIPENV_VENV_IN_PROJECT=1 there: a real build made
            # its virtualenv elsewhere without it).
            files.append(dotenv)
    elif manager == "go":
        unsafe += _go_hazards(build, project, missing)
    elif manager == "composer":
        unsafe += _composer_hazards(build, project)
    elif manager == "bundler":
        gemfile = _read(build, _path(project, "Gemfile")) or ""
        if re.search(r"^\s*gemspec\b", gemfile, re.MULTILINE):
            missing.append("the Gemfile reads a .gemspec")
        if re.search(r"\bpath:", gemfile):
            unsafe.append("the Gemfile uses local path gems")
    elif manager == "maven":
        pom = _read(build, _path(project, "pom.xml")) or ""
        if "<modules>" in pom:
            missing.append("a multi-module Maven build needs every module's pom.xml")
        unsafe.append("mvn dependency:go-offline does not fetch every plugin some builds resolve later")
    return files, unsafe, missing


# Settings a manager also reads in the folders above the project (a monorepo's root): Yarn's release and
# configuration, uv's configuration, a Go workspace. Real builds of `cd web && yarn install` failed with the root's
# .yarnrc.yml and .yarn/releases left behind (Debian's Yarn 1 ran instead: "unknown option '--immutable'").
_READ_ABOVE: Final[dict[Manager, tuple[str, ...]]] = {
    # A workspace root above the project makes the install a workspace install (its lock file, its members).
    "npm": ("package.json",),
    "yarn": (".yarnrc.yml", ".yarnrc", ".yarn/releases", "package.json"),
    "pnpm": ("pnpm-workspace.yaml",),
    "uv": ("uv.toml", "pyproject.toml"),  # (`uv pip` too; a pyproject.toml only with a [tool.uv] table)
    "go": ("go.work",),
}


def _settings_above(manager: Manager, build: BuildContext, project: str) -> list[str]:
    """Why the move is unsafe when a folder above the project holds settings the install reads there."""
    names = _READ_ABOVE.get(manager, ())
    folder = project
    while folder:
        folder = posixpath.dirname(folder)
        for name in names:
            path = _path(folder, name)
            if not build.exists(path) or build.ignored(path):
                continue
            if name == "pyproject.toml" and "[tool.uv" not in (_read(build, path) or ""):
                continue
            if name == "package.json" and '"workspaces"' not in (_read(build, path) or ""):
                continue
            return [f"{path}, in a folder above the project, may set how the install runs"]
    return []


def _package_json_hazards(build: BuildContext, project: str, missing: list[str]) -> list[str]:
    text = _read(build, _path(project, "package.json"))
    if text is None:
        return []
    try:
        data = json.loads(text)
    except ValueError:
        return ["package.json is not valid JSON"]
    if not isinstance(data, dict):
        return []
    unsafe = []
    scripts = data.get("scripts")
    if isinstance(scripts, dict):
        found = [s for s in _INSTALL_SCRIPTS if s in scripts]
        if found:
            unsafe.append(f"package.json runs {', '.join(found)} scripts during the install, which may read sources")
    gyp = data.get("gypfile") is not False and build.exists(_path(project, "binding.gyp"))
    if gyp and not (isinstance(scripts, dict) and ("install" in scripts or "preinstall" in scripts)):
        # npm and Yarn 1 run `node-gyp rebuild` for a package with a binding.gyp and no install script of its own:
        # installed before the sources, the project's addon is never built (a real build: "Cannot find module
        # './build/Release/hello.node'").
        unsafe.append("the project has a binding.gyp: the install builds it with node-gyp, from the sources")
    if data.get("workspaces"):
        missing.append("npm/yarn workspaces need their members' manifests")
    pnpm = data.get("pnpm")
    sections = [data.get(k) for k in ("dependencies", "devDependencies", "optionalDependencies", "overrides",
                                       "resolutions")]  # fmt: skip
    sections.append(pnpm.get("overrides") if isinstance(pnpm, dict) else None)
    for deps in sections:
        local = [
            f"{k}: {v}" for k, v in (deps.items() if isinstance(deps, dict) else ()) if _NPM_LOCAL_SPEC.match(str(v))
        ]
        if local:
            unsafe.append(f"package.json has local path dependencies ({local[0]})")
            break
    return unsafe


def _lockfile_local(manager: Manager, build: BuildContext, project: str) -> list[str]:
    """Why the move is unsafe when the lock file installs a package from a path of the context (package-lock's
    `"resolved": "file:vendor/ms-2.1.3.tgz"`, yarn.lock's `resolved "file:..."`, pnpm's `tarball: file:` or
    `link:`), whatever package.json says: real builds failed after the move (ENOENT, "Tarball is not in network")."""
    for name in _LOCKFILES.get(manager, ()):
        text = _read(build, _path(project, name)) or ""
        found = _LOCK_LOCAL.search(text) if "file:" in text or "link:" in text else None
        if found is not None:
            return [f"{name} installs a local path ({found.group(1)}), which the manifests' copy leaves behind"]
    return []


_LOCK_LOCAL: Final = re.compile(
    r"""(?:"resolved"\s*:\s*"|\bresolved\s+"|\btarball:\s*|\bversion:\s*)((?:file|link):[^"\s,]+)"""
)


def _package_json_files(manager: Manager, build: BuildContext, project: str) -> tuple[list[str], list[str]]:
    """(files and folders of the context the install reads besides the manifests, reasons it may miss one): patch
    files (Yarn's `patch:` protocol, pnpm's `patchedDependencies`) and Yarn 1's offline mirror. Real builds failed
    without each after the move (ENOENT for the patch; "Can't make a request in offline mode")."""
    named: list[str] = []
    text = _read(build, _path(project, "package.json")) or ""
    try:
        data = json.loads(text) if text else {}
    except ValueError:
        data = {}
    if isinstance(data, dict):
        for section in ("dependencies", "devDependencies", "optionalDependencies", "resolutions"):
            deps = data.get(section)
            for spec in deps.values() if isinstance(deps, dict) else ():
                if isinstance(spec, str) and spec.startswith("patch:") and "#" in spec:
                    named += [p.split("::", 1)[0] for p in spec.split("#", 1)[1].split("&")]
        pnpm = data.get("pnpm")
        patched = pnpm.get("patchedDependencies") if isinstance(pnpm, dict) else None
        named += [v for v in patched.values() if isinstance(v, str)] if isinstance(patched, dict) else []
    if manager == "yarn":
        # The Yarn release and plugins .yarnrc.yml names (`yarnPath: tools/yarn-4.18.1.cjs`, `- path:
        # tools/plugin.cjs`) and Yarn 1's `yarn-path`: Yarn hands the install to them (real builds failed without).
        berry = _read(build, _path(project, ".yarnrc.yml")) or ""
        named += re.findall(r"^\s*(?:yarnPath:|-?\s*path:)\s*[\"']?([^\"'\s#]+)", berry, re.MULTILINE)
        # Its cache in the project (`cacheFolder: ./vendor/yarn-cache`), which `--immutable-cache` and offline
        # installs read (a real build failed without it).
        cache = re.findall(r"^\s*cacheFolder:\s*[\"']?([^\"'\s#]+)", berry, re.MULTILINE)
        named += [c.rstrip("/") + "/" for c in _in_project(cache)]
        classic = _read(build, _path(project, ".yarnrc")) or ""
        named += re.findall(r'^\s*yarn-path\s+"?([^"\s]+)"?', classic, re.MULTILINE)
        mirror = re.search(r'^\s*yarn-offline-mirror\s+"?([^"\s]+)"?', classic, re.MULTILINE)
        if mirror is not None:
            named.append(mirror.group(1).rstrip("/") + "/")
        named += _in_project(re.findall(r'^\s*cache-folder\s+"?([^"\s]+)"?', classic, re.MULTILINE))
    # A cache or store in the project that .npmrc names (`cache=.npm-cache`, pnpm's `store-dir=.pnpm-store`): an
    # offline install reads its packages there (real builds failed without it: "ENOTCACHED", "offline").
    npmrc = _read(build, _path(project, ".npmrc")) or ""
    named += _in_project(re.findall(r"^\s*(?:cache|store-dir)\s*=\s*([^\s#;]+)", npmrc, re.MULTILINE))
    return _named_files(build, project, named)


def _uv_files(build: BuildContext, project: str) -> tuple[list[str], list[str]]:
    """The folders uv's configuration points it at in the project: `find-links`, `index-url`, `extra-index-url` and
    `[[index]]` urls (`./wheels`, `./simple`, `file:///app/simple`) in uv.toml, or in pyproject.toml's [tool.uv] or
    [tool.uv.pip]: the install reads them (real builds failed without them)."""
    named: list[str] = []
    for name, keys in (("uv.toml", ((), ("pip",))), ("pyproject.toml", (("tool", "uv"), ("tool", "uv", "pip")))):
        try:
            data: object = tomllib.loads(_read(build, _path(project, name)) or "")
        except tomllib.TOMLDecodeError:
            continue  # reported by the pyproject check, or uv's own error
        for key in keys:
            table = data
            for part in key:
                table = table.get(part) if isinstance(table, dict) else None
            if not isinstance(table, dict):
                continue
            values: list[object] = []
            for option in ("find-links", "index-url", "extra-index-url"):
                found = table.get(option)
                values += found if isinstance(found, list) else [found] if isinstance(found, str) else []
            indexes = table.get("index")
            values += [i.get("url") for i in indexes if isinstance(i, dict)] if isinstance(indexes, list) else []
            named += _in_project([p for v in values if isinstance(v, str) and (p := _url_path(v)) is not None])
    return _named_files(build, project, [n.rstrip("/") + "/" for n in named])


def _uv_pip_settings(build: BuildContext, project: str) -> bool:
    """Whether pyproject.toml has a [tool.uv] table, whose settings `uv pip` reads too (`[tool.uv.pip]`, indexes)."""
    try:
        data = tomllib.loads(_read(build, _path(project, "pyproject.toml")) or "")
    except tomllib.TOMLDecodeError:
        return False
    tool = data.get("tool")
    return isinstance(tool, dict) and isinstance(tool.get("uv"), dict)


def _in_project(names: list[str]) -> list[str]:
    """The paths among ``names`` that are inside the project (not absolute, home, variable or address)."""
    return [n for n in names if not n.startswith(("/", "~", "$")) and "://" not in n]


def _named_files(build: BuildContext, project: str, named: list[str]) -> tuple[list[str], list[str]]:
    """(the files and folders ``named`` finds in the project, reasons the move may miss one)."""
    wanted: list[str] = []
    unsafe: list[str] = []
    for name in named:
        rel = posixpath.normpath(name.removeprefix("~/").removeprefix("./"))
        path = _path(project, rel.rstrip("/"))
        if rel.startswith("..") or name.startswith("/"):
            unsafe.append(f"the install reads {name}, outside the project")
        elif build.exists(path):
            wanted.append(path + "/" if build.is_dir(path) else path)
        elif "builtin<" not in name:
            unsafe.append(f"the install reads {name}, which is not in the build context")
    return wanted, unsafe


def _pyproject_hazards(manager: Manager, build: BuildContext, project: str, missing: list[str]) -> list[str]:
    """Poetry's and uv's dependencies on folders of the project: the install reads them, so they must be copied
    first (a real build of each failed after the move: "Path /app/libs/greet for greet does not exist",
    "Distribution not found at: file:///app/libs/greet"). ``--no-install-project`` and ``--no-root`` skip only the
    project itself."""
    text = _read(build, _path(project, "pyproject.toml"))
    if text is None:
        return []
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return ["pyproject.toml is not valid TOML"]
    unsafe: list[str] = []
    project_table = data.get("project")
    requirements = project_table.get("dependencies", []) if isinstance(project_table, dict) else []
    optional = project_table.get("optional-dependencies", {}) if isinstance(project_table, dict) else {}
    groups = data.get("dependency-groups", {})
    for group in [requirements, *(optional.values() if isinstance(optional, dict) else ()),
                  *(groups.values() if isinstance(groups, dict) else ())]:  # fmt: skip
        if isinstance(group, list) and any(isinstance(r, str) and _PEP508_FILE.search(r) for r in group):
            unsafe.append("pyproject.toml depends on a local path (name @ file:...)")
            break
    tool = data.get("tool", {})
    if manager == "poetry" and isinstance(tool, dict):
        poetry = tool.get("poetry", {})
        tables = [poetry.get("dependencies"), poetry.get("dev-dependencies")] if isinstance(poetry, dict) else []
        group_tables = poetry.get("group", {}) if isinstance(poetry, dict) else {}
        if isinstance(group_tables, dict):
            tables += [g.get("dependencies") for g in group_tables.values() if isinstance(g, dict)]
        if any(_has_path_entry(t) for t in tables):
            unsafe.append("pyproject.toml has Poetry path dependencies")
    if manager == "uv" and isinstance(tool, dict):
        uv = tool.get("uv", {})
        sources = uv.get("sources") if isinstance(uv, dict) else None
        if _has_path_entry(sources):
            unsafe.append("pyproject.toml has uv path sources ([tool.uv.sources])")
        if isinstance(uv, dict) and isinstance(uv.get("workspace"), dict):
            missing.append("a uv workspace needs its members' manifests")
    return unsafe


# Pipfile entries that install from the file system: `path = "."`, `file = "wheels/x.whl"` (not a URL), or a git or
# file URL of the file system (a real build of a `file =` wheel failed after the move: No such file or directory).
_PIPFILE_LOCAL: Final = re.compile(
    r"\bpath\s*=|\bfile\s*=\s*[\"'](?![a-z+]+://)|=\s*[\"'](?:git\+)?file:", re.IGNORECASE
)
# A PEP 508 direct reference to the file system: `greet @ file:///app/libs/greet` (what `pip freeze` writes for a
# local install).
_PEP508_FILE: Final = re.compile(r"@\s*file:", re.IGNORECASE)


def _has_path_entry(table: object) -> bool:
    """Whether a dependency table names a folder: ``{ path = "libs/x" }`` or ``{ workspace = true }``, also in a list
    of alternatives."""
    if not isinstance(table, dict):
        return False
    for spec in table.values():
        for one in spec if isinstance(spec, list) else [spec]:
            if isinstance(one, dict) and ("path" in one or one.get("workspace") is True):
                return True
    return False


def _go_hazards(build: BuildContext, project: str, missing: list[str]) -> list[str]:
    """``replace`` directives to folders: `go mod download` reads their go.mod (a real build failed after the move:
    "reading greet/go.mod: no such file or directory"). A go.work makes every module of the workspace needed."""
    if build.exists(_path(project, "go.work")):
        missing.append("a Go workspace (go.work) needs its modules' go.mod files")
    text = _read(build, _path(project, "go.mod")) or ""
    for m in _GO_REPLACE.finditer(text):
        return [f"go.mod replaces a module with the folder {m.group(1)}"]
    return []


# `replace example.com/x => ./x` (or `../x`, `/x`), alone or in a `replace ( ... )` block: a folder, not a module.
_GO_REPLACE: Final = re.compile(r"=>\s*((?:\.{1,2}/|/)\S*|\.{1,2})\s*$", re.MULTILINE)


def _composer_hazards(build: BuildContext, project: str) -> list[str]:
    text = _read(build, _path(project, "composer.json"))
    if text is None:
        return []
    try:
        data = json.loads(text)
    except ValueError:
        return ["composer.json is not valid JSON"]
    unsafe = []
    repos = data.get("repositories") if isinstance(data, dict) else None
    if isinstance(repos, list) and any(isinstance(r, dict) and r.get("type") == "path" for r in repos):
        unsafe.append("composer.json has path repositories")
    return unsafe


def _requirements(build: BuildContext, source: _Source, files: list[str]) -> tuple[list[str], bool, list[str]]:
    """The requirement files (context paths) and those they include with -r/-c; whether any line installs a local
    path; why the install may read an include dockmod cannot place (written with a variable, or outside the
    sources)."""
    seen: list[str] = []
    local = False
    unplaced: list[str] = []
    queue = [(f, False) for f in files]  # (context path, opened through a `file:` URL)
    while queue:
        path, by_url = queue.pop(0)
        path = posixpath.normpath(path)
        if path in seen:
            continue
        seen.append(path)
        text = _read(build, path) or ""
        for raw in _pip_lines(text):
            line = raw.split(" #", 1)[0].strip()
            m = re.match(r"(?:-r|-c)\s*(\S+)|(?:--requirement|--constraint)[\s=]+(\S+)", line)
            value = (m.group(1) or m.group(2)) if m else ""
            if m and "$" in value:
                # `-r requirements/${APP_ENV}.txt`: pip expands the variable, which the RUN may set; the whole folder
                # goes first (a real build lost requirements/prod.txt), or the move is unsafe when there is none.
                folder = posixpath.dirname(value.split("$", 1)[0])
                found = posixpath.normpath(posixpath.join(posixpath.dirname(path), folder)) if folder else ""
                if found and build.is_dir(found):
                    seen.append(found + "/")
                else:
                    unplaced.append(f"a requirements file includes {value}, whose variable may name any file")
            elif m and _url_path(value) is None:
                continue  # a file of the network: nothing to copy
            elif m:
                included = _include(value, path, by_url, source)
                if included is None:
                    unplaced.append(f"{path} includes {value}, which the source copy does not bring")
                else:
                    queue.append((included, by_url or value.lower().startswith("file:")))
            elif _local_requirement(line):
                local = True
    return seen, local, unplaced


def _pip_lines(text: str) -> list[str]:
    """A requirements file's lines as pip reads them: one ending in a backslash goes on with the next (`-r \\` then
    `    base.txt` is `-r base.txt`: dockmod once copied a file named `\\` and missed base.txt), except a comment."""
    out: list[str] = []
    pending = ""
    for raw in text.splitlines():
        if raw.endswith("\\") and not raw.lstrip().startswith("#"):
            pending += raw[:-1] + " "
            continue
        out.append(pending + raw)
        pending = ""
    return [*out, pending] if pending else out


def _include(value: str, including: str, by_url: bool, source: _Source) -> str | None:
    """The context file pip opens for `-r value` or `-c value` written in the context file ``including`` (``by_url``:
    one pip opened through a `file:` URL); None when the source copy does not bring it. A relative path starts from
    the including file's folder, as does a `file:` URL's in a file opened through one (pip joins them as URLs); an
    absolute path, or a `file:` URL's in a file opened by path (`file:///app/reqs/base.txt`), is where the source
    copy puts it. A real build of `-r file:///app/reqs/base.txt` failed after a COPY of `file:/app/reqs/base.txt`."""
    path = _url_path(value, fetched=not by_url)
    if path is None:
        return None
    if path.startswith("/"):
        return source.context_path(posixpath.normpath(path))
    found = posixpath.normpath(posixpath.join(posixpath.dirname(including), path))
    outside = found == ".." or found.startswith("../") if not source.root else _relative(found, source.root) is None
    return None if outside else found


# Options of a requirements file that name where packages come from: a folder there is read by the install.
_PIP_SOURCES: Final = re.compile(r"(?:-f|--find-links|-i|--index-url|--extra-index-url)(?:\s*=\s*|\s+|(?<=-f))(\S+)")
# Settings of a pip configuration file that name where packages or pins come from (a real build: pip.conf's
# `find-links = /app/wheels` and `constraint = /app/constraints.txt` were not there for the moved install).
_PIP_CONFIG_SOURCE: Final = re.compile(
    r"^\s*(find[-_]links|constraint|requirement|index[-_]url|extra[-_]index[-_]url)\s*[=:]\s*(\S+)", re.MULTILINE
)
_ARCHIVE: Final = re.compile(r"\.(?:whl|zip|tar\.gz|tgz|tar\.bz2|tar)$", re.IGNORECASE)


# An editable install (`-e x`, `-e.`, `--editable=.`) or a path: the project itself with extras (`.[web]`, a real
# build failed), `./x`, `..`, `/x`, `file:`.
_LOCAL_LINE: Final = re.compile(r"-e|--editable[\s=]|\.{1,2}(?:[/\[\s;]|$)|/|file:")


def _local_requirement(line: str) -> bool:
    """Whether a line of a requirements file installs from the file system: an editable or a path (`./x`, `libs/x`,
    `/x`, `x.whl`), `file:` or `name @ file:...`, or packages found in a folder (`--find-links ./wheels`)."""
    if _LOCAL_LINE.match(line) or _PEP508_FILE.search(line):
        return True
    source = _PIP_SOURCES.match(line)
    if source is not None:
        return "://" not in source.group(1) or source.group(1).startswith("file:")
    if line.startswith("-") or "://" in line or " @ " in line:
        return False
    # pip takes a requirement with a path separator, or an archive's name, for a path.
    requirement = re.split(r"[;\s]", line, maxsplit=1)[0]
    return "/" in requirement or bool(_ARCHIVE.search(requirement))


def _manifest_copies(tree: Dockerfile, source: _Source, files: list[str]) -> list[Instruction]:
    """``COPY <files> <dest>/`` lines: one for the files of each folder, one per copied folder."""
    flags = "".join(
        f.raw
        for f, v in zip(source.node.flags, tree.view(source.node).flags, strict=False)
        if v.name in ("chown", "chmod", "link")
    )
    groups: dict[str, list[str]] = {}
    folders: list[str] = []
    for f in dict.fromkeys(files):
        if f.endswith("/"):
            folders.append(f)
        else:
            groups.setdefault(posixpath.dirname(f), []).append(f)
    out: list[Instruction] = []
    dest_root = source.dest.rstrip("/") or "/"
    like = source.node
    for folder, names in groups.items():
        rel = _relative_to_root(folder, source.root)
        dest = _dest(dest_root, rel)
        srcs = " ".join(names)
        out.append(tree.new(Copy, f"{flags.strip()} {srcs} {dest}".strip(), like=like))
    for folder in folders:
        rel = _relative_to_root(folder.rstrip("/"), source.root)
        text = f"{flags.strip()} {folder} {_dest(dest_root, rel)}".strip()
        out.append(tree.new(Copy, text, like=like))
    return out


def _relative_to_root(path: str, root: str) -> str:
    if not root:
        return path
    return posixpath.relpath(path, root) if path else ""


def _dest(dest_root: str, rel: str) -> str:
    rel = "" if rel in (".", "") else rel
    if dest_root == ".":
        return f"./{rel}/" if rel else "./"
    base = dest_root if dest_root != "/" else ""
    return f"{base}/{rel}/" if rel else f"{base}/"


def _split_run(
    tree: Dockerfile, run: Run, target: _Target, where: _Where, build: BuildContext
) -> tuple[tuple[Instruction, ...], tuple[Instruction, ...], list[str]] | None:
    """The install part (before the source copy) and the rest (after it), or None when it cannot be cut."""
    script = _managers.run_script(tree, run)
    assert script is not None
    view = tree.view(run)
    commands = script.script.commands
    installs = [i for i in target.invocations if i.role in ("install", "fetch")]
    builds = [i for i in target.invocations if i.role == "build"]
    unsafe: list[str] = []
    if not installs:
        # Only a build (go build, mvn package): insert a download step in front of the copy.
        inserted = _download_step(tree, run, builds)
        if inserted is None:
            return None
        return (inserted,), (run,), unsafe
    last = max(i.index for i in installs)
    # Clean-ups right after the install (npm cache clean, rm -rf of caches) stay with it; a `cd` does not (into a
    # folder of the sources, it would fail above their copy: a real build), nor does anything else that only sets
    # the shell's state for what follows (`export APP_ENV=production`, `OUT=dist`, `tmp=$(mktemp -d)`).
    while (
        last + 1 < len(commands)
        and not _sets_state(commands[last + 1])
        and _source_free(script, last + 1, build, where)
    ):
        last += 1
    for k in range(last + 1):
        if any(i.index == k for i in installs) or _source_free(script, k, build, where):
            continue
        # A command before the install may read the sources, or make what the copy then replaces (a real build:
        # `python -m venv .venv` in /app, then the context's own .venv copied over it).
        return None
    two_phase = [i for i in installs if i.python_project or i.manager == "composer"]
    if last == len(commands) - 1 and not two_phase:
        return (run,), (), unsafe
    if view.json or script.exec_form or not script.script.flat_and_chain:
        return None
    text = view.args_text
    cut = commands[last].end
    # Before the copy: the RUN as written up to its last install, first phases told not to need sources.
    edits = [(i.command.end, i.command.end, _PHASE_ONE[i.manager]) for i in two_phase]
    if cut < len(text):
        edits.append((cut, len(text), ""))
    first = splice_args(tree, run, edits)
    # After the copy: the same shell state (each `cd`, `export`, assignment, `. venv/bin/activate` of the first part,
    # again: real builds lost a variable and an activated virtualenv), the second phases, then the remaining
    # commands as written (their continuation lines and comments kept); comments between the parts go above the RUN.
    parts = [text[c.start : c.end] for c in commands[: last + 1] if _sets_state(c)]
    parts += [text[i.command.start : i.command.end] for i in two_phase]
    leading = ""
    if last + 1 < len(commands):
        between = physical_text(tree, run, cut, commands[last + 1].start)
        leading = "".join(
            run.indent + line.strip() + (run.newline or tree.newline)
            for line in between.split("\n")[1:]
            if line.strip().startswith("#")
        )
        parts.append(physical_text(tree, run, commands[last + 1].start, len(text)))
    if not parts:
        return (first,), (), unsafe
    # A cache mount stays with the part that runs a package manager (the build part gets it only if it runs one).
    managed = bool(two_phase) or any(i.index > last for i in script.invocations)
    kept = [f.raw[f.raw.index("--") :] for f in run.flags]
    flags = " ".join(f for f in kept if managed or not re.match(r"--mount=(?:.*,)?type=cache\b", f))
    second = tree.new(Run, (flags + " " + " && ".join(parts)).strip(), like=run, leading=leading)
    return (first,), (second,), unsafe


def _sets_state(command: _shell.Command) -> bool:
    """Whether ``command`` only changes the shell's state for the commands after it (folder, variables, options)."""
    argv = command.argv
    if not argv:
        return bool(command.words)  # `OUT=dist`: assignments alone
    return argv[0] in _STATE_COMMANDS


_STATE_COMMANDS: Final = frozenset(
    {"cd", "pushd", "popd", "export", "unset", ".", "source", "set", "umask", "shopt", "declare", "typeset", "alias"}
)


_PHASE_ONE: Final[dict[Manager, str]] = {
    "poetry": " --no-root",
    "uv": " --no-install-project",
    "composer": " --no-scripts --no-autoloader",
}


def _download_step(tree: Dockerfile, run: Run, builds: list[Invocation]) -> Run | None:
    go = [b for b in builds if b.manager == "go"]
    if go:
        cd = f"cd {go[0].cwd} && " if go[0].cwd not in (".", "") else ""
        return tree.new(Run, f"{cd}go mod download", like=run)
    mvn = [b for b in builds if b.manager == "maven"]
    if mvn:
        tool = mvn[0].command.argv[0]
        return tree.new(Run, f"{tool} -B dependency:go-offline", like=run)
    return None

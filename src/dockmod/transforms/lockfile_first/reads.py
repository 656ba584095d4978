"""The install to move, and what it reads of the sources besides its project's files. ``target`` finds in a RUN
below the source copy the installs that read the manifests the copy brings (``installs``: those done before any
source copy, already lockfile-first), with the files their environment and options name (configuration, CA
certificates, NODE_OPTIONS' preloads) and the folders of the project a Python install writes. ``named_elsewhere``
finds the files that settings outside the project point the install at (settings files the steps above put or
write, ``pip config set``); ``written_settings`` and ``build_args`` say when such settings make the move
unsafe. All of it is read from the Dockerfile (the RUN, its environment, the steps above it), where ``projects``
reads the project's own files."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping, Sequence
from typing import Final

from dockmod.context import BuildContext
from dockmod.cst import Add, Arg, Copy, Dockerfile, Instruction, Run
from dockmod.transforms import _managers, _shell, _stages
from dockmod.transforms._managers import Invocation, Manager
from dockmod.transforms._stages import State
from dockmod.transforms.lockfile_first import common


def target(
    tree: Dockerfile,
    run: Run,
    state: State,
    source: common.Source,
    build: BuildContext,
    done: set[tuple[Manager, str]],
) -> common.Target | None:
    """The dependency installs in ``run`` that read manifests ``source`` copied, if any are not done yet."""
    script = _managers.run_script(tree, run)
    if script is None or script.heredoc:
        return None
    found: list[Invocation] = []
    projects: list[tuple[Manager, str]] = []
    for inv in script.invocations:
        kind = common.kind(inv)
        if kind not in common.REQUIRED and kind != "pip":
            continue
        if inv.role not in ("install", "fetch", "build") or inv.cwd == "?":
            continue
        if kind == "pip" and not inv.files:
            continue
        if inv.manager in ("poetry", "uv") and inv.role == "build":
            continue
        folder = _stages.join(state.workdir, inv.cwd)
        rel = common.relative(folder, source.resolved)
        if rel is None:
            continue
        if (kind, folder) in done:
            continue  # installed before the copy already (the second phase of a two-phase install)
        project = posixpath.normpath(posixpath.join(source.root, rel)) if source.root else rel
        project = "" if project == "." else project
        if inv.manager == "go" and (build.exists(common.path(project, "vendor/modules.txt"))):
            continue  # vendored modules: nothing to download
        required = common.REQUIRED.get(kind, ())
        if not all(build.exists(common.path(project, f)) for f in required):
            continue  # not this context's project (the build may use another context)
        if kind == "pip" and not all(build.exists(common.path(project, f)) for f in inv.files):
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
        if common.kind(inv) == "pip":
            installs_path, unknown = _managers.pip_sources(inv, env, cwd)
            pip_local |= installs_path
            pip_unknown += unknown
        # Lists: pip's are spaced (as pip splits them), GOPROXY's take commas and pipes.
        variables = _CONFIG_VARIABLES.get(inv.manager, ()) + _CA_VARIABLES
        named = [(v, var) for var in variables for v in re.split(r"[\s,|]+", env.get(var, "")) if v]
        named += [(v, "") for v in _managers.option_values(inv.args, _CONFIG_OPTIONS.get(inv.manager, ()))]
        if common.kind(inv) == "pip":
            # (a real build with XDG_CONFIG_HOME in the project lost its constraints)
            named += [(v, "") for v in _managers.pip_config_files(env)]
        fetched = set(_managers.option_values(inv.args, _FETCHED_OPTIONS))
        for value, variable in named:
            opened = variable in _FETCHED_VARIABLES or value in fetched
            # A variable's value as the shell leaves it (`export PIP_CONSTRAINT=$(pwd)/c.txt`); options written with
            # variables (`--find-links $WHEELS`) are found with the other settings, in `named_elsewhere`.
            text = _stages.substitute(value, env, cwd if cwd.startswith("/") else ".") if variable else value
            local = common.url_path(text, fetched=opened)
            if local is None:
                continue  # an address of the network
            if "$" in local or "`" in local:
                if common.kind(inv) == "pip" and variable in _CONFIG_VARIABLES.get(inv.manager, ()):
                    unplaced.append(f"{variable} names {value}, which dockmod cannot place: the install may read a "
                                    "file of the sources there")  # fmt: skip
                continue
            path = source.context_path(_stages.join(cwd, local))
            if path is not None and build.exists(path):
                configs.append(path + "/" if build.is_dir(path) else path)
                pip_files += [path] if opened and common.kind(inv) == "pip" and not build.is_dir(path) else []
        outputs += _python_outputs(inv, env, cwd, source, build)
    return common.Target(
        tuple(found), tuple(dict.fromkeys(projects)), tuple(dict.fromkeys(configs)), tuple(outputs), pip_local,
        tuple(dict.fromkeys(pip_unknown)), tuple(dict.fromkeys(pip_files)), tuple(dict.fromkeys(unplaced)),
        tuple(dict.fromkeys(hazards)),
    )  # fmt: skip


def _runs_sources(
    inv: Invocation, env: Mapping[str, str], cwd: str, source: common.Source, build: BuildContext
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
            if _LOADS_OTHERS.search(common.read(build, found) or ""):
                # Also by a path it builds (`require(__dirname + '/lib/env')`, `path.join(__dirname, ...)`, a
                # variable) or a file it reads: real builds failed after the move.
                hazards.append(f"NODE_OPTIONS makes node load {found}, which loads other files of the sources")
    for variable in ("BASH_ENV", "ENV"):
        value = env.get(variable, "")
        path = source.context_path(_stages.join(cwd, value)) if value and "$" not in value else None
        if path is not None and build.exists(path) and not build.is_dir(path):
            hazards.append(f"{variable} makes the shell read {path}, a file of the sources, before the install")
    if common.kind(inv) == "pip":
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
    inv: Invocation, env: Mapping[str, str], cwd: str, source: common.Source, build: BuildContext
) -> list[str]:
    """Folders of the sources a Python install writes into (as node_modules is for npm): `pip install --target
    vendor`, PIP_TARGET, PYTHONUSERBASE with `--user`, a virtualenv in the project (`/app/venv` first in PATH,
    VIRTUAL_ENV, `uv sync`'s and in-project Poetry's and pipenv's `.venv`). A copy of the context's own folder
    there, after the moved install, lands on top of what it installed (real builds ran a stale vendor/ and a
    developer's .venv with another interpreter). ``env`` and ``cwd``: the install's."""
    kind = common.kind(inv)
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
        rel = common.relative(_stages.join(cwd, value), source.resolved) if "$" not in value else None
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


# Requirement and constraint files, which pip opens through its session (`file:` URLs: see `common.url_path`) and reads
# for includes.
_FETCHED_OPTIONS: Final = ("-c", "--constraint", "-r", "--requirement")
_FETCHED_VARIABLES: Final = frozenset({"PIP_CONSTRAINT", "PIP_REQUIREMENT"})


def installs(tree: Dockerfile, run: Run, state: State) -> set[tuple[Manager, str]]:
    """(manager, folder) of the installs a RUN performs before any source copy (already lockfile-first)."""
    script = _managers.run_script(tree, run)
    if script is None:
        return set()
    out: set[tuple[Manager, str]] = set()
    for inv in script.invocations:
        if inv.role in ("install", "fetch") and inv.cwd != "?":
            out.add((common.kind(inv), _stages.join(state.workdir, inv.cwd)))
    return out


def build_args(
    tree: Dockerfile, target: common.Target, above: Sequence[tuple[Instruction, State]], state: State
) -> list[str]:
    """Why the move is unsafe when an ARG without a default above the install declares a variable the install reads
    for files (`ARG PIP_CONSTRAINT`, `ARG NODE_OPTIONS`): its value comes from `--build-arg`, unknown here, and may
    name a file of the sources (real builds given `PIP_CONSTRAINT=constraints.txt` and `NODE_OPTIONS=--require
    /app/preload.js` failed after the move). Index addresses (`ARG PIP_INDEX_URL`) name the network."""
    names = {"BASH_ENV", "ENV"}
    for inv in target.invocations:
        names |= {v for v in _CONFIG_VARIABLES.get(inv.manager, ()) + _CA_VARIABLES if v not in _ADDRESS_VARIABLES}
        names |= {"NODE_OPTIONS"} if inv.manager in ("npm", "yarn", "pnpm") else set()
        names |= {"PYTHONPATH"} if common.kind(inv) == "pip" else set()
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


def named_elsewhere(
    tree: Dockerfile,
    source: common.Source,
    install: tuple[Run, State],
    target: common.Target,
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
                    texts.append((common.read(build, name) or "", posixpath.dirname(name)))
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
    for name in [*target.configs, *(common.path(p, n) for p in projects for n in _PROJECT_SETTINGS)]:
        if build.exists(name) and not build.is_dir(name):
            texts.append((common.read(build, name) or "", posixpath.dirname(name)))
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
            text = common.read(build, found) or ""
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


def _named_paths(
    text: str, base: str, source: common.Source, build: BuildContext, *, values: bool = False
) -> list[str]:
    """The files and folders of the context ``text`` names by path (absolute, through the source copy's
    destination, or relative to ``base``), as copies of them would go; with ``values``, also a settings file's
    values written without `./` (`cache=.npm-cache`: a real build failed without the folder)."""
    out: list[str] = []
    if text:
        paths = [m.group(1) for m in _NAMED_PATH.finditer(text)]
        paths += [m.group(1) for m in _SETTING_VALUE.finditer(text)] if values else []
        for path in paths:
            if path.startswith("/"):
                rel = common.relative(posixpath.normpath(path), source.resolved)
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


def written_settings(tree: Dockerfile, earlier: Sequence[tuple[Instruction, State]]) -> list[str]:
    """Why the move is unsafe when a RUN above writes a pip setting that names a relative path (`printf
    '[install]\\nconstraint = constraints.txt\\n' > /etc/pip.conf`): pip reads it from the install's folder, which
    the source copy fills (absolute paths are copied first, in `named_elsewhere`)."""
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

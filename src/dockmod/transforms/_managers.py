"""Package-manager detection: which dependency tools a RUN line invokes, how, and where.

Shared by lockfile-first, cache-mounts, split-stages and add-user. Detection reads RUN commands in shell
form (``&&``/``;`` chains, ``sh -c``, ``cd dir &&`` prefixes, ``--prefix``/``-C``/``--cwd`` options) and
exec form, and never guesses: a command it does not recognise is simply not an invocation.
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Final, Literal

from dockmod.cst import Dockerfile, Run
from dockmod.transforms import _shell, _stages
from dockmod.transforms._shell import Command, Script

Manager = Literal[
    "npm", "yarn", "pnpm", "pip", "poetry", "pipenv", "uv", "go", "cargo", "bundler", "composer", "maven",
    "gradle", "dotnet", "apt", "apk",
]  # fmt: skip
Role = Literal["install", "fetch", "build", "add", "update", "clean", "other"]
# install: the project's dependencies from its manifests; fetch: download only; build: needs the sources;
# add: named packages (apt-get install x, npm install -g x); update: package index refresh; clean: cache purge.


@dataclass(frozen=True, slots=True)
class Invocation:
    manager: Manager
    command: Command
    index: int  # position in the script's commands
    sub: str  # the subcommand ("ci", "install", "mod download", ...)
    args: tuple[str, ...]  # the words after the subcommand
    role: Role
    cwd: str  # folder it runs in, relative to the RUN's working directory ("." when unchanged)
    options: frozenset[str]  # option names used (``--no-cache-dir``, ``--frozen-lockfile``, ...)
    files: tuple[str, ...] = ()  # pip -r/-c files, relative to ``cwd``
    local: bool = False  # installs a local path (pip install ., -e .): reads the project's sources
    python_project: bool = False  # poetry/uv install the project itself unless told not to


@dataclass(frozen=True, slots=True)
class RunScript:
    """A RUN's command as a shell script, with the invocations found in it."""

    script: Script
    exec_form: bool  # the RUN is a JSON array without a shell
    invocations: tuple[Invocation, ...]
    heredoc: bool  # the command comes from a heredoc body


_PY_PIP: Final = ("pip", "pip3", "pip2")
# Options that take a value, per tool: the word after them is not a subcommand or package.
_VALUE_OPTIONS: Final[dict[str, frozenset[str]]] = {
    tool: frozenset(options.split())
    for tool, options in {
        "npm": "--prefix --loglevel --cache --registry --omit --only -w --workspace --userconfig --include"
        " --install-strategy -C",
        "yarn": "--cwd --modules-folder --cache-folder --network-timeout --mutex --registry",
        "pnpm": "-C --dir --filter -F --store-dir --reporter --registry",
        "pip": "-r --requirement -c --constraint -i --index-url --extra-index-url -t --target --prefix --root -f"
        " --find-links --cache-dir --trusted-host --timeout --retries --progress-bar --python-version --platform"
        " --src -e --editable --upgrade-strategy --only-binary --no-binary --python -w --wheel-dir -d --dest",
        "poetry": "--only --with --without -E --extras -C --directory -P --project",
        "uv": "--extra --group --only-group --no-group --python -p --project --directory --package --cache-dir -r"
        " --requirement -c --constraint --index-url --extra-index-url --link-mode",
        "go": "-o -tags -ldflags -gcflags -mod -C -p -trimpath -modfile",
        "cargo": "--bin --target -p --package --features --manifest-path --target-dir -j --jobs --profile"
        " --recipe-path",
        "composer": "-d --working-dir",
        "bundler": "--jobs -j --retry --path --without --with --gemfile",
    }.items()
}


def run_script(tree: Dockerfile, node: Run) -> RunScript | None:
    """The RUN's script and invocations; None when the command cannot be read reliably (memoised per tree)."""
    return tree.memo(("run_script", node), lambda: _run_script(tree, node))


def _run_script(tree: Dockerfile, node: Run) -> RunScript | None:
    view = tree.view(node)
    first_heredoc = view.heredocs[0].content if view.heredocs else None
    return _script_of(view.json, view.args if view.json else (), view.args_text, first_heredoc)


@functools.lru_cache(maxsize=4096)
def _script_of(json: bool, argv: tuple[str, ...], args_text: str, heredoc_body: str | None) -> RunScript | None:
    """The script of a RUN with these arguments (the same command anywhere has the same script)."""
    heredoc = False
    if json:
        inner = _shell.shell_c_script(argv)
        if inner is None:
            text = " ".join(_shell.quote(a) for a in argv)
            script = _shell.split(text)
            exec_form = True
        else:
            script = _shell.split(inner)
            exec_form = False
    elif heredoc_body is not None and args_text.lstrip().startswith("<<"):
        # ``RUN <<EOF`` runs the body as the script; ``RUN cmd <<EOF`` feeds it to cmd's stdin.
        heredoc = True
        script = _shell.split(heredoc_body)
        exec_form = False
    else:
        script = _shell.split(args_text)
        exec_form = False
    if script is None:
        return None
    return RunScript(script, exec_form, tuple(invocations(script)), heredoc)


def invocations(script: Script) -> Iterator[Invocation]:
    """Every package-manager command in ``script``, with the folder it runs in."""
    cwd = "."
    pushed: list[str] = []  # the folders pushd left, for popd
    for index, command in enumerate(script.commands):
        if command.op in ("||", "|", "&"):
            pass  # still the same shell; ``cd`` effects carry on for ``;`` and ``&&``
        argv = command.argv
        if not argv:
            continue
        inner = _shell.shell_c_script(argv)
        if inner is not None:
            nested = _shell.split(inner)
            if nested is not None:
                for inv in invocations(nested):
                    # The nested command's span is inside the -c string: report the outer command.
                    yield Invocation(
                        inv.manager, command, index, inv.sub, inv.args, inv.role, _join(cwd, inv.cwd),
                        inv.options, inv.files, inv.local, inv.python_project,
                    )  # fmt: skip
            continue
        if argv[0] in ("cd", "pushd") and len(argv) <= 2:
            target = argv[1] if len(argv) == 2 else "~"
            pushed += [cwd] if argv[0] == "pushd" else []
            cwd = _join(cwd, target) if not target.startswith(("~", "$", "-")) else "?"
            continue
        if argv[0] == "popd":
            cwd = pushed.pop() if pushed else "?"  # back where bash's pushd left
            continue
        found = _match(argv)
        if found is None:
            continue
        manager, sub, args, role = found
        options = frozenset(a.split("=", 1)[0] for a in args if a.startswith("-"))
        inv_cwd = _join(cwd, _folder_option(manager, args))
        files: tuple[str, ...] = ()
        local = False
        python_project = False
        if manager == "uv" and sub == "pip sync":
            # Its words are requirements files (`uv pip sync requirements.txt`), read as -r's are.
            files = (*_positional(args, _VALUE_OPTIONS["uv"]), *option_values(args, ("-c", "--constraint")))
        elif manager in ("pip", "uv") and sub in ("install", "pip install", "download", "wheel"):
            files = tuple(option_values(args, ("-r", "--requirement", "-c", "--constraint")))
            positional = _positional(args, _VALUE_OPTIONS["pip"])
            local = any(_local_spec(p) for p in positional) or bool(option_values(args, ("-e", "--editable")))
            if role == "install" and positional and not files:
                role = "add"
        elif manager == "poetry":
            python_project = "--no-root" not in options and "--only-root" not in options
        elif manager == "uv" and sub == "sync":
            python_project = "--no-install-project" not in options
        yield Invocation(manager, command, index, sub, args, role, inv_cwd, options, files, local, python_project)


def _local_spec(spec: str) -> bool:
    """Whether a pip requirement given on the command line is a path: `.`, `./lib`, `/src/x`, `file:...`, and
    `wheels/*.whl` or `dist/app-1.0.tar.gz` (a real build failed when the wheels were left behind)."""
    if spec.startswith((".", "/", "file:")):
        return True
    remote = "://" in spec or spec.startswith("git+")
    return not remote and ("/" in spec or spec.endswith((".whl", ".tar.gz", ".zip", ".tgz")))


def environment(script: RunScript, inv: Invocation, env: Mapping[str, str]) -> Mapping[str, str]:
    """The variables ``inv`` runs with: ``env`` (the stage's ENV and ARG values), those the commands before it in its
    RUN set (`export PIP_CONSTRAINT=/app/c.txt && pip install ...`; also `A=1;`, which the shell expands in later
    words) and its own (`PIP_CONSTRAINT=c.txt pip install`, `env PIP_CONSTRAINT=c.txt pip install`). Real builds
    lost the constraints file pip read from an `export` and from `env` after lockfile-first's move. In `sh -c
    SCRIPT`, what any command of SCRIPT sets counts (the invocation stands for the whole `sh -c` command)."""
    known = _stages.shell_variables(script.script.commands[: inv.index], env)
    inner = _shell.shell_c_script(inv.command.argv)
    nested = _shell.split(inner) if inner is not None else None
    commands = (inv.command,) if nested is None else nested.commands
    if nested is not None:
        known = _stages.shell_variables(nested.commands, known)
    own = {name: _stages.substitute(value, known) for c in commands for name, value in c.assignments.items()}
    return _stages.overlay(known, own)


def pip_sources(inv: Invocation, env: Mapping[str, str], cwd: str) -> tuple[bool, tuple[str, ...]]:
    """For a pip or uv pip install: whether it installs a local path, its requirement words expanded as the shell
    expands them (``env``: its variables; ``cwd``: its folder, for `$PWD`, `$(pwd)` and `` `pwd` ``), and the
    words whose value stays unknown (a variable without a known value, another command's output), any of which
    may be a path. As written, `"$PWD"` or `${APP_HOME}` looks like a package name: a real build moved above the
    source copy then failed ("Directory '/app' is not installable"). pip also installs what PIP_EDITABLE names, as
    it does `-e` (pip reads each option from its PIP_<OPTION> variable)."""
    local = inv.local or (inv.manager == "pip" and bool(env.get("PIP_EDITABLE", "").split()))
    unknown: list[str] = []
    # An unknown WORKDIR ("?") is still the folder the install runs in: `.` to it.
    here = cwd if cwd.startswith("/") else "."
    for word in _positional(inv.args, _VALUE_OPTIONS["pip"]):
        if _local_spec(word):
            continue
        expanded = _stages.substitute(word, env, here)
        if _local_spec(expanded):
            local = True
        elif "$" in expanded or "`" in expanded:
            unknown.append(word)
    return local, tuple(unknown)


def package_script_folder(argv: tuple[str, ...]) -> str | None:
    """The folder of the package.json whose script ``argv`` runs (`npm run build`, `npm test`, `yarn run x`, `pnpm
    start`), relative to where it runs: "." unless an option moves it (`npm run --prefix tools warm`, `npm --prefix
    tools run warm`, `yarn --cwd tools run x`, `pnpm -C tools run x`); None for other commands."""
    found = _match(argv) if argv else None
    if found is None or found[0] not in ("npm", "yarn", "pnpm"):
        return None
    # Yarn and pnpm also run a script named as the command (`yarn warm`: a real build's script read the cache).
    named = found[0] != "npm" and found[1] != "" and found[1] not in _YARN_PNPM_COMMANDS
    if found[1] not in _PACKAGE_SCRIPT_RUNS and not named:
        return None
    return _folder_option(found[0], found[2])


def package_script_name(argv: tuple[str, ...]) -> str | None:
    """The name of the package.json script ``argv`` runs (``package_script_folder``'s): the word after `run` past
    the options and their values (`npm --prefix tools run clean`, `pnpm -C tools run clean`: clean, not tools), or
    the command itself (`npm test`, `yarn --cwd tools clean`); None for other commands."""
    found = _match(argv) if package_script_folder(argv) is not None else None
    if found is None:
        return None
    if found[1] in ("run", "run-script"):
        words = _positional(found[2], _VALUE_OPTIONS.get(found[0], frozenset()))
        return words[0] if words else None
    return found[1]


_PACKAGE_SCRIPT_RUNS: Final = frozenset({"run", "run-script", "start", "test"})
# `go mod` subcommands that resolve the module graph (`go mod edit`, `init` and `download`, a fetch, are not).
_GO_MODULE_READERS: Final = frozenset({"tidy", "vendor", "verify", "graph", "why"})
# Cargo's commands that resolve the dependencies, updating the registry index and downloading the crates the cache
# lacks, as a build does (the twenty-seventh round: each of vendor, check, doc, metadata and tree, unmounted after a
# mounted `cargo fetch`, downloaded every crate again).
_CARGO_RESOLVERS: Final = frozenset({"check", "clippy", "doc", "bench", "rustc", "rustdoc", "fix", "vendor",
                                     "metadata", "tree", "update", "generate-lockfile"})  # fmt: skip
# Yarn's (1 and Berry) and pnpm's own commands: any other word runs the package script of that name.
_YARN_PNPM_COMMANDS: Final = frozenset({"add", "audit", "autoclean", "bin", "cache", "check", "config",
                                       "constraints", "create", "dedupe", "deploy", "dlx", "doctor", "env", "exec",
                                       "explain", "fetch", "generate-lock-entry", "global", "help", "i", "import",
                                       "info", "init", "install", "licenses", "link", "list", "login", "logout",
                                       "ls", "node", "npm", "outdated", "owner", "pack", "patch", "patch-commit",
                                       "plugin", "policies", "prune", "publish", "rebuild", "recursive", "remove",
                                       "rm", "root", "search", "server", "set", "setup", "store", "tag", "team",
                                       "unlink", "unplug", "up", "update", "upgrade", "upgrade-interactive",
                                       "version", "versions", "why", "workspace", "workspaces"})  # fmt: skip


def _folder_option(manager: Manager, args: tuple[str, ...]) -> str:
    """The folder an option of the tool's command points it at (`npm --prefix DIR`, `pnpm -C DIR`), else "."."""
    return option_value(args, _CWD_OPTIONS.get(manager, ())) or "."


_CWD_OPTIONS: Final[dict[str, tuple[str, ...]]] = {
    "npm": ("--prefix", "-C"),
    "yarn": ("--cwd",),
    "pnpm": ("-C", "--dir"),
    "composer": ("-d", "--working-dir"),
    "poetry": ("-C", "--directory"),
    "uv": ("--directory",),
    "go": ("-C",),
}


_YARN_RELEASE: Final = re.compile(r"yarn-[\w.+-]+\.c?js")


# Other names of the same programs: Yarn's (Debian's package and the official images ship `yarnpkg`) and Node's.
_ALIASES: Final = {"yarnpkg": "yarn", "nodejs": "node"}


def _match(argv: tuple[str, ...]) -> tuple[Manager, str, tuple[str, ...], Role] | None:
    tool = argv[0].rsplit("/", 1)[-1]
    tool = _ALIASES.get(tool, tool)
    rest = argv[1:]
    if tool.startswith("python") and len(rest) >= 2 and rest[0] == "-m" and rest[1] in _PY_PIP:
        tool, rest = "pip", rest[2:]
    if tool == "php" and rest and rest[0].endswith("composer.phar"):
        tool, rest = "composer", rest[1:]
    if tool == "node" and rest and _YARN_RELEASE.fullmatch(rest[0].rsplit("/", 1)[-1]):
        tool, rest = "yarn", rest[1:]  # a checked-in Yarn release run directly: `node .yarn/releases/yarn-4.5.3.cjs`
    if tool == "corepack" and rest and rest[0] in ("yarn", "pnpm", "npm"):
        tool, rest = rest[0], rest[1:]  # the package manager corepack runs: `corepack yarn install`
    if tool in _PY_PIP or (tool.startswith("pip") and tool[3:].replace(".", "").isdigit()):
        # `pip wheel` downloads and builds the wheels of what it is given, as `pip download` fetches them, into a
        # folder of its own: the builder stage of a two-stage image (`pip wheel --wheel-dir /wheels -r ...`).
        return _sub("pip", rest, {"install": "install", "download": "fetch", "wheel": "fetch", "cache": "clean"})
    if tool == "npm":
        found = _sub("npm", rest, {"ci": "install", "install": "install", "i": "install", "isntall": "install",
                                   "add": "install", "run": "build", "run-script": "build", "prune": "other",
                                   "cache": "clean", "rebuild": "build"})  # fmt: skip
        if found and found[1] in ("install", "i", "isntall", "add"):
            positional = _positional(found[2], _VALUE_OPTIONS["npm"])
            if positional or {"-g", "--global"} & set(found[2]):
                return "npm", found[1], found[2], "add"
        return found
    if tool == "yarn":
        if not rest or (rest[0].startswith("-") and not _subcommand(rest, _VALUE_OPTIONS["yarn"])):
            return "yarn", "install", rest, "install"
        found = _sub("yarn", rest, {"install": "install", "add": "add", "global": "add", "cache": "clean",
                                    "build": "build", "run": "build"})  # fmt: skip
        return found or ("yarn", "run", rest, "build")
    if tool == "pnpm":
        found = _sub("pnpm", rest, {"install": "install", "i": "install", "fetch": "fetch", "add": "add",
                                    "run": "build", "build": "build", "prune": "other", "deploy": "build",
                                    "store": "clean"})  # fmt: skip
        if found and found[1] in ("install", "i") and _positional(found[2], _VALUE_OPTIONS["pnpm"]):
            return "pnpm", found[1], found[2], "add"
        return found
    if tool == "poetry":
        return _sub("poetry", rest, {"install": "install", "build": "build"})
    if tool == "pipenv":
        return _sub("pipenv", rest, {"install": "install", "sync": "install"})
    if tool == "uv":
        if rest[:1] == ("pip",) and rest[1:2] and rest[1] in ("install", "sync"):
            return "uv", f"pip {rest[1]}", rest[2:], "install"
        return _sub("uv", rest, {"sync": "install", "build": "build"})
    if tool == "go":
        if rest[:2] == ("mod", "download"):
            return "go", "mod download", rest[2:], "fetch"
        if rest[:1] == ("mod",) and rest[1:2] and rest[1] in _GO_MODULE_READERS:
            # They load the module graph (and tidy, vendor and why the packages), downloading what the module
            # cache lacks, as a build does: the twenty-seventh round's `RUN go mod vendor` after a mounted
            # `go mod download` fetched every module again.
            return "go", f"mod {rest[1]}", rest[2:], "build"
        found = _sub("go", rest, {"build": "build", "install": "build", "get": "add", "test": "build",
                                  "generate": "build", "vet": "build", "run": "build", "list": "build",
                                  "clean": "clean"})  # fmt: skip
        if found and found[1] == "install" and any("@" in a for a in found[2]):
            return "go", "install", found[2], "add"
        return found
    if tool == "cargo":
        return _sub("cargo", rest, {"build": "build", "install": "add", "fetch": "fetch", "test": "build",
                                    "chef": "fetch", "run": "build", "clean": "other",
                                    **dict.fromkeys(_CARGO_RESOLVERS, "build")})  # fmt: skip
    if tool in ("bundle", "bundler"):
        found = _sub("bundler", rest, {"install": "install"})
        if found is None and not set(rest) & {"-v", "--version", "-h", "--help"}:
            return "bundler", "install", rest, "install"  # `bundle` alone, or with install's options, installs
        return found
    if tool in ("composer", "composer.phar"):
        return _sub("composer", rest, {"install": "install", "require": "add", "dump-autoload": "build",
                                       "dumpautoload": "build", "clear-cache": "clean", "clearcache": "clean",
                                       "cc": "clean"})  # fmt: skip
    if tool in ("mvn", "mvnw"):
        goals = [a for a in rest if not a.startswith("-")]
        role: Role = "fetch" if goals and all(g.startswith("dependency:") for g in goals) else "build"
        return "maven", " ".join(goals), rest, role
    if tool in ("gradle", "gradlew"):
        return "gradle", " ".join(a for a in rest if not a.startswith("-")), rest, "build"
    if tool == "dotnet":
        return _sub("dotnet", rest, {"restore": "fetch", "publish": "build", "build": "build", "test": "build"})
    if tool in ("apt-get", "apt"):
        return _sub("apt", rest, {"install": "add", "update": "update", "upgrade": "add", "dist-upgrade": "add",
                                  "clean": "clean", "build-dep": "add"})  # fmt: skip
    if tool == "apk":
        return _sub("apk", rest, {"add": "add", "update": "update", "upgrade": "add"})
    return None


def _subcommand(args: tuple[str, ...], value_options: frozenset[str]) -> tuple[int, str] | None:
    """The first positional word and its index (the words after options that take a value are skipped)."""
    found = _positionals(args, value_options)
    return found[0] if found else None


def _sub(
    manager: Manager, args: tuple[str, ...], table: dict[str, Role]
) -> tuple[Manager, str, tuple[str, ...], Role] | None:
    found = _subcommand(args, _VALUE_OPTIONS.get(manager, frozenset()))
    if found is None:
        return None
    k, sub = found
    role = table.get(sub)
    if role is None:
        return manager, sub, args[:k] + args[k + 1 :], "other"
    return manager, sub, args[:k] + args[k + 1 :], role


def _positional(args: tuple[str, ...], value_options: frozenset[str]) -> list[str]:
    return [a for _, a in _positionals(args, value_options)]


def _positionals(args: tuple[str, ...], value_options: frozenset[str]) -> list[tuple[int, str]]:
    out = []
    skip = False
    for k, a in enumerate(args):
        if skip:
            skip = False
            continue
        if a.startswith("-"):
            skip = a in value_options
            continue
        out.append((k, a))
    return out


def option_values(args: tuple[str, ...], names: tuple[str, ...]) -> list[str]:
    out = []
    for k, a in enumerate(args):
        for name in names:
            if a == name and k + 1 < len(args):
                out.append(args[k + 1])
            elif a.startswith(name + "="):
                out.append(a.split("=", 1)[1])
            elif len(name) == 2 and a.startswith(name) and len(a) > 2 and not a.startswith("--"):
                out.append(a[2:])  # -rrequirements.txt
    return out


def option_value(args: tuple[str, ...], names: tuple[str, ...]) -> str | None:
    values = option_values(args, names)
    return values[-1] if values else None


def pip_config_files(env: Mapping[str, str]) -> list[str]:
    """The configuration files pip reads, in pip's order (a later one overrides an earlier one): the system's
    (``/etc/xdg/pip/pip.conf``, ``/etc/pip.conf``), the user's (``~/.pip``, then XDG_CONFIG_HOME or ``~/.config``),
    the virtualenv's, and PIP_CONFIG_FILE."""
    home = env.get("HOME", "/root")
    out = ["/etc/xdg/pip/pip.conf", "/etc/pip.conf", posixpath.join(home, ".pip", "pip.conf")]
    out.append(posixpath.join(env.get("XDG_CONFIG_HOME") or posixpath.join(home, ".config"), "pip", "pip.conf"))
    out += [posixpath.join(env["VIRTUAL_ENV"], "pip.conf")] if env.get("VIRTUAL_ENV") else []
    out += [env["PIP_CONFIG_FILE"]] if env.get("PIP_CONFIG_FILE") else []
    return out


def _join(cwd: str, path: str) -> str:
    if cwd == "?" or path == "?":
        return "?"
    if path.startswith("/"):
        return posixpath.normpath(path)
    return posixpath.normpath(posixpath.join(cwd, path))

"""What the split-stages modules share: a plan's records (the stage's steps, its copies from the build context,
the paths the runtime stage copies, its system packages, the plan itself and the refusal), the start command
(``Entry``), what dockmod knows of a RUN's commands (which only change the system, install or remove system
packages, build the project; which tool builds which ecosystem; the operands of ``cp``/``mv``/``install``/``ln``),
and helpers for paths and options. Apart so that the reading of the stage, each ecosystem's plan and the edit all
use them without importing one another."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal, Protocol

from dockmod.cst import Instruction
from dockmod.transforms import _managers, _shell
from dockmod.transforms._managers import Invocation, RunScript
from dockmod.transforms._stages import State

Ecosystem = Literal["node", "go", "rust", "java", "python"]

DISTROLESS_STATIC = "gcr.io/distroless/static-debian12"
# Folders many applications read at run time (templates, static files, configuration, translations):
# copied into the runtime with the program when they exist next to it.
DATA_DIRS: Final = ("config", "configs", "locales", "migrations", "public", "static", "templates", "views")
_WRAPPERS: Final = frozenset({"tini", "dumb-init", "exec", "env", "su-exec", "gosu"})

# -- what a RUN does ---------------------------------------------------------------------------------------

# Commands that only change the system (users, folders, permissions, links, package lists): they read no
# sources, so they may run again in the runtime stage.
_SYSTEM_TOOLS: Final = frozenset({
    "apt-get", "apt", "apk", "useradd", "groupadd", "adduser", "addgroup", "usermod", "groupmod", "mkdir",
    "chown", "chmod", "chgrp", "ln", "touch", "echo", "true", "rm", "update-ca-certificates", "locale-gen",
    "ldconfig", "set", "export", "printf",
})  # fmt: skip
_APT_CLEANUP: Final = frozenset({"clean", "autoclean", "update"})
# System packages that only build things (compilers, headers, build systems): they stay in the builder.
BUILD_PACKAGES: Final = frozenset({
    "build-essential", "build-base", "alpine-sdk", "gcc", "g++", "cpp", "cc", "clang", "make", "cmake", "ninja",
    "ninja-build", "pkg-config", "pkgconf", "pkgconfig", "autoconf", "automake", "libtool", "musl-dev",
    "linux-headers", "cargo", "rust", "rustc", "gfortran", "binutils", "bison", "flex", "swig", "python3-dev",
    "python-dev", "libc-dev", "libc6-dev", "dpkg-dev",
})  # fmt: skip
# Version control tools: Go and Cargo fetch dependencies with them.
_VCS: Final = frozenset({"git", "mercurial", "bzr", "subversion", "fossil"})


class Options(Protocol):
    """The transform's options as the split reads them (``SplitStages`` in ``transform``, which builds on this
    package's other modules and so cannot be named here)."""

    @property
    def artifacts(self) -> Sequence[str]: ...

    @property
    def runtime_base(self) -> str: ...

    @property
    def static_runtime(self) -> str: ...


# ---------------------------------------------------------------------------------------------------------
# Facts about the stage


@dataclass(frozen=True, slots=True)
class Step:
    index: int
    node: Instruction
    state: State
    script: RunScript | None = None  # RUN only; None when the command cannot be read


@dataclass(frozen=True, slots=True)
class ContextCopy:
    """A COPY/ADD from the build context: each source with the image path it lands on."""

    step: Step
    entries: tuple[tuple[str, str], ...]  # (context path, image path); "" is the whole context
    wide: bool  # copies the whole context or a folder of it (the sources), not single files
    chown: str | None
    folders: frozenset[str] = frozenset()  # image paths of the entries that are folders


@dataclass(frozen=True, slots=True)
class Artifact:
    """A path in the builder that the runtime stage copies."""

    source: str  # absolute; may end in a glob (``/app/target/*.jar``)
    dest: str  # absolute; a folder ends with ``/``
    chown: str | None = None
    more: tuple[str, ...] = ()  # further sources copied into the folder ``dest`` by the same COPY


@dataclass(frozen=True, slots=True)
class Packages:
    """System packages: those the runtime keeps, installed in one RUN where the first install was."""

    manager: Literal["apt", "apk"]
    keep: tuple[str, ...]
    options: tuple[str, ...]  # the original install's options (-y, --no-install-recommends)
    merged: frozenset[int]  # body indexes of RUNs whose packages that RUN installs (they stay in the builder)
    first: int  # body index where the runtime's package RUN goes


NewNode = tuple[type[Instruction], str]  # an instruction to write in the file's style: (class, arguments)


@dataclass(frozen=True, slots=True)
class Plan:
    """The runtime stage, described by what it adds to the instructions it repeats."""

    ecosystem: Ecosystem
    build_end: int  # the last body index that stays in the builder only
    artifacts: tuple[Artifact, ...]
    summary: str  # what the runtime gets, for the message
    unsafe: tuple[str, ...] = ()  # why the split may change behaviour
    install: tuple[NewNode, ...] = ()  # Node: the manifests' COPY and the production install
    replay: frozenset[int] = frozenset()  # body indexes of context copies repeated in the runtime
    env_after: str | None = None  # an ENV line after the copies (Python's venv)
    builder_prelude: tuple[int, tuple[NewNode, ...]] | None = None  # new builder lines before a body index
    tools: frozenset[str] = frozenset()  # Node: package managers the runtime runs (pnpm, yarn...)
    base: str | None = None  # the runtime image, when not the builder's base
    packages: Packages | None = None
    dropped: frozenset[int] = frozenset()  # body indexes of RUNs the runtime must not repeat


class Refusal(Exception):
    """Why the split is not offered (a display-only message); raised deep in the analysis."""


# ---------------------------------------------------------------------------------------------------------
# The start command


@dataclass(frozen=True, slots=True)
class Entry:
    argv: tuple[str, ...]  # ENTRYPOINT + CMD as the runtime executes them
    shell: bool  # a shell form is involved
    state: State  # the final state (WORKDIR, USER, ENV the program starts with)

    def commands(self) -> tuple[tuple[str, ...], ...] | None:
        """The simple commands the start command runs (``sh -c`` scripts split)."""
        inner = _shell.shell_c_script(self.argv)
        if inner is None:
            return (self.argv,)
        script = _shell.split(inner)
        if script is None:
            return None
        return tuple(c.argv for c in script.commands if c.argv)


def unwrap(argv: tuple[str, ...]) -> tuple[str, ...]:
    """The command behind process wrappers (``tini --``, ``dumb-init``, ``exec``)."""
    words = list(argv)
    while words and words[0].rsplit("/", 1)[-1] in _WRAPPERS:
        words.pop(0)
        while words and words[0].startswith("-"):
            dashdash = words[0] == "--"
            words.pop(0)
            if dashdash:
                break
    return tuple(words)


# ---------------------------------------------------------------------------------------------------------
# Commands


_NODE_BUILD = re.compile(r"build|compile|bundle|dist")
_MAVEN_BUILD = frozenset({"package", "install", "verify", "deploy"})
_GRADLE_BUILD = frozenset({"build", "assemble", "jar", "bootJar", "shadowJar", "installDist"})


def build_kind(inv: Invocation) -> Ecosystem | None:
    """The toolchain an invocation builds a program with."""
    if inv.manager == "go" and inv.role == "build" and inv.sub in ("build", "install"):
        return "go"
    if inv.manager == "cargo" and (inv.sub == "build" or (inv.sub == "install" and "--path" in inv.options)):
        return "rust"
    if inv.manager == "maven" and _MAVEN_BUILD & set(inv.sub.split()):
        return "java"
    if inv.manager == "gradle" and _GRADLE_BUILD & {g.split(":")[-1] for g in inv.sub.split()}:
        return "java"
    if inv.manager in ("npm", "yarn", "pnpm") and inv.role == "build" and _NODE_BUILD.search(script_name(inv)):
        return "node"
    return None


def script_name(inv: Invocation) -> str:
    if inv.sub in ("run", "run-script"):
        words = [a for a in inv.args if not a.startswith("-")]
        return words[0] if words else "build"
    return inv.sub


# system: changes only the system (may run again in the runtime); packages: installs or removes system
# packages; project: installs the project's dependencies or builds it; tool: installs a global tool; inspect:
# reads and prints; move: copies or moves built files (followed as artifacts); other: anything else.
CommandKind = Literal["system", "packages", "project", "tool", "inspect", "move", "other"]
_INSPECT: Final = frozenset({
    "ls", "pwd", "cat", "grep", "test", "[", "which", "file", "sha256sum", "md5sum", "wc", "head", "tail", "du",
    "df", "id", "whoami", "uname", "date", "sleep", "printenv", "env", "stat", "find", "sort", "uniq",
})  # fmt: skip
_MOVE: Final = frozenset({"cp", "mv", "install", "strip", "xargs"})


def command_kind(command: _shell.Command) -> CommandKind:
    argv = command.argv
    if not argv:
        return "system"
    if removes_packages(argv):
        return "packages"
    tool = argv[0].rsplit("/", 1)[-1]
    found = list(_managers.invocations(_shell.Script(" ".join(command.words), (command,), False)))
    for inv in found:
        if inv.manager in ("apt", "apk"):
            return "packages" if inv.role in ("add", "update", "clean") or inv.sub in _APT_CLEANUP else "other"
        if inv.role in ("install", "build", "fetch") or build_kind(inv) is not None:
            return "project"
        if inv.role == "add":
            # pip install <packages> is the project's dependencies in a Python image.
            return "project" if inv.manager in ("pip", "poetry", "uv") else "tool"
        # Toolchain housekeeping (go mod init, npm prune, poetry config): it changes the builder only.
        return "project"
    if tool in ("corepack",):
        return "tool"
    if tool == "rm" and all(a.startswith(("/var/lib/apt", "/var/cache", "/tmp", "-")) for a in argv[1:]):
        return "packages"
    if tool in _SYSTEM_TOOLS:
        return "system"
    if tool in _INSPECT:
        return "inspect"
    if tool in _MOVE:
        return "move"
    return "other"


def removes_packages(argv: tuple[str, ...]) -> bool:
    if not argv:
        return False
    tool = argv[0].rsplit("/", 1)[-1]
    rest = [a for a in argv[1:] if not a.startswith("-")]
    if tool in ("apt-get", "apt"):
        return bool(rest) and rest[0] in ("purge", "remove", "autoremove")
    return tool == "apk" and bool(rest) and rest[0] == "del"


def package_words(inv: Invocation) -> list[str]:
    skip_next = False
    out = []
    for a in inv.args:
        if skip_next:
            skip_next = False
            continue
        if a.startswith("-"):
            skip_next = a in ("-o", "--option", "-t", "--target-release", "--virtual", "-t", "-X", "--repository")
            continue
        if a in ("install", "add", "upgrade"):
            continue
        out.append(a)
    return out


def bare(package: str) -> str:
    """``libpq-dev=15.1`` → ``libpq-dev``; ``gcc:amd64`` → ``gcc``."""
    return re.split(r"[=:<>~]", package, maxsplit=1)[0]


def is_build_package(package: str, ecosystem: Ecosystem) -> bool:
    name = bare(package)
    if ecosystem in ("go", "rust") and name in _VCS:
        return True  # go and cargo fetch modules and crates with them
    if "$" in name or "*" in name:
        return False
    if name in BUILD_PACKAGES or name.endswith(("-dev", "-devel")):
        return True
    return re.fullmatch(r"g(cc|\+\+)-\d+", name) is not None


def copy_operands(argv: tuple[str, ...]) -> tuple[list[str], str, bool] | None:
    """(sources, destination, destination is a folder) of ``cp``/``mv``/``install``/``ln``; None for
    ``install -d`` (it makes folders) or too few operands."""
    value_options = {"-m", "--mode", "-o", "--owner", "-g", "--group", "-S", "--suffix", "-t", "--target-directory"}
    operands: list[str] = []
    target: str | None = None
    k = 1
    while k < len(argv):
        word = argv[k]
        name, eq, value = word.partition("=")
        if word in ("-d", "--directory") and argv[0].rsplit("/", 1)[-1] == "install":
            return None
        if name in value_options:
            if not eq:
                k += 1
                value = argv[k] if k < len(argv) else ""
            if name in ("-t", "--target-directory"):
                target = value
        elif not word.startswith("-"):
            operands.append(word)
        k += 1
    if target is not None:
        return (operands, target, True) if operands else None
    if len(operands) < 2:
        return None
    return operands[:-1], operands[-1], False


# ---------------------------------------------------------------------------------------------------------
# Small helpers


def inside(path: str, folder: str) -> bool:
    folder = folder.rstrip("/")
    return path.startswith(folder + "/") if folder else path.startswith("/")


def dest_in(path: str, workdir: str) -> str:
    """A COPY destination for folder ``path``: relative (``./``) inside the WORKDIR, else absolute."""
    if path == workdir:
        return "./"
    if inside(path, workdir):
        return "./" + path[len(workdir.rstrip("/")) + 1 :] + "/"
    return path.rstrip("/") + "/"


def option(args: Sequence[str], name: str) -> str | None:
    values = option_all(args, name)
    return values[-1] if values else None


def option_all(args: Sequence[str], name: str) -> list[str]:
    out = []
    for k, a in enumerate(args):
        if a == name and k + 1 < len(args):
            out.append(args[k + 1])
        elif a.startswith(name + "="):
            out.append(a.split("=", 1)[1])
    return out

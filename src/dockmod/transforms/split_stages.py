"""``split-stages``: turn a single stage that builds and runs into a ``builder`` stage and a runtime stage.

The builder keeps every instruction up to the end of the build, unchanged. The runtime stage starts again from
the same base image (or one the user names), repeats the setup the program needs at run time (ENV, ARG, WORKDIR,
USER, EXPOSE, LABEL, VOLUME, HEALTHCHECK, runtime system packages, users and folders), gets only what executes
from the builder, and then runs the instructions that followed the build. See ``transforms/split-stages.md``.

What "what executes" is comes from evidence in the file and its build context, never from guessing:

* Node: the build script in ``package.json`` names a tool whose output folder is known (``tsc`` with
  ``outDir``, ``nest``, ``vite``, ``next``...); the runtime installs production dependencies from the lockfile
  and copies that folder. The start command must not need a devDependency.
* Go, Rust, Java: the start command runs the binary or jar the build produced (``go build -o``, ``go install``,
  ``cargo build --release``, Maven's ``target/``, Gradle's ``build/``), followed through ``cp``/``mv``.
* Python: compilers and ``-dev`` packages stay in the builder; the dependencies go into a virtual environment
  that the runtime copies, together with the application folder.

Every split changes what is in the final image, so every fix is at best UNSAFE until a real build proves it.
"""

from __future__ import annotations

import fnmatch
import json
import posixpath
import re
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import ClassVar, Final, Literal

from dockmod import imageref
from dockmod.context import BuildContext, Context
from dockmod.cst import (
    Add,
    Arg,
    Cmd,
    Copy,
    Dockerfile,
    Entrypoint,
    Env,
    Expose,
    From,
    Generic,
    Healthcheck,
    Instruction,
    Label,
    Onbuild,
    Run,
    Stage,
    User,
    Workdir,
)
from dockmod.cst.edit import splice_args, split_leading
from dockmod.cst.nodes import Node
from dockmod.transforms import _managers, _shell, _stages
from dockmod.transforms._base import Fix, Safety
from dockmod.transforms._managers import Invocation, Manager, RunScript
from dockmod.transforms._stages import State
from dockmod.transforms.lockfile_first import _LOCKFILES, _OPTIONAL

Ecosystem = Literal["node", "go", "rust", "java", "python"]

VENV = "/opt/venv"
DISTROLESS_STATIC = "gcr.io/distroless/static-debian12"
CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"
ZONEINFO = "/usr/share/zoneinfo"
_STATIC_PROVIDED: Final = frozenset({"ca-certificates", "tzdata"})
# Folders whose files are temporary: what the build part puts there is not copied to the runtime stage.
_SCRATCH: Final = ("/tmp", "/var/tmp", "/dev", "/proc")

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
_BUILD_PACKAGES: Final = frozenset({
    "build-essential", "build-base", "alpine-sdk", "gcc", "g++", "cpp", "cc", "clang", "make", "cmake", "ninja",
    "ninja-build", "pkg-config", "pkgconf", "pkgconfig", "autoconf", "automake", "libtool", "musl-dev",
    "linux-headers", "cargo", "rust", "rustc", "gfortran", "binutils", "bison", "flex", "swig", "python3-dev",
    "python-dev", "libc-dev", "libc6-dev", "dpkg-dev",
})  # fmt: skip
# Installers of compiler toolchains that a RUN downloads and runs.
_TOOLCHAIN_INSTALLER: Final = re.compile(
    r"sh\.rustup\.rs|rustup-init|go\.dev/dl/|golang\.org/dl/|dl\.google\.com/go/|apache-maven-|services\.gradle\.org"
)
# Version control tools: Go and Cargo fetch dependencies with them.
_VCS: Final = frozenset({"git", "mercurial", "bzr", "subversion", "fossil"})
# The shared library a ``-dev`` package builds against, where its name is the same in every Debian release
# (Debian) or Alpine branch (Alpine) that official images use.
_RUNTIME_LIBRARY: Final[dict[str, dict[str, str]]] = {
    "apt": {
        "libpq-dev": "libpq5",
        "libxml2-dev": "libxml2",
        "libxslt1-dev": "libxslt1.1",
        "libxslt-dev": "libxslt1.1",
        "libjpeg-dev": "libjpeg62-turbo",
        "libjpeg62-turbo-dev": "libjpeg62-turbo",
        "libmariadb-dev": "libmariadb3",
        "libmariadb-dev-compat": "libmariadb3",
        "default-libmysqlclient-dev": "libmariadb3",
        "libsqlite3-dev": "libsqlite3-0",
        "libyaml-dev": "libyaml-0-2",
        "zlib1g-dev": "zlib1g",
    },
    "apk": {
        "postgresql-dev": "libpq",
        "libpq-dev": "libpq",
        "libffi-dev": "libffi",
        "jpeg-dev": "libjpeg-turbo",
        "libjpeg-turbo-dev": "libjpeg-turbo",
        "zlib-dev": "zlib",
        "libxml2-dev": "libxml2",
        "libxslt-dev": "libxslt",
        "mariadb-dev": "mariadb-connector-c",
        "mariadb-connector-c-dev": "mariadb-connector-c",
        "sqlite-dev": "sqlite-libs",
        "yaml-dev": "yaml",
        "openssl-dev": "openssl",
    },
}
# Libraries whose package name changes with the Debian release (the t64 transition, soname bumps): used
# when the image tag names the release (``rust:1.79-slim-bookworm``).
_RELEASE_LIBRARY: Final[dict[str, dict[str, str]]] = {
    "libssl-dev": {"buster": "libssl1.1", "bullseye": "libssl1.1", "bookworm": "libssl3", "trixie": "libssl3t64"},
    "libffi-dev": {"buster": "libffi6", "bullseye": "libffi7", "bookworm": "libffi8", "trixie": "libffi8"},
}
# ``-dev`` packages whose libraries every official Python image already ships (Python itself links them).
_PYTHON_IMAGE_LIBS: Final = frozenset({
    "libffi-dev", "libssl-dev", "libbz2-dev", "libsqlite3-dev", "libreadline-dev", "libncurses-dev",
    "libncursesw5-dev", "liblzma-dev", "uuid-dev", "libgdbm-dev", "zlib1g-dev", "libexpat1-dev", "tk-dev",
    "openssl-dev", "zlib-dev", "bzip2-dev", "xz-dev", "sqlite-dev", "ncurses-dev", "readline-dev",
})  # fmt: skip

# -- Node ----------------------------------------------------------------------------------------------------

# Executables that package.json scripts run, and the npm package that provides each.
_BIN_PACKAGE: Final[dict[str, str]] = {
    "next": "next", "nest": "@nestjs/cli", "ts-node": "ts-node", "ts-node-dev": "ts-node-dev",
    "nodemon": "nodemon", "tsx": "tsx", "vite": "vite", "react-scripts": "react-scripts", "serve": "serve",
    "pm2": "pm2", "pm2-runtime": "pm2", "cross-env": "cross-env", "npm-run-all": "npm-run-all",
    "run-s": "npm-run-all", "run-p": "npm-run-all", "concurrently": "concurrently", "prisma": "prisma",
    "tsc": "typescript", "babel-node": "@babel/node", "ng": "@angular/cli", "nuxt": "nuxt", "gatsby": "gatsby",
    "remix-serve": "@remix-run/serve", "dotenv": "dotenv-cli", "rimraf": "rimraf", "tsup": "tsup",
    "esbuild": "esbuild", "http-server": "http-server", "babel": "@babel/cli", "webpack": "webpack-cli",
    "node-dev": "node-dev", "supervisor": "supervisor", "forever": "forever",
}  # fmt: skip
# Commands a build script may run besides the build tool without writing anything the runtime needs.
_HARMLESS_SCRIPT_TOOLS: Final = frozenset({"rimraf", "rm", "echo", "mkdir", "true", "del-cli"})
# Folders many applications read at run time (templates, static files, configuration, translations):
# copied into the runtime with the program when they exist next to it.
_DATA_DIRS: Final = ("config", "configs", "locales", "migrations", "public", "static", "templates", "views")
_WRAPPERS: Final = frozenset({"tini", "dumb-init", "exec", "env", "su-exec", "gosu"})
# Instructions the runtime stage repeats from the builder part: they configure the image, not the build.
_REPEATED: Final = (Arg, Env, Label, Workdir, User, Cmd, Entrypoint, Healthcheck, Expose, Onbuild)
_REPEATED_GENERIC: Final = frozenset({"VOLUME", "STOPSIGNAL", "SHELL", "MAINTAINER"})


@dataclass(frozen=True)
class SplitStages:
    """Split a single-stage build into a builder stage and a runtime stage that copies only what runs."""

    name: ClassVar[str] = "split-stages"
    summary: ClassVar[str] = "build in a builder stage; the runtime stage gets only the program and what it needs"
    safety: ClassVar[Safety] = Safety.UNSAFE

    # Paths in the builder the runtime stage copies (absolute, or relative to the folder the build runs in):
    # they replace what dockmod would find. Each is copied to the same path.
    artifacts: Sequence[str] = ()
    # The runtime stage's image (``eclipse-temurin:21-jre``, ``debian:bookworm-slim``); default: the base the
    # build uses, so everything the program links against is still there.
    runtime_base: str = ""
    # ``distroless`` or ``scratch``: the runtime for a Go binary built with CGO_ENABLED=0 (needs an exec-form
    # start command and no RUN in the runtime stage).
    static_runtime: str = ""

    def __post_init__(self) -> None:
        # Configuration files give a list; the option is kept as an immutable tuple (the dataclass is frozen).
        object.__setattr__(self, "artifacts", tuple(str(a) for a in self.artifacts))

    def check(self, tree: Dockerfile, ctx: Context) -> Iterator[Fix]:
        stages = tree.stages
        if len(stages) != 1:
            return  # already split (or nothing to split): the stages were chosen by a person
        fix = _Splitter(tree, stages[0], ctx.build, self).fix()
        if fix is not None:
            yield fix


# ---------------------------------------------------------------------------------------------------------
# Facts about the stage


@dataclass(frozen=True, slots=True)
class _Step:
    index: int
    node: Instruction
    state: State
    script: RunScript | None = None  # RUN only; None when the command cannot be read


@dataclass(frozen=True, slots=True)
class _ContextCopy:
    """A COPY/ADD from the build context: each source with the image path it lands on."""

    step: _Step
    entries: tuple[tuple[str, str], ...]  # (context path, image path); "" is the whole context
    wide: bool  # copies the whole context or a folder of it (the sources), not single files
    chown: str | None
    folders: frozenset[str] = frozenset()  # image paths of the entries that are folders


@dataclass(frozen=True, slots=True)
class _Artifact:
    """A path in the builder that the runtime stage copies."""

    source: str  # absolute; may end in a glob (``/app/target/*.jar``)
    dest: str  # absolute; a folder ends with ``/``
    chown: str | None = None
    more: tuple[str, ...] = ()  # further sources copied into the folder ``dest`` by the same COPY


@dataclass(frozen=True, slots=True)
class _Packages:
    """System packages: those the runtime keeps, installed in one RUN where the first install was."""

    manager: Literal["apt", "apk"]
    keep: tuple[str, ...]
    options: tuple[str, ...]  # the original install's options (-y, --no-install-recommends)
    merged: frozenset[int]  # body indexes of RUNs whose packages that RUN installs (they stay in the builder)
    first: int  # body index where the runtime's package RUN goes


NewNode = tuple[type[Instruction], str]  # an instruction to write in the file's style: (class, arguments)


@dataclass(frozen=True, slots=True)
class _Plan:
    """The runtime stage, described by what it adds to the instructions it repeats."""

    ecosystem: Ecosystem
    build_end: int  # the last body index that stays in the builder only
    artifacts: tuple[_Artifact, ...]
    summary: str  # what the runtime gets, for the message
    unsafe: tuple[str, ...] = ()  # why the split may change behaviour
    install: tuple[NewNode, ...] = ()  # Node: the manifests' COPY and the production install
    replay: frozenset[int] = frozenset()  # body indexes of context copies repeated in the runtime
    env_after: str | None = None  # an ENV line after the copies (Python's venv)
    builder_prelude: tuple[int, tuple[NewNode, ...]] | None = None  # new builder lines before a body index
    tools: frozenset[str] = frozenset()  # Node: package managers the runtime runs (pnpm, yarn...)
    base: str | None = None  # the runtime image, when not the builder's base
    packages: _Packages | None = None
    dropped: frozenset[int] = frozenset()  # body indexes of RUNs the runtime must not repeat


class _Refusal(Exception):
    """Why the split is not offered (a display-only message); raised deep in the analysis."""


# ---------------------------------------------------------------------------------------------------------


class _Splitter:
    def __init__(self, tree: Dockerfile, stage: Stage, build: BuildContext, options: SplitStages) -> None:
        self.tree = tree
        self.stage = stage
        self.build = build
        self.options = options
        self.ref = _stages.base_image(tree, stage)
        self.image = _stages.image_name(self.ref)
        self.steps: list[_Step] = []
        for k, (node, state) in enumerate(_stages.walk(tree, stage)):
            script = _managers.run_script(tree, node) if isinstance(node, Run) else None
            self.steps.append(_Step(k, node, self._with_real_workdir(state), script))
        self.walked = [(step.node, step.state) for step in self.steps]  # for _stages.context_file
        self.go_inits = self._go_inits()
        self.copies = [c for s in self.steps if (c := self._context_copy(s)) is not None]
        first_copy = min((c.step.index for c in self.copies), default=len(self.steps))
        self.setup_end = first_copy  # instructions before it cannot read the sources
        self._notes: list[str] = []  # reasons the plan being made is unsafe

    # -- entry point ------------------------------------------------------------------------------------

    def fix(self) -> Fix | None:
        if _stages.is_scratch(self.tree, self.stage) or not self.stage.base:
            return None
        ecosystem = self._ecosystem()
        if ecosystem is None:
            return None
        try:
            plan = self._plan(ecosystem)
        except _Refusal as refusal:
            anchor = self.stage.node
            return Fix(
                message=f"not split into builder and runtime stages: {refusal}",
                safety=Safety.DISPLAY_ONLY,
                replace={anchor: (anchor,)},
            )
        return self._compose(plan)

    def _ecosystem(self) -> Ecosystem | None:
        """The toolchain whose build the stage runs; None when it builds nothing dockmod splits."""
        found: list[Ecosystem] = []
        for step in self.steps:
            for inv in step.script.invocations if step.script is not None else ():
                kind = _build_kind(inv)
                if kind is not None and kind not in found:
                    found.append(kind)
        compiled = [k for k in found if k in ("go", "rust", "java")]
        if len(compiled) > 1:
            return None  # several toolchains build programs: which one runs is a person's call
        if compiled:
            return compiled[0]
        if "node" in found:
            return "node"
        if self._python_build_packages():
            return "python"
        return None

    def _plan(self, ecosystem: Ecosystem) -> _Plan:
        entry = self._entry()
        if entry is None:
            raise _Refusal("the stage has no CMD or ENTRYPOINT, so what the image runs is unknown")
        if ecosystem == "node":
            plan = self._node(entry)
        elif ecosystem == "python":
            plan = self._python(entry)
        else:
            plan = self._compiled(ecosystem, entry)
        self._check_tail(plan)
        self._check_side_effects(plan)
        return plan

    # -- the stage's instructions ---------------------------------------------------------------------

    @property
    def body(self) -> tuple[Instruction, ...]:
        return self.stage.body

    def _context_copy(self, step: _Step) -> _ContextCopy | None:
        node = step.node
        if not isinstance(node, Copy | Add):
            return None
        view = self.tree.view(node)
        if view.flag("from") is not None or len(view.args) < 2:
            return None
        *sources, dest = view.args
        if view.heredocs:
            return None
        dest_abs = _stages.join(step.state.workdir, dest)
        several = len(sources) > 1 or dest.endswith("/")
        entries: list[tuple[str, str]] = []
        folders: set[str] = set()
        wide = False
        for src in sources:
            rel = posixpath.normpath(src.lstrip("/"))
            rel = "" if rel == "." else rel
            # A name the context listing does not show is a folder when it has no extension (``COPY src ...``).
            unknown_folder = not self.build.exists(rel) and "." not in posixpath.basename(rel) and "*" not in rel
            is_dir = rel == "" or src.endswith("/") or self.build.is_dir(rel) or unknown_folder
            if isinstance(node, Add) and re.match(r"^[a-z]+://", src):
                continue  # a download, not a context file
            if is_dir:
                wide = True
                entries.append((rel, dest_abs))
                folders.add(dest_abs)
            else:
                target = posixpath.join(dest_abs, posixpath.basename(rel)) if several else dest_abs
                entries.append((rel, target))
        chown = view.flag("chown")
        return _ContextCopy(step, tuple(entries), wide, chown.value if chown else None, frozenset(folders))

    def _context_path(self, image_path: str) -> str | None:
        """The build-context path an image path was copied from (the last copy that covers it wins)."""
        found = None
        for copy in self.copies:
            for src, dest in copy.entries:
                if image_path == dest:
                    found = src
                elif _inside(image_path, dest) and (src == "" or self.build.is_dir(src)):
                    rel = image_path[len(dest.rstrip("/")) + 1 :]
                    found = posixpath.join(src, rel) if src else rel
        return found

    def _read(self, image_dir: str, name: str) -> str | None:
        source = self._source(image_dir, name)
        return self.build.read_text(source) if source is not None else None

    def _exists(self, image_dir: str, name: str) -> bool:
        return self._source(image_dir, name) is not None

    def _source(self, image_dir: str, name: str) -> str | None:
        """The build-context file the copies put at ``image_dir/name``: a copied folder's, or the file itself
        (`COPY package.json ./`: the folder is not a copy of one)."""
        folder = self._context_path(image_dir)
        if folder is not None:
            path = posixpath.join(folder, name) if folder else name
            if self.build.exists(path):
                return path
        found = _stages.context_file(self.tree, self.walked, posixpath.join(image_dir, name), self.build)
        return found if isinstance(found, str) else None

    def _with_real_workdir(self, state: State) -> State:
        """``WORKDIR $GOPATH/src/x`` expanded with the stage's and the base image's environment, as BuildKit
        does (the shared walk keeps the variable)."""
        workdir = state.workdir
        if "$" not in workdir:
            return state
        tail = workdir.split("/", 1)[1] if workdir.startswith(_stages.UNKNOWN_DIR + "/") else workdir
        expanded = self._expand(tail, state)
        if expanded is None or not expanded.startswith("/"):
            return state
        return State(posixpath.normpath(expanded), state.user, state.env)

    def _go_inits(self) -> dict[str, str]:
        """Modules that RUN lines create with ``go mod init <path>`` (folder -> module path)."""
        out: dict[str, str] = {}
        for step in self.steps:
            for argv, cwd in _commands_in(step):
                if argv[:3] == ("go", "mod", "init") and len(argv) == 4:
                    out[cwd] = argv[3]
        return out

    def _env(self, state: State) -> dict[str, str]:
        env = dict(_stages.IMAGE_ENV.get(self.image, {}))
        env.update(state.env)
        return env

    def _expand(self, text: str, state: State) -> str | None:
        """``text`` with ``$VAR``/``${VAR}`` expanded from the environment; None when a variable has no value."""
        if "$" not in text:
            return text
        values: dict[str, str | None] = dict(self._env(state))
        expansion = imageref.expand_variables(text, values, escape="\\")
        return expansion.text if expansion.resolved else None

    def _entry(self) -> _Entry | None:
        """ENTRYPOINT and CMD as the runtime combines them (a shell-form ENTRYPOINT ignores CMD)."""
        entrypoint: Instruction | None = None
        cmd: Instruction | None = None
        for step in self.steps:
            if isinstance(step.node, Entrypoint):
                entrypoint = step.node
            elif isinstance(step.node, Cmd):
                cmd = step.node
        if entrypoint is None and cmd is None:
            return None
        parts: list[tuple[str, ...]] = []
        shell = False
        for node in (entrypoint, cmd):
            if node is None:
                continue
            view = self.tree.view(node)
            if view.json:
                parts.append(tuple(view.args))
            else:
                shell = True
                parts.append(("/bin/sh", "-c", view.args_text))
                if node is entrypoint:
                    break
        argv = tuple(w for part in parts for w in part)
        return _Entry(argv, shell, self._with_real_workdir(_stages.final_state(self.tree, self.stage)))

    # -- shared rules ---------------------------------------------------------------------------------

    def _check_tail(self, plan: _Plan) -> None:
        """Instructions after the build run in the runtime stage: they must not need the build tree."""
        for step in self.steps[plan.build_end + 1 :]:
            if isinstance(step.node, Onbuild):
                raise _Refusal("ONBUILD triggers after the build would run in the runtime stage")

    def _check_side_effects(self, plan: _Plan) -> None:
        """The runtime gets what dockmod can name: a command of the builder part that it does not know may
        write files the program needs elsewhere (``prisma generate`` into node_modules, ``kinto init`` into
        /etc, ``make web`` into the folder a Go server serves), and the runtime would miss them."""
        for step in self.steps[self.setup_end : plan.build_end + 1]:
            if step.script is None or self._runtime_run(step, plan) == "copy":
                continue
            for command in step.script.script.commands:
                argv = command.argv
                if argv and argv[0] != "cd" and _command_kind(command) == "other":
                    text = " ".join(argv)
                    raise _Refusal(
                        f"`{text if len(text) <= 50 else text[:47] + '...'}` runs in the build and may write "
                        "files outside what the runtime stage copies"
                    )

    def _runtime_run(self, step: _Step, plan: _Plan) -> Literal["copy", "drop"]:
        """Whether a RUN of the builder part is repeated in the runtime stage."""
        index = step.index
        if (plan.packages is not None and index in plan.packages.merged) or index in plan.dropped:
            return "drop"
        script = step.script
        if _TOOLCHAIN_INSTALLER.search(self.tree.view(step.node).args_text):
            return "drop"  # a compiler toolchain (rustup, a Go tarball): the runtime runs what it built
        if script is None:
            return "copy" if index < self.setup_end else "drop"
        kinds = {_command_kind(c) for c in script.script.commands}
        if "project" in kinds:
            return "drop"
        if kinds <= {"system", "packages"}:
            return "copy"
        if "tool" in kinds:
            needed = plan.tools & _tools_installed(script)
            if needed and kinds <= {"system", "packages", "tool"}:
                return "copy"
            return "drop" if kinds <= {"system", "packages", "tool"} else self._other(step)
        return self._other(step)

    def _other(self, step: _Step) -> Literal["copy", "drop"]:
        # Before the first COPY nothing can read the sources: an unknown command set up the system (a
        # vendor's install script, a downloaded tool), and the runtime starts from the same base again.
        return "copy" if step.index < self.setup_end else "drop"

    def _packages(self, ecosystem: Ecosystem, upto: int) -> _Packages | None:
        """Runtime system packages of the builder part, without compilers and headers, and without what the
        stage removes again (``apk del .build-deps``): the original image did not have those at the end."""
        removed = self._removed_packages()
        manager: Literal["apt", "apk"] | None = None
        keep: list[str] = []
        options: list[str] = []
        merged: set[int] = set()
        refresh: set[int] = set()  # RUNs that only refresh package lists
        copied_install = False
        first = -1
        missing: list[str] = []
        for step in self.steps[: upto + 1]:
            script = step.script
            if script is None:
                continue
            kinds = {_command_kind(c) for c in script.script.commands}
            installs = [i for i in script.invocations if i.manager in ("apt", "apk") and i.sub in ("install", "add")]
            if not installs:
                if kinds == {"packages"}:
                    refresh.add(step.index)
                continue
            pkgs: list[str] = []
            kind: Literal["apt", "apk"] = "apt" if installs[0].manager == "apt" else "apk"
            manager = kind
            for inv in installs:
                pkgs += _package_words(inv)
                options += [a for a in inv.args if a.startswith("-") and a not in options]
            build_pkgs = [p for p in pkgs if _is_build_package(p, ecosystem) or _bare(p) in removed]
            if "project" not in kinds and not build_pkgs:
                copied_install = True
                continue  # repeated as written (or, in the build part, left to the builder like its commands)
            if "project" not in kinds and not kinds <= {"packages"}:
                raise _Refusal(
                    f"`RUN {_short(self.tree, step.node)}` installs build packages ({', '.join(build_pkgs)}) "
                    "together with other commands the runtime may need"
                )
            merged.add(step.index)
            if first < 0:
                first = step.index
            for p in pkgs:
                name = _bare(p)
                if name in removed:
                    continue
                if not _is_build_package(p, ecosystem):
                    keep.append(p)
                    continue
                if name in _BUILD_PACKAGES or (self.image == "python" and name in _PYTHON_IMAGE_LIBS):
                    continue  # a compiler, or a library Python itself links (the image has it)
                lib = _RUNTIME_LIBRARY[kind].get(name) or self._release_library(kind, name)
                if lib is not None:
                    keep.append(lib)
                elif name.endswith(("-dev", "-devel")):
                    missing.append(name)
        if manager is None or first < 0:
            return None
        if not copied_install:
            merged |= refresh  # the generated RUN refreshes the lists itself
        if missing:
            names = ", ".join(dict.fromkeys(missing))
            self._notes.append(
                f"the runtime stage does not install {names}: add the library a compiled module links "
                "against if it needs one"
            )
        return _Packages(manager, tuple(dict.fromkeys(keep)), tuple(options), frozenset(merged), first)

    def _build_packages_left(self, upto: int) -> bool:
        """Whether some build package outlives the RUN that installs it (only then does a split help Python)."""
        for step in self.steps[: upto + 1]:
            if step.script is None:
                continue
            installed = [
                _bare(p) for i in step.script.invocations if i.manager in ("apt", "apk") and i.sub in ("install", "add")
                for p in _package_words(i) if _is_build_package(p, "python")
            ]  # fmt: skip
            if installed and not set(installed) <= self._removed_packages(only=step):
                return True
        return False

    def _removed_packages(self, only: _Step | None = None) -> set[str]:
        """Names of packages the stage (or one RUN) removes (``apt-get purge``, ``apk del``, virtual groups)."""
        groups: dict[str, list[str]] = {}
        removed: set[str] = set()
        for step in self.steps if only is None else [only]:
            if step.script is None:
                continue
            for inv in step.script.invocations:
                if inv.manager == "apk" and inv.sub == "add":
                    group = _option(inv.args, "--virtual") or _option(inv.args, "-t")
                    if group is not None:
                        groups.setdefault(group, []).extend(_bare(p) for p in _package_words(inv))
            for command in step.script.script.commands:
                if _removes_packages(command.argv):
                    words = [w for w in command.argv[2:] if not w.startswith("-")]
                    for word in words:
                        removed.add(_bare(word))
                        removed.update(groups.get(word, ()))
        return removed

    def _release_library(self, manager: str, package: str) -> str | None:
        tag = self.ref.tag if self.ref is not None else None
        if manager != "apt" or tag is None:
            return None
        for release, name in _RELEASE_LIBRARY.get(package, {}).items():
            if release in tag.split("-"):
                return name
        return None

    # -- Node -----------------------------------------------------------------------------------------

    def _node(self, entry: _Entry) -> _Plan:
        builds = [
            (step, inv)
            for step in self.steps
            for inv in (step.script.invocations if step.script else ())
            if _build_kind(inv) == "node"
        ]
        step, inv = builds[-1]
        project = _stages.join(step.state.workdir, inv.cwd)
        if project.startswith(_stages.UNKNOWN_DIR):
            raise _Refusal("the build runs in the base image's WORKDIR, which the Dockerfile does not show")
        for other in self.steps:
            for i in other.script.invocations if other.script else ():
                if i.manager in ("pip", "poetry", "pipenv", "uv", "bundler", "composer", "go", "cargo", "maven"):
                    raise _Refusal(f"the image also installs {i.manager} dependencies, which the runtime needs")
        text = self._read(project, "package.json")
        if text is None:
            raise _Refusal(f"no package.json for {project} in the build context")
        pkg = _json_object(text)
        if pkg is None:
            raise _Refusal("package.json is not a JSON object")
        scripts = _str_dict(pkg.get("scripts"))
        installs = [
            i for s in self.steps for i in (s.script.invocations if s.script else ())
            if i.manager in ("npm", "yarn", "pnpm") and i.role == "install"
        ]  # fmt: skip
        if not installs:
            raise _Refusal("no dependency install (npm ci, yarn install, pnpm install) before the build")
        manager = installs[-1].manager
        lockfiles = [f for f in _LOCKFILES[manager] if self._exists(project, f)]
        if not lockfiles:
            raise _Refusal(
                f"no {' or '.join(_LOCKFILES[manager])} in the build context: the runtime's production install "
                "could resolve other versions than the build used"
            )
        if manager == "yarn" and (
            self._exists(project, ".yarnrc.yml") or "__metadata:" in (self._read(project, "yarn.lock") or "")
        ):
            raise _Refusal("Yarn Berry installs production dependencies with `yarn workspaces focus --production`")
        if pkg.get("workspaces") or self._exists(project, "pnpm-workspace.yaml"):
            raise _Refusal("a workspace's production install needs every member's manifest")
        if self._exists(project, "node_modules") and not self.build.ignored(
            posixpath.join(self._context_path(project) or "", "node_modules").lstrip("/")
        ):
            raise _Refusal("the build context has a node_modules folder that .dockerignore does not exclude")

        user_outputs = self._user_artifacts(project)
        if user_outputs is None:
            outputs, problems = _node_outputs(_script_name(inv), scripts, manager, self, project)
            if problems:
                raise _Refusal("; ".join(problems))
        else:
            outputs = [posixpath.relpath(a.source, project) for a in user_outputs]
        deps = _str_dict(pkg.get("dependencies"))
        dev = _str_dict(pkg.get("devDependencies"))
        start = _node_start(entry, scripts, deps, dev, project)
        if start.problems:
            raise _Refusal("; ".join(start.problems))

        build_end = self._build_end(step.index)
        chown = self._output_owner(step)
        # Lean: the start command runs only build output, so the sources stay behind. Otherwise the runtime
        # copies the sources again, as the original image had them, and the build output over them.
        lean = start.known and all(any(f == o or _inside(f, o) for o in outputs) for f in start.files)
        if user_outputs is not None:
            artifacts = [replace(a, chown=chown) for a in user_outputs]
        else:
            if start.next_start:
                outputs += [o for o in ("public", "next.config.js", "next.config.mjs", "next.config.ts")
                            if self._exists(project, o)]  # fmt: skip
            if lean:
                outputs += [d for d in _DATA_DIRS if self._exists(project, d) and d not in outputs]
            artifacts = []
            for out in dict.fromkeys(outputs):
                path = posixpath.join(project, out)
                artifacts.append(_Artifact(path, path + ("/" if self._is_dir(project, out) else ""), chown))
        copy_flags = self._source_flags()
        files = ["package.json", *lockfiles]
        files += [f for f in _OPTIONAL[manager] if not f.endswith("/") and self._exists(project, f)]
        install_dir = _dest_in(project, self._state_at(build_end).workdir)
        prod_install = _prod_install(manager, self.ref)
        replay = frozenset(
            c.step.index for c in self.copies if c.step.index <= build_end and not self._manifest_copy(c)
        )
        outs = ", ".join(a.source for a in artifacts)
        unsafe = [
            "the final image no longer has devDependencies"
            + (" or the sources" if lean else "")
            + "; files the app reads at run time must be in "
            + (outs if lean else "the sources or the build output")
        ]
        hooks = [s for s in ("preinstall", "install", "postinstall", "prepare") if s in scripts]
        if hooks:
            unsafe.append(f"the production install runs package.json {', '.join(hooks)} without devDependencies")
        return _Plan(
            "node",
            build_end,
            tuple(artifacts),
            f"production dependencies ({prod_install}) and {outs} from the builder"
            + ("" if lean else ", with the sources copied again"),
            unsafe=(*unsafe, *self._notes),
            install=((Copy, " ".join([*copy_flags, *files, install_dir])), (Run, prod_install)),
            replay=frozenset() if lean else replay,
            tools=frozenset({manager} | start.tools),
            base=self._runtime_base("node"),
        )

    def _manifest_copy(self, copy: _ContextCopy) -> bool:
        names = {"package.json", *(f for m in ("npm", "yarn", "pnpm") for f in _LOCKFILES[m])}
        return not copy.wide and all(
            posixpath.basename(src) in names or fnmatch.fnmatch("package.json", posixpath.basename(src))
            for src, _ in copy.entries
        )

    def _is_dir(self, image_dir: str, name: str) -> bool:
        folder = self._context_path(image_dir)
        if folder is None:
            return not posixpath.splitext(name)[1] or name.startswith(".")
        path = posixpath.join(folder, name) if folder else name
        return self.build.is_dir(path) or not self.build.exists(path)

    # -- Go, Rust, Java -------------------------------------------------------------------------------

    def _compiled(self, ecosystem: Ecosystem, entry: _Entry) -> _Plan:
        produced = self._produced(ecosystem)
        last_build = max(s for s, _ in produced.values()) if produced else None
        if last_build is None:
            raise _Refusal(f"dockmod cannot tell where the {_TOOLCHAIN[ecosystem]} build writes its output")
        build_end = self._build_end(last_build)
        produced = self._follow_copies(produced, build_end)
        step = self.steps[last_build]
        chown = self._output_owner(step)
        artifacts: list[_Artifact] = []
        summary = ""
        user = self._user_artifacts(_stages.join(step.state.workdir, "."))
        if user is not None:
            artifacts = [replace(a, chown=chown) for a in user]
            summary = ", ".join(a.source for a in artifacts)
        else:
            found = self._entry_artifacts(ecosystem, entry, produced)
            if isinstance(found, str):
                raise _Refusal(found)
            artifacts += [_Artifact(path, path + "/" if is_dir else path, chown) for path, is_dir in found]
            summary = " and ".join(path for path, _ in found)
            artifacts += self._entry_files(entry, produced, chown, build_end)
            artifacts += self._data_dirs(entry, chown, build_end)
            artifacts += self._placed_files(produced, build_end, {a.source for a in artifacts})
        plan = _Plan(
            ecosystem,
            build_end,
            tuple(artifacts),
            summary,
            unsafe=(
                "the final image no longer has the sources, the toolchain's caches or the build's other outputs"
                + ("; files the program reads at run time must be copied too" if not self.options.artifacts else ""),
            ),
            base=self._runtime_base(ecosystem),
            packages=self._packages(ecosystem, build_end),
        )
        if plan.base in ("scratch", DISTROLESS_STATIC) or self.options.static_runtime:
            plan = self._static_checks(plan, entry, step)
        if plan.base is not None:
            plan = self._onto_default_path(plan, entry)
        return replace(plan, unsafe=(*plan.unsafe, *self._notes))

    def _onto_default_path(self, plan: _Plan, entry: _Entry) -> _Plan:
        """On another base, a program the start command finds through the builder's PATH (``/go/bin``) goes
        to /usr/local/bin, which every image's PATH has: the start command stays as written."""
        program = _unwrap((entry.commands() or ((),))[0])
        if not program or "/" in program[0]:
            return plan
        default = _stages.DEFAULT_PATH.split(":")
        artifacts = []
        summary = plan.summary
        for art in plan.artifacts:
            folder, name = posixpath.split(art.dest)
            if name == program[0] and folder not in default:
                summary = summary.replace(art.source, f"{art.source} (as /usr/local/bin/{name})")
                art = replace(art, dest=posixpath.join("/usr/local/bin", name))  # noqa: PLW2901
            artifacts.append(art)
        return replace(plan, artifacts=tuple(artifacts), summary=summary)

    def _produced(self, ecosystem: Ecosystem) -> dict[str, tuple[int, bool]]:
        """Paths the build writes (absolute path -> (body index, is a folder)); globs allowed."""
        out: dict[str, tuple[int, bool]] = {}
        for step in self.steps:
            if step.script is None:
                continue
            for inv in step.script.invocations:
                if _build_kind(inv) != ecosystem and not (ecosystem == "go" and inv.manager == "go"):
                    continue
                cwd = _stages.join(step.state.workdir, inv.cwd) if inv.cwd != "?" else _stages.UNKNOWN_DIR
                env = self._env(step.state) | inv.command.assignments
                for path, is_dir in self._outputs_of(ecosystem, inv, cwd, env, step.state):
                    out[path] = (step.index, is_dir)
        return out

    def _outputs_of(
        self, ecosystem: Ecosystem, inv: Invocation, cwd: str, env: Mapping[str, str], state: State
    ) -> list[tuple[str, bool]]:
        if cwd.startswith(_stages.UNKNOWN_DIR) or "$" in cwd:
            expanded = self._expand(cwd, state) if not cwd.startswith(_stages.UNKNOWN_DIR) else None
            # A folder the Dockerfile does not show: only tools fetched by name (go install x@v) have a path.
            cwd = expanded if expanded is not None and expanded.startswith("/") else _stages.UNKNOWN_DIR
        if cwd == _stages.UNKNOWN_DIR and not (inv.manager == "go" and inv.sub in ("get", "install")):
            return []
        if ecosystem == "go":
            return self._go_outputs(inv, cwd, env)
        if ecosystem == "rust":
            return self._cargo_outputs(inv, cwd, env)
        return self._java_outputs(inv, cwd)

    def _go_outputs(self, inv: Invocation, cwd: str, env: Mapping[str, str]) -> list[tuple[str, bool]]:
        flags, packages = _go_args(inv.args)
        gobin = env.get("GOBIN") or posixpath.join(env.get("GOPATH", "/go"), "bin")
        if inv.sub == "get" or (inv.sub == "install" and any("@" in p for p in packages)):
            # A tool: ``go install example.com/cmd/tool@v1`` writes $GOBIN/tool.
            return [(posixpath.join(gobin, _go_binary_name(p.split("@", 1)[0])), False) for p in packages
                    if not p.startswith(".")]  # fmt: skip
        if inv.sub == "install" and packages and not any(p.startswith((".", "/")) for p in packages):
            # ``go install example.com/x/cmd/y``: named by import path, wherever it runs.
            return [(posixpath.join(gobin, _go_binary_name(p)), False) for p in packages if "..." not in p]
        if inv.sub not in ("build", "install") or cwd.startswith(_stages.UNKNOWN_DIR):
            return []
        output = flags.get("-o")
        if inv.sub == "build" and output is not None:
            path = _stages.join(cwd, output)
            if output.endswith("/"):
                names = [self._go_name(cwd, p) for p in packages or ["."]]
                return [(posixpath.join(path, n), False) for n in names if n]
            return [(path, False)]
        names = [self._go_name(cwd, p) for p in packages or ["."]]
        if "./..." in packages or any(p.endswith("/...") for p in packages):
            # Every main package below: the names are read from the start command (glob).
            names = ["*"]
        folder = cwd if inv.sub == "build" else gobin
        return [(posixpath.join(folder, n), False) for n in names if n]

    def _go_name(self, cwd: str, package: str) -> str | None:
        """The executable ``go build``/``go install`` names after the package (``go help build``)."""
        if package.endswith(".go"):
            return posixpath.basename(package)[:-3]
        if package.startswith((".", "/")):
            folder = _stages.join(cwd, package)
            module = self._go_module(folder)
            if module is not None:
                return _go_binary_name(module)
            if "/src/" in folder:
                return posixpath.basename(folder)  # GOPATH mode: named after the folder
            return None
        return _go_binary_name(package)

    def _go_module(self, folder: str) -> str | None:
        """The import path of the package in ``folder``, from the nearest go.mod above it."""
        rel = ""
        current = folder
        while True:
            if current in self.go_inits:
                module = self.go_inits[current]
                return posixpath.join(module, rel) if rel else module
            text = self._read(current, "go.mod")
            if text is not None:
                m = re.search(r"^\s*module\s+\"?([^\s\"]+)", text, re.MULTILINE)
                return None if m is None else posixpath.join(m.group(1), rel) if rel else m.group(1)
            if current in ("/", "") or self._context_path(current) in (None, ""):
                return None
            rel = posixpath.join(posixpath.basename(current), rel) if rel else posixpath.basename(current)
            current = posixpath.dirname(current)

    def _cargo_outputs(self, inv: Invocation, cwd: str, env: Mapping[str, str]) -> list[tuple[str, bool]]:
        args = inv.args
        names: list[str] = []
        bins = _option_all(args, "--bin")
        if bins:
            names = bins
        else:
            manifest = self._read(cwd, "Cargo.toml")
            if manifest is None:
                return []
            try:
                data = tomllib.loads(manifest)
            except tomllib.TOMLDecodeError:
                return []
            package = data.get("package")
            declared = [b.get("name") for b in data.get("bin", []) if isinstance(b, dict)]
            names = [n for n in declared if isinstance(n, str)]
            if not names and isinstance(package, dict) and isinstance(package.get("name"), str):
                names = [package["name"]]
        if not names:
            return []
        if inv.sub == "install":
            if _option(args, "--path") is None:
                return []
            root = _option(args, "--root") or env.get("CARGO_INSTALL_ROOT") or env.get("CARGO_HOME", "/root/.cargo")
            return [(posixpath.join(root, "bin", n), False) for n in names]
        if inv.sub != "build":
            return []
        target_dir = _option(args, "--target-dir") or env.get("CARGO_TARGET_DIR") or "target"
        profile = _option(args, "--profile") or ("release" if "--release" in args or "-r" in args else "debug")
        profile = {"dev": "debug", "test": "debug", "bench": "release"}.get(profile, profile)
        triple = _option(args, "--target")
        folder = _stages.join(cwd, posixpath.join(target_dir, triple, profile) if triple else
                              posixpath.join(target_dir, profile))  # fmt: skip
        return [(posixpath.join(folder, n), False) for n in names]

    def _java_outputs(self, inv: Invocation, cwd: str) -> list[tuple[str, bool]]:
        if inv.manager == "maven":
            if any(a in ("-f", "--file", "-pl", "--projects") for a in inv.args):
                return []
            pom = self._read(cwd, "pom.xml")
            name = _maven_artifact(pom) if pom is not None else None
            if name is None:
                return [(posixpath.join(cwd, "target", "*.jar"), False)]
            return [(posixpath.join(cwd, "target", name), False)]
        goals = inv.sub.split()
        out: list[tuple[str, bool]] = [(posixpath.join(cwd, "build", "libs", "*.jar"), False)]
        if "installDist" in goals:
            out.append((posixpath.join(cwd, "build", "install", "*"), True))
        return out

    def _placed_files(self, produced: Mapping[str, tuple[int, bool]], upto: int, taken: set[str]) -> list[_Artifact]:
        """Files of the sources that the build part's ``cp``/``install`` put outside the project, for the program to
        read there (``cp conf/greeting.txt /etc/hello/``): the runtime stage gets them from the builder too (a real
        build of the split without them: "open /etc/hello/greeting.txt: no such file or directory")."""
        out: list[_Artifact] = []
        for _step, cwd, tool, sources, dest, named_folder in self._copy_commands(upto):
            dest_abs = _stages.join(cwd, dest)
            if tool not in ("cp", "install") or not dest.startswith("/") or _inside(dest_abs, cwd):
                continue  # inside the project: the runtime gets what it needs from there
            if any(_inside(dest_abs, t) for t in _SCRATCH):
                continue  # temporary
            into = named_folder or dest.endswith("/") or len(sources) > 1
            for src in sources:
                src_abs = _stages.join(cwd, src)
                if _match_produced(src_abs, produced) is not None or self._context_path(src_abs) is None:
                    continue  # a built file (followed elsewhere), or not a file of the sources
                target = posixpath.join(dest_abs, posixpath.basename(src_abs)) if into else dest_abs
                if target not in taken:
                    taken.add(target)
                    out.append(_Artifact(target, target))
        return out

    def _copy_commands(self, upto: int) -> Iterator[tuple[_Step, str, str, list[str], str, bool]]:
        """(step, folder it runs in, tool, sources, destination, destination is a folder) of every ``cp``, ``mv``,
        ``install`` and ``ln`` of the steps up to ``upto``, following ``cd``."""
        for step in self.steps[: upto + 1]:
            if step.script is None:
                continue
            cwd = step.state.workdir
            for command in step.script.script.commands:
                argv = command.argv
                if not argv:
                    continue
                tool = argv[0].rsplit("/", 1)[-1]
                if tool == "cd" and len(argv) == 2:
                    cwd = _stages.join(cwd, argv[1]) if not argv[1].startswith(("$", "~", "-")) else "?"
                    continue
                parsed = _copy_operands(argv) if tool in ("cp", "mv", "install", "ln") else None
                if parsed is not None and not cwd.startswith(_stages.UNKNOWN_DIR):
                    yield step, cwd, tool, *parsed

    def _follow_copies(self, produced: dict[str, tuple[int, bool]], upto: int) -> dict[str, tuple[int, bool]]:
        """Add where ``cp``/``mv``/``install`` commands put built files (``cp target/release/app /usr/local/bin/``)."""
        out = dict(produced)
        for step, cwd, tool, sources, dest, named_folder in self._copy_commands(upto):
            dest_abs = _stages.join(cwd, dest)
            into = named_folder or dest.endswith("/") or len(sources) > 1 or self._is_folder(dest_abs, out)
            for src in sources:
                src_abs = _stages.join(cwd, src)
                hit = _match_produced(src_abs, out)
                if hit is None:
                    continue
                source_path, is_dir = hit
                if into:
                    name = posixpath.basename(src_abs)
                    target = posixpath.join(dest_abs, name)
                else:
                    target = dest_abs
                out[target] = (step.index, is_dir)
                if tool == "mv":
                    out.pop(source_path, None)
        return out

    def _is_folder(self, path: str, produced: Mapping[str, tuple[int, bool]]) -> bool:
        if path in ("/", "/usr/local/bin", "/usr/bin", "/bin", "/usr/local/sbin", "/opt", "/app", "/srv"):
            return True
        if path in {s.state.workdir for s in self.steps}:
            return True
        return produced.get(path, (0, False))[1]

    def _entry_artifacts(
        self, ecosystem: Ecosystem, entry: _Entry, produced: Mapping[str, tuple[int, bool]]
    ) -> list[tuple[str, bool]] | str:
        """The built files the start command runs or names (program first), or why there are none."""
        commands = entry.commands()
        if commands is None:
            return "dockmod cannot read the start command"
        workdir = entry.state.workdir
        env = self._env(entry.state)
        found: list[tuple[str, bool]] = []
        for command in commands:
            argv = _unwrap(command)
            if not argv:
                continue
            if ecosystem == "java" and argv[0].rsplit("/", 1)[-1] == "java":
                jar = _java_jar(argv)
                if jar is None:
                    return "the start command runs java without -jar, so its class path is unknown"
                if self._manifest_class_path():
                    # A thin jar: its dependencies sit beside it (target/lib/), where copy-dependencies put them (a
                    # real build of the split without them: NoClassDefFoundError).
                    return (
                        "the jar's manifest names a class path (maven-jar-plugin addClasspath) the split would not copy"
                    )
                words = [jar]
            else:
                program = self._resolve_program(argv[0], workdir, env, produced, entry.state)
                words = [program] if program is not None else []
                words += [w.split("=", 1)[1] if w.startswith("-") and "=" in w else w for w in argv[1:]]
            for word in words:
                if "/" not in word and word != argv[0]:
                    continue
                path = self._resolve(word, workdir, entry.state)
                hit = _match_produced(path, produced) if path is not None else None
                if path is None or hit is None:
                    continue
                produced_path, is_dir = hit
                if is_dir or produced_path.endswith("/*"):
                    # installDist: the start script sits in build/install/<name>/bin; the folder goes along.
                    path, is_dir = _dist_root(path, produced_path), True
                if (path, is_dir) not in found:
                    found.append((path, is_dir))
        if not found:
            names = ", ".join(sorted(p for p in produced if "*" not in p)) or "nothing dockmod can name"
            return f"the start command does not run what the build produces ({names}); set the `artifacts` option"
        return found

    def _installed_on_path(self, program: str, upto: int) -> str | None:
        """The PATH folder where a ``cp``/``mv``/``install``/``ln`` of the build part (up to step ``upto``) puts
        ``program``, a name the start command runs through PATH."""
        if not program or "/" in program:
            return None
        for step in self.steps[: upto + 1]:
            for command in step.script.script.commands if step.script is not None else ():
                argv = command.argv
                if not argv or argv[0].rsplit("/", 1)[-1] not in ("cp", "mv", "install", "ln"):
                    continue
                parsed = _copy_operands(argv)
                if parsed is None:
                    continue
                sources, dest, into = parsed
                path_dirs = _stages.DEFAULT_PATH.split(":")
                whole = into or dest.endswith("/") or posixpath.normpath(dest) in path_dirs
                folder, name = (dest, None) if whole else posixpath.split(dest)
                folder = posixpath.normpath(folder)
                if folder not in path_dirs:
                    continue
                names = [name] if name else [posixpath.basename(src.rstrip("/")) for src in sources]
                if program in names:
                    return folder
        return None

    def _manifest_class_path(self) -> bool:
        """Whether a Maven build of the stage writes a Class-Path into its jar's manifest."""
        walked = self.walked
        for k, step in enumerate(self.steps):
            for inv in step.script.invocations if step.script is not None else ():
                if inv.manager == "maven":
                    # The pom.xml the copies above the build put where it runs (`COPY pom.xml .` copies one file).
                    path = posixpath.join(_stages.join(step.state.workdir, inv.cwd), "pom.xml")
                    source = _stages.context_file(self.tree, walked, path, self.build, end=k)
                    pom = self.build.read_text(source) if isinstance(source, str) else None
                    if re.search(r"<addClasspath>\s*true\s*</addClasspath>|<Class-Path>", pom or ""):
                        return True
        return False

    def _resolve(self, word: str, workdir: str, state: State) -> str | None:
        expanded = self._expand(word, state)
        if expanded is None:
            return None
        path = _stages.join(workdir, expanded)
        return None if path.startswith(_stages.UNKNOWN_DIR) else path

    def _resolve_program(
        self, program: str, workdir: str, env: Mapping[str, str], produced: Mapping[str, tuple[int, bool]],
        state: State,
    ) -> str | None:  # fmt: skip
        if "/" in program:
            return self._resolve(program, workdir, state)
        path_var = self._expand(env.get("PATH", _stages.DEFAULT_PATH), state) or _stages.DEFAULT_PATH
        for folder in path_var.split(":"):
            candidate = posixpath.join(folder, program)
            if _match_produced(candidate, produced) is not None:
                return candidate
        return None

    def _entry_files(
        self, entry: _Entry, produced: Mapping[str, tuple[int, bool]], chown: str | None, build_end: int
    ) -> list[_Artifact]:
        """Files of the sources the start command names (``--config config.yml``), or the final stage's environment
        does (``ENV HELLO_CONFIG=/src/config.yml``: a real build of a split without it could not open the file)."""
        out: list[_Artifact] = []
        commands: list[Sequence[str]] = [_unwrap(command)[1:] for command in entry.commands() or ()]
        commands.append([v for v in entry.state.env.values() if v.startswith(("/", "./"))])
        for words in commands:
            for word in words:
                value = word.split("=", 1)[1] if word.startswith("-") and "=" in word else word
                if value.startswith("-") or ("/" not in value and "." not in value.strip(".")):
                    continue
                path = self._resolve(value, entry.state.workdir, entry.state)
                if path is None or _match_produced(path, produced) is not None:
                    continue
                if self._from_tail_copy(path, build_end):
                    continue
                source = self._context_path(path)
                if source is not None and self.build.exists(source) and source != "":
                    is_dir = self.build.is_dir(source)
                    out.append(_Artifact(path, path + ("/" if is_dir else ""), chown))
        return out

    def _from_tail_copy(self, path: str, build_end: int) -> bool:
        """Whether a COPY after the build (which the runtime runs itself) puts ``path`` in place."""
        return any(
            c.step.index > build_end and any(path == d or _inside(path, d) for _, d in c.entries) for c in self.copies
        )

    def _data_dirs(self, entry: _Entry, chown: str | None, build_end: int) -> list[_Artifact]:
        """Well-known data folders of the sources in the folder the program runs in."""
        out = []
        workdir = entry.state.workdir
        for name in _DATA_DIRS:
            path = posixpath.join(workdir, name)
            if self._from_tail_copy(path, build_end):
                continue
            source = self._context_path(path)
            if source and self.build.is_dir(source) and not self.build.ignored(source):
                out.append(_Artifact(path, path + "/", chown))
        return out

    def _static_checks(self, plan: _Plan, entry: _Entry, step: _Step) -> _Plan:
        """A distroless or scratch runtime has no shell, no package manager and (scratch) no users."""
        wanted = self.options.static_runtime
        reasons = []
        if plan.ecosystem != "go":
            reasons.append("only Go binaries are known to be static")
        elif not self._cgo_disabled(step):
            reasons.append("the Go build does not set CGO_ENABLED=0, so the binary may link libc")
        if entry.shell:
            reasons.append("the start command is in shell form and needs /bin/sh")
        # CA certificates and time zone data are what static Go programs read from the system: distroless
        # ships both, and scratch gets the builder's copies below. Any other package needs a shell to install.
        provided: set[str] = set()
        if plan.packages is not None:
            provided |= {_bare(p) for p in plan.packages.keep} & _STATIC_PROVIDED
            extra = [p for p in plan.packages.keep if _bare(p) not in _STATIC_PROVIDED]
        else:
            extra = []
        runs = []
        dropped: set[int] = set()
        for s in self.steps:
            if not isinstance(s.node, Run):
                continue
            if s.index <= plan.build_end and self._runtime_run(s, plan) != "copy":
                continue
            packages = _static_packages(s.script)
            if packages is not None and s.index <= plan.build_end:
                provided |= packages
                dropped.add(s.index)
            else:
                runs.append(s)
        if runs or extra:
            reasons.append("the runtime stage would run commands, and there is no shell")
        user = entry.state.user
        named = user is not None and not re.fullmatch(r"\d+(:\d+)?", user)
        if named and (wanted == "scratch" or (user or "").split(":", 1)[0] not in ("nonroot", "root")):
            reasons.append(f"{wanted} has no user {user}")
        if reasons:
            self._notes.append(f"kept {self.stage.base} as the runtime base instead of {wanted}: " + "; ".join(reasons))
            return replace(plan, base=self.options.runtime_base or None)
        extra_files: list[_Artifact] = []
        if wanted == "scratch":
            # Without a CA bundle every TLS connection fails; the builder's bundle is the one the binary saw.
            extra_files.append(_Artifact(CA_BUNDLE, CA_BUNDLE))
            if "tzdata" in provided:
                extra_files.append(_Artifact(ZONEINFO, ZONEINFO + "/"))
            else:
                self._notes.append("scratch has no time zone data: build with -tags timetzdata if the program needs it")
        return replace(
            plan,
            artifacts=(*plan.artifacts, *extra_files),
            packages=replace(plan.packages, keep=()) if plan.packages is not None else None,
            dropped=frozenset(dropped),
        )

    def _cgo_disabled(self, step: _Step) -> bool:
        if step.state.env.get("CGO_ENABLED") == "0":
            return True
        if step.script is None:
            return False
        return any(
            i.manager == "go" and i.command.assignments.get("CGO_ENABLED") == "0" for i in step.script.invocations
        )

    # -- Python ---------------------------------------------------------------------------------------

    def _python_build_packages(self) -> bool:
        installs_deps = False
        build_tools = False
        for step in self.steps:
            for inv in step.script.invocations if step.script else ():
                if inv.manager in ("apt", "apk") and inv.sub in ("install", "add"):
                    build_tools = build_tools or any(_is_build_package(p, "python") for p in _package_words(inv))
                elif inv.manager in ("pip", "poetry", "pipenv", "uv") and build_tools:
                    installs_deps = True
        return installs_deps

    def _python(self, entry: _Entry) -> _Plan:
        if self.image != "python":
            raise _Refusal("a virtual environment needs an official python base image (python -m venv)")
        if self.ref is not None and (self.ref.tag or "").startswith("2"):
            raise _Refusal("Python 2 has no venv module")
        python_managers = ("pip", "poetry", "pipenv", "uv")
        pip_steps = [
            s for s in self.steps
            if s.script is not None and any(i.manager in python_managers for i in s.script.invocations)
        ]  # fmt: skip
        for s in pip_steps:
            assert s.script is not None
            for inv in s.script.invocations:
                if inv.manager in ("pipenv", "uv"):
                    raise _Refusal(f"{inv.manager} decides itself where packages go; dockmod only moves pip and Poetry")
                if inv.manager == "pip" and (
                    "--user" in inv.options
                    or "--target" in inv.options
                    or "-t" in inv.options
                    or "--prefix" in inv.options
                ):
                    raise _Refusal("pip installs outside the environment (--user, --target or --prefix)")
                if inv.command.argv[0].startswith("/"):
                    raise _Refusal(f"`{inv.command.argv[0]}` bypasses a virtual environment on PATH")
        first = pip_steps[0]
        if first.state.user not in (None, "root", "0", "0:0", "root:root"):
            raise _Refusal("the installs run as a non-root user, who could not create /opt/venv")
        build_end = self._build_end(pip_steps[-1].index, python=True)
        if not self._build_packages_left(build_end):
            raise _Refusal("the RUN that installs the build packages removes them again: nothing is left behind")
        packages = self._packages("python", build_end)
        for argv in entry.commands() or ():
            program = _unwrap(argv)[0] if _unwrap(argv) else ""
            if program.startswith("/usr/local/bin/") and not posixpath.basename(program).startswith("python"):
                raise _Refusal(f"the start command runs {program}, which moves into {VENV}/bin")
            installed = self._installed_on_path(program, build_end)
            if installed is not None:
                # The runtime stage runs none of the build part (a real build: "entrypoint.sh: executable file not
                # found in $PATH").
                raise _Refusal(f"the start command runs {program}, which a RUN of the build puts in {installed}")
        chown = self._source_chown()
        artifacts = [_Artifact(VENV, VENV + "/")]
        # A project install (pip install ., -e ., poetry install) builds into the source tree (egg-info,
        # compiled extensions, editable links): every copy the build saw comes from the builder. Otherwise the
        # folders come from the builder and single files are copied from the context again.
        project = any(
            inv.local or (inv.manager == "poetry" and inv.role == "install" and "--no-root" not in inv.options)
            for st in pip_steps
            for inv in (st.script.invocations if st.script else ())
            if inv.manager in ("pip", "poetry")
        )  # fmt: skip
        chosen = [c for c in self.copies if c.step.index <= build_end and (c.wide or project)]
        for copy in chosen:
            if any(d == "/" or d.startswith(_stages.UNKNOWN_DIR) for _, d in copy.entries):
                raise _Refusal("the sources are copied into / or a folder the Dockerfile does not show")
        trees = list(dict.fromkeys(d for c in chosen for d in sorted(c.folders)))
        trees = [t for t in trees if not any(_inside(t, other) for other in trees)]
        seen: set[str] = set()
        for copy in chosen:
            # Each path once, and nothing a copied folder already holds (whichever COPY came first).
            dests = [d for _, d in copy.entries if d not in seen and not any(_inside(d, t) for t in trees)]
            seen.update(dests)
            owner = copy.chown or chown
            folders = [d for d in dests if d in copy.folders]
            files = [d for d in dests if d not in copy.folders]
            artifacts += [_Artifact(d, d + "/", owner) for d in folders]
            if len(files) > 1:
                # Several files into one folder, as the original COPY put them.
                artifacts.append(_Artifact(files[0], posixpath.dirname(files[0]) + "/", owner, tuple(files[1:])))
            artifacts += [_Artifact(f, f, owner) for f in files[:1] if len(files) == 1]
        replay = frozenset(
            c.step.index for c in self.copies
            if c.step.index <= build_end and not c.wide and not project
            and not all(any(_inside(d, t) or d == t for t in trees) for _, d in c.entries)
            and not all(_python_manifest(s) for s, _ in c.entries)
        )  # fmt: skip
        env = f"VIRTUAL_ENV={VENV} PATH={VENV}/bin:$PATH"
        copied = ", ".join(a.source for a in artifacts[1:] if not a.more)
        copied += " and files" if any(a.more for a in artifacts) else ""
        base = self._runtime_base("python")
        unsafe = [
            f"pip now installs into {VENV} instead of the system site-packages, and the final image no longer has "
            "compilers and -dev packages; files the build writes outside the application folder are not copied",
            *self._notes,
        ]
        if base is not None:
            unsafe.append(f"{base} must have Python at the same path as {self.stage.base} for the venv")
        return _Plan(
            "python",
            build_end,
            tuple(artifacts),
            f"the virtual environment {VENV}" + (f" and {copied}" if copied else "") + " from the builder",
            unsafe=tuple(unsafe),
            replay=replay,
            env_after=env,
            builder_prelude=(first.index, ((Run, f"python -m venv {VENV}"), (Env, env))),
            base=base,
            packages=packages,
        )

    def _source_chown(self) -> str | None:
        for copy in self.copies:
            if copy.wide and copy.chown:
                return copy.chown
        return None

    # -- shared pieces --------------------------------------------------------------------------------

    def _touched(self, plan: _Plan) -> list[_Artifact]:
        """Files that builder-only RUNs create with ``touch`` (a database file, a log): the original image
        had them, and a bind mount of a missing file would create a folder instead."""
        out: list[_Artifact] = []
        covered = [a.dest.rstrip("/") for a in plan.artifacts]
        for step in self.steps[: plan.build_end + 1]:
            if step.script is None or self._runtime_run(step, plan) == "copy":
                continue
            for argv, cwd in _commands_in(step):
                if not argv or argv[0] != "touch" or cwd.startswith(_stages.UNKNOWN_DIR):
                    continue
                for word in argv[1:]:
                    if word.startswith("-") or "$" in word or "*" in word:
                        continue
                    path = _stages.join(cwd, word)
                    if not any(path == c or _inside(path, c) for c in covered):
                        out.append(_Artifact(path, path, self._output_owner(step)))
                        covered.append(path)
        return out

    def _build_end(self, last_build: int, *, python: bool = False) -> int:
        """The last instruction that must stay in the builder: the build, or a later RUN that is no system
        command (it may read or move the build's output; Python's runtime can run those itself)."""
        end = last_build
        for step in self.steps[last_build + 1 :]:
            if not isinstance(step.node, Run):
                continue
            if self._removal_run(step) or (not python and not self._system_run(step)):
                end = step.index
        return end

    def _removal_run(self, step: _Step) -> bool:
        """A RUN that only removes packages again (the build's own clean-up): it stays in the builder."""
        if step.script is None:
            return False
        commands = step.script.script.commands
        return any(_removes_packages(c.argv) for c in commands) and all(
            _command_kind(c) == "packages" for c in commands
        )

    def _system_run(self, step: _Step) -> bool:
        if step.script is None or step.script.script.compound:
            return False
        return all(_command_kind(c) in ("system", "packages") for c in step.script.script.commands)

    def _state_at(self, index: int) -> State:
        return self.steps[index].state

    def _output_owner(self, step: _Step) -> str | None:
        user = step.state.user
        return None if user in (None, "root", "0", "0:0", "root:root") else user

    def _source_flags(self) -> list[str]:
        for copy in self.copies:
            if copy.wide:
                view = self.tree.view(copy.step.node)
                return [f.text for f in view.flags if f.name in ("chown", "chmod")]
        return []

    def _user_artifacts(self, base: str) -> list[_Artifact] | None:
        if not self.options.artifacts:
            return None
        out = []
        for path in self.options.artifacts:
            absolute = _stages.join(base, path)
            if absolute.startswith(_stages.UNKNOWN_DIR):
                raise _Refusal(f"artifact {path} is relative to a WORKDIR the Dockerfile does not show")
            if absolute == "/":
                raise _Refusal("copying / from the builder would copy its whole file system")
            out.append(_Artifact(absolute, absolute + ("/" if path.endswith("/") else "")))
        return out

    def _runtime_base(self, ecosystem: Ecosystem) -> str | None:
        if self.options.static_runtime:
            if self.options.static_runtime not in ("distroless", "scratch"):
                raise _Refusal(f"static_runtime must be 'distroless' or 'scratch', not {self.options.static_runtime!r}")
            if ecosystem == "go":
                return "scratch" if self.options.static_runtime == "scratch" else DISTROLESS_STATIC
        return self.options.runtime_base or None

    # -- composing the fix ----------------------------------------------------------------------------

    def _compose(self, plan: _Plan) -> Fix:
        plan = replace(plan, artifacts=(*plan.artifacts, *self._touched(plan)))
        tree = self.tree
        body = self.body
        from_node = self.stage.node
        builder = _unique_name(self.stage)
        as_word = "as" if from_node.keyword.islower() else "AS"  # FromAsCasing: AS cased like FROM
        like = body[plan.build_end]
        runtime: list[Instruction] = [self._runtime_from(plan, from_node, as_word)]
        for step in self.steps[: plan.build_end + 1]:
            node = step.node
            if plan.packages is not None and step.index == plan.packages.first and plan.packages.keep:
                runtime.append(tree.new(Run, _package_run(plan.packages), like=like))
            if (
                isinstance(node, _REPEATED)
                or (isinstance(node, Generic) and node.name in _REPEATED_GENERIC)
                or (isinstance(node, Run) and self._runtime_run(step, plan) == "copy")
                or (isinstance(node, Copy | Add) and step.index in plan.replay and not plan.install)
            ):
                runtime.append(replace(node, leading=""))
        for cls, text in plan.install:
            runtime.append(tree.new(cls, text, like=like))
        if plan.install:
            runtime += [replace(self.steps[k].node, leading="") for k in sorted(plan.replay)]
        workdir = self._state_at(plan.build_end).workdir
        runtime += [tree.new(Copy, _copy_text(builder, a, workdir), like=like) for a in plan.artifacts]
        if plan.env_after is not None:
            runtime.append(tree.new(Env, plan.env_after, like=like))
        runtime = _drop_unused_args(tree, runtime, body[plan.build_end + 1 :])

        # Every instruction of the stage is a key: the split is one atomic edit, and the other transforms
        # look at the two stages in the next pass instead of editing the single stage under it.
        replace_map: dict[Node, tuple[Node, ...]] = {}
        for index, node in enumerate(body):
            kept: Instruction = node
            made: list[Instruction] = []
            if plan.builder_prelude is not None and plan.builder_prelude[0] == index:
                blank, comments = split_leading(node.leading)
                made = [tree.new(cls, text, like=node) for cls, text in plan.builder_prelude[1]]
                made[0] = made[0].with_leading(blank)
                kept = node.with_leading(comments)
            after: list[Instruction] = []
            if index == plan.build_end:
                if not node.newline and not node.heredocs:
                    # The build is the file's last line and has no line ending: the runtime stage ends the file
                    # that way instead.
                    kept = replace(kept, newline=tree.newline)
                    runtime[-1] = replace(runtime[-1], newline="")
                after = runtime
            replace_map[node] = (*made, kept, *after)
        replace_map[from_node] = (_named_from(tree, from_node, builder, as_word),)
        base = plan.base or self.stage.base
        message = f"split into a `{builder}` stage and a runtime stage on {base} that gets {plan.summary}"
        reasons = list(plan.unsafe)
        argument = _stages.workdir_argument(tree, (self.stage,))
        if argument is not None:
            # COPY --from names the builder's paths as the default makes them (a real build with another
            # --build-arg APP_DIR failed: no such file or directory).
            reasons.append(
                f"the copies between the stages use ARG {argument}'s default; another --build-arg breaks them"
            )
        message += "; unsafe: " + "; ".join(dict.fromkeys(reasons))
        return Fix(message=message, safety=Safety.UNSAFE, replace=replace_map)

    def _runtime_from(self, plan: _Plan, from_node: From, as_word: str) -> From:
        nl = self.tree.newline
        if plan.base is None:
            return replace(from_node, leading=nl)
        view = self.tree.view(from_node)
        flags = " ".join(f.text for f in view.flags)
        name = f" {as_word} {self.stage.name}" if self.stage.name else ""
        return self.tree.new(From, f"{flags} {plan.base}{name}".strip(), like=from_node, leading=nl)


# ---------------------------------------------------------------------------------------------------------
# The start command


@dataclass(frozen=True, slots=True)
class _Entry:
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


def _unwrap(argv: tuple[str, ...]) -> tuple[str, ...]:
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
# Node details


@dataclass(frozen=True, slots=True)
class _Start:
    """What a Node start command runs."""

    files: tuple[str, ...]  # files it runs with node, relative to the project
    tools: frozenset[str]  # package managers it calls (npm, yarn, pnpm)
    problems: tuple[str, ...]  # why the runtime could not run it
    next_start: bool  # ``next start``: it serves .next, public/ and next.config.*
    known: bool  # every command was understood


def _node_start(
    entry: _Entry, scripts: Mapping[str, str], deps: Mapping[str, str], dev: Mapping[str, str], project: str
) -> _Start:
    """What the start command runs (following package.json scripts), and whether it needs a devDependency."""
    files: list[str] = []
    tools: set[str] = set()
    problems: list[str] = []
    next_start = False
    known = True

    def walk(argv: tuple[str, ...], depth: int, rel_base: str | None) -> None:
        nonlocal next_start, known
        if not argv or depth > 5:
            return
        tool = argv[0].rsplit("/", 1)[-1]
        if tool in ("cd", "export", "echo", "set", "true", "sleep", "printenv", "env"):
            return
        if tool in ("npm", "yarn", "pnpm"):
            tools.add(tool)
            name = _run_target(tool, argv[1:])
            body = scripts.get(name) if name is not None else None
            if name is None:
                known = False
            elif body is None and name == "start" and tool == "npm":
                files.append("server.js")  # npm start without a start script runs `node server.js`
            elif body is None:
                problems.append(f"the start command runs `{tool} {name}`, which package.json does not define")
            elif (script := _shell.split(body)) is None:
                problems.append(f"dockmod cannot read the {name} script")
            else:
                for c in script.commands:
                    walk(_unwrap(c.argv), depth + 1, ".")  # scripts run in the project folder
            return
        if tool in ("npx", "pnpx"):
            argv = tuple(a for a in argv[1:] if not a.startswith("-"))
            if not argv:
                return
            tool = argv[0]
        if tool in ("node", "nodejs"):
            script_file = next((w for w in argv[1:] if not w.startswith("-")), None)
            if script_file is not None and rel_base is None:
                known = False  # run from a folder outside the project
            elif script_file is not None and rel_base is not None:
                files.append(posixpath.normpath(posixpath.join(rel_base, script_file)))
            return
        package = _BIN_PACKAGE.get(tool, tool)
        if package in dev and package not in deps:
            problems.append(
                f"the start command runs {tool}, a devDependency ({package}) the production install leaves out"
            )
        elif package not in deps:
            problems.append(f"the start command runs {tool}, which no dependency of package.json provides")
        elif tool == "next" and argv[1:2] == ("start",):
            next_start = True
            files.append(".next")
        elif tool in ("cross-env", "dotenv"):
            rest = tuple(a for a in argv[1:] if "=" not in a and a != "--" and not a.startswith("-"))
            walk(rest, depth + 1, rel_base)
        else:
            known = False  # a dependency's program: what files it reads is its own business

    commands = entry.commands()
    if commands is None:
        problems.append("dockmod cannot read the start command")
    else:
        workdir = entry.state.workdir
        base = posixpath.relpath(workdir, project) if workdir == project or _inside(workdir, project) else None
        for argv in commands:
            walk(_unwrap(argv), 0, base)
    return _Start(tuple(files), frozenset(tools), tuple(problems), next_start, known)


def _run_target(tool: str, args: tuple[str, ...]) -> str | None:
    words = [a for a in args if not a.startswith("-")]
    if not words:
        return "install" if tool == "yarn" else None
    if words[0] in ("run", "run-script"):
        return words[1] if len(words) > 1 else None
    if words[0] in ("start", "test"):
        return words[0]
    if tool in ("yarn", "pnpm"):
        return words[0]
    return None


def _script_name(inv: Invocation) -> str:
    if inv.sub in ("run", "run-script"):
        words = [a for a in inv.args if not a.startswith("-")]
        return words[0] if words else "build"
    return inv.sub


def _node_outputs(
    name: str, scripts: Mapping[str, str], manager: Manager, splitter: _Splitter, project: str
) -> tuple[list[str], list[str]]:
    """Folders the build script writes (relative to the project), and what stops dockmod from knowing."""
    outputs: list[str] = []
    problems: list[str] = []
    seen: set[str] = set()

    def run(script_name: str, depth: int) -> None:
        if script_name in seen or depth > 6:
            return
        seen.add(script_name)
        # npm and Yarn 1 run pre<name> and post<name> around a script.
        names = [f"pre{script_name}", script_name, f"post{script_name}"] if manager != "pnpm" else [script_name]
        for n in names:
            body = scripts.get(n)
            if body is None:
                if n == script_name:
                    problems.append(f"package.json has no {script_name} script")
                continue
            script = _shell.split(body)
            if script is None or script.compound:
                problems.append(f"dockmod cannot read the {n} script")
                continue
            for c in script.commands:
                command(_unwrap(c.argv), depth)

    def command(argv: tuple[str, ...], depth: int) -> None:
        if not argv:
            return
        tool = argv[0].rsplit("/", 1)[-1]
        if tool in ("npx", "pnpx") or (tool in ("yarn", "pnpm") and len(argv) > 1 and argv[1] == "exec"):
            argv = tuple(a for a in argv[(2 if tool in ("yarn", "pnpm") else 1) :] if not a.startswith("-"))
            if not argv:
                return
            tool = argv[0]
        if tool in ("npm", "yarn", "pnpm"):
            target = _run_target(tool, argv[1:])
            if target is not None and target in scripts:
                run(target, depth + 1)
                return
            problems.append(f"`{' '.join(argv)}` in the build script")
            return
        if tool in ("run-s", "run-p", "npm-run-all"):
            for pattern in (a for a in argv[1:] if not a.startswith("-")):
                for n in [k for k in scripts if fnmatch.fnmatch(k, pattern.replace(":*", ":*"))]:
                    run(n, depth + 1)
            return
        if tool in _HARMLESS_SCRIPT_TOOLS or tool in ("cd",):
            return
        out = _tool_output(tool, argv, splitter, project)
        if isinstance(out, str):
            problems.append(out)
            return
        for o in (posixpath.normpath(o) for o in out):
            if o.startswith(("..", "/")) or o == ".":
                problems.append(f"`{' '.join(argv)}` writes outside the project folder")
            elif o not in outputs:
                outputs.append(o)

    run(name, 0)
    if not outputs and not problems:
        problems.append(f"the {name} script writes no output folder dockmod knows")
    return outputs, problems


def _tool_output(tool: str, argv: tuple[str, ...], splitter: _Splitter, project: str) -> list[str] | str:
    """The output folder of a known build tool (relative to the project), or why it is unknown."""
    args = argv[1:]
    sub = next((a for a in args if not a.startswith("-")), "")
    if tool == "tsc":
        if "--noEmit" in args or "--build" in args or "-b" in args:
            return [] if "--noEmit" in args else "tsc --build follows project references dockmod does not read"
        out_dir = _option(args, "--outDir")
        if out_dir is None:
            config = _option(args, "-p") or _option(args, "--project") or "tsconfig.json"
            out_dir = _tsconfig_out_dir(splitter, project, config)
        if out_dir is None:
            return "tsc writes its JavaScript next to the sources (no outDir)"
        return [posixpath.normpath(out_dir)]
    if tool == "nest" and sub == "build":
        out_dir = _tsconfig_out_dir(splitter, project, "tsconfig.build.json") or _tsconfig_out_dir(
            splitter, project, "tsconfig.json"
        )
        return [posixpath.normpath(out_dir or "dist")]
    if tool == "vite" and sub == "build":
        if any("outDir" in (splitter._read(project, f) or "") for f in _configs("vite.config")):
            return "vite.config sets build.outDir, which dockmod does not evaluate"
        # ``vite build [root]``: outDir is relative to the root.
        positional = _positional(args[1:], {"--outDir", "--base", "--mode", "-m", "--config", "-c"})
        root = positional[0] if positional else "."
        return [posixpath.join(root, _option(args, "--outDir") or "dist")]
    if tool == "next" and sub == "build":
        config = "".join(splitter._read(project, f) or "" for f in _configs("next.config"))
        if "distDir" in config or re.search(r"output\s*:\s*['\"]export['\"]", config):
            return "next.config changes where next build writes (distDir or output: 'export')"
        folder = next((a for a in args[1:] if not a.startswith("-")), ".")
        if folder != ".":
            return "next build of another folder"
        return [".next"]
    if tool == "react-scripts" and sub == "build":
        return ["build"]
    if tool == "ng" and sub == "build":
        return ["dist"]
    if tool == "tsup":
        return [_option(args, "--out-dir") or _option(args, "-d") or "dist"]
    if tool == "babel":
        out = _option(args, "-d") or _option(args, "--out-dir")
        return [out] if out else "babel without --out-dir"
    if tool == "esbuild":
        for a in args:
            if a.startswith("--outdir="):
                return [a.split("=", 1)[1]]
            if a.startswith("--outfile="):
                return [a.split("=", 1)[1]]
        return "esbuild without --outdir or --outfile"
    return f"`{' '.join(argv)}` in the build script writes outputs dockmod cannot tell"


def _configs(stem: str) -> tuple[str, ...]:
    return tuple(f"{stem}.{ext}" for ext in ("js", "mjs", "cjs", "ts", "mts"))


def _tsconfig_out_dir(splitter: _Splitter, project: str, config: str) -> str | None:
    """``compilerOptions.outDir`` of a tsconfig (following relative ``extends``), relative to the project."""
    seen = set()
    current = posixpath.normpath(config)
    while current not in seen:
        seen.add(current)
        text = splitter._read(project, current)
        if text is None:
            return None
        data = _json_object(_strip_json_comments(text))
        if data is None:
            return None
        options = data.get("compilerOptions")
        if isinstance(options, dict) and isinstance(options.get("outDir"), str):
            return posixpath.normpath(posixpath.join(posixpath.dirname(current), options["outDir"]))
        parent = data.get("extends")
        if not isinstance(parent, str) or not parent.startswith("."):
            return None
        current = posixpath.normpath(posixpath.join(posixpath.dirname(current), parent))
        if not current.endswith(".json"):
            current += ".json"
    return None


def _strip_json_comments(text: str) -> str:
    """tsconfig.json allows comments and trailing commas (JSONC)."""
    out = []
    i = 0
    in_string = False
    while i < len(text):
        c = text[i]
        if in_string:
            out.append(c)
            if c == "\\" and i + 1 < len(text):
                out.append(text[i + 1])
                i += 2
                continue
            in_string = c != '"'
        elif c == '"':
            in_string = True
            out.append(c)
        elif text.startswith("//", i):
            nl = text.find("\n", i)
            i = len(text) if nl < 0 else nl
            continue
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = len(text) if end < 0 else end + 2
            continue
        else:
            out.append(c)
        i += 1
    return re.sub(r",(\s*[}\]])", r"\1", "".join(out))


def _prod_install(manager: Manager, ref: imageref.ImageRef | None) -> str:
    if manager == "yarn":
        return "yarn install --production --frozen-lockfile"
    if manager == "pnpm":
        return "pnpm install --prod --frozen-lockfile"
    # npm 6 (Node 14 and older) knows --production but not --omit=dev.
    major = _node_major(ref)
    return "npm ci --production" if major is not None and major < 15 else "npm ci --omit=dev"


def _node_major(ref: imageref.ImageRef | None) -> int | None:
    if ref is None or _stages.image_name(ref) != "node" or ref.tag is None:
        return None
    m = re.match(r"(\d+)", ref.tag)
    return int(m.group(1)) if m else None


def _tools_installed(script: RunScript) -> frozenset[str]:
    """Package managers a RUN installs globally (``npm i -g pnpm``, ``corepack enable``)."""
    names: set[str] = set()
    for c in script.script.commands:
        argv = c.argv
        if argv and argv[0] == "corepack":
            names |= {"pnpm", "yarn"}
    for inv in script.invocations:
        if inv.role == "add" and inv.manager in ("npm", "yarn", "pnpm"):
            for word in inv.args:
                if not word.startswith("-"):
                    names.add(word.split("@", 1)[0] if not word.startswith("@") else word)
    return frozenset(names)


# ---------------------------------------------------------------------------------------------------------
# Commands


_TOOLCHAIN: Final[dict[Ecosystem, str]] = {"go": "Go", "rust": "Cargo", "java": "Maven/Gradle", "node": "Node",
                                           "python": "Python"}  # fmt: skip
_NODE_BUILD = re.compile(r"build|compile|bundle|dist")
_MAVEN_BUILD = frozenset({"package", "install", "verify", "deploy"})
_GRADLE_BUILD = frozenset({"build", "assemble", "jar", "bootJar", "shadowJar", "installDist"})


def _build_kind(inv: Invocation) -> Ecosystem | None:
    """The toolchain an invocation builds a program with."""
    if inv.manager == "go" and inv.role == "build" and inv.sub in ("build", "install"):
        return "go"
    if inv.manager == "cargo" and (inv.sub == "build" or (inv.sub == "install" and "--path" in inv.options)):
        return "rust"
    if inv.manager == "maven" and _MAVEN_BUILD & set(inv.sub.split()):
        return "java"
    if inv.manager == "gradle" and _GRADLE_BUILD & {g.split(":")[-1] for g in inv.sub.split()}:
        return "java"
    if inv.manager in ("npm", "yarn", "pnpm") and inv.role == "build" and _NODE_BUILD.search(_script_name(inv)):
        return "node"
    return None


# system: changes only the system (may run again in the runtime); packages: installs or removes system
# packages; project: installs the project's dependencies or builds it; tool: installs a global tool; inspect:
# reads and prints; move: copies or moves built files (followed as artifacts); other: anything else.
CommandKind = Literal["system", "packages", "project", "tool", "inspect", "move", "other"]
_INSPECT: Final = frozenset({
    "ls", "pwd", "cat", "grep", "test", "[", "which", "file", "sha256sum", "md5sum", "wc", "head", "tail", "du",
    "df", "id", "whoami", "uname", "date", "sleep", "printenv", "env", "stat", "find", "sort", "uniq",
})  # fmt: skip
_MOVE: Final = frozenset({"cp", "mv", "install", "strip", "xargs"})


def _command_kind(command: _shell.Command) -> CommandKind:
    argv = command.argv
    if not argv:
        return "system"
    if _removes_packages(argv):
        return "packages"
    tool = argv[0].rsplit("/", 1)[-1]
    found = list(_managers.invocations(_shell.Script(" ".join(command.words), (command,), False)))
    for inv in found:
        if inv.manager in ("apt", "apk"):
            return "packages" if inv.role in ("add", "update", "clean") or inv.sub in _APT_CLEANUP else "other"
        if inv.role in ("install", "build", "fetch") or _build_kind(inv) is not None:
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


def _removes_packages(argv: tuple[str, ...]) -> bool:
    if not argv:
        return False
    tool = argv[0].rsplit("/", 1)[-1]
    rest = [a for a in argv[1:] if not a.startswith("-")]
    if tool in ("apt-get", "apt"):
        return bool(rest) and rest[0] in ("purge", "remove", "autoremove")
    return tool == "apk" and bool(rest) and rest[0] == "del"


def _package_words(inv: Invocation) -> list[str]:
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


def _static_packages(script: RunScript | None) -> set[str] | None:
    """The packages a RUN installs when it only installs CA certificates or time zone data."""
    if script is None or script.script.compound:
        return None
    found: set[str] = set()
    for command in script.script.commands:
        if _command_kind(command) != "packages":
            return None
    for inv in script.invocations:
        if inv.manager in ("apt", "apk") and inv.sub in ("install", "add"):
            names = {_bare(p) for p in _package_words(inv)}
            if not names <= _STATIC_PROVIDED:
                return None
            found |= names
    return found


def _bare(package: str) -> str:
    """``libpq-dev=15.1`` → ``libpq-dev``; ``gcc:amd64`` → ``gcc``."""
    return re.split(r"[=:<>~]", package, maxsplit=1)[0]


def _is_build_package(package: str, ecosystem: Ecosystem) -> bool:
    name = _bare(package)
    if ecosystem in ("go", "rust") and name in _VCS:
        return True  # go and cargo fetch modules and crates with them
    if "$" in name or "*" in name:
        return False
    if name in _BUILD_PACKAGES or name.endswith(("-dev", "-devel")):
        return True
    return re.fullmatch(r"g(cc|\+\+)-\d+", name) is not None


def _package_run(packages: _Packages) -> str:
    names = " ".join(packages.keep)
    if packages.manager == "apk":
        return f"apk add --no-cache {names}"
    options = [o for o in packages.options if o in ("-y", "--yes", "-qq", "-q", "--no-install-recommends",
                                                    "--assume-yes", "-yq", "-qy")]  # fmt: skip
    if not any(o in ("-y", "--yes", "--assume-yes", "-yq", "-qy") for o in options):
        options.insert(0, "-y")
    return f"apt-get update && apt-get install {' '.join(options)} {names} && rm -rf /var/lib/apt/lists/*"


def _copy_operands(argv: tuple[str, ...]) -> tuple[list[str], str, bool] | None:
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


def _go_args(args: tuple[str, ...]) -> tuple[dict[str, str], list[str]]:
    """Go build flags (``-o``...) with values and the package arguments. Boolean flags take no value."""
    value_flags = {
        "-o", "-tags", "-ldflags", "-gcflags", "-asmflags", "-mod", "-C", "-p", "-modfile", "-pkgdir", "-buildmode",
        "-compiler", "-installsuffix", "-overlay", "-pgo", "-toolexec", "-buildvcs",
    }  # fmt: skip
    flags: dict[str, str] = {}
    packages: list[str] = []
    k = 0
    while k < len(args):
        a = args[k]
        if a.startswith("-"):
            name, eq, value = a.partition("=")
            name = "-" + name.lstrip("-")
            if eq:
                flags[name] = value
            elif name in value_flags and k + 1 < len(args):
                flags[name] = args[k + 1]
                k += 1
            else:
                flags[name] = ""
        else:
            packages.append(a)
        k += 1
    return flags, packages


def _go_binary_name(import_path: str) -> str:
    """``example.com/cmd/hello`` → ``hello``; a major-version suffix is skipped (``example.com/x/v2`` → ``x``)."""
    parts = [p for p in import_path.rstrip("/").split("/") if p]
    if len(parts) > 1 and re.fullmatch(r"v[2-9]\d*", parts[-1]):
        return parts[-2]
    return parts[-1] if parts else ""


def _maven_artifact(pom: str) -> str | None:
    """``<finalName or artifactId-version>.<packaging>`` of a single-module pom.xml."""
    try:
        root = ET.fromstring(pom)
    except ET.ParseError:
        return None
    ns = root.tag[: root.tag.index("}") + 1] if root.tag.startswith("{") else ""

    def text(path: str) -> str | None:
        node = root.find("/".join(ns + p for p in path.split("/")))
        return node.text.strip() if node is not None and node.text else None

    if root.find(ns + "modules") is not None:
        return None
    artifact = text("artifactId")
    version = text("version") or text("parent/version")
    packaging = text("packaging") or "jar"
    if packaging not in ("jar", "war"):
        return None
    final = text("build/finalName")
    props = {"project.artifactId": artifact, "project.version": version, "artifactId": artifact}
    properties = root.find(ns + "properties")
    if properties is not None:
        for child in properties:
            props[child.tag.removeprefix(ns)] = (child.text or "").strip()
    name = final or (f"{artifact}-{version}" if artifact and version else None)
    if name is None:
        return None
    for _ in range(5):
        name = re.sub(r"\$\{([^}]+)\}", lambda m: props.get(m.group(1)) or m.group(0), name)
    if "${" in name:
        return None
    return f"{name}.{packaging}"


def _java_jar(argv: tuple[str, ...]) -> str | None:
    for k, word in enumerate(argv):
        if word == "-jar" and k + 1 < len(argv):
            return argv[k + 1]
    return None


def _dist_root(path: str, produced: str) -> str:
    """``/app/build/install/app/bin/app`` under ``/app/build/install/*`` → ``/app/build/install/app``."""
    prefix = produced.rstrip("*").rstrip("/")
    rest = path[len(prefix) + 1 :]
    return posixpath.join(prefix, rest.split("/", 1)[0])


def _match_produced(path: str, produced: Mapping[str, tuple[int, bool]]) -> tuple[str, bool] | None:
    """The produced entry that ``path`` is (or lies in, for folders and globs)."""
    for candidate, (_, is_dir) in produced.items():
        if path == candidate or fnmatch.fnmatchcase(path, candidate) or fnmatch.fnmatchcase(candidate, path):
            return candidate, is_dir
        if (is_dir or candidate.endswith("/*")) and (_inside(path, candidate.rstrip("*").rstrip("/"))):
            return candidate, True
    return None


def _python_manifest(path: str) -> bool:
    name = posixpath.basename(path)
    return (name.startswith("requirements") and name.endswith((".txt", ".in"))) or name in (
        "pyproject.toml", "poetry.lock", "setup.py", "setup.cfg", "Pipfile", "Pipfile.lock", "poetry.toml",
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------------------
# Small helpers


def _commands_in(step: _Step) -> Iterator[tuple[tuple[str, ...], str]]:
    """Each command of the step's RUN script with the folder it runs in, following plain ``cd`` commands."""
    if step.script is None:
        return
    cwd = step.state.workdir
    for command in step.script.script.commands:
        argv = command.argv
        if len(argv) == 2 and argv[0] == "cd" and not argv[1].startswith(("$", "~", "-")):
            cwd = _stages.join(cwd, argv[1])
        yield argv, cwd


def _inside(path: str, folder: str) -> bool:
    folder = folder.rstrip("/")
    return path.startswith(folder + "/") if folder else path.startswith("/")


def _dest_in(path: str, workdir: str) -> str:
    """A COPY destination for folder ``path``: relative (``./``) inside the WORKDIR, else absolute."""
    if path == workdir:
        return "./"
    if _inside(path, workdir):
        return "./" + path[len(workdir.rstrip("/")) + 1 :] + "/"
    return path.rstrip("/") + "/"


def _copy_text(builder: str, art: _Artifact, workdir: str) -> str:
    flags = [f"--from={builder}"]
    if art.chown:
        flags.append(f"--chown={art.chown}")
    if art.more:
        # Several files into one folder, as the original COPY wrote them (DL3021: the folder ends in /).
        dest = _dest_in(art.dest.rstrip("/"), workdir)
        return " ".join([*flags, *(_quote_path(p) for p in (art.source, *art.more)), _quote_path(dest)])
    if "*" in posixpath.basename(art.source):
        # A glob may match several files: the destination is their folder, written with a slash (DL3021).
        dest = _dest_in(posixpath.dirname(art.dest.rstrip("/")), workdir)
    else:
        # A folder copied onto a folder path copies its contents there, like a file onto a file path.
        path = art.dest.rstrip("/") or "/"
        dest = path if path == "/" else ("." if path == workdir else _relative_dest(path, workdir))
    source = art.source.rstrip("/") or "/"
    return " ".join([*flags, _quote_path(source), _quote_path(dest)])


def _relative_dest(path: str, workdir: str) -> str:
    return "./" + path[len(workdir.rstrip("/")) + 1 :] if _inside(path, workdir) else path


def _quote_path(path: str) -> str:
    return path if not re.search(r"\s", path) else json.dumps(path)


def _unique_name(stage: Stage) -> str:
    taken = {stage.name.lower()} if stage.name else set()
    for name in ("builder", "build", "compile"):
        if name not in taken:
            return name
    return "builder-stage"


def _named_from(tree: Dockerfile, node: From, name: str, as_word: str) -> From:
    """The FROM with ``AS name`` added, or its name replaced (the runtime stage keeps the old one)."""
    view = tree.view(node)
    text = view.args_text
    if len(view.args) == 3 and view.args[1].lower() == "as":
        stripped = text.rstrip()
        start = stripped.rfind(view.args[2])
        return splice_args(tree, node, [(start, len(stripped), name)])
    end = len(text.rstrip())
    return splice_args(tree, node, [(end, end, f" {as_word} {name}")])


_VAR_USE = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")


def _drop_unused_args(tree: Dockerfile, runtime: list[Instruction], tail: Sequence[Instruction]) -> list[Instruction]:
    """Keep a repeated ARG only when a runtime instruction uses it (BuildKit scopes ARG to its stage)."""
    used: set[str] = set()
    for node in (*runtime, *tail):
        if not isinstance(node, Arg):
            used |= set(_VAR_USE.findall(node.code))
    return [
        node for node in runtime
        if not isinstance(node, Arg) or {w.split("=", 1)[0] for w in tree.view(node).args} & used
    ]  # fmt: skip


def _short(tree: Dockerfile, node: Instruction) -> str:
    text = " ".join(tree.view(node).args_text.split())
    return text if len(text) <= 60 else text[:57] + "..."


def _positional(args: Sequence[str], value_options: set[str]) -> list[str]:
    out = []
    skip = False
    for a in args:
        if skip:
            skip = False
        elif a.startswith("-"):
            skip = a in value_options
        else:
            out.append(a)
    return out


def _option(args: Sequence[str], name: str) -> str | None:
    values = _option_all(args, name)
    return values[-1] if values else None


def _option_all(args: Sequence[str], name: str) -> list[str]:
    out = []
    for k, a in enumerate(args):
        if a == name and k + 1 < len(args):
            out.append(args[k + 1])
        elif a.startswith(name + "="):
            out.append(a.split("=", 1)[1])
    return out


def _json_object(text: str) -> dict[str, object] | None:
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _str_dict(value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {str(k): v for k, v in value.items() if isinstance(v, str)}

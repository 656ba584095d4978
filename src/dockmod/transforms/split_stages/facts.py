"""The single stage as every plan reads it, read once (``StageFacts``): its steps with their RUN scripts and
working folders, the copies from the build context and the files they put where, the start command; and the rules
all plans follow: which RUN lines of the builder part the runtime stage repeats, which system packages it keeps
(the runtime library of each ``-dev`` package, nothing a RUN removes again), where the build part ends, which
files ``touch`` made, whose the outputs are and which base the runtime starts from. Apart from the plans because
the Node, Python and compiled plans all build on it."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from typing import Final, Literal

from dockmod import imageref
from dockmod.context import BuildContext
from dockmod.cst import Add, Cmd, Copy, Dockerfile, Entrypoint, Instruction, Onbuild, Run, Stage
from dockmod.transforms import _managers, _stages
from dockmod.transforms._managers import RunScript
from dockmod.transforms._stages import State
from dockmod.transforms.split_stages import common

# Installers of compiler toolchains that a RUN downloads and runs.
_TOOLCHAIN_INSTALLER: Final = re.compile(
    r"sh\.rustup\.rs|rustup-init|go\.dev/dl/|golang\.org/dl/|dl\.google\.com/go/|apache-maven-|services\.gradle\.org"
)
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


class StageFacts:
    """The stage being split and the rules its plans share; ``interpreted`` and ``programs`` plan on it."""

    def __init__(self, tree: Dockerfile, stage: Stage, build: BuildContext, options: common.Options) -> None:
        self.tree = tree
        self.stage = stage
        self.build = build
        self.options = options
        self.ref = _stages.base_image(tree, stage)
        self.image = _stages.image_name(self.ref)
        self.steps: list[common.Step] = []
        for k, (node, state) in enumerate(_stages.walk(tree, stage)):
            script = _managers.run_script(tree, node) if isinstance(node, Run) else None
            self.steps.append(common.Step(k, node, self._with_real_workdir(state), script))
        self.walked = [(step.node, step.state) for step in self.steps]  # for _stages.context_file
        self.go_inits = self._go_inits()
        self.copies = [c for s in self.steps if (c := self._context_copy(s)) is not None]
        first_copy = min((c.step.index for c in self.copies), default=len(self.steps))
        self.setup_end = first_copy  # instructions before it cannot read the sources
        self._notes: list[str] = []  # reasons the plan being made is unsafe

    # -- the stage's instructions ---------------------------------------------------------------------

    @property
    def body(self) -> tuple[Instruction, ...]:
        return self.stage.body

    def _context_copy(self, step: common.Step) -> common.ContextCopy | None:
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
        return common.ContextCopy(step, tuple(entries), wide, chown.value if chown else None, frozenset(folders))

    def _context_path(self, image_path: str) -> str | None:
        """The build-context path an image path was copied from (the last copy that covers it wins)."""
        found = None
        for copy in self.copies:
            for src, dest in copy.entries:
                if image_path == dest:
                    found = src
                elif common.inside(image_path, dest) and (src == "" or self.build.is_dir(src)):
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

    def _entry(self) -> common.Entry | None:
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
        return common.Entry(argv, shell, self._with_real_workdir(_stages.final_state(self.tree, self.stage)))

    # -- shared rules ---------------------------------------------------------------------------------

    def _check_tail(self, plan: common.Plan) -> None:
        """Instructions after the build run in the runtime stage: they must not need the build tree."""
        for step in self.steps[plan.build_end + 1 :]:
            if isinstance(step.node, Onbuild):
                raise common.Refusal("ONBUILD triggers after the build would run in the runtime stage")

    def _check_side_effects(self, plan: common.Plan) -> None:
        """The runtime gets what dockmod can name: a command of the builder part that it does not know may
        write files the program needs elsewhere (``prisma generate`` into node_modules, ``kinto init`` into
        /etc, ``make web`` into the folder a Go server serves), and the runtime would miss them."""
        for step in self.steps[self.setup_end : plan.build_end + 1]:
            if step.script is None or self._runtime_run(step, plan) == "copy":
                continue
            for command in step.script.script.commands:
                argv = command.argv
                if argv and argv[0] != "cd" and common.command_kind(command) == "other":
                    text = " ".join(argv)
                    raise common.Refusal(
                        f"`{text if len(text) <= 50 else text[:47] + '...'}` runs in the build and may write "
                        "files outside what the runtime stage copies"
                    )

    def _runtime_run(self, step: common.Step, plan: common.Plan) -> Literal["copy", "drop"]:
        """Whether a RUN of the builder part is repeated in the runtime stage."""
        index = step.index
        if (plan.packages is not None and index in plan.packages.merged) or index in plan.dropped:
            return "drop"
        script = step.script
        if _TOOLCHAIN_INSTALLER.search(self.tree.view(step.node).args_text):
            return "drop"  # a compiler toolchain (rustup, a Go tarball): the runtime runs what it built
        if script is None:
            return "copy" if index < self.setup_end else "drop"
        kinds = {common.command_kind(c) for c in script.script.commands}
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

    def _other(self, step: common.Step) -> Literal["copy", "drop"]:
        # Before the first COPY nothing can read the sources: an unknown command set up the system (a
        # vendor's install script, a downloaded tool), and the runtime starts from the same base again.
        return "copy" if step.index < self.setup_end else "drop"

    def _packages(self, ecosystem: common.Ecosystem, upto: int) -> common.Packages | None:
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
            kinds = {common.command_kind(c) for c in script.script.commands}
            installs = [i for i in script.invocations if i.manager in ("apt", "apk") and i.sub in ("install", "add")]
            if not installs:
                if kinds == {"packages"}:
                    refresh.add(step.index)
                continue
            pkgs: list[str] = []
            kind: Literal["apt", "apk"] = "apt" if installs[0].manager == "apt" else "apk"
            manager = kind
            for inv in installs:
                pkgs += common.package_words(inv)
                options += [a for a in inv.args if a.startswith("-") and a not in options]
            build_pkgs = [p for p in pkgs if common.is_build_package(p, ecosystem) or common.bare(p) in removed]
            if "project" not in kinds and not build_pkgs:
                copied_install = True
                continue  # repeated as written (or, in the build part, left to the builder like its commands)
            if "project" not in kinds and not kinds <= {"packages"}:
                raise common.Refusal(
                    f"`RUN {_short(self.tree, step.node)}` installs build packages ({', '.join(build_pkgs)}) "
                    "together with other commands the runtime may need"
                )
            merged.add(step.index)
            if first < 0:
                first = step.index
            for p in pkgs:
                name = common.bare(p)
                if name in removed:
                    continue
                if not common.is_build_package(p, ecosystem):
                    keep.append(p)
                    continue
                if name in common.BUILD_PACKAGES or (self.image == "python" and name in _PYTHON_IMAGE_LIBS):
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
        return common.Packages(manager, tuple(dict.fromkeys(keep)), tuple(options), frozenset(merged), first)

    def _build_packages_left(self, upto: int) -> bool:
        """Whether some build package outlives the RUN that installs it (only then does a split help Python)."""
        for step in self.steps[: upto + 1]:
            if step.script is None:
                continue
            installed = [
                common.bare(p)
                for i in step.script.invocations if i.manager in ("apt", "apk") and i.sub in ("install", "add")
                for p in common.package_words(i) if common.is_build_package(p, "python")
            ]  # fmt: skip
            if installed and not set(installed) <= self._removed_packages(only=step):
                return True
        return False

    def _removed_packages(self, only: common.Step | None = None) -> set[str]:
        """Names of packages the stage (or one RUN) removes (``apt-get purge``, ``apk del``, virtual groups)."""
        groups: dict[str, list[str]] = {}
        removed: set[str] = set()
        for step in self.steps if only is None else [only]:
            if step.script is None:
                continue
            for inv in step.script.invocations:
                if inv.manager == "apk" and inv.sub == "add":
                    group = common.option(inv.args, "--virtual") or common.option(inv.args, "-t")
                    if group is not None:
                        groups.setdefault(group, []).extend(common.bare(p) for p in common.package_words(inv))
            for command in step.script.script.commands:
                if common.removes_packages(command.argv):
                    words = [w for w in command.argv[2:] if not w.startswith("-")]
                    for word in words:
                        removed.add(common.bare(word))
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

    # -- shared pieces --------------------------------------------------------------------------------

    def _touched(self, plan: common.Plan) -> list[common.Artifact]:
        """Files that builder-only RUNs create with ``touch`` (a database file, a log): the original image
        had them, and a bind mount of a missing file would create a folder instead."""
        out: list[common.Artifact] = []
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
                    if not any(path == c or common.inside(path, c) for c in covered):
                        out.append(common.Artifact(path, path, self._output_owner(step)))
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

    def _removal_run(self, step: common.Step) -> bool:
        """A RUN that only removes packages again (the build's own clean-up): it stays in the builder."""
        if step.script is None:
            return False
        commands = step.script.script.commands
        return any(common.removes_packages(c.argv) for c in commands) and all(
            common.command_kind(c) == "packages" for c in commands
        )

    def _system_run(self, step: common.Step) -> bool:
        if step.script is None or step.script.script.compound:
            return False
        return all(common.command_kind(c) in ("system", "packages") for c in step.script.script.commands)

    def _state_at(self, index: int) -> State:
        return self.steps[index].state

    def _output_owner(self, step: common.Step) -> str | None:
        user = step.state.user
        return None if user in (None, "root", "0", "0:0", "root:root") else user

    def _source_flags(self) -> list[str]:
        for copy in self.copies:
            if copy.wide:
                view = self.tree.view(copy.step.node)
                return [f.text for f in view.flags if f.name in ("chown", "chmod")]
        return []

    def _user_artifacts(self, base: str) -> list[common.Artifact] | None:
        if not self.options.artifacts:
            return None
        out = []
        for path in self.options.artifacts:
            absolute = _stages.join(base, path)
            if absolute.startswith(_stages.UNKNOWN_DIR):
                raise common.Refusal(f"artifact {path} is relative to a WORKDIR the Dockerfile does not show")
            if absolute == "/":
                raise common.Refusal("copying / from the builder would copy its whole file system")
            out.append(common.Artifact(absolute, absolute + ("/" if path.endswith("/") else "")))
        return out

    def _runtime_base(self, ecosystem: common.Ecosystem) -> str | None:
        if self.options.static_runtime:
            if self.options.static_runtime not in ("distroless", "scratch"):
                raise common.Refusal(
                    f"static_runtime must be 'distroless' or 'scratch', not {self.options.static_runtime!r}"
                )
            if ecosystem == "go":
                return "scratch" if self.options.static_runtime == "scratch" else common.DISTROLESS_STATIC
        return self.options.runtime_base or None


# ---------------------------------------------------------------------------------------------------------
# Small helpers


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


def _commands_in(step: common.Step) -> Iterator[tuple[tuple[str, ...], str]]:
    """Each command of the step's RUN script with the folder it runs in, following plain ``cd`` commands."""
    if step.script is None:
        return
    cwd = step.state.workdir
    for command in step.script.script.commands:
        argv = command.argv
        if len(argv) == 2 and argv[0] == "cd" and not argv[1].startswith(("$", "~", "-")):
            cwd = _stages.join(cwd, argv[1])
        yield argv, cwd


def _short(tree: Dockerfile, node: Instruction) -> str:
    text = " ".join(tree.view(node).args_text.split())
    return text if len(text) <= 60 else text[:57] + "..."

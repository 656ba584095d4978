"""``cache-mounts``: keep package-manager downloads in BuildKit cache mounts between builds.

A RUN that installs dependencies gets ``--mount=type=cache,target=<the tool's cache>``; the cache persists
on the build machine and never enters the image. See ``transforms/cache-mounts.md`` for every rule.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import json
import posixpath
import re
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar, Final, Literal, NamedTuple, cast

from dockmod import imageref
from dockmod.context import BuildContext, Context
from dockmod.cst import Add, Arg, Cmd, Copy, Directive, Dockerfile, Entrypoint, Instruction, Run, Stage, User
from dockmod.cst.edit import add_flags, physical_text, splice_args, split_leading
from dockmod.cst.view import FlagView
from dockmod.transforms import _managers, _pnpm, _shell, _stages, _yarn
from dockmod.transforms._base import Fix, Safety
from dockmod.transforms._managers import Invocation, Manager, RunScript
from dockmod.transforms._stages import State

SYNTAX = "docker/dockerfile:1"


@dataclass(frozen=True, slots=True)
class Mount:
    target: str
    sharing: str | None = None
    id: str | None = None
    uid: str | None = None
    gid: str | None = None

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
_HOME_CACHES: Final[dict[Manager, tuple[str, ...]]] = {
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
_MOVED_BY: Final[dict[Manager, tuple[str, ...]]] = {
    "npm": ("npm_config_cache", "NPM_CONFIG_CACHE"),
    "yarn": ("YARN_CACHE_FOLDER", "XDG_CACHE_HOME"),
    "pnpm": ("PNPM_HOME", "npm_config_store_dir", "XDG_DATA_HOME"),
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
    "apt": (),
    "apk": (),
}
# Options that disable the cache for one command: removed, since the mount keeps the cache out of the image.
_NO_CACHE_OPTIONS: Final[dict[Manager, tuple[str, ...]]] = {
    "pip": ("--no-cache-dir", "--no-cache"),
    "pipenv": ("--clear",),  # it empties pipenv's and pip's caches: the mount points (a real build failed)
    "uv": ("--no-cache", "-n"),
    "poetry": ("--no-cache",),
}
# Options that point a command at another cache folder: the RUN is left alone.
_CACHE_OPTIONS: Final[dict[Manager, tuple[str, ...]]] = {
    "npm": ("--cache",),
    "yarn": ("--cache-folder",),
    "pnpm": ("--store-dir",),
    "pip": ("--cache-dir",),
    "uv": ("--cache-dir",),
}
# Managers whose cache also feeds later builds in the same image: unsafe when the image runs the tool.
_RUNTIME_TOOL: Final[dict[Manager, tuple[str, ...]]] = {
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
_CACHED_RUNNERS: Final[dict[Manager, frozenset[str]]] = {"npm": frozenset({"npx"}), "uv": frozenset({"uvx"})}
_PACKAGE_MANAGERS: Final = frozenset(_MOVED_BY)
# Distribution images that set no tool-specific environment, so the tools' own defaults apply.
_PLAIN_IMAGES: Final = frozenset({"debian", "ubuntu", "alpine", "fedora", "centos", "rockylinux", "almalinux",
                                  "amazonlinux", "busybox", "archlinux", "buildpack-deps"})  # fmt: skip
# The roles in which a tool downloads: JavaScript and Python tools only while installing; compilers also
# fetch missing modules while building.
_INSTALLS: Final = frozenset({"install", "add", "fetch"})
_DOWNLOADS: Final[dict[Manager, frozenset[str]]] = {
    **{m: _INSTALLS | {"build"} for m in ("go", "cargo", "maven", "gradle", "dotnet")},
    "apt": frozenset({"add", "update"}),
    "apk": frozenset({"add", "update"}),
}
_ROOT_USERS: Final = frozenset({"root", "0", "root:root", "0:0", "root:0", "0:root"})
_OLD_FRONTEND: Final = re.compile(r"(?:docker/)?dockerfile:(?:0(?:\.\d+)*|1\.[01](?:\.\d+)?)$")


@dataclass(frozen=True)
class CacheMounts:
    """Add BuildKit cache mounts to dependency installs."""

    name: ClassVar[str] = "cache-mounts"
    summary: ClassVar[str] = "cache package-manager downloads across builds with RUN --mount=type=cache"
    safety: ClassVar[Safety] = Safety.SAFE

    apt: bool = True  # offer (unsafe) apt cache mounts
    apk: bool = True  # offer (unsafe) apk cache mounts
    # Add `# syntax=docker/dockerfile:1`. BuildKit then pulls that frontend image from Docker Hub; builders that
    # cannot reach it may rely on their built-in frontend, which has RUN --mount since Dockerfile 1.2 (Docker 20.10).
    syntax: bool = True

    def check(self, tree: Dockerfile, ctx: Context) -> Iterator[Fix]:
        syntax = tree.directive("syntax")
        if syntax is not None and _OLD_FRONTEND.search(syntax.value.split("@", 1)[0].strip()):
            return  # the pinned frontend predates RUN --mount
        directives: tuple[Directive, ...] = ()
        if syntax is None and self.syntax:
            directives = (Directive(text=f"# syntax={SYNTAX}", newline=tree.newline),)
        runtime = _runtime_commands(tree, ctx.build)
        for stage in tree.stages:
            yield from self._stage(tree, stage, directives, runtime, ctx.build)

    def _stage(
        self,
        tree: Dockerfile,
        stage: Stage,
        directives: tuple[Directive, ...],
        runtime: frozenset[str],
        build: BuildContext,
    ) -> Iterator[Fix]:
        apt = _AptState(enabled=self.apt and _apt_stage_ok(tree, stage))
        walked = tuple(_stages.walk(tree, stage))
        image = _stages.image_name(_stages.base_image(tree, stage))
        # What the stages this one builds on (`FROM base`) left is there too: a settings.xml a base stage copies
        # into /root/.m2 is hidden by a mount of it as much as one this stage copies (a real build lost it).
        chain = _stages.lineage(tree, stage)
        earlier = _Earlier(_copied_out(tree, stage), chain[-2] if len(chain) > 1 else None, image, build)
        for k, (ins, state) in enumerate(walked):
            if isinstance(ins, Copy | Add):
                earlier.copy(tree, ins, state, image)
                continue
            if not isinstance(ins, Run):
                continue
            script = _managers.run_script(tree, ins)
            if script is not None and not script.heredoc:
                site = _Site(build, walked, k)
                plan = _plan(tree, stage, site, script, state, earlier, runtime, apt, self.apk)
                if plan is not None and not plan.mounts:
                    yield Fix(message=plan.message, safety=Safety.DISPLAY_ONLY, replace={ins: (ins,)})
                elif plan is not None:
                    new = splice_args(tree, ins, plan.edits) if plan.edits else ins
                    new = add_flags(tree, new, [m.flag for m in plan.mounts])
                    nodes: tuple[Instruction, ...] = (new,)
                    if plan.prepares_apt:
                        # The preparation goes first, below the blank lines but above the comments: those speak
                        # of the RUN, and some speak to tools about the next line (`# hadolint ignore=DL3008`).
                        blank, comments = split_leading(ins.leading)
                        prepare = tree.new(Run, _APT_PREPARE, like=ins, leading=blank)
                        nodes = (prepare, new.with_leading(comments))
                    yield Fix(message=plan.message, safety=plan.safety, replace={ins: nodes}, directives=directives)
                    apt.prepared = apt.prepared or plan.prepares_apt
            apt.prepared = apt.prepared or "docker-clean" in tree.view(ins).args_text
            earlier.runs.append((stage, ins, state))


@dataclass
class _Earlier:
    """What the instructions above a RUN left where a cache mount may go: COPY/ADD destinations, and the paths
    earlier RUN lines name (``echo ... > /root/.m2/settings.xml``), in this stage and in those it builds on. The
    RUN lines are read once each, when a mount is first planned after them: most RUN lines get none, and a stage
    may have thousands."""

    # Paths later stages copy out of this one (`COPY --from=deps /go/pkg/mod ...`): a mount leaves them empty (a real
    # build: "stat /go/pkg/mod: no such file or directory").
    copied_out: list[str]
    parent: Stage | None  # the stage this one builds on (`FROM base`): what it and its parents left is there too
    image: str | None
    build: BuildContext
    copied: list[str] = field(default_factory=list)  # this stage's, so far
    # This stage's COPY/ADD lines, with their destinations: one into a folder around a cache target may fill it.
    copies: list[tuple[str, Copy | Add]] = field(default_factory=list)
    runs: list[tuple[Stage, Run, State]] = field(default_factory=list)
    _named: list[str] = field(default_factory=list)
    _filled: list[str] = field(default_factory=list)  # folders earlier RUN lines unpack or copy folders into
    # By target: how many of ``copies`` were looked at, and those that may fill it through a folder around it.
    _fills: dict[str, tuple[int, list[str]]] = field(default_factory=dict)
    # By target: how many of ``copied`` were looked at, and those inside it.
    _inside: dict[str, tuple[int, list[str]]] = field(default_factory=dict)
    # By tool: the first RUN of the stages above that fills its cache (``ran``).
    _ran_above: dict[str, Run | None] = field(default_factory=dict)
    # By tool: how many of ``runs`` were looked at, and the first that fills its cache (``ran``).
    _ran: dict[str, tuple[int, Run | None]] = field(default_factory=dict)
    _read: int = 0  # how many of ``runs`` ``_named`` and ``_filled`` cover
    # The RUN lines below that read a cache (``_readers``), by tool, targets and home: worked out once per stage
    # and check (they depend on the build context this check reads).
    readers: dict[tuple[object, ...], tuple[list[int], list[str], str | None]] = field(default_factory=dict)

    def copy(self, tree: Dockerfile, ins: Copy | Add, state: State, image: str | None) -> None:
        dest = _copy_destination(tree, ins, state, image)
        if dest is not None:
            self.copied.append(dest)
            self.copies.append((dest, ins))

    def copied_into(self, tree: Dockerfile, target: str, *, offline: bool) -> list[str]:
        done, inside = self._inside.get(target, (0, []))
        inside += [w for w in self.copied[done:] if _inside(w, target)]  # each copy once per target
        self._inside[target] = (len(self.copied), inside)
        own = list(inside)
        if offline:
            # An install that reads only the cache (`npm ci --offline`) needs what was put there through a folder
            # around it too: an archive ADD unpacks there (`ADD npm-cache.tgz /root/`), a folder of another stage
            # (`COPY --from=seed /root /root`) or of the context that holds the target's path (real builds with the
            # mount failed: ENOTCACHED). Any other install downloads what the mount hides again.
            # Each copy is looked at once per target (a file of a thousand offline installs took seconds).
            done, found = self._fills.get(target, (0, []))
            found += [
                dest
                for dest, ins in self.copies[done:]
                if dest not in ("/", target)
                and _inside(target, dest)
                and _may_fill(tree, ins, self.build, target, dest)
            ]
            self._fills[target] = (len(self.copies), found)
            own += found
        return [*_inherited(tree, self.parent, self.image, target, "COPY"), *own] if self.parent else own

    def ran(self, tree: Dockerfile, manager: Manager) -> Run | None:
        """An earlier RUN of this stage, or of the stages it builds on (`FROM base` after `RUN npm cache add` there),
        that fills ``manager``'s cache in the image and gets no mount of it (`npm cache add ms@2.1.3`): an install
        or download step (`pnpm fetch`) gets the same mount as the install after it, which then finds the packages
        in the mount. Each RUN is looked at once per tool (real builds with the mount failed with ENOTCACHED)."""
        if manager not in self._ran_above:
            above = (
                [(s, ins, st) for s in _stages.lineage(tree, self.parent) for ins, st in _stages.walk(tree, s)]
                if self.parent is not None
                else []
            )
            runs = [(s, r, st) for s, r, st in above if isinstance(r, Run)]
            self._ran_above[manager] = _filler(tree, runs, manager, self.build)
        if self._ran_above[manager] is not None:
            return self._ran_above[manager]
        done, found = self._ran.get(manager, (0, None))
        if found is None:
            found = _filler(tree, self.runs[done:], manager, self.build)
        self._ran[manager] = (len(self.runs), found)
        return found

    def named_in(self, tree: Dockerfile, target: str, *, offline: bool) -> list[str]:
        for stage, run, state in self.runs[self._read :]:
            self._named += _run_paths(tree, stage, run, state)
            self._filled += _run_fills(tree, run, state)
        self._read = len(self.runs)
        own = [w for w in self._named if _inside(w, target)]
        # For an install that reads only the cache, a folder around it that a RUN unpacks an archive or copies a
        # folder into (`tar -xzf npm-cache.tgz -C /root`: a real build with the mount failed with ENOTCACHED). `/`
        # is left out: an archive of system files unpacked there (s6-overlay) holds no cache.
        own += [f for f in self._filled if offline and f not in ("/", target) and _inside(target, f)]
        return [*_inherited(tree, self.parent, self.image, target, "RUN"), *own] if self.parent else own


def _reads_cache_only(tree: Dockerfile, run: Run, env: Mapping[str, str]) -> bool:
    """Whether a RUN's install reads packages from the cache alone (`npm ci --offline`, `GOPROXY=off`, or
    `npm_config_offline=true` in the environment, also through a variable dockmod cannot expand)."""
    settings = {k.lower(): v.lower() for k, v in env.items()}
    values = (settings.get("npm_config_offline"), settings.get("yarn_offline"))
    return bool(_OFFLINE.search(_run_text(tree, run))) or any(v == "true" or "$" in v for v in values if v)


def _filler(
    tree: Dockerfile, runs: Sequence[tuple[Stage, Run, State]], manager: Manager, build: BuildContext
) -> Run | None:
    """The first of ``runs`` that adds to ``manager``'s cache without a mount (`npm cache add`, `pnpm store add`,
    `npm pack ms@2.1.3`, `npx`), itself or through a script of the project it runs (`sh scripts/seed.sh` running
    `npm cache add`: real builds with the mount failed with ENOTCACHED); an install or download (`pnpm fetch`,
    `cargo fetch`) gets the mount itself."""
    fills = _FILLS.get(manager) or re.compile(rf"\b{re.escape(manager)}\s+(?:cache|store)\s+add\b")
    for stage, run, state in runs:
        script = _managers.run_script(tree, run)
        if script is None or any(f.name == "mount" for f in tree.view(run).flags):
            continue
        if any(_fills_cache(i, manager) for i in script.invocations) or (
            manager == "npm" and any(c.runs[:1] == ("npx",) for c in script.script.commands)
        ):
            return run
        for k, command in enumerate(script.script.commands):
            program = _script_path(command.runs) or _sourced_script(script.script, k)
            operand = _shell.run_operand(command.runs)
            if program is None and operand is not None and operand[0] == "file":
                program = operand[1]
            if program is None or "$" in program:
                continue
            walked = _stages.chain_walk(tree, stage)
            end = tree.memo(("cache-mounts-chain-positions", stage), functools.partial(_positions, walked)).get(id(run))
            source = _stages.context_file(tree, walked, _stages.join(state.workdir, program), build, end=end)
            text = build.read_text(source) if isinstance(source, str) else None
            if text is not None and fills.search(text):
                return run
    return None


def _positions(walked: Sequence[tuple[Instruction, State]]) -> dict[int, int]:
    """The position of each instruction in ``walked``, by its identity."""
    return {id(ins): k for k, (ins, _) in enumerate(walked)}


def _fills_cache(inv: Invocation, manager: Manager) -> bool:
    """Whether an invocation adds packages to ``manager``'s cache without installing: `npm cache add`, `pnpm store
    add`, `npm pack <spec>` (a real build's offline install found what it fetched), `npm exec`."""
    if inv.manager != manager:
        return False
    if inv.sub in ("cache", "store") and inv.args[:1] == ("add",):
        return True
    if manager != "npm":
        return False
    if inv.sub in ("exec", "x"):
        return True
    if inv.sub != "pack":
        return False
    words = [w for a, w in zip(("", *inv.args), inv.args, strict=False) if a != "--pack-destination"]
    return any(not w.startswith(("-", ".", "/", "file:")) for w in words)


_FILLS: Final[dict[Manager, re.Pattern[str]]] = {
    "npm": re.compile(r"\bnpm\s+(?:cache\s+add|pack\s+[^-\s./]|exec\b)|\bnpx\s"),
}


def _npmrc_offline(
    tree: Dockerfile,
    site: _Site,
    state: State,
    env: Mapping[str, str],
    home: str | None,
    invs: Sequence[Invocation] = (),
) -> bool:
    """Whether an .npmrc the copies above put where npm reads it (the project's, in the folder each install runs in
    or its `--prefix` names, `cd web && npm ci`; the user's, or the file `NPM_CONFIG_USERCONFIG` names, and npm's
    global one: Debian's npm reads /etc/npmrc) sets `offline=true` (real builds with the mount failed with
    ENOTCACHED)."""
    settings = {k.lower(): v for k, v in env.items()}
    user = settings.get("npm_config_userconfig") or (posixpath.join(home, ".npmrc") if home else None)
    projects = {_stages.join(state.workdir, inv.cwd) for inv in invs} | {state.workdir}
    projects |= {
        _stages.join(state.workdir, posixpath.join(inv.cwd, prefix))
        for inv in invs
        if (prefix := _managers.option_value(inv.args, ("--prefix", "-C"))) is not None
    }
    places = [posixpath.join(p, ".npmrc") for p in sorted(projects)]
    places += [_stages.join(state.workdir, user)] if user else []
    for path in places:
        try:
            text = site.read(tree, path) or ""
        except _Unreadable:
            return True  # dockmod cannot read it: it may
        if _NPMRC_OFFLINE.search(text):
            return True
    # A global npmrc another stage's folder may bring (`COPY --from=node /usr/local /usr/local`) counts as not set.
    config = settings.get("npm_config_globalconfig")
    return any(
        _NPMRC_OFFLINE.search(_readable(tree, site, path) or "")
        for path in ([_stages.join(state.workdir, config)] if config else ["/usr/local/etc/npmrc", "/etc/npmrc"])
    )


_NPMRC_OFFLINE: Final = re.compile(r"^\s*offline\s*=\s*true\b", re.MULTILINE)
# A RUN that writes `offline=true` into an npmrc: `npm config set offline true` (also `--location=global`, `-g`),
# `npm set offline=true`, `echo offline=true > .npmrc`.
_RUN_SETS_OFFLINE: Final = re.compile(
    r"\bnpm\s+(?:config\s+)?set\s+(?:-\S+\s+)*offline(?:\s*=\s*|\s+)[\"']?true\b|offline\s*=\s*true\b[^\n;&|]*npmrc"
)
_OFFLINE_VARIABLES: Final = frozenset({"npm_config_offline", "yarn_offline"})


def _offline_above(tree: Dockerfile, stage: Stage, walked: Sequence[tuple[Instruction, State]], index: int) -> bool:
    """Whether something above the RUN at ``index`` of ``walked`` (the stage's walk) may make installs read the cache
    alone: a RUN, of this stage or of the stages it builds on, that writes `offline=true` into an npmrc (`npm config
    set offline true`), or an ARG `NPM_CONFIG_OFFLINE` without a default, which `--build-arg` sets (real builds with
    the mount failed with ENOTCACHED). Worked out once per stage."""

    def first() -> int | None:
        if _stages.fold_above(
            tree, stage, "cache-mounts-offline-above-stages", False, functools.partial(_sets_offline, tree)
        ):
            return -1
        for k, (ins, _) in enumerate(walked):
            if isinstance(ins, Run) and _RUN_SETS_OFFLINE.search(_run_text(tree, ins)):
                return k
            if isinstance(ins, Arg) and any(
                "=" not in w and w.lower() in _OFFLINE_VARIABLES for w in tree.view(ins).args
            ):
                return k
        return None

    found = tree.memo(("cache-mounts-offline-above", stage), first)
    return found is not None and found <= index


def _sets_offline(tree: Dockerfile, stage: Stage, above: bool) -> bool:
    """Whether ``stage`` (``above``: or a stage it builds on) has a RUN that writes `offline=true` into an npmrc."""
    return above or any(
        isinstance(ins, Run) and _RUN_SETS_OFFLINE.search(_run_text(tree, ins)) for ins, _ in _stages.walk(tree, stage)
    )


def _may_fill(tree: Dockerfile, ins: Copy | Add, build: BuildContext, target: str, dest: str) -> bool:
    """Whether a COPY/ADD into ``dest``, a folder around ``target``, may put files in ``target``: an archive ADD
    unpacks, another stage's or image's folder holds what dockmod cannot see, a folder of the build context holds
    the target's path."""
    view = tree.view(ins)
    if view.flag("from") is not None:
        return True
    rel = posixpath.relpath(target, dest)
    for source in view.args[:-1]:
        if "://" in source:
            continue  # a URL: one file
        if isinstance(ins, Add) and _stages.ARCHIVE.search(source):
            return True
        base = source.strip("/")
        path = rel if base in (".", "") else posixpath.join(base, rel)
        if _shell.is_pattern(base) or (build.exists(path) and not build.ignored(path)):
            return True
    return False


def _run_fills(tree: Dockerfile, run: Run, state: State) -> list[str]:
    """The folders a RUN unpacks an archive into (`tar -x -C`, `unzip -d`) or copies a folder's content into (`cp
    -r`, `cp -a`, `rsync`), from its working folder and `cd` commands."""
    script = _managers.run_script(tree, run)
    out: list[str] = []
    here: str | None = state.workdir
    for command in script.script.commands if script is not None else ():
        argv = command.argv
        tool = argv[0].rsplit("/", 1)[-1] if argv else ""
        if tool == "cd":
            here = _stages.join(here, argv[1]) if here is not None and len(argv) == 2 and "$" not in argv[1] else None
            continue
        into = _shell.unpacks_into(argv)
        recursive = tool == "rsync" or (
            tool == "cp" and any(re.fullmatch(r"-\w*[rRa]\w*|--recursive", w) for w in argv)
        )
        if into is None and recursive:
            into = next((w for w in reversed(argv[1:]) if not w.startswith("-")), None)
        if into is not None and here is not None and "$" not in into:
            out.append(_stages.join(here, into))
    return out


def _inherited(tree: Dockerfile, stage: Stage, image: str | None, target: str, kind: str) -> tuple[str, ...]:
    """The paths inside ``target`` that ``stage`` and the stages it builds on leave: their COPY/ADD destinations
    ("COPY") or the paths their RUN lines name ("RUN"). Once per stage and target, from the parent's answer: a
    generated chain of thousands of stages would otherwise read every stage above each one (quadratic)."""
    chain = _stages.lineage(tree, stage)
    start, known = _stages.nearest_known(tree, chain, lambda s: ("cache-mounts-inherited", s, image, target, kind))
    found = cast(tuple[str, ...], known) if known is not None else ()
    for s in chain[start:]:
        found += tuple(w for w in _left_by(tree, s, image, kind) if _inside(w, target))
        tree.memo(("cache-mounts-inherited", s, image, target, kind), functools.partial(tuple, found))
    return found


def _left_by(tree: Dockerfile, stage: Stage, image: str | None, kind: str) -> tuple[str, ...]:
    """The COPY/ADD destinations ("COPY") or the paths RUN lines name ("RUN") of ``stage`` itself."""

    def find() -> tuple[str, ...]:
        out: list[str] = []
        for ins, state in _stages.walk(tree, stage):
            if kind == "COPY" and isinstance(ins, Copy | Add):
                dest = _copy_destination(tree, ins, state, image)
                out += [dest] if dest is not None else []
            elif kind == "RUN" and isinstance(ins, Run):
                out += _run_paths(tree, stage, ins, state)
        return tuple(out)

    return tree.memo(("cache-mounts-left", stage, image, kind), find)


@dataclass
class _AptState:
    enabled: bool  # every apt RUN of the stage refreshes its package lists
    prepared: bool = False  # an earlier RUN already removes docker-clean


@dataclass(frozen=True, slots=True)
class _Site:
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
            raise _Unreadable(path)
        return self.build.read_text(source) if source is not None else None

    def search_runs(self, tree: Dockerfile, pattern: re.Pattern[str]) -> re.Match[str] | None:
        """The first match of ``pattern`` in the stage's RUN lines up to this one (commands and heredocs)."""
        for ins, _ in self.walked[: self.index + 1]:
            if isinstance(ins, Run):
                found = pattern.search(_run_text(tree, ins))
                if found is not None:
                    return found
        return None


def _run_text(tree: Dockerfile, run: Run) -> str:
    """A RUN's command and its heredoc bodies: what it runs, without flags or comments."""
    view = tree.view(run)
    return view.args_text + "".join(h.content for h in view.heredocs) if view.heredocs else view.args_text


class _Unreadable(Exception):
    """A file the tool reads may come from a copy whose source dockmod cannot read (``COPY --from``...)."""


@dataclass(frozen=True, slots=True)
class _Plan:
    mounts: tuple[Mount, ...]
    edits: tuple[tuple[int, int, str], ...]  # (start, end, text) in the RUN's argument text
    safety: Safety
    message: str
    prepares_apt: bool = False


def _plan(
    tree: Dockerfile,
    stage: Stage,
    site: _Site,
    script: RunScript,
    state: State,
    earlier: _Earlier,
    runtime: frozenset[str],
    apt: _AptState,
    apk: bool,
) -> _Plan | None:
    run = site.run
    view = tree.view(run)
    mounted = {_mount_target(f) for f in view.flags if f.name == "mount"}
    managers: dict[Manager, list[Invocation]] = {}
    for inv in script.invocations:
        if inv.manager in _PACKAGE_MANAGERS and inv.role in _DOWNLOADS.get(inv.manager, _INSTALLS):
            managers.setdefault(inv.manager, []).append(inv)
    if not managers:
        return None
    mounts: list[Mount] = []
    edits: list[tuple[int, int, str]] = []
    cached: list[str] = []
    notes: list[str] = []
    skipped: list[str] = []
    safety = Safety.SAFE
    prepares_apt = False
    removed: set[int] = set()  # indexes of commands that empty a cache: they leave the chain
    for manager, invs in managers.items():
        if manager == "apk" and not apk:
            continue
        if manager == "apt" and not (apt.enabled and _has_update(invs)):
            skipped.append("apt: every apt RUN of the stage must run apt-get update for its lists to be cached")
            continue
        env = _stages.overlay(state.env, {k: v for inv in invs for k, v in inv.command.assignments.items()})
        targets, reason = _targets(tree, stage, site, manager, state, env, invs)
        if reason is not None:
            skipped.append(f"{manager}: {reason}")
            continue
        # A target at or below a folder the RUN already mounts is covered (a mount inside a mount is not wanted).
        if all(any(_inside(t.target, m) for m in mounted) for t in targets):
            continue  # already cached
        offline = (
            _reads_cache_only(tree, run, env)
            or (manager == "npm" and _npmrc_offline(tree, site, state, env, _home(tree, stage, state, env)[0], invs))
            or (manager in ("npm", "pnpm", "yarn") and _offline_above(tree, stage, site.walked, site.index))
        )
        hidden = [("COPY", w, t.target) for t in targets for w in earlier.copied_into(tree, t.target, offline=offline)]
        hidden += [("RUN", w, t.target) for t in targets for w in earlier.named_in(tree, t.target, offline=offline)]
        out = [(w, t.target) for w in earlier.copied_out for t in targets if _takes_out(w, t)]
        if out:
            taken = out[0][0]
            if taken == _stages.UNKNOWN_DIR:
                taken = "a path dockmod cannot tell (a variable without a known value)"
            elif taken.startswith(_stages.UNKNOWN_DIR + "/"):
                taken = f"a path below {taken[len(_stages.UNKNOWN_DIR) :]} that dockmod cannot tell"
            skipped.append(f"{manager}: a later stage copies {taken} from this one, which a mount of {out[0][1]} "
                           "would leave empty")  # fmt: skip
            continue
        filler = earlier.ran(tree, manager) if offline else None
        if filler is not None:
            # `npm cache add ms@2.1.3` in an earlier RUN, then `npm ci --offline` (a real build with the mount failed
            # with ENOTCACHED).
            shown = _shell_excerpt(tree.view(filler).args_text)
            skipped.append(f"{manager}: an earlier RUN (`{shown}`) fills the cache in the image, which a mount would "
                           "hide from this install that reads the cache alone")  # fmt: skip
            continue
        if hidden:
            kind, path, target = max(hidden, key=lambda h: len(h[1]))  # the most telling path
            if kind == "COPY":
                skipped.append(f"{manager}: an earlier COPY writes into {target}, which the mount would hide")
            else:
                skipped.append(f"{manager}: an earlier RUN names {path}: a mount of {target} would hide it")
            continue
        if any(opt in inv.options for inv in invs for opt in _CACHE_OPTIONS.get(manager, ())):
            skipped.append(f"{manager}: the command names its own cache folder")
            continue
        exec_form = view.json or script.exec_form
        paths = _Paths.of(script.script, state.workdir, env, _home(tree, stage, state, env)[0])
        cleanup = _cleaners(script, manager, targets, paths)
        emptied = _may_empty(tree, site, script, manager, targets, paths, cleanup)
        if emptied is not None:
            skipped.append(f"{manager}: {emptied}")
            continue
        written = _written_into(script, targets, paths)
        if written is not None:
            safety = min(safety, Safety.UNSAFE)
            notes.append(f"{manager}: {written}, which the mount keeps out of the image")
        # An `rm` that also removes other files (`rm -rf /root/.npm .npmrc`, a registry token) keeps them: only the
        # cache's operands leave it (a real build showed the whole command dropped and the token left in the image).
        partial = {k for k in cleanup if _rm_operands(script.script.commands[k], k, targets, paths).other}
        operand_edits = _operand_edits(script, view.args_text, partial, targets, exec_form, paths)
        if operand_edits is None:
            names = ", ".join(f"`{script.script.text[c.start : c.end]}`" for k, c in enumerate(script.script.commands)
                              if k in partial)  # fmt: skip
            skipped.append(
                f"{manager}: {names} removes the cache together with other files, and dockmod cannot take the cache "
                "out of it here (exec form or quoted paths)"
            )
            continue
        cleanup -= partial
        errexit = _errexit_possible(tree, stage, site, script)
        if cleanup and (exec_form or _removal_spans(tree, run, script, removed | cleanup, errexit) is None):
            names = ", ".join(
                f"`{script.script.text[c.start : c.end]}`" for k, c in enumerate(script.script.commands) if k in cleanup
            )
            skipped.append(
                f"{manager}: {names} would empty the cache mount, and dockmod cannot remove it here "
                "(exec form, a compound command, a comment that describes it, or the end of an `&&` list under "
                "`set -e`)"
            )
            continue
        options = _option_edits(script, view.args_text, manager, invs, exec_form)
        if options is None:
            skipped.append(f"{manager}: the exec-form command disables the cache")
            continue
        if manager == "apt":
            safety = min(safety, Safety.UNSAFE)
            prepares_apt = not apt.prepared
            notes.append(
                "apt: docker-clean is removed so downloaded packages stay in the cache mount (a derived image "
                "that runs apt-get will keep its .deb files), and /var/lib/apt is no longer in the image; buildah "
                "and podman before 1.29 hang at the next RUN that takes two locked mounts"
            )
        elif manager == "apk":
            safety = min(safety, Safety.UNSAFE)
            notes.append("apk: --no-cache becomes --update-cache, so apk's index goes to the cache mount")
        elif manager == "maven" and (why := _maven_repository_at_run_time(tree)) is not None:
            safety = min(safety, Safety.UNSAFE)
            notes.append(f"maven: {why}, and the jars stay in the cache mount, out of the image")
        elif manager in _RUNTIME_TOOL and runtime & set(_RUNTIME_TOOL[manager]):
            safety = min(safety, Safety.UNSAFE)
            notes.append(f"{manager}: the image runs {manager} at start-up and will not find its cache in the image")
        elif manager in tree.memo(("cache-mounts-start-installs",), lambda: _start_installs(tree, site.build)):
            # `CMD sh -c "npm install --offline ... && node index.js"`, or an `npm run serve` doing so: a real image
            # failed to start (ENOTCACHED), the cache the build filled being in the mount, not in the image.
            safety = min(safety, Safety.UNSAFE)
            notes.append(
                f"{manager}: the image installs with {manager} when it starts, and will not find what this RUN "
                "downloads in the image (offline, it fails)"
            )
        elif runtime & (runners := _runners(script, manager)):
            safety = min(safety, Safety.UNSAFE)
            runner = min(runtime & runners)
            notes.append(
                f"{manager}: what this RUN's {runner} downloads stays in the cache mount, and the image runs {runner} "
                "at start-up: it will download it again"
            )
        later = _later_use(tree, stage, site, manager, invs) or _read_later(
            tree, stage, site, manager, targets, paths, earlier.readers
        )
        if later is not None:
            safety = min(safety, Safety.UNSAFE)
            notes.append(f"{manager}: {later}")
        owned = [t for t in targets if t.uid is not None]
        home = _home(tree, stage, state, env)[0] if owned else None
        deep = [
            t.target
            for t in owned
            if home is not None and posixpath.dirname(posixpath.normpath(t.target)) != posixpath.normpath(home)
        ]
        # As root with HOME elsewhere than /root (`ENV HOME=/app`, the app user's home): the same, for whoever
        # runs the app there later (a real image could not create /app/.cache/myapp).
        root_home = posixpath.normpath(env.get("HOME", "/root"))
        if root_home not in ("/root", "/"):
            deep += [
                t.target
                for t in targets
                if t.uid is None
                and _inside(t.target, root_home)
                and posixpath.dirname(posixpath.normpath(t.target)) != root_home
            ]
        if deep:
            # The builder makes the folders above a mount target for the mount, owned by root: a real build left
            # /home/appuser/.cache root's, and the user could not create ~/.cache/myapp at run time.
            safety = min(safety, Safety.UNSAFE)
            notes.append(
                f"{manager}: the builder creates {posixpath.dirname(deep[0])} for the mount, owned by root, and the "
                "user cannot write in it later"
            )
        removed |= cleanup
        edits += options + operand_edits
        mounts += [t for t in targets if not any(_inside(t.target, m) for m in mounted)]
        cached.append(manager)
    if not mounts:
        if skipped:
            return _Plan((), (), Safety.DISPLAY_ONLY, "no cache mount: " + "; ".join(skipped))
        return None
    edits += [
        (start, end, "")
        for start, end in _removal_spans(tree, run, script, removed, _errexit_possible(tree, stage, site, script)) or ()
    ]
    status = _status_kept_by(script, removed)
    if status is not None:
        safety = min(safety, Safety.UNSAFE)
        notes.append(status)
    message = f"cache {', '.join(cached)} downloads in " + ", ".join(m.target for m in mounts)
    if edits:
        message += (
            " (cache clean-up commands and --no-cache options are removed: the mount keeps the cache out of the image)"
        )
    if notes:
        message += "; " + "; ".join(notes)
    if skipped:
        message += "; not cached: " + "; ".join(skipped)
    return _Plan(tuple(mounts), tuple(_dedupe(edits)), safety, message, prepares_apt)


# Docker's recipe: Debian images delete downloaded packages after each install (docker-clean); keep them,
# in the cache mount, so the next build does not download them again.
_APT_PREPARE: Final = (
    "rm -f /etc/apt/apt.conf.d/docker-clean; "
    "echo 'Binary::apt::APT::Keep-Downloaded-Packages \"true\";' > /etc/apt/apt.conf.d/keep-cache"
)


def _targets(
    tree: Dockerfile,
    stage: Stage,
    site: _Site,
    manager: Manager,
    state: State,
    env: Mapping[str, str],
    invs: list[Invocation],
) -> tuple[list[Mount], str | None]:
    """The cache mounts for ``manager`` in this RUN, or the reason there are none."""
    for var in _MOVED_BY[manager]:
        if var in env:
            return [], f"{var} is set"
    base = _stages.image_name(_stages.base_image(tree, stage))
    home, uid, gid, why = _home(tree, stage, state, env)
    if manager == "uv" and _uv_symlinks(tree, site, state, env, invs, home):
        return [], "its link mode is symlink: the environment's files would point into the mount, outside the image"
    if manager == "pip":
        moved = _pip_config_cache(tree, site, env, home)
        if moved is not None:
            return [], moved
    if manager in ("npm", "yarn"):
        moved = _rc_cache(tree, site, state, manager, home)
        if moved is not None:
            return [], moved
    if manager == "apt":
        return [Mount("/var/cache/apt", "locked"), Mount("/var/lib/apt", "locked")], None
    if manager == "apk":
        return [Mount("/var/cache/apk", "locked")], None
    if why is not None or home is None:
        return [], why or "the user's home folder is unknown"
    if manager == "pnpm":
        reason = _pnpm_refusal(tree, site, state, env, invs, home)
        if reason is not None:
            return [], reason
    if manager in _HOME_CACHES:
        mounts = [Mount(posixpath.join(home, p), uid=uid, gid=gid) for p in _HOME_CACHES[manager]]
        if manager == "poetry":
            venvs = _poetry_virtualenvs_path(tree, site, state, env, invs, home)
            inside = next((m.target for m in mounts if venvs and _inside(venvs, m.target)), None)
            if inside is not None:
                why = f"its virtualenvs.path ({venvs}) is inside the cache folder {inside}"
                return [], why + ": the virtualenv would stay out of the image"
        return mounts, None
    if manager == "yarn":
        return _yarn_targets(tree, site, state, env, invs, home, uid, gid)
    if manager == "go":
        gopath = env.get("GOPATH") or ("/go" if base == "golang" else None)
        if gopath is None and base in _PLAIN_IMAGES:
            gopath = posixpath.join(home, "go")  # Go's default when GOPATH is unset
        if gopath is None:
            return [], f"GOPATH depends on the base image ({base or 'unknown'})"
        if not gopath.startswith("/") or ":" in gopath:
            return [], "GOPATH is not a single absolute folder"
        return [
            Mount(posixpath.join(gopath, "pkg/mod"), uid=uid, gid=gid),
            Mount(posixpath.join(home, ".cache/go-build"), uid=uid, gid=gid),
        ], None
    if manager == "cargo":
        cargo = env.get("CARGO_HOME") or ("/usr/local/cargo" if base == "rust" else None)
        if cargo is None and base in _PLAIN_IMAGES:
            cargo = posixpath.join(home, ".cargo")  # rustup's default when CARGO_HOME is unset
        if cargo is None or not cargo.startswith("/"):
            return [], f"CARGO_HOME depends on the base image ({base or 'unknown'})"
        return [
            Mount(posixpath.join(cargo, "registry"), uid=uid, gid=gid),
            Mount(posixpath.join(cargo, "git/db"), uid=uid, gid=gid),
        ], None
    if manager == "maven":
        return [Mount(posixpath.join(home, ".m2"), "locked", uid=uid, gid=gid)], None
    if manager == "gradle":
        if base == "gradle":
            return [], "the official gradle image keeps its Gradle home elsewhere"
        return [Mount(posixpath.join(home, ".gradle"), "locked", uid=uid, gid=gid)], None
    if manager == "composer":
        cache = env.get("COMPOSER_CACHE_DIR")
        if cache is None and "COMPOSER_HOME" in env:
            cache = posixpath.join(env["COMPOSER_HOME"], "cache")
        if cache is None and base == "composer":
            cache = "/tmp/cache"  # the composer image sets COMPOSER_HOME=/tmp
        if cache is None or not cache.startswith("/"):
            return [], "Composer's cache folder depends on COMPOSER_HOME, which the Dockerfile does not set"
        return [Mount(cache, uid=uid, gid=gid)], None
    return [], f"{manager} has no known cache folder"


_POETRY_VENVS_CONFIG: Final = re.compile(r"\bpoetry\s+config\s+(?:--local\s+)?virtualenvs\.path\s+[\"']?([^\s\"';&|]+)")


def _poetry_virtualenvs_path(
    tree: Dockerfile, site: _Site, state: State, env: Mapping[str, str], invs: list[Invocation], home: str
) -> str | None:
    """Where Poetry creates the project's virtualenv when the Dockerfile says (None: its default, beside the
    mounted folders): ``POETRY_VIRTUALENVS_PATH``, the project's ``poetry.toml``, a ``poetry config
    virtualenvs.path`` RUN (a real build: a path inside the mounted cache left the image without its virtualenv)."""
    path = env.get("POETRY_VIRTUALENVS_PATH")
    for inv in invs:
        if path is None and inv.cwd != "?":
            try:
                text = site.read(tree, posixpath.join(_stages.join(state.workdir, inv.cwd), "poetry.toml"))
            except _Unreadable:
                text = None
            try:
                table = tomllib.loads(text or "").get("virtualenvs", {})
            except tomllib.TOMLDecodeError:
                table = {}
            value = table.get("path") if isinstance(table, dict) else None
            path = value if isinstance(value, str) else None
    if path is None:
        found = site.search_runs(tree, _POETRY_VENVS_CONFIG)
        path = found.group(1) if found is not None else None
    if path is None:
        return None
    path = path.replace("{cache-dir}", posixpath.join(home, ".cache/pypoetry"))
    path = re.sub(r"^(?:~|\$HOME|\$\{HOME\})(?=/|$)", home, path)
    return _stages.join(state.workdir, path) if "$" not in path else None


def _uv_symlinks(
    tree: Dockerfile, site: _Site, state: State, env: Mapping[str, str], invs: list[Invocation], home: str | None
) -> bool:
    """uv links installed files to its cache as symlinks (``UV_LINK_MODE=symlink``, ``--link-mode symlink``,
    ``link-mode = "symlink"`` in a configuration file uv reads).

    A real build showed it: under a cache mount, ``.venv`` kept links to ``/root/.cache/uv/archive-v0/...`` that point
    nowhere in the image. The other modes (copy, clone, hardlink) leave files of their own: uv copies when it cannot
    link across the mount.
    """
    for inv in invs:
        # As uv ranks them: the command's option, the variable, then the configuration files.
        mode = (
            _managers.option_value(inv.args, ("--link-mode",))
            or env.get("UV_LINK_MODE")
            or _uv_configured_link_mode(tree, site, state, env, inv, home)
        )
        if mode == "symlink":
            return True
    return False


# pip's settings for its cache in a configuration file: `cache-dir = /var/cache/pip`, `no-cache-dir = true`.
_PIP_CACHE_SETTING: Final = re.compile(r"^\s*(?:cache[-_]dir|no[-_]cache[-_]dir)\s*[=:]", re.IGNORECASE | re.MULTILINE)


def _pip_config_cache(tree: Dockerfile, site: _Site, env: Mapping[str, str], home: str | None) -> str | None:
    """Why pip's cache is not where the mount would go: a configuration file that the copies above put where pip
    reads one (``PIP_CONFIG_FILE``, ``/etc/pip.conf``, ``/etc/xdg/pip/pip.conf``, ``~/.config/pip/pip.conf``,
    ``~/.pip/pip.conf``, ``$VIRTUAL_ENV/pip.conf``) sets ``cache-dir`` or ``no-cache-dir``, or a RUN sets them with
    ``pip config``. A real build with ``cache-dir`` in /etc/pip.conf kept pip's cache in the image once
    ``--no-cache-dir`` was removed."""
    found = site.search_runs(tree, re.compile(r"pip3?\s+config\s+set\s+\S*(?:cache-dir|no-cache-dir)"))
    if found is not None:
        return f"a RUN sets pip's cache in its configuration ({found.group(0)})"
    paths = [env.get("PIP_CONFIG_FILE", ""), "/etc/pip.conf", "/etc/xdg/pip/pip.conf"]
    if home:
        paths += [posixpath.join(home, ".config/pip/pip.conf"), posixpath.join(home, ".pip/pip.conf")]
    if env.get("VIRTUAL_ENV"):
        paths.append(posixpath.join(env["VIRTUAL_ENV"], "pip.conf"))
    for path in paths:
        if path.startswith("/") and _PIP_CACHE_SETTING.search(_readable(tree, site, path) or ""):
            return f"{path} sets pip's cache folder"
    return None


# npm's and Yarn 1's settings that move their cache or their global install folder, in an .npmrc or .yarnrc.
_RC_CACHE: Final = {
    "npm": re.compile(r"^\s*(cache|prefix)\s*=\s*(\S+)", re.MULTILINE),
    "yarn": re.compile(r"^\s*(cache-folder|--cache-folder|prefix|global-folder)\s+\"?([^\"\s]+)", re.MULTILINE),
}


def _rc_cache(tree: Dockerfile, site: _Site, state: State, manager: Manager, home: str | None) -> str | None:
    """Why npm's or Yarn 1's cache is not where the mount would go: an .npmrc or .yarnrc the copies above put where
    the tool reads one (the project's, the user's, npm's global one) sets `cache=`/`cache-folder` (a real build
    kept the cache in the image once the clean-up was removed) or a `prefix` (a global install under the cache
    was lost)."""
    name = ".npmrc" if manager == "npm" else ".yarnrc"
    paths = [_stages.join(state.workdir, name)]
    if home:
        paths.append(posixpath.join(home, name))
    if manager == "npm":
        paths += ["/usr/local/etc/npmrc", "/etc/npmrc"]
    for path in paths:
        found = _RC_CACHE[manager].search(_readable(tree, site, path) or "")
        if found is not None:
            return f"{path} sets {found.group(1).lstrip('-')} ({found.group(2)})"
    return None


def _uv_configured_link_mode(
    tree: Dockerfile, site: _Site, state: State, env: Mapping[str, str], inv: Invocation, home: str | None
) -> str | None:
    """``link-mode`` of the configuration uv reads where ``inv`` runs, as uv's documentation ranks the files: the
    project's (``uv.toml``, else ``[tool.uv]`` of ``pyproject.toml``, in that folder or the nearest above it that has
    one), then the user's (``$XDG_CONFIG_HOME/uv/uv.toml``, ``~/.config/uv/uv.toml``), then the system's
    (``$XDG_CONFIG_DIRS/uv/uv.toml`` or ``/etc/xdg/uv/uv.toml``, then ``/etc/uv/uv.toml``); ``--config-file`` or
    ``UV_CONFIG_FILE`` replaces them all, ``--no-config`` or ``UV_NO_CONFIG`` reads none. A file whose source dockmod
    cannot read (``COPY --from``) counts as not setting it."""
    if "--no-config" in inv.args or env.get("UV_NO_CONFIG", "") not in ("", "0", "false"):
        return None
    # The folder uv runs in ("?/..." below a base image's unknown WORKDIR: no project files can be looked up).
    cwd = _stages.join(state.workdir, inv.cwd) if inv.cwd != "?" else _stages.UNKNOWN_DIR
    chosen = _managers.option_value(inv.args, ("--config-file",)) or env.get("UV_CONFIG_FILE")
    if chosen:
        return _uv_setting(tree, site, _stages.join(cwd, chosen), ())
    folder = cwd
    while folder.startswith("/"):
        for name, table in (("uv.toml", ()), ("pyproject.toml", ("tool", "uv"))):
            mode = _uv_setting(tree, site, posixpath.join(folder, name), table)
            if mode is not None:
                # The first project file uv takes settings from ends the project's search, with or without a
                # link-mode: only the user's and the system's files may still give one.
                return mode or _uv_outer_link_mode(tree, site, env, home)
        if folder == "/":
            break
        folder = posixpath.dirname(folder)
    return _uv_outer_link_mode(tree, site, env, home)


def _uv_outer_link_mode(tree: Dockerfile, site: _Site, env: Mapping[str, str], home: str | None) -> str | None:
    """``link-mode`` from the user's configuration, else the system's first file."""
    config_home = env.get("XDG_CONFIG_HOME") or (posixpath.join(home, ".config") if home else None)
    if config_home:
        mode = _uv_setting(tree, site, posixpath.join(config_home, "uv", "uv.toml"), ())
        if mode:
            return mode
    dirs = [d for d in env.get("XDG_CONFIG_DIRS", "").split(":") if d.startswith("/")] or ["/etc/xdg"]
    for path in [posixpath.join(d, "uv", "uv.toml") for d in dirs] + ["/etc/uv/uv.toml"]:
        mode = _uv_setting(tree, site, path, ())
        if mode is not None:
            return mode  # only the first system file found is read
    return None


def _uv_setting(tree: Dockerfile, site: _Site, path: str, table: tuple[str, ...]) -> str | None:
    """``link-mode`` in the file at ``path``: "" when the file counts as uv configuration without it, None when it
    is absent, unreadable, not TOML, or a ``pyproject.toml`` without a ``[tool.uv]`` table."""
    text = _readable(tree, site, path)
    if text is None:
        return None
    try:
        data: object = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None
    for key in table:
        data = data.get(key, {}) if isinstance(data, dict) else {}
    if table and not data:
        return None
    mode = data.get("link-mode") if isinstance(data, dict) else None
    return mode if isinstance(mode, str) else ""


# pnpm settings that may make node_modules point into the store, as .npmrc, variables (npm_config_virtual_store_dir)
# and the command line (--virtual-store-dir, --config.enable-global-virtual-store=true) spell them.
_PNPM_LINKS: Final = re.compile(
    r"enable[-_]?global[-_]?virtual[-_]?store|virtual[-_]?store[-_]?(?:dir(?![-_]?max)|type)", re.IGNORECASE
)
_PNPM_VARIABLE: Final = re.compile(r"(?:p?npm)_config_(.+)", re.IGNORECASE)


def _pnpm_refusal(
    tree: Dockerfile, site: _Site, state: State, env: Mapping[str, str], invs: list[Invocation], home: str
) -> str | None:
    """Why pnpm gets no mount of its store here (None: it gets one).

    pnpm copies packages out of the store into node_modules when the store is another file system, but some settings
    make node_modules point into the store itself: ``enable-global-virtual-store`` (pnpm 10.12+; pnpm 11 also spells
    it ``virtual-store-type=global``) links each package to ``<store>/links/...``, and a ``virtual-store-dir`` (or
    ``modules-dir``) inside the store puts node_modules/.pnpm there. Built with pnpm 10.34 and 9.15 under a cache
    mount, the image kept links that point nowhere. ``store-dir`` moves the store away from the mount. A RUN that
    names one of the first settings is taken to set it; files whose source dockmod cannot read count as setting
    nothing (as for uv's link mode).
    """
    store = posixpath.join(home, _HOME_CACHES["pnpm"][0])
    found = site.search_runs(tree, _PNPM_LINKS)
    if found is not None:
        return f"a RUN sets pnpm's {found.group(0)}, which may point node_modules into the store"
    config_home = env.get("XDG_CONFIG_HOME", posixpath.join(home, ".config"))
    found_settings: list[_pnpm.Setting] = []
    for name, value in env.items():
        variable = _PNPM_VARIABLE.fullmatch(name)
        if variable is not None:
            setting = variable.group(1).lower().replace("_", "-")
            found_settings.append(_pnpm.Setting(setting, value, name, state.workdir))
    for inv in invs:
        folder = _stages.join(state.workdir, inv.cwd) if inv.cwd != "?" else "?"
        found_settings += _pnpm.settings(
            lambda p: _readable(tree, site, p), folder if folder.startswith("/") else None, home, config_home
        )
    for setting in found_settings:
        where = setting.file if setting.file.startswith("/") else f"the variable {setting.file}"
        if (setting.name == "enable-global-virtual-store" and setting.value.lower() not in ("false", "0")) or (
            setting.name == "virtual-store-type" and setting.value == "global"  # pnpm 11's name for it
        ):
            return (
                f"{setting.name} in {where} links node_modules to <store>/links: a cache mount of "
                f"{store} would leave those links dangling in the image"
            )
        if setting.name in ("virtual-store-dir", "modules-dir"):
            path = setting.value
            if path.startswith("~/"):
                path = posixpath.join(home, path[2:])
            path = _stages.join(setting.base, path)
            if "$" in setting.value or _inside(path, store):
                return (
                    f"{setting.name} in {where} puts the packages node_modules links to in {setting.value}: "
                    f"a cache mount of {store} would keep them out of the image"
                )
        if setting.name == "store-dir":
            return f"store-dir in {where} moves pnpm's store"
    return None


def _readable(tree: Dockerfile, site: _Site, path: str) -> str | None:
    """The file's text, or None where no copy put it or dockmod cannot read its source."""
    try:
        return site.read(tree, path)
    except _Unreadable:
        return None


# Variables that override Yarn 2+'s settings (YARN_<SETTING>) or move its global folder (XDG_DATA_HOME).
_BERRY_MOVED_BY: Final = ("YARN_ENABLE_GLOBAL_CACHE", "YARN_GLOBAL_FOLDER", "YARN_NODE_LINKER", "YARN_YARN_PATH",
                          "YARN_IGNORE_PATH", "YARN_RC_FILENAME", "XDG_DATA_HOME")  # fmt: skip
# Linkers that unpack each package out of Yarn's cache archives into node_modules: the image keeps no reference to
# the cache (an install with either, its cache deleted afterwards, still starts). Plug'n'Play reads the archives at
# run time. The pnpm linker hard-links its files to ~/.yarn/berry/index, beside the cache: that folder stays.
_COPYING_LINKERS: Final = frozenset({"node-modules", "pnpm"})
_YARN_SETTINGS_CHANGE: Final = re.compile(
    r"\.yarnrc|\byarn\s+(?:set|config\s+(?:set|unset))\b|\bcorepack\s+(?:use|up)\b"
)


def _yarn_targets(
    tree: Dockerfile,
    site: _Site,
    state: State,
    env: Mapping[str, str],
    invs: list[Invocation],
    home: str,
    uid: str | None,
    gid: str | None,
) -> tuple[list[Mount], str | None]:
    """Yarn 1 caches in its home folder; Yarn 2 and 3 in the project (``.yarn/cache``); Yarn 4, whose
    ``enableGlobalCache`` is true by default, in ``~/.yarn/berry/cache`` (``yarn config get cacheFolder``)."""
    unread = None  # a file Yarn reads that may come from a copy dockmod cannot read: the project is unknown
    try:
        projects = [
            _yarn.UNKNOWN
            if inv.cwd == "?"
            else _yarn.find(lambda p: site.read(tree, p), _stages.join(state.workdir, inv.cwd))
            for inv in invs
        ]
    except _Unreadable as unreadable:
        projects, unread = [_yarn.UNKNOWN], unreadable.args[0]
    majors = {p.major for p in projects}
    if len(majors) > 1:
        return [], "the RUN's Yarn installs run different (or unknown) versions of Yarn"
    major = majors.pop()
    if major is None and any(i.options & {"--immutable", "--immutable-cache"} for i in invs):
        unknown = (
            f"{unread} may come from a copy whose source dockmod cannot read"
            if unread
            else "the project does not say which it runs (packageManager in package.json, yarnPath in .yarnrc.yml)"
        )
        berry = (
            "Yarn Berry keeps its cache in the project (.yarn/cache) up to Yarn 3, in ~/.yarn/berry/cache from Yarn 4"
        )
        return [], f"{berry}, and {unknown}"
    if major is None or major == 1:
        # Yarn v1 keeps its cache in /usr/local/share/.cache/yarn for root, ~/.cache/yarn otherwise.
        target = "/usr/local/share/.cache/yarn" if home == "/root" else posixpath.join(home, ".cache/yarn")
        return [Mount(target, uid=uid, gid=gid)], None
    if major < 4:
        return [], f"Yarn {major} keeps its cache in the project (.yarn/cache)"
    for var in _BERRY_MOVED_BY:
        if var in env:
            return [], f"{var} is set"
    if any("--immutable-cache" in i.options for i in invs):
        return [], "--immutable-cache needs every package in the cache already, and a cache mount starts empty"
    change = site.search_runs(tree, _YARN_SETTINGS_CHANGE)
    if change is not None:
        return [], f"a RUN changes Yarn's settings (`{change.group(0)}`)"
    for project in projects:
        reason = _yarn_global_cache_refusal(project.settings)
        if reason is not None:
            return [], reason
    return [Mount(posixpath.join(home, ".yarn/berry/cache"), uid=uid, gid=gid)], None


def _yarn_global_cache_refusal(settings: Mapping[str, str]) -> str | None:
    """Why Yarn 4 with these .yarnrc.yml settings gets no mount of ~/.yarn/berry/cache (None: it gets one).

    ``cacheFolder`` does not count: Yarn uses its global folder's cache "regardless of cacheFolder" while
    ``enableGlobalCache`` is true (checked with Yarn 4.18.1: the setting is overridden, nothing is written there).
    """
    enabled = settings.get("enableGlobalCache", "true").lower()
    if enabled in ("false", "0"):
        return "enableGlobalCache is false: Yarn keeps its cache in the project (.yarn/cache)"
    if enabled not in ("true", "1"):
        return f"enableGlobalCache is {enabled!r} in .yarnrc.yml"
    if "globalFolder" in settings:
        return "globalFolder in .yarnrc.yml moves Yarn's cache"
    linker = settings.get("nodeLinker", "pnp")
    if linker == "pnp":
        return (
            "Plug'n'Play (nodeLinker pnp, Yarn's default) loads the packages from the archives in Yarn's cache at "
            "run time: a cache mount would keep them out of the image (nodeLinker node-modules or pnpm copy them)"
        )
    if linker not in _COPYING_LINKERS:
        return f"nodeLinker is {linker!r}: only node-modules and pnpm copy the packages out of Yarn's cache"
    return None


def _home(
    tree: Dockerfile, stage: Stage, state: State, env: Mapping[str, str]
) -> tuple[str | None, str | None, str | None, str | None]:
    """(home, uid, gid, reason-unknown) of the user a RUN runs as."""
    user = state.user
    if user is None or user in _ROOT_USERS:
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


def _mount_target(flag: FlagView) -> str:
    options = flag.options
    target = options.get("target") or options.get("dst") or options.get("destination")
    return _normpath(target) if target else ""


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


# A word that is a path: absolute, or in the home folder (``~/``, ``$HOME/``, ``${HOME}/``); not the tail of a
# relative path (``src/main``, ``./x``).
_PATH_WORD: Final = re.compile(r"""(?<![\w$}.~])(~|\$HOME|\$\{HOME\})?(/[^\s;&|<>()'"`]*)""")


def _run_paths(tree: Dockerfile, stage: Stage, run: Run, state: State) -> list[str]:
    """The paths a RUN names, outside its own cache mounts: it may write there, and a later cache mount over
    them would hide what it wrote. Home-relative paths count only where the home folder is known."""
    view = tree.view(run)
    text = _run_text(tree, run)
    if "/" not in text:
        return []
    script = _managers.run_script(tree, run)
    if script is not None:
        # What ``rm`` names is gone: nothing there for a mount to hide.
        text = " ".join(script.script.text[c.start : c.end] for c in script.script.commands if c.argv[:1] != ("rm",))
    home = _home(tree, stage, state, dict(state.env))[0]
    own = [_mount_target(f) for f in view.flags if f.name == "mount"]
    out = []
    for m in _PATH_WORD.finditer(text):
        prefix, path = m.group(1), m.group(2)
        if prefix:
            if home is None:
                continue
            path = home + path
        path = _normpath(path)
        if not any(target and _inside(path, target) for target in own):
            out.append(path)
    return out


# Variables official images set that name a cache folder a COPY may write into (`COPY settings.xml
# ${MAVEN_CONFIG}/`): the maven image sets MAVEN_CONFIG=/root/.m2.
_IMAGE_CACHE_ENV: Final[dict[str, dict[str, str]]] = {"maven": {"MAVEN_CONFIG": "/root/.m2"}}


def _copied_out(tree: Dockerfile, stage: Stage) -> list[str]:
    """The paths other stages' ``COPY --from`` take from ``stage`` (by its name or index)."""
    taken = tree.memo("copied-out", lambda: _stage_copies(tree))
    return [p for name in (str(stage.index), (stage.name or "").lower()) if name for p in taken.get(name, ())]


def _takes_out(path: str, target: Mount) -> bool:
    """Whether a later stage's `COPY --from` of ``path`` (maybe a pattern, or something below a folder: ``UNKNOWN_DIR``
    before it) takes the target or something of it, which a mount would leave empty."""
    if path == _stages.UNKNOWN_DIR:
        return True  # any path
    if path.startswith(_stages.UNKNOWN_DIR + "/"):  # something below this folder
        folder = path[len(_stages.UNKNOWN_DIR) :]
        return _inside(target.target, folder) or _inside(folder, target.target)
    if any(_shell.is_pattern(part) for part in path.split("/")):
        return _relation(path, [target]) != "other"
    return _inside(path, target.target) or _inside(target.target, path)


def _stage_copies(tree: Dockerfile) -> dict[str, list[str]]:
    """The absolute paths each ``COPY --from=<name or index>`` of the file takes, by the (lower-case) name, with the
    copying stage's variables expanded (`COPY --from=deps ${NPM_DIR} ...`; ``UNKNOWN_DIR`` before the folder of one
    dockmod cannot expand) and patterns kept (`/root/.np[m]`): a real image lost the cache such copies took out."""
    out: dict[str, list[str]] = {}
    for stage in tree.stages:
        for ins, state in _stages.walk(tree, stage):
            if isinstance(ins, Run):
                # A RUN's bind mount of another stage reads it as a copy does (`--mount=type=bind,from=deps,
                # source=/root/.npm`, the whole stage without a source: real images lost the cache so); a cache mount
                # `from=` a stage starts from its folder (`--mount=type=cache,from=deps,source=/root/.npm`: a real
                # build's seeded cache was empty).
                for mount in tree.view(ins).flags:
                    options = mount.options if mount.name == "mount" else {}
                    if options.get("from") and options.get("type", "bind") in ("bind", "cache"):
                        source = "/" + options.get("source", options.get("src", "")).lstrip("/")
                        out.setdefault(options["from"].lower(), []).append(_normpath(source))
                continue
            if not isinstance(ins, Copy | Add):
                continue
            view = tree.view(ins)
            flag = view.flag("from")
            if flag is None or flag.value is None:
                continue
            taken = out.setdefault(flag.value.lower(), [])
            for source in view.args[:-1]:
                expansion = imageref.expand_variables(source, dict(state.env)) if "$" in source else None
                path = expansion.text if expansion is not None else source
                if expansion is not None and not expansion.resolved:
                    # Something below the folder written before the first unknown variable (`/go/src/app/cmd/${name}`
                    # is inside /go/src/app/cmd; `/root/${SUB}` with a build argument SUB inside /root, a real image
                    # lost its cache so); a path that is all variable (`${NPM_DIR}`, `$BUNDLE_PATH`) may be any.
                    fixed = source[: source.find("$")].rpartition("/")[0]
                    taken.append(_stages.UNKNOWN_DIR + (fixed if fixed.startswith("/") else ""))
                    continue
                taken += [_normpath(path)] if path.startswith("/") else []
    return out


def _copy_destination(tree: Dockerfile, ins: Copy | Add, state: State, image: str | None = None) -> str | None:
    """Where a COPY/ADD writes, from the build context or another stage (`COPY --from=deps /go/pkg/mod /go/pkg/mod`
    fills what a mount would hide as much as a copy from the context does); None where dockmod cannot resolve it."""
    view = tree.view(ins)
    if len(view.args) < 2:
        return None
    dest = view.args[-1]
    if "$" in dest:
        env = {**_IMAGE_CACHE_ENV.get(image or "", {}), **state.env}
        expansion = imageref.expand_variables(dest, dict(env))
        if not expansion.resolved:
            return None
        dest = expansion.text
    resolved = _stages.join(state.workdir, dest)
    return None if resolved.startswith("?") else _normpath(resolved)


def _has_update(invs: list[Invocation]) -> bool:
    return any(i.role == "update" for i in invs)


def _apt_stage_ok(tree: Dockerfile, stage: Stage) -> bool:
    """apt cache mounts hide /var/lib/apt from the image: every apt RUN of the stage must refresh its lists."""
    for ins in stage.body:
        if not isinstance(ins, Run):
            continue
        script = _managers.run_script(tree, ins)
        if script is None:
            if "apt" in tree.view(ins).args_text:
                return False
            continue
        apt = [i for i in script.invocations if i.manager == "apt"]
        if apt and not _has_update(apt) and any(i.role == "add" for i in apt):
            return False
    return True


def _cleaners(script: RunScript, manager: Manager, targets: list[Mount], paths: _Paths) -> set[int]:
    """Indexes of the commands that empty ``manager``'s cache (``rm -rf <target>``, ``npm cache clean``...). Not a
    `sh -c` whose string cleans it (`sh -c "npm ci && npm cache clean --force"`): taking the whole command out would
    drop the install too (``_may_empty`` refuses the mount)."""
    found = {
        i.index
        for i in script.invocations
        if i.manager == manager and _is_cleaner(i) and _shell.shell_c_script(i.command.argv) is None
    }
    found |= {k for k, c in enumerate(script.script.commands) if _rm_operands(c, k, targets, paths).cache}
    return found


def _is_cleaner(inv: Invocation) -> bool:
    if inv.manager == "uv" and inv.args[:1] in (("clean",), ("prune",)):
        return True  # `uv cache clean`, `uv cache prune --ci` remove the cache folder itself (a real build failed)
    if inv.role != "clean":
        return False
    if inv.manager in ("npm", "yarn"):
        return "clean" in inv.args
    if inv.manager == "pip":
        return "purge" in inv.args or "remove" in inv.args
    if inv.manager == "pnpm":
        return "prune" in inv.args
    if inv.manager == "go":
        return bool(inv.options & {"-cache", "-modcache"})
    return inv.manager == "apt"


@dataclass(frozen=True, slots=True)
class _Paths:
    """The paths a RUN's commands name, made absolute: ``~`` and ``$HOME`` are the user's home, variables what the
    build and the script's own assignments before each command give them, relative paths start in the folder each
    command runs in (the WORKDIR, then each ``cd``)."""

    env: Mapping[str, str]  # the build's variables
    home: str | None
    folders: tuple[str | None, ...]  # the folder of each command, by index (None: unknown after a `cd`)
    # The script's own variables before each command, by index, each with the values it may have there: one after
    # a plain assignment, several after one in a branch, a subshell or a pipeline (which may not have run, or not in
    # this shell). `D=/root/.npm && npm ci && rm -rf $D && D=/tmp/build`: the rm removes the cache, whatever D is
    # last (a real build: "Device or resource busy" when all of a script's assignments were read as one).
    values: tuple[Mapping[str, tuple[str, ...]], ...]

    @classmethod
    def of(
        cls,
        script: _shell.Script,
        workdir: str | None,
        env: Mapping[str, str],
        home: str | None,
        values: Mapping[str, tuple[str, ...]] | None = None,
    ) -> _Paths:
        """The paths of ``script``, run in ``workdir`` with the build's ``env`` (and ``values``, the variables the
        script is given: a `sh -c` string's, from the script around it)."""
        own: Mapping[str, tuple[str, ...]] = values or {}
        here = workdir
        blocks: list[tuple[_Scope, _Scope]] = []  # for each open block: the scope at its start, and its branches'
        folders: list[str | None] = []
        before: list[Mapping[str, tuple[str, ...]]] = []
        pushed: list[str | None] = []  # the folders pushd left, for popd
        for command, (events, sure) in zip(script.commands, _shell.flow(script), strict=True):
            for event in events:
                if event == "open":
                    blocks.append(((own, here), (own, here)))
                elif blocks:  # a branch or the block's end: what each branch (or none) left may follow
                    start, merged = blocks.pop()
                    merged = _either(merged, (own, here), env)
                    if event == "branch":
                        blocks.append((start, merged))
                    own, here = start if event == "branch" else merged
            folders.append(here)
            before.append(own)
            for name, value in _shell.variables_set(command):
                new = tuple(dict.fromkeys(cls(env, home, (here,), (own,)).expand(value, 0)))
                own = {**own, name: new if sure else tuple(dict.fromkeys(_values(own, name, env) + new))}
            loop = command.words
            if loop[:1] == ("for",) and len(loop) > 3 and loop[2] == "in":
                # `for d in /root/.npm /tmp/x; do rm -rf $d; done`: the variable takes each word (a real build's
                # loop removed the mount point).
                words = [v for w in loop[3:] for v in cls(env, home, (here,), (own,)).expand(w, 0)]
                own = {**own, loop[1]: tuple(dict.fromkeys(words))}
            argv = command.runs
            if argv[:1] in (("cd",), ("pushd",)):  # bash's pushd moves as cd does (`pushd /root && rm -rf .npm`)
                pushed += [here] if argv[0] == "pushd" else []
                went = cls(env, home, (here,), (own,)).resolve(argv[1], 0) if len(argv) == 2 else home
                here = went if sure else None  # after `||` or in a pipeline: the folder after it is unsure
            elif argv[:1] == ("popd",):
                here = pushed.pop() if pushed and sure else None  # back where pushd left
        return cls(env, home, tuple(folders), tuple(before))

    def nested(self, k: int, script: _shell.Script) -> _Paths:
        """The paths of ``script``, a `sh -c` string the command at ``k`` runs: in that command's folder, with the
        variables it has there."""
        return _Paths.of(script, self.folders[k], self.env, self.home, self.values[k])

    def variants(self, word: str, k: int) -> list[Mapping[str, str]]:
        """The variables ``word`` may see at the command ``k``: one mapping for each combination of the values the
        script's own variables it names may have there."""
        own = self.values[k] if k < len(self.values) else {}
        base = _stages.overlay(self.env, {n: v[0] for n, v in own.items() if len(v) == 1})
        several = [(n, own[n]) for n in sorted(set(re.findall(r"\$\{?(\w+)", word))) if len(own.get(n, ())) > 1]
        if not several:
            return [base]
        combinations = itertools.islice(itertools.product(*(v for _, v in several)), _MAX_VARIANTS)
        return [_stages.overlay(base, dict(zip((n for n, _ in several), c, strict=True))) for c in combinations]

    def expand(self, value: str, k: int) -> list[str]:
        """An assignment's ``value`` at the command ``k``, as the shell stores it (`~` and the variables it names
        expanded as far as dockmod knows them), once for each value its variables may have."""
        if self.home is not None and (value == "~" or value.startswith("~/")):
            value = self.home + value[1:]
        return [_stages.substitute(value, self._with_home(env)) for env in self.variants(value, k)]

    def candidates(self, word: str, k: int) -> list[str | None]:
        """``word`` as an absolute path at the command ``k``, once for each value its variables may have there
        (None: that one cannot be known)."""
        return [self._resolve(word, k, env) for env in self.variants(word, k)]

    def resolve(self, word: str, k: int) -> str | None:
        """``word`` as an absolute path, for the command at index ``k``; None when it cannot be known (or may be
        several paths)."""
        found = set(self.candidates(word, k))
        return found.pop() if len(found) == 1 else None

    def _with_home(self, env: Mapping[str, str]) -> Mapping[str, str]:
        return _stages.overlay(env, {"HOME": env.get("HOME", self.home or "$HOME")})

    def _resolve(self, word: str, k: int, env: Mapping[str, str]) -> str | None:
        if "$(" in word or "`" in word:
            return None  # a command's output (`$(pip cache dir)`)
        if word == "~" or word.startswith("~/"):
            if self.home is None:
                return None
            word = self.home + word[1:]
        elif word.startswith("~"):
            return None  # another user's home
        if "$" in word:
            word = _stages.substitute(word, self._with_home(env))
            if "$" in word:
                return None
        if not word.startswith("/"):
            here = self.folders[k] if k < len(self.folders) else None
            if here is None or here.startswith(_stages.UNKNOWN_DIR):
                return None
            word = posixpath.join(here, word)
        return word if "{" in word else _normpath(word)  # `_relation` normalises each brace word


# The variables a point of a script has, with their values, and its folder (None: unknown).
_Scope = tuple[Mapping[str, tuple[str, ...]], str | None]


def _values(own: Mapping[str, tuple[str, ...]], name: str, env: Mapping[str, str]) -> tuple[str, ...]:
    """The values the variable ``name`` may have: those the script gave it, else the build's, else its own name (a
    value dockmod cannot know)."""
    return own[name] if name in own else (env[name],) if name in env else (f"${{{name}}}",)


def _either(one: _Scope, other: _Scope, env: Mapping[str, str]) -> _Scope:
    """What follows one of two ways through a script: each variable with the values of both, the folder if both
    agree."""
    if one == other:
        return one
    merged = {
        name: tuple(dict.fromkeys(_values(one[0], name, env) + _values(other[0], name, env)))
        for name in {*one[0], *other[0]}
    }
    return merged, one[1] if one[1] == other[1] else None


# At most this many combinations of a word's variables' values are tried (each variable has one value but for
# those set in branches).
_MAX_VARIANTS: Final = 64


def _normpath(path: str) -> str:
    """``path`` normalised as Linux reads it: POSIX keeps a leading `//` (`posixpath.normpath`), Linux reads it as
    `/` (`rm -rf //root/.npm` removes the cache: a real build failed on the mount point)."""
    path = posixpath.normpath(path)
    return "/" + path.lstrip("/") if path.startswith("//") else path


def _kinds(word: str, k: int, paths: _Paths, targets: list[Mount]) -> set[Relation | Literal["unknown"]]:
    """What removing the operand ``word`` of the command ``k`` may remove (see ``_relation``), once for each value
    its variables may have; "unknown" for a path dockmod cannot know that may reach a cache target."""
    out: set[Relation | Literal["unknown"]] = set()
    for env, path in zip(paths.variants(word, k), paths.candidates(word, k), strict=True):
        if path is None:
            out.add("unknown" if _may_name_cache(_stages.substitute(word, env), targets) else "other")
        else:
            out.add(_relation(path, targets))
    return out


def _may_reach(word: str, k: int, paths: _Paths, targets: list[Mount]) -> bool:
    """Whether the operand ``word`` of the command ``k``, whose path is unknown, may still name a cache target
    (``_may_name_cache``), with any value its variables may have."""
    return any(_may_name_cache(_stages.substitute(word, env), targets) for env in paths.variants(word, k))


def _may_name_cache(word: str, targets: list[Mount]) -> bool:
    """Whether an operand whose path is unknown may still name a cache target: it mentions a cache (`$(pip cache
    dir)`, `$XDG_CACHE_HOME`), a home folder dockmod cannot place (`$CARGO_HOME/registry`), or a target's own
    folder name (`.npm`, `pip`). A temporary folder (`$(mktemp -d)`) or an archive (`python.tar.xz`) does not."""
    if "cache" in word.lower() or re.search(r"\$\{?\w*HOME\b", word):
        return True
    names = {posixpath.basename(t.target) for t in targets}
    return any(part in names for part in re.split(r"[/\s\"']+", word))


Relation = Literal["cache", "other", "mixed"]


def _relation(path: str, targets: list[Mount]) -> Relation:
    """What removing ``path`` (maybe a pattern) removes: only a cache target or its content (``cache``), nothing of
    a target (``other``), or a target together with other files (``mixed``: `~/.npm*` is also `.npmrc`,
    `~/.{cache,netrc}` also `.netrc`, `~/.cache` also what other programs keep there). Real builds left a registry
    token, a `.netrc`, a private key and a Hugging Face token in the image when such an operand was taken for the
    cache, and an app read stale state it kept in `~/.cache/myapp`."""
    brace = re.search(r"\{([^{}]*,[^{}]*)\}", path)
    if brace is not None:  # bash's `/root/.cache/{pip,matplotlib}`: each alternative is removed
        kinds = {_relation(path[: brace.start()] + alt + path[brace.end() :], targets) for alt in brace[1].split(",")}
        return kinds.pop() if len(kinds) == 1 else "mixed"
    path = _normpath(path)  # `~/.npm/../.npmrc` is `~/.npmrc` (a real build kept the token)
    parts = path.split("/") if path != "/" else [""]
    globbed = next((k for k, part in enumerate(parts) if _shell.is_pattern(part)), None)
    fixed = ("/".join(parts[:globbed]) or "/") if globbed is not None else path
    if any(_inside(fixed, t.target) for t in targets):
        return "cache"  # inside a target: `/root/.npm/_cacache`, `/var/lib/apt/lists/*`
    return "mixed" if any(_may_match(parts, t.target) for t in targets) else "other"


def _may_match(parts: list[str], target: str) -> bool:
    """Whether the path ``parts`` (components, maybe with shell patterns) names ``target``, a folder above it or a
    file inside it. Patterns match as bash's do: `*`, `?` and `[...]` never match a leading dot (`/root/*.pem`
    and `/root/*` do not reach `/root/.npm`)."""
    names = target.rstrip("/").split("/")
    return all(_shell.name_matches(part, name) for part, name in zip(parts, names, strict=False))


class _Operands(NamedTuple):
    """An ``rm``'s operands, by what removing them removes."""

    cache: list[str]  # a cache target or its content
    other: list[str]  # no cache target
    unknown: list[str]  # paths dockmod cannot know that may reach a cache
    mixed: list[str]  # a cache target together with other files (a pattern, a brace, a folder around it)


def _rm_operands(command: _shell.Command, k: int, targets: list[Mount], paths: _Paths) -> _Operands:
    """An ``rm``'s operands, sorted. ``k``: the command's index in its script."""
    argv = command.runs
    found = _Operands([], [], [], [])
    if not argv or argv[0].rsplit("/", 1)[-1] != "rm":
        return found
    for arg in argv[1:]:
        if arg.startswith("-"):
            continue
        # An operand that may be the cache or not, by the values of its variables, may remove it: unknown.
        kinds = _kinds(arg, k, paths, targets)
        kind = kinds.pop() if len(kinds) == 1 else "mixed" if "mixed" in kinds else "unknown"
        getattr(found, kind).append(arg)
    return found


@dataclass(frozen=True, slots=True)
class _At:
    """A command of a RUN's script, or of a `sh -c` string in it, with the paths it names."""

    command: _shell.Command
    k: int  # its index in ``script``
    script: _shell.Script
    paths: _Paths  # those of ``script``
    outer: str  # the RUN's command it is part of, as written
    nested: bool  # in a `sh -c` string: dockmod cannot take it out
    opened: bool  # a `sh -c` whose string's commands come next

    @property
    def text(self) -> str:
        return self.script.text[self.command.start : self.command.end]


def _each_command(script: _shell.Script, paths: _Paths, outer: str | None = None, depth: int = 0) -> Iterator[_At]:
    """Each command of ``script``, each `sh -c` (`bash -o pipefail -c`) followed by the commands of its string, which
    run in its folder with its variables (a few levels down); `eval` too, with its words expanded (`eval "$CLEAN"`,
    ARG CLEAN="rm -rf /root/.npm": a real build failed removing the mount point)."""
    for k, command in enumerate(script.commands):
        inner = _shell.shell_c_script(command.runs) if depth < _MAX_NESTING else None
        if command.runs[:1] == ("eval",) and depth < _MAX_NESTING:
            inner = " ".join(paths.expand(word, k)[0] for word in command.runs[1:])
        elif command.runs[:1] and command.runs[0].startswith("$") and depth < _MAX_NESTING:
            # A command held in a variable (`CLEAN='rm -rf /root/.npm' && $CLEAN`, an ARG's): its expansion runs.
            inner = " ".join(paths.expand(word, k)[0] for word in command.runs)
        split = _shell.split(inner) if inner is not None else None
        text = outer if outer is not None else script.text[command.start : command.end]
        yield _At(command, k, script, paths, text, outer is not None, split is not None)
        if split is not None:
            yield from _each_command(split, paths.nested(k, split), text, depth + 1)


_MAX_NESTING: Final = 3


def _may_empty(
    tree: Dockerfile,
    site: _Site,
    script: RunScript,
    manager: Manager,
    targets: list[Mount],
    paths: _Paths,
    cleanup: set[int],
) -> str | None:
    """A command of the RUN, other than the clean-ups dockmod takes out, that may remove or empty a cache target,
    shown; None when there is none. A mount point cannot be removed: `rm -rf $(pip cache dir)`, `find /root/.cache
    -delete`, a clean-up script that reaches one or `sh -c 'rm -rf /root/.npm'` fails the build (real builds did).
    dockmod cannot take a clean-up out of a `sh -c` string: there, it refuses the mount."""
    cleaners: dict[int, set[int]] = {}  # the tool's clean-ups in each `sh -c` string, by the string's script
    names_target = any(n in script.script.text for t in targets for n in _spellings(t.target, paths.home))
    for at in _each_command(script.script, paths):
        command, k, argv = at.command, at.k, at.command.runs
        tool = argv[0].rsplit("/", 1)[-1] if argv else ""
        shown = f"`{at.text}`" if not at.nested else f"`{at.text}` in `{_shell_excerpt(at.outer)}`"
        if at.nested and id(at.script) not in cleaners:
            found = _managers.invocations(at.script)
            cleaners[id(at.script)] = {i.index for i in found if i.manager == manager and _is_cleaner(i)}
        if at.nested and not at.opened and k in cleaners[id(at.script)]:
            return f"{shown} would empty the cache mount" + _IN_STRING
        if tool == "rm":
            # Also a clean-up dockmod takes out: the operands it cannot keep apart from the cache would go with it.
            operands = _rm_operands(command, k, targets, at.paths)
            if operands.mixed:
                return (
                    f"{shown} removes the cache together with files that are not cache, which dockmod cannot keep "
                    "apart: without the command the image would keep them, and with it the build would fail to remove "
                    "the mount point"
                )
            if operands.unknown:
                return shown + _EMPTIES
            if operands.cache and at.nested:
                # `npm ci && sh -c 'rm -rf /root/.npm'`: a real build failed ("Device or resource busy").
                folders = {t.target for t in targets}
                if any(at.paths.resolve(w, k) in folders for w in operands.cache):
                    return f"{shown} removes the cache folder" + _EMPTIED_IN_STRING
                return f"{shown} would empty the cache mount" + _IN_STRING
        removes = _remover_operands(argv)
        if removes is not None:
            # `npx --yes rimraf@5.0.5 /root/.npm`, `npm exec --yes -- rimraf@5 /root/.npm`, `npx del-cli /root/.npm`:
            # Node's rm (real builds failed removing the mount point, "EBUSY: resource busy or locked").
            inner = _shell.Command(("rm", "-rf", *removes), command.start, command.end, command.op)
            operands = _rm_operands(inner, k, targets, at.paths)
            if operands.cache or operands.mixed or operands.unknown:
                return shown + _EMPTIES
        if argv and _unknown_program(argv[0], k, at.paths):
            # `$CLEAN` from an ARG without a value: the build may pass `rm -rf /root/.npm` (a real build failed
            # removing the mount point).
            return f"{shown} runs a command dockmod cannot know (a variable without a known value), which" + _EMPTIES
        if tool == "rm" and names_target:
            # An operand only the shell knows (`"$1"` in a function, `$d` read from a pipe or looped over `$(echo
            # /root/.npm)`) in a RUN that names the cache: it may be the cache (real builds failed removing the mount
            # point). Not a variable dockmod knows holds something else (`GNUPGHOME="$(mktemp -d)"`).
            words = [w for w in argv[1:] if not w.startswith("-")]
            spellings = [n for t in targets for n in _spellings(t.target, at.paths.home)]
            if any(_may_hold(w, k, at.paths, spellings) for w in words if at.paths.resolve(w, k) is None):
                return shown + _EMPTIES
        if tool != "rm" and "rm" in argv[1:]:
            # An `rm` behind a program dockmod does not read as a wrapper (`stdbuf -o0 rm -rf /root/.npm`, `chrt 0
            # rm ...`: a real build failed removing the mount point) cannot be taken out, only refused.
            inner = _shell.Command(argv[argv.index("rm") :], command.start, command.end, command.op)
            operands = _rm_operands(inner, k, targets, at.paths)
            if operands.cache or operands.mixed or operands.unknown:
                return shown + _EMPTIES
        if tool == "mv" and any(_reaches(w, k, at.paths, targets) for w in _mv_sources(argv)):
            # A real build: "mv: cannot move '/root/.npm' to '/opt/npm-cache': Device or resource busy".
            return shown + " moves the cache folder, which a mount would make a mount point that cannot be moved"
        if tool == "tar" and any(w == "--remove-files" for w in argv):
            # `tar --remove-files -czf x.tgz -C /root .npm`: the archived files go, the mount point too (a real build:
            # "Cannot rmdir: Device or resource busy"). Its operands may be relative to a -C folder: names count.
            names = {posixpath.basename(t.target) for t in targets}
            words = [w for w in argv[1:] if not w.startswith("-")]
            if any(_reaches(w, k, at.paths, targets) or posixpath.basename(w.rstrip("/")) in names for w in words):
                return shown + _EMPTIES
        if not at.nested and k in cleanup:
            continue
        if command.words[:1] == ("xargs",) and tool == "rm" and k and command.op == "|":
            # `pip cache dir | xargs rm -rf`: the paths come from the command before (a real build failed).
            before = at.script.commands[k - 1]
            if _may_reach(at.script.text[before.start : before.end], k - 1, at.paths, targets):
                return shown + _EMPTIES
        if tool == "find" and any(w in ("-delete", "rm") for w in argv):
            starts = list(itertools.takewhile(lambda w: not w.startswith(("-", "(", "!")), argv[1:])) or ["."]
            if any(_reaches(w, k, at.paths, targets) for w in starts):
                return shown + _EMPTIES
        operand = _shell.run_operand(argv)
        if (
            operand is not None
            and operand[0] == "code"
            and tool not in _shell.SHELLS
            and _removes_cache(operand[1], targets)
        ):
            # `python3 -c "shutil.rmtree('/root/.npm')"`, `node -e "fs.rmSync('/root/.npm', ...)"` (real builds failed).
            return shown + " (inline code that removes files and names the cache)" + _EMPTIES
        runs = _runs_removal(tree, site, at.script, at.paths, k, targets)
        if runs is not None:
            return f"{shown} ({runs})" + _EMPTIES
    return None


_PACKAGE_TOOLS: Final = frozenset({"npm", "yarn", "pnpm", "yarnpkg"})
# The scripts npm, Yarn and pnpm run around an install of the project.
_LIFECYCLE: Final = ("preinstall", "install", "postinstall", "prepublish", "preprepare", "prepare", "postprepare")


def _package_scripts(
    tree: Dockerfile, site: _Site, paths: _Paths, k: int, argv: tuple[str, ...]
) -> list[tuple[str, str, str | None]]:
    """(name, text, folder) of the package.json scripts a command runs: the one it names (`npm run x`, `yarn x`,
    `npm --prefix tools run x`: not `tools`, the option's value, as real builds showed) with its pre- and post-
    scripts, or the lifecycle scripts of an install (`npm ci`); with the folder they run in."""
    folder = _managers.package_script_folder(argv)
    found = _managers._match(argv)
    install = found is not None and found[3] == "install"
    if folder is None and install:
        folder = "."
    if folder is None:
        return []
    path = paths.resolve(posixpath.join(folder, "package.json"), k)
    try:
        text = site.read(tree, path) if path is not None else None
        scripts = json.loads(text or "{}").get("scripts", {})
    except (_Unreadable, ValueError, AttributeError):
        return []
    if not isinstance(scripts, dict) or path is None:
        return []
    if install:
        names = list(_LIFECYCLE)
    else:
        named = _managers.package_script_name(argv) or ""
        names = [f"pre{named}", named, f"post{named}"]
    here = posixpath.dirname(path)
    return [(n, v, here) for n in names if isinstance(v := scripts.get(n), str)]


def _runs_removal(
    tree: Dockerfile,
    site: _Site,
    script: _shell.Script,
    paths: _Paths,
    k: int,
    targets: list[Mount],
    depth: int = 0,
) -> str | None:
    """What the command ``k`` of ``script`` runs that removes files and names a cache or home folder, said; None
    when it runs none. The package scripts it runs, and those they run in turn, a few levels down (`"clean": "npm
    run clean:cache"`, `"clean": "node scripts/clean.js"`, a postinstall running a project file), and the project
    file it runs (a shell, Node or Python one: `sh scripts/clean.sh`, `. ./x.sh`, `node scripts/clean.js`), read
    with the files it sources or requires (a helper that removes what the file names). Real builds with a mount
    failed removing the mount point through each of these."""
    command = script.commands[k]
    argv = command.runs
    if not argv:
        return None
    if argv[0].rsplit("/", 1)[-1] in _PACKAGE_TOOLS:
        for name, body, folder in _package_scripts(tree, site, paths, k, argv):
            if _removes_cache(body, targets):
                return f"its package script {name} removes files and names a cache or home folder"
            inner = _shell.split(body) if depth < _MAX_NESTING else None
            if inner is None:
                continue
            inner_paths = _Paths.of(inner, folder, paths.env, paths.home)
            for j, c in enumerate(inner.commands):
                found = _runs_removal(tree, site, inner, inner_paths, j, targets, depth + 1)
                if found is not None:
                    return f"its package script {name} runs `{_shell_excerpt(body[c.start : c.end])}`: {found}"
    operand = _shell.run_operand(argv)
    script_path = _script_path(argv) or _sourced_script(script, k)
    if script_path is None and operand is not None and operand[0] == "file":
        script_path = operand[1]  # `node scripts/clean.js`, `python3 scripts/clean.py` (real builds failed)
    if script_path is None:
        return None
    path = paths.resolve(script_path, k)
    try:
        text = _program_text(tree, site, path, paths.folders[k] if k < len(paths.folders) else None)
    except _Unreadable:
        text = None
    if text is None:
        if "clean" in script_path.rsplit("/", 1)[-1].lower():
            return "a clean-up script dockmod cannot read"
        return None
    if _removes_cache(text, targets):
        return "a script that removes files and names a cache or home folder"
    return None


def _program_text(tree: Dockerfile, site: _Site, path: str | None, cwd: str | None) -> str | None:
    """The text of the program file at ``path`` with that of the project files it sources (a shell's `. lib.sh`,
    from ``cwd`` or its own folder) or requires (Node's `require('./lib/wipe')`, `import ... from './x'`, Python's
    local modules), a few levels down: one may remove what another names (`wipe('/root/.npm')` with the helper's
    `fs.rmSync(d)`: a real build failed removing the mount point). None: no file there."""
    if path is None:
        return None
    first = site.read(tree, path)
    if first is None:
        return None
    texts = [first]
    queue = [(path, first, 0)]
    seen = {path}
    while queue and len(texts) < _MAX_PROGRAM_FILES:
        at, text, depth = queue.pop(0)
        if depth >= _MAX_NESTING:
            continue
        for candidate in _linked_files(at, text, cwd):
            if candidate in seen or len(seen) >= _MAX_LOOKUPS or len(texts) >= _MAX_PROGRAM_FILES:
                continue
            seen.add(candidate)
            try:
                found = site.read(tree, candidate)
            except _Unreadable:
                found = None
            if found is not None:
                texts.append(found)
                queue.append((candidate, found, depth + 1))
    return "\n".join(texts)


# At most this many files are read for one program, looked for at this many paths (a few files, bounded work).
_MAX_PROGRAM_FILES: Final = 12
_MAX_LOOKUPS: Final = 64


def _linked_files(path: str, text: str, cwd: str | None) -> Iterator[str]:
    """The project files a program file sources or requires, as the image paths they may be at."""
    here = posixpath.dirname(path)
    if path.endswith((".js", ".cjs", ".mjs", ".ts")):
        for m in _JS_REQUIRE.finditer(text):
            base = posixpath.normpath(posixpath.join(here, m[1]))
            yield from (base + suffix for suffix in ("", ".js", ".cjs", ".mjs", ".ts", "/index.js"))
    elif path.endswith(".py"):
        for m in _PY_IMPORT.finditer(text):
            name = m[1] or m[2]
            dots = len(name) - len(name.lstrip("."))
            folder = posixpath.normpath(posixpath.join(here, *[".."] * max(dots - 1, 0)))
            rest = name.lstrip(".").replace(".", "/")
            if rest:
                yield from (posixpath.join(folder, rest + ".py"), posixpath.join(folder, rest, "__init__.py"))
    else:
        for m in _SH_SOURCE.finditer(text):
            word = m[1].strip("\"'")
            if "$" in word or "`" in word:
                # `. "$(dirname "$0")/lib.sh"`, `. "$DIR/lib.sh"`: most often next to the script.
                yield posixpath.join(here, word.rsplit("/", 1)[-1])
            elif word.startswith("/"):
                yield posixpath.normpath(word)
            else:
                yield from (posixpath.normpath(posixpath.join(f, word)) for f in (cwd, here) if f is not None)


_JS_REQUIRE: Final = re.compile(r"""(?:\brequire\s*\(\s*|\bfrom\s+|\bimport\s*\(?\s*)['"](\.\.?/[^'"]+)['"]""")
_PY_IMPORT: Final = re.compile(r"^\s*(?:from\s+(\.*[\w.]*)\s+import\b|import\s+([\w.]+))", re.MULTILINE)
_SH_SOURCE: Final = re.compile(r"""^\s*(?:\.|source)\s+("[^"]+"|'[^']+'|\S+)""", re.MULTILINE)


def _remover_operands(argv: tuple[str, ...]) -> list[str] | None:
    """The operands of a program that removes what it is given, other than `rm`: rimraf, del-cli, trash, also run
    through a package runner (`npx --yes rimraf@5.0.5 DIR`, `npm exec --yes -- rimraf@5 DIR`, `pnpm dlx del-cli
    DIR`); None for other commands."""
    run = _shell.runner_command(argv)
    words = run if isinstance(run, tuple) else argv if run is None else ()
    if not words or words[0].rsplit("/", 1)[-1] not in _REMOVERS:
        return None
    return [w for w in words[1:] if not w.startswith("-")]


# Programs that remove the files they are given (npm packages and trash-cli).
_REMOVERS: Final = frozenset({"rimraf", "del-cli", "del", "trash", "trash-put", "trash-cli"})


def _unknown_program(word: str, k: int, paths: _Paths) -> bool:
    """Whether a command's program word is all a variable dockmod knows no value of (`$CLEAN`, an ARG without a
    default: the build may pass any command). Not a path through one (`$CONDA_DIR/bin/pip` runs pip), nor one the
    script sets to a path (`CROSS="/root/$MUSL-cross/bin/$MUSL-gcc"`)."""
    whole = re.compile(r"\$\{?\w+\}?")
    return bool(whole.fullmatch(word)) and any(whole.fullmatch(v) for v in paths.expand(word, k))


# Commands that write files, and where: every operand (`touch`, `tee`), the destination (`cp`, `mv`, `install`,
# `ln`: the last operand or -t's folder), the folder of an option (`wget -P`) or the file of one (`curl -o`, `wget
# -O`), the folder an archive unpacks into (`tar -x -C`, `unzip -d`). mkdir is left out: an empty folder missing from
# the image changes nothing.
_WRITES_OPERANDS: Final = frozenset({"touch", "tee"})
_WRITES_DESTINATION: Final = frozenset({"cp", "mv", "install", "ln"})
_WRITES_OPTION: Final = {"wget": ("-P", "-O"), "curl": ("-o", "--output")}


def _written_into(script: RunScript, targets: list[Mount], paths: _Paths) -> str | None:
    """A command of the RUN, other than the package managers, that writes a file into a cache target, shown: with
    the mount the file goes to the cache, not into the image (`npm ci && cp .npmrc /root/.npm/`, `echo ... >
    /root/.cache/pip/marker`), also in a `sh -c` string."""
    managed = {id(script.script): {inv.index for inv in script.invocations}}
    for at in _each_command(script.script, paths):
        if id(at.script) not in managed:
            managed[id(at.script)] = {inv.index for inv in _managers.invocations(at.script)}
        command, k, argv = at.command, at.k, at.command.runs
        if k in managed[id(at.script)] or not argv:
            continue
        tool = argv[0].rsplit("/", 1)[-1]
        operands = [w for w in argv[1:] if not w.startswith("-")]
        words = _shell.redirection_targets(command.words)
        if tool in _WRITES_OPERANDS:
            words += operands
        elif tool in _WRITES_DESTINATION:
            into = [b for a, b in itertools.pairwise(argv) if a in ("-t", "--target-directory")]
            into += [w.partition("=")[2] for w in argv if w.startswith("--target-directory=")]
            words += into or operands[-1:]
        elif tool in _WRITES_OPTION:
            words += [b for a, b in itertools.pairwise(argv) if a in _WRITES_OPTION[tool]]
        unpacked = _shell.unpacks_into(argv)
        words += [unpacked] if unpacked is not None else []
        for word in words:
            for path in at.paths.candidates(word, k):
                if path is not None and "{" not in path and any(_inside(path, t.target) for t in targets):
                    return f"`{_shell_excerpt(at.text)}` writes into {path}"
    return None


def _mv_sources(argv: tuple[str, ...]) -> list[str]:
    """What an ``mv`` moves: every operand but the last, or all of them with ``-t DIR``/``--target-directory``."""
    operands: list[str] = []
    into = False
    words = iter(argv[1:])
    for w in words:
        if w in ("-t", "--target-directory"):
            next(words, None)
            into = True
        elif w.startswith("--target-directory=") or (w.startswith("-t") and not w.startswith("--")):
            into = True  # `--target-directory=DIR`, `-tDIR`
        elif not w.startswith("-"):
            operands.append(w)
    return operands if into else operands[:-1]


def _reaches(word: str, k: int, paths: _Paths, targets: list[Mount]) -> bool:
    """Whether the operand ``word`` of the command ``k`` may reach a cache target."""
    return _kinds(word, k, paths, targets) != {"other"}


def _removes_cache(code: str, targets: list[Mount]) -> bool:
    """Whether a package script, a program file or inline Python or JavaScript removes files and names a cache
    target, or a cache or home folder."""
    return bool(_REMOVES.search(code)) and (any(t.target in code for t in targets) or bool(_CACHE_WORDS.search(code)))


_REMOVES: Final = re.compile(
    r"\brm\b|-delete\b|\bcache\s+(?:clean|purge|prune)\b"
    r"|\b(?:rmtree|rmSync|rmdirSync|unlinkSync|rimraf|del-cli|trash|os\.remove|os\.unlink|os\.rmdir)\b"
    # Node's `fs.rm(`, `require('fs').rm(`, `fsp.rmdir(` (real builds failed on the mount point).
    r"|\.rm(?:dir)?\("
    # `rm` run with an argument list: `execFileSync('rm', ['-rf', ...])`, `subprocess.run(['rm', '-rf', ...])`.
    r"|[\"']rm[\"']"
)


def _may_hold(word: str, k: int, paths: _Paths, spellings: list[str]) -> bool:
    """Whether a word with variables dockmod cannot resolve may hold a cache target: one of its variables has no
    value the build or the script gives it (a function's `$1`, one `read` sets), or a value that names a target
    (`for d in $(echo /root/.npm)`)."""
    own = paths.values[k] if k < len(paths.values) else {}
    for name in re.findall(r"\$\{?(\w+|[@*])", word):
        values = own.get(name) or ((paths.env[name],) if name in paths.env else ())
        if not values or any(n in v for v in values for n in spellings):
            return True
    return False


def _sourced_script(script: _shell.Script, k: int) -> str | None:
    """The file a command has a shell read as its script other than as an operand: `. ./x.sh` (`source`), `sh <
    x.sh`, `cat x.sh | sh` (real builds of each read the cache through the script)."""
    command = script.commands[k]
    argv = command.runs
    if argv[:1] in ((".",), ("source",)) and len(argv) > 1:
        return argv[1]
    if not argv or argv[0].rsplit("/", 1)[-1] not in _shell.SHELLS:
        return None
    for before, word in itertools.pairwise(command.words):
        if before == "<" or (word.startswith("<") and len(word) > 1 and before != "<"):
            return word if before == "<" else word[1:]
    if _shell.run_operand(argv) is not None:
        return None
    previous = script.commands[k - 1].runs if k > 0 and command.op == "|" else ()
    return previous[1] if previous[:1] == ("cat",) and len(previous) == 2 else None


def _script_path(argv: tuple[str, ...]) -> str | None:
    """The shell script a command runs: `sh ./cleanup.sh`, `bash scripts/x.sh`, `./cleanup.sh`, after the shell's
    options (`sh -e x.sh`, `bash -eu x.sh`: real builds failed when they were taken for the script); None: not one
    (`sh -c CODE` runs code, whose commands ``_each_command`` reads)."""
    if not argv:
        return None
    if argv[0].rsplit("/", 1)[-1] in _shell.SHELLS:
        operand = _shell.run_operand(argv)
        return operand[1] if operand is not None and operand[0] == "file" else None
    if argv[0].endswith(".sh") or argv[0].startswith("./") or _project_path(argv[0]):
        # Also a program of the project by its path (`scripts/post-install`: a real build's removed the cache).
        return argv[0]
    return None


_EMPTIES: Final = (
    " may remove the cache folder, which a mount would make a mount point that cannot be removed (the build would fail)"
)
_IN_STRING: Final = ", and dockmod cannot take it out of the shell string"
_EMPTIED_IN_STRING: Final = (
    ", which a mount would make a mount point that cannot be removed (the build would fail)" + _IN_STRING
)
_CACHE_WORDS: Final = re.compile(r"\.cache\b|\$\{?HOME\b|~/|/root\b|\.npm\b|\.yarn\b|\bcache\b")


def _operand_edits(
    script: RunScript, text: str, partial: set[int], targets: list[Mount], exec_form: bool, paths: _Paths
) -> list[tuple[int, int, str]] | None:
    """Edits that take the cache's operands out of the ``partial`` rm commands; None when one is not written plainly
    (quoted, escaped) or the RUN is in exec form."""
    edits: list[tuple[int, int, str]] = []
    for k in sorted(partial):
        if exec_form:
            return None
        command = script.script.commands[k]
        segment = text[command.start : command.end]
        for operand in _rm_operands(command, k, targets, paths).cache:
            m = re.search(r"(\s+)" + re.escape(operand) + r"(?=\s|$)", segment)
            if m is None:
                return None
            edits.append((command.start + m.start(), command.start + m.end(), ""))
    return edits


def _status_kept_by(script: RunScript, removed: set[int]) -> str | None:
    """Why a removed clean-up's exit status mattered to the RUN; None when it did not. One that ends the RUN after
    a `;` (or before a bare `exit`, which returns the status before it) made the RUN succeed whatever the commands
    before it did (`npm ci && [ -f .npmrc ] && cat .npmrc; rm -rf /root/.npm`: real builds then failed where the
    `[ -f ]` test was false, and with `...; rm -rf /root/.npm; exit`); one followed by a command reading its status
    (`$?`, `${?}`, bash's `PIPESTATUS`) handed it its own (`rm -rf /root/.npm; echo "status ${?}"`: real images
    recorded another status)."""
    commands = script.script.commands
    last = len(commands) - 1
    for k in sorted(removed):
        after = k + 1
        while after in removed:
            after += 1
        if after > last or (after == last and _returns_status(commands[after])):
            continue  # the clean-up ends the RUN: below
        if _returns_status(commands[after]) or _STATUS_READ.search(
            script.script.text[commands[after].start : commands[after].end]
        ):
            shown = _shell_excerpt(script.script.text[commands[k].start : commands[after - 1].end])
            return f"`{shown}` sets the `$?` the command after it reads: without it, that command reads another status"
    end = last - 1 if last > 0 and _returns_status(commands[last]) else last
    if end not in removed:
        return None
    first = end
    while first - 1 in removed:
        first -= 1
    if commands[first].op != ";" or (first > 0 and _stops_on_failure(commands[:first], script.script.text)):
        return None
    shown = _shell_excerpt(script.script.text[commands[first].start : commands[end].end])
    return (
        f"the RUN ends with `{shown}` after `;`, which makes it succeed whatever the commands before it did: without "
        "it, they decide whether the build goes on"
    )


# What reads the status of the command before: `$?` (also braced), bash's PIPESTATUS.
_STATUS_READ: Final = re.compile(r"\$\{?\?|\bPIPESTATUS\b")


def _returns_status(command: _shell.Command) -> bool:
    """Whether ``command`` ends the script with the status of the command before it: `exit` or `return` without a
    number (`npm run lint; rm -rf /root/.npm; exit`: a real build then failed on the lint)."""
    return command.words in (("exit",), ("return",))


def _stops_on_failure(before: Sequence[_shell.Command], text: str) -> bool:
    """Whether the command at the end of ``before`` stops the script when it fails, so that the status after it is
    its success: `set -e` (or `-o errexit`) is on for sure there (set by a plain command on its own, from the start
    of the script, and nothing since may have turned it off), and that command stands on its own, not negated (`!`)
    and not in an `&&`/`||` list, whose commands but the last may fail without stopping it. Real builds failed
    where `set +e`, a conditional `set -e` or `! cmd` came before the clean-up dockmod took out, and where what came
    after the `set -e` turned it off in a way dockmod does not follow (`eval 'set +e'`, `$RELAX` holding `set +e`, a
    sourced file, `shopt -uo errexit`, a trap), or where it never set it (`set -- -e x` sets the arguments, `set -e
    | true` runs in a pipeline's subshell)."""
    errexit = False
    for k, c in enumerate(before):
        argv = c.runs
        changes = _errexit_change(argv)
        piped = c.op == "|" or (k + 1 < len(before) and before[k + 1].op in ("|", "&"))
        if changes is False or (changes is None and _may_change_errexit(argv, text[c.start : c.end])):
            errexit = False
        elif changes is True:
            # Not `[ ... ] && set -e` (it may not run), nor `set -e | true` (a subshell's).
            errexit = c.op in ("", ";", "\n") and not piped and c.words == c.argv
    last = before[-1]
    return errexit and last.op in ("", ";", "\n") and last.words[:1] != ("!",)


def _errexit_change(argv: tuple[str, ...]) -> bool | None:
    """What a `set` command does to errexit: True turns it on, False off, None leaves it (or not a `set`). Its
    options end at `--`, `-` or the first operand (`set -- -e x` sets the arguments: a real build ran on after
    it)."""
    if argv[:1] != ("set",):
        return None
    found: bool | None = None
    words = iter(argv[1:])
    for word in words:
        if word in ("--", "-") or word[:1] not in ("-", "+") or len(word) < 2:
            break
        for letter in word[1:]:
            if letter == "o":
                name = next(words, None)
                found = (word[0] == "-") if name == "errexit" else found
            elif letter == "e":
                found = word[0] == "-"
    return found


def _may_change_errexit(argv: tuple[str, ...], text: str, depth: int = 0) -> bool:
    """Whether a command other than a plain `set` may turn errexit off in the shell it runs in, as far as dockmod
    cannot tell: `eval` of code that may (a variable's: real builds ran on after `eval 'set +e'` and `eval
    "$RELAX"`), a command held in a variable (`$RELAX`), a sourced file (`. ./relax.sh`), bash's `shopt -o`, a trap
    whose code may (it runs between commands: `trap 'set +e' DEBUG`), `builtin`."""
    if not argv:
        return False
    program = argv[0]
    if "$" in program or "`" in program or program in (".", "source", "builtin"):
        return True
    if program == "shopt":
        return any(w.startswith(("-", "+")) and "o" in w for w in argv[1:]) or "errexit" in argv
    if program in ("eval", "trap"):
        if program == "trap" and argv[1:2] in ((), ("-",), ("",)):
            return False  # `trap - EXIT` resets a trap
        code = " ".join(argv[1:]) if program == "eval" else argv[1]
        split = _shell.split(code) if "$" not in code and "`" not in code and depth < _MAX_NESTING else None
        return split is None or any(
            _errexit_change(c.runs) is not None or _may_change_errexit(c.runs, code[c.start : c.end], depth + 1)
            for c in split.commands
        )
    return False


def _removal_spans(
    tree: Dockerfile, run: Run, script: RunScript, removed: set[int], errexit: bool = False
) -> list[tuple[int, int]] | None:
    """Spans to delete so that the ``removed`` commands leave their ``&&``/``;`` chain; None if they cannot.

    A run of removed commands is cut either from its first command up to the next kept one, or from the end
    of the command before it; the first cut that contains no comment line (inside a continuation) is used. A
    clean-up succeeds, so the commands around it must stay joined by a `;` when one joined them to it: `npm ci &&
    rm -rf /root/.npm; npm run lint` becomes `npm ci; npm run lint`, not `npm ci && npm run lint`, which would skip
    the lint, and fail the build, where the install failed. Under errexit (``errexit``: it may be on) that cut is
    no good either: `npm run check`, exempt from errexit before an `&&`, would stop the RUN alone (real builds with
    `set -e`, `set -o errexit` or `SHELL ["/bin/sh", "-ec"]` failed), so there it cannot.
    """
    commands = script.script.commands
    if not removed:
        return []
    if script.script.compound or script.exec_form or len(removed) == len(commands):
        return None
    spans = []
    for first, last in _runs(sorted(removed)):
        if any(commands[k].op not in ("", "&&", ";") for k in range(first, last + 1)):
            return None
        # The operator that joins what is left: the first cut keeps the one before the removed commands, the other
        # the one after them.
        ops = [commands[k].op for k in range(first + 1, min(last + 2, len(commands)))]
        joined = ";" if ";" in ops or (first > 0 and commands[first].op == ";") else "&&"
        if errexit and joined == ";" and first > 0 and commands[first].op == "&&":
            return None
        candidates = []
        if last + 1 < len(commands):
            if commands[last + 1].op not in ("&&", ";"):
                return None
            if first == 0 or commands[first].op == joined:
                candidates.append((commands[first].start, commands[last + 1].start))
        if first > 0 and (last + 1 == len(commands) or commands[last + 1].op == joined):
            candidates.append((commands[first - 1].end, commands[last].end))
        keeps_comments = [c for c in candidates if not _has_comment_line(physical_text(tree, run, *c))]
        if not keeps_comments:
            return None
        spans.append(keeps_comments[0])
    return spans


def _errexit_possible(tree: Dockerfile, stage: Stage, site: _Site, script: RunScript) -> bool:
    """Whether errexit may be on in the RUN: the stage's SHELL runs with `-e` (`SHELL ["/bin/sh", "-ec"]`, `["bash",
    "-eo", "pipefail", "-c"]`), or a command of the RUN sets it or may (`set -e`, `set -o errexit`, `eval`, a
    sourced file)."""
    # The stage's SHELL lines, found once per stage (a file of thousands of mounted RUN lines asks for each), else
    # the last of the stages it builds on (an image keeps its SHELL).
    shells = tree.memo(
        ("cache-mounts-shells", id(stage)),
        lambda: [k for k, (ins, _) in enumerate(site.walked) if tree.view(ins).keyword == "SHELL"],
    )
    before = bisect.bisect_left(shells, site.index)
    inherited = functools.partial(_last_shell, tree)
    node = (
        site.walked[shells[before - 1]][0]
        if before
        else _stages.fold_above(tree, stage, "cache-mounts-shell", None, inherited)
    )
    shell = tree.view(node) if node is not None else None
    if shell is not None and any(re.fullmatch(r"-\w*e\w*", w) or w == "errexit" for w in shell.args[1:]):
        return True
    text = script.script.text
    return any(
        _errexit_change(c.runs) is True or _may_change_errexit(c.runs, text[c.start : c.end])
        for c in script.script.commands
    )


def _last_shell(tree: Dockerfile, stage: Stage, above: Instruction | None) -> Instruction | None:
    """The last SHELL line of ``stage``, else ``above`` (the one of the stages it builds on)."""
    own = [ins for ins, _ in _stages.walk(tree, stage) if tree.view(ins).keyword == "SHELL"]
    return own[-1] if own else above


def _has_comment_line(text: str) -> bool:
    return any(line.lstrip().startswith("#") for line in text.split("\n")[1:])


def _runs(indexes: list[int]) -> Iterator[tuple[int, int]]:
    start = prev = indexes[0]
    for k in indexes[1:]:
        if k != prev + 1:
            yield start, prev
            start = k
        prev = k
    yield start, prev


def _option_edits(
    script: RunScript, text: str, manager: Manager, invs: list[Invocation], exec_form: bool
) -> list[tuple[int, int, str]] | None:
    """Edits removing ``--no-cache-dir``-style options (and turning apk's ``--no-cache`` into ``-U``)."""
    names = _NO_CACHE_OPTIONS.get(manager, ())
    if manager == "apk":
        names = ("--no-cache",)
    edits: list[tuple[int, int, str]] = []
    for inv in invs:
        if not (inv.options & set(names)):
            continue
        if exec_form or script.exec_form:
            return None
        command = inv.command
        segment = text[command.start : command.end]
        refreshes = bool(inv.options & {"--update", "-U", "--update-cache"})
        for m in re.finditer(r"(\s+)(" + "|".join(re.escape(n) for n in names) + r")(?=\s|$)", segment):
            replacement = m.group(1) + "--update-cache" if manager == "apk" and not refreshes else ""
            edits.append((command.start + m.start(), command.start + m.end(), replacement))
    return edits


def _dedupe(edits: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for edit in sorted(set(edits)):
        if out and edit[0] < out[-1][1]:
            continue  # overlapping spans: keep the first
        out.append(edit)
    return out


def _later_use(tree: Dockerfile, stage: Stage, site: _Site, manager: Manager, invs: list[Invocation]) -> str | None:
    """Why a later RUN (of the stage, or of a stage built on it) may miss what this one leaves in the cache, once it
    is a mount:
    - a download step (`go mod download`, `cargo fetch`) fills the cache for the build that follows; a later RUN
      that runs a script or make may build from it without the mount (a real build: "module lookup disabled");
    - the builder makes the folders above a root mount owned by root, so the same tool run later as another user
      (USER, or `runuser`/`su` in the RUN) cannot create its cache there (real builds: "mkdir /go/pkg/mod:
      permission denied", and the same from a stage built FROM this one)."""
    fetches = any(i.role == "fetch" for i in invs)
    user = site.walked[site.index][1].user
    as_root = user is None or user.split(":", 1)[0] in _ROOT_USERS
    if not fetches and not as_root:
        return None
    children = _stages.children(tree).get(id(stage), ())
    if not fetches and not (
        _last_switch(tree, stage, site.walked) > site.index or any(_other_user_below(tree, c) for c in children)
    ):
        return None  # nothing below can apply: skip the scan (every RUN of a long stage asks)
    tools = _RUNTIME_TOOL.get(manager, (manager,))
    derived = (pair for s in _stages.descendants(tree, stage) for pair in _stages.walk(tree, s))
    for ins, state in itertools.chain(site.walked[site.index + 1 :], derived):
        if not isinstance(ins, Run):
            continue
        script = _managers.run_script(tree, ins)
        runs_it = script is not None and any(i.manager == manager for i in script.invocations)
        if as_root:
            name = state.user.split(":", 1)[0] if state.user is not None else None
            who = name if name is not None and name not in _ROOT_USERS else None
            text = _run_text(tree, ins)
            if who is None and _USER_SWITCH.search(text) and any(re.search(rf"\b{t}\b", text) for t in tools):
                who, runs_it = "another user", True  # `runuser -u builder -- cargo build`: the tool inside the switch
            if runs_it and who is not None:
                return f"the builder makes the mount's folders root's, and the later RUN as {who} cannot write there"
        if fetches and not runs_it and script is not None:
            programs = [c.argv[0] for c in script.script.commands if c.argv]
            names = {p.rsplit("/", 1)[-1] for p in programs}
            # Scripts run by name or path (`sh build.sh`, `./build`, `scripts/build`), make and the like.
            if (
                names & _SCRIPT_RUNNERS
                or any(n.endswith(".sh") for n in names)
                or any(_project_path(p) for p in programs)
            ):
                shown = script.script.text[:40]
                return f"a later RUN (`{shown}`) may build from the downloaded packages without the mount"
    return None


def _read_later(
    tree: Dockerfile,
    stage: Stage,
    site: _Site,
    manager: Manager,
    targets: list[Mount],
    paths: _Paths,
    known: dict[tuple[object, ...], tuple[list[int], list[str], str | None]],
) -> str | None:
    """A later RUN, of the stage or of a stage built on it, that reads what this one leaves in the cache, which the
    mount keeps out of the image: one that names the cache folder (`du -s /root/.npm/_cacache`) or asks the tool
    for it (`$(npm config get cache)`, `npm cache verify`), or runs a script of the project, a Makefile or a
    package script that installs offline or names it (`sh scripts/tools.sh` running `npm install --offline`: real
    builds failed with ENOTCACHED). A later RUN that installs with the tool itself gets the same mount, and finds
    the cache there. Each RUN of the stage is read once per tool and targets (``known``, the stage's), not once per
    mounted RUN above it (a file of a thousand installs each followed by a `cd` took 17 s)."""
    key = (manager, tuple(t.target for t in targets), paths.home)
    if key not in known:
        known[key] = _readers(tree, stage, site.walked, site.build, manager, targets, paths.home)
    positions, messages, below = known[key]
    first = bisect.bisect_right(positions, site.index)
    return messages[first] if first < len(positions) else below


def _readers(
    tree: Dockerfile,
    stage: Stage,
    walked: tuple[tuple[Instruction, State], ...],
    build: BuildContext,
    manager: Manager,
    targets: list[Mount],
    home: str | None,
) -> tuple[list[int], list[str], str | None]:
    """The RUN lines of ``stage`` that read the cache (their positions, in order, and why), and why the first of the
    stages built on it that does (None: none)."""
    names = [w for t in targets for w in _spellings(t.target, home)]
    tool = "yarn(?:pkg)?" if manager == "yarn" else re.escape(manager) + "3?"  # Debian's yarn is yarnpkg
    query = re.compile(rf"\b{tool}\s+(?:cache\s+(?!clean|purge|prune|rm\b|remove)|config\s+get\s+cache)")
    reader = functools.partial(
        _reader, tree, build=build, manager=manager, targets=targets, home=home, names=names, query=query
    )
    positions: list[int] = []
    messages: list[str] = []
    for k in _cache_readers(tree, stage, walked):
        message = reader(walked, k)
        if message is not None:
            positions.append(k)
            messages.append(message)
    below = tree.memo(("cache-mounts-readers-below", id(stage)), functools.partial(_readers_below, tree, stage))
    return positions, messages, next((m for w, k in below if (m := reader(w, k)) is not None), None)


def _reader(
    tree: Dockerfile,
    walked: tuple[tuple[Instruction, State], ...],
    k: int,
    *,
    build: BuildContext,
    manager: Manager,
    targets: list[Mount],
    home: str | None,
    names: list[str],
    query: re.Pattern[str],
) -> str | None:
    """Why the RUN at ``k`` of ``walked`` reads the cache, or None."""
    ins, state = walked[k]
    assert isinstance(ins, Run)
    script = _managers.run_script(tree, ins)
    installs = _DOWNLOADS.get(manager, _INSTALLS)
    if script is None or any(i.manager == manager and i.role in installs for i in script.invocations):
        return None
    reads = functools.partial(_reads_cache, names=names, query=query, manager=manager, targets=targets, home=home)
    where = _Paths.of(script.script, state.workdir, state.env, home)
    commands = list(_each_command(script.script, where))
    # A later `rm -rf /root/.npm` only removes what the mount left there: the image is the same. A `sh -c` is read
    # by the commands of its string.
    readers = [
        at
        for at in commands
        if not at.opened
        and at.command.runs[:1] != ("rm",)
        and (
            any(n in at.text for n in names)
            or query.search(at.text)
            or _names_cache(at.command.runs, at.k, at.paths, targets)
        )
    ]
    if readers:
        shown = f"`{_shell_excerpt(readers[0].text)}`"
        return f"a later RUN ({shown}) reads the cache folder, which the mount leaves empty in the image"
    # The files the RUN runs, and those their commands run in turn (`npm run tools` -> tools.sh), each found from
    # the folder it runs in; the commands of a `sh -c` string in them, and the code `node -e`/`python -c` run.
    queue = [
        (argv, 0, folder)
        for at in commands
        if not at.opened
        for argv, folder in _command_runs(at.script, at.k, at.paths, at.paths.folders[at.k] or state.workdir)
    ]
    for at in commands:
        # Files `xargs` or `find -exec` runs (`xargs -a scripts/list.txt -n1 sh`: a real build's listed script
        # installed offline from the emptied cache): those a list in the context names are read as the others;
        # found or piped names are not known.
        fed = _shell.fed_program(at.command.words) if not at.opened else None
        if fed is None:
            continue
        runs, listed = fed
        folder = at.paths.folders[at.k] or state.workdir
        source = _stages.context_file(tree, walked, _stages.join(folder, listed), build, end=k) if listed else None
        listing = build.read_text(source) if isinstance(source, str) else None
        if listing is not None:
            queue += [((*runs, *line.split()), 0, folder) for line in listing.splitlines() if line.strip()]
            continue
        unknown = _program_file(runs if "{}" in runs else (*runs, "{}"))
        if unknown is not None and "{}" in unknown:
            shown = f"`{_shell_excerpt(at.text)}`"
            return f"a later RUN ({shown}) runs files it finds or reads names of as it runs, which may read the cache"
    read: set[str] = set()  # each file once: a package.json's scripts run each other (`yarn build` in `yarn ci`)
    while queue:
        argv, depth, folder = queue.pop(0)
        operand = _shell.run_operand(argv)
        executed = _shell.runner_command(argv)
        if isinstance(executed, str):
            operand = ("code", executed)  # `npx -c 'sh scripts/tools.sh'` runs its string in a shell (a real build)
            argv = ("sh", "-c", executed)
        elif executed is not None:
            queue.append((executed, depth, folder))  # `npx sh scripts/tools.sh`, `pnpm exec node x.js`
            continue
        if operand is not None and operand[0] == "code":
            inner = _shell.split(operand[1]) if argv[0].rsplit("/", 1)[-1] in _shell.SHELLS else None
            if inner is not None and depth < 2:
                paths = _Paths.of(inner, folder, state.env, home)
                queue += [
                    (runs, depth + 1, here)
                    for j in range(len(inner.commands))
                    for runs, here in _command_runs(inner, j, paths, folder)
                ]
            elif inner is None and reads(operand[1]):
                shown = f"`{_shell_excerpt(operand[1])}`"
                return f"a later RUN runs code ({shown}) that reads the cache the mount keeps out of the image"
            continue
        program = _program_file(argv)
        if program is None or (program == argv[0] and program.startswith(("$(", "`"))):
            continue  # a command that runs what another prints: a file `cat` prints is read (``_printed_script``)
        if operand is not None and ("$" in program or "`" in program or _shell.is_pattern(program)):
            # `for s in scripts/steps/*.sh; do sh "$s"; done` (a real build's step installed offline from the emptied
            # cache): dockmod cannot tell which files the shell (node, python) runs. A program run by such a path
            # (`/root/$MUSL-cross/bin/$MUSL-gcc`, a `case` pattern) is most often a tool.
            shown = f"`{_shell_excerpt(' '.join(argv))}`"
            return f"a later RUN runs files named by a variable or a pattern ({shown}), which may read the cache"
        path = _stages.join(folder, program)
        if path in read:
            continue
        read.add(path)
        source = _stages.context_file(tree, walked, path, build, end=k)
        found = build.read_text(source) if isinstance(source, str) else None
        if found is None:
            continue
        if reads(found):
            what = f"a script of {program}" if posixpath.basename(program) == "package.json" else program
            return f"a later RUN runs {what}, which reads the cache the mount keeps out of the image"
        if depth < 2:
            # A package script runs in its package's folder (`npm run --prefix tools warm`: tools/).
            here = posixpath.dirname(path) if posixpath.basename(path) == "package.json" else folder
            queue += [(argv, depth + 1, cwd) for argv, cwd in _commands_in(found, program, here, state.env, home)]
    return None


def _reads_cache(
    text: str, *, names: list[str], query: re.Pattern[str], manager: Manager, targets: list[Mount], home: str | None
) -> bool:
    """Whether a file or a code string a later RUN runs reads a cache target: it names it (`names`: as it is, through
    `~` or `$HOME`), asks the tool for it (``query``), installs offline, or finds it through the home folder it looks
    up (`os.homedir() + '/.npm/_cacache'`: a real build read an empty cache)."""
    return (
        any(n in text for n in names)
        or query.search(text) is not None
        or (_OFFLINE.search(text) is not None and manager in text)
        or _names_home_cache(text, targets, home)
    )


# Code that looks up the home folder: Node's os.homedir(), Python's expanduser/Path.home(), the HOME variable.
_HOME_LOOKUP: Final = re.compile(
    r"""homedir\(|expanduser\(|Path\.home\(|getenv\(\s*['"]HOME|\benv(?:iron)?\b\W{0,3}HOME\b"""
)


def _names_home_cache(text: str, targets: list[Mount], home: str | None) -> bool:
    """Whether code names a cache target in the home folder by its place there, next to a look-up of the home folder
    (`homedir()+'/.npm/_cacache'`, `Path.home() / '.cache' / 'pip'`)."""
    if home is None or _HOME_LOOKUP.search(text) is None:
        return False
    for t in targets:
        if t.target != home and _inside(t.target, home):
            parts = t.target[len(home.rstrip("/")) + 1 :].split("/")
            if all(re.search(rf"(?<![\w.-]){re.escape(p)}(?![\w-])", text) for p in parts):
                return True
    return False


# Commands that read a whole folder tree: given a folder around a cache target, they read the cache too.
_TREE_READERS: Final = frozenset({"tar", "cp", "rsync", "du", "find", "zip", "cpio", "mv", "7z", "tree"})


def _names_cache(argv: tuple[str, ...], k: int, paths: _Paths, targets: list[Mount]) -> bool:
    """Whether a command names a cache target by a path the text does not spell as the target: relative to the
    folder it runs in (`cd && tar czf /tmp/npm.tgz .npm`), with dot segments (`/root/./.npm`), or a folder around
    it that the command reads whole (`tar -C /root -czf /tmp/home.tgz .`, `cp -a /root /backup`)."""
    if not argv:
        return False
    tool = argv[0].rsplit("/", 1)[-1]
    recursive = tool in _TREE_READERS or (tool == "ls" and any(re.match(r"-\w*R", w) for w in argv[1:]))
    for word in argv[1:]:
        if word.startswith("-") or "=" in word:
            continue
        for path in paths.candidates(word, k):
            if path is None or "{" in path:
                continue
            for t in targets:
                if _inside(path, t.target) or (recursive and path != "/" and _inside(t.target, path)):
                    return True
    return False


def _commands_in(
    text: str, program: str, folder: str, env: Mapping[str, str], home: str | None
) -> list[tuple[tuple[str, ...], str]]:
    """The commands a file runs, each with the folder it runs in (``folder``, then each `cd`), as far as the shell
    model reads them: package.json's scripts (each from the package's folder: `cd tools && npm run warm`), a shell
    script's commands (what it sources, its variables), a Makefile's recipe lines (each in a shell of its own), the
    commands a Node or Python file hands to the system (`execSync('sh scripts/tools.sh')`). Real builds ran scripts
    through each of these that read the cache."""
    pieces: list[str]
    try:
        scripts = json.loads(text).get("scripts", {})
        pieces = [v for v in scripts.values() if isinstance(v, str)] if isinstance(scripts, dict) else []
    except (ValueError, AttributeError):
        name = posixpath.basename(program)
        if _CODE_FILE.search(name):
            pieces = _spawned(text)
        elif name != "Makefile" and _shell.split(text) is not None:
            pieces = [text]  # the whole script: a `cd` or a variable holds for the lines after it
        else:
            pieces = [line.strip() for line in text.splitlines()]
    out: list[tuple[tuple[str, ...], str]] = []
    for piece in pieces:
        script = _shell.split(piece)
        if script is None or not script.commands:
            continue
        paths = _Paths.of(script, folder, env, home)
        for k in range(len(script.commands)):
            out += _command_runs(script, k, paths, paths.folders[k] or folder)
    return out


def _command_runs(script: _shell.Script, k: int, paths: _Paths, folder: str) -> list[tuple[tuple[str, ...], str]]:
    """What the command ``k`` of ``script`` runs, each with its folder: its words (variables dockmod knows expanded,
    in the folder `env -C` names), the script a shell reads from a file (`. ./x.sh`, `sh < x.sh`) or from `cat`'s
    output (`bash <(cat x.sh)`, `sh -c "$(cat x.sh)"`: a real build ran it)."""
    command = script.commands[k]
    runs = tuple(w if "$" not in w and not w.startswith("~") else paths.expand(w, k)[0] for w in command.runs)
    chdir = _shell.env_chdir(command.words)
    here = _stages.join(folder, chdir) if chdir and "$" not in chdir else folder
    out = [(runs, here)] if runs else []
    for read in (_sourced_script(script, k), _printed_script(script, k)):
        out += [(("sh", read), here)] if read is not None else []
    return out


# Files of code whose calls to the system ``_spawned`` reads.
_CODE_FILE: Final = re.compile(r"\.(?:[cm]?js|ts|py)$")
# A call that runs a command (Node's child_process, Python's os and subprocess) with a string or a list of them.
_SPAWN: Final = re.compile(
    r"""\b(?:execSync|exec|execFileSync|execFile|spawnSync|spawn|system|popen|run|call|check_call|check_output|Popen)"""
    r"""\s*\(\s*(?:(['"`])((?:(?!\1)[^\\\n]|\\.)*)\1(?:\s*,\s*\[([^\]]*)\])?|\[([^\]]*)\])"""
)
_STRING: Final = re.compile(r"""(['"`])((?:(?!\1)[^\\\n]|\\.)*)\1""")


def _spawned(text: str) -> list[str]:
    """The commands a Node or Python file runs through the system, as shell lines: `execSync('sh x.sh')`,
    `spawnSync('sh', ['x.sh'])`, `subprocess.run(['sh', 'x.sh'])`, `os.system('sh x.sh')`."""
    out = []
    for m in _SPAWN.finditer(text):
        words = [m.group(2)] if m.group(1) else []
        listed = m.group(3) if m.group(1) else m.group(4)
        words += [_shell.quote(w.group(2)) for w in _STRING.finditer(listed or "")]
        out.append(" ".join(words))
    return out


def _printed_script(script: _shell.Script, k: int) -> str | None:
    """The file whose text the command ``k`` runs as shell code through `cat`: a shell or `.` given `<(cat F)` (the
    command's span ends before the closing parenthesis), or a command made of `$(cat F)` (`sh -c "$(cat F)"`, `eval
    "$(cat F)"`, `$(< F)`)."""
    command = script.commands[k]
    runs = command.runs
    if not runs:
        return None
    program = runs[0].rsplit("/", 1)[-1]
    text = script.text[command.start : command.end]
    if program in _shell.SHELLS or program in (".", "source", "eval") or runs[0].startswith(("$(", "`")):
        found = _PRINTED.search(text)
        if found is not None:
            return next(g for g in found.groups() if g)
    return None


_PRINTED: Final = re.compile(
    r"""<\(\s*cat\s+([^\s()<>;&|'"]+)(?:\s*\)|$)|\$\(\s*(?:cat\s+|<\s*)([^\s()<>;&|'"]+)\s*\)|`\s*cat\s+([^\s`'"]+)\s*`"""
)


def _readers_below(tree: Dockerfile, stage: Stage) -> list[tuple[tuple[tuple[Instruction, State], ...], int]]:
    """The RUN lines of the stages built on ``stage`` that may read a cache folder (``_cache_readers``), each with
    its stage's walk: once per stage, not once per mounted RUN."""
    out = []
    for child in _stages.descendants(tree, stage):
        walked = tuple(_stages.walk(tree, child))
        out += [(walked, k) for k in _cache_readers(tree, child, walked)]
    return out


def _cache_readers(tree: Dockerfile, stage: Stage, walked: Sequence[tuple[Instruction, State]]) -> tuple[int, ...]:
    """The positions of the RUN lines of a stage that may read a cache folder: they name a cache or home folder, or
    run a program file, make or a package script (most RUN lines do none of these, and each RUN with a mount asks
    about every later one: worked out once per stage)."""

    def find() -> tuple[int, ...]:
        return tuple(
            k for k, (ins, _) in enumerate(walked) if isinstance(ins, Run) and _READS_HINT.search(_run_text(tree, ins))
        )

    return tree.memo(("cache-mounts-readers", id(stage)), find)


def _spellings(target: str, home: str | None) -> list[str]:
    """How a RUN may name ``target``: as it is, or through ``~`` and ``$HOME`` when it is in the home folder."""
    out = [target]
    if home is not None and _inside(target, home) and target != home:
        rest = target[len(home.rstrip("/")) :]
        out += [f"~{rest}", f"$HOME{rest}", f"${{HOME}}{rest}"]
    return out


def _program_file(argv: tuple[str, ...]) -> str | None:
    """The file of the project a command runs: a shell script, a Node or Python file given to its interpreter (after
    its options: `node --no-warnings x.js`, `python -u x.py`), the Makefile `make` runs, or the package.json whose
    script `npm run` (`yarn`, `pnpm run`) runs, in the folder an option names (`npm run --prefix tools warm`:
    tools/package.json). Real builds failed where these were missed."""
    path = _script_path(argv)
    if path is not None:
        return path
    operand = _shell.run_operand(argv)
    if operand is not None:
        return operand[1] if operand[0] == "file" else None
    if argv and argv[0].rsplit("/", 1)[-1] == "make":
        return "Makefile"
    folder = _managers.package_script_folder(argv)
    return posixpath.join(folder, "package.json") if folder is not None else None


def _shell_excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 50 else text[:47] + "..."


_OFFLINE: Final = re.compile(r"--offline\b|only-if-cached|GOPROXY=off")
_READS_HINT: Final = re.compile(
    r"cache|~/|\$\{?HOME|/root/|/home/|\.sh\b|\b(?:sh|bash|node|python[\d.]*)\s+[-\w./]|(?:^|\s)\./|\bmake\b"
    r"|\b(?:npm|yarn|pnpm)\s(?:[^;&|\n]*\s)?(?:run|run-script|start|test)\b|\b(?:yarn|pnpm)\s+[-\w]"
    # Paths relative to a folder (`cd && tar ... .npm`) or the whole of one (`tar -C /root .`, `cp -a /root /x`).
    r"|\bcd\b|(?:^|[\s=])\.[\w.]|(?:^|\s)\.(?:\s|$)|(?:^|\s)/root\b|\b(?:tar|rsync|du|cpio|zip)\b|\bcp\s+-"
    r"|\bxargs\b|\s-(?:exec|ok)(?:dir)?\s"  # the files they run
    # What `npx -c` or `npm exec` runs, a script `cat` prints to a shell, a program by its path in the project.
    r"|\bnpx\b|\b(?:npm|pnpm|yarn)\s+(?:exec|x)\b|<\(|\$\(\s*(?:cat|<)|`\s*cat\b"
    r"|(?:^|[;&|\n]\s*)(?:[\w.][\w.-]*|/(?!usr/|bin/|sbin/)[\w.-]+)/[\w.-]"
)


def _project_path(program: str) -> bool:
    """A program run by a path into the project (``./build``, ``scripts/build``), not a system one."""
    return "/" in program and not program.startswith(("/usr/", "/bin/", "/sbin/", "/opt/"))


def _other_user_below(tree: Dockerfile, stage: Stage) -> bool:
    """Whether ``stage`` or a stage built on it runs anything as a non-root user (USER, or a switch in a RUN)."""

    def find() -> dict[int, bool]:
        # From the last stage up (a stage builds only on earlier ones), without recursion: a generated chain of
        # a thousand stages, each FROM the last, would exceed Python's recursion limit.
        children = _stages.children(tree)
        out: dict[int, bool] = {}
        for s in reversed(tree.stages):
            out[id(s)] = any(out[id(c)] for c in children.get(id(s), ())) or any(
                _switches_user(tree, ins) or (state.user is not None and state.user.split(":", 1)[0] not in _ROOT_USERS)
                for ins, state in _stages.walk(tree, s)
            )
        return out

    return tree.memo("other-user-below", find)[id(stage)]


# Commands that run what follows as another user.
_USER_SWITCH: Final = re.compile(r"(?:^|[\s;&|(])(?:runuser|su|setpriv|gosu|su-exec|sudo|chroot|s6-setuidgid)\s")


def _last_switch(tree: Dockerfile, stage: Stage, walked: tuple[tuple[Instruction, State], ...]) -> int:
    """The position in ``walked`` of the stage's last user switch (USER, or `runuser`/`su` in a RUN), -1 without
    one: a root mount's later users come after it."""
    return tree.memo(
        ("last-user-switch", stage),
        lambda: max((k for k, (ins, _) in enumerate(walked) if _switches_user(tree, ins)), default=-1),
    )


def _switches_user(tree: Dockerfile, ins: Instruction) -> bool:
    return isinstance(ins, User) or (isinstance(ins, Run) and _USER_SWITCH.search(_run_text(tree, ins)) is not None)


# Commands that run what dockmod cannot read: a later one may use a downloaded cache without naming the tool.
_SCRIPT_RUNNERS: Final = frozenset({"make", "sh", "bash", "just", "task", "ninja"})


def _maven_repository_at_run_time(tree: Dockerfile) -> str | None:
    """Why the image reads jars from Maven's local repository when it runs, if it does: a classpath that
    `dependency:build-classpath` writes points into ~/.m2 (a real build with the mount failed with
    NoClassDefFoundError), or the start command names it."""
    for ins in tree.instructions:
        if isinstance(ins, Run) and "dependency:build-classpath" in _run_text(tree, ins):
            return (
                "dependency:build-classpath writes a classpath of jars in ~/.m2, which the image may read at run time"
            )
        if isinstance(ins, Cmd | Entrypoint) and ".m2/" in tree.view(ins).args_text:
            return "the start command reads ~/.m2"
    return None


def _runners(script: RunScript, manager: Manager) -> frozenset[str]:
    """The cached runners of ``manager`` (npx, uvx) that the RUN's script starts."""
    runners = _CACHED_RUNNERS.get(manager)
    if runners is None:
        return frozenset()
    started = {c.argv[0].rsplit("/", 1)[-1] for c in script.script.commands if c.argv}
    return runners & started


def _start_commands(tree: Dockerfile, build: BuildContext) -> tuple[tuple[str, ...], ...]:
    """The commands the final image runs at start-up: its CMD/ENTRYPOINT (the commands of a `sh -c` string: `sh -c
    "go run ."`, a real build downloaded again), and those of the start scripts they run that the copies bring from
    the build context (a `start.sh` running `go run .`). Once per tree."""

    def find() -> tuple[tuple[str, ...], ...]:
        stages = tree.stages
        if not stages:
            return ()
        walked = _stages.chain_walk(tree, stages[-1])
        workdir = _stages.final_state(tree, stages[-1]).workdir
        out: list[tuple[str, ...]] = []
        for ins in stages[-1].body:
            if isinstance(ins, Cmd | Entrypoint):
                view = tree.view(ins)
                words = view.args if view.json else ("sh", "-c", view.args_text)
                inner = _shell.shell_c_script(tuple(words))
                script = _shell.split(inner) if inner is not None else None
                for argv in [c.argv for c in script.commands] if script is not None else [tuple(words)]:
                    out.append(argv)
                    for path in _stages.start_scripts(argv):
                        text = _stages.script_text(tree, walked, path, workdir, build)
                        lines = _shell.split(text) if isinstance(text, str) else None
                        out += [c.argv for c in lines.commands] if lines is not None else []
        return tuple(out)

    return tree.memo(("cache-mounts-start-commands",), find)


def _start_installs(tree: Dockerfile, build: BuildContext) -> frozenset[Manager]:
    """The package managers the final image's start commands (``_start_commands``) install with, also through the
    package.json scripts an `npm start`/`npm run X` of them runs."""
    started = _start_commands(tree, build)
    texts = [" ".join(_shell.quote(w) for w in argv) for argv in started]
    if any(_managers.package_script_folder(argv) is not None for argv in started):
        stage = tree.stages[-1]
        workdir = _stages.final_state(tree, stage).workdir
        package = _stages.script_text(tree, _stages.chain_walk(tree, stage), "./package.json", workdir, build)
        try:
            scripts = json.loads(package).get("scripts", {}) if isinstance(package, str) else {}
        except (ValueError, AttributeError):
            scripts = {}
        texts += [v for v in scripts.values() if isinstance(v, str)] if isinstance(scripts, dict) else []
    out: set[Manager] = set()
    for text in texts:
        script = _shell.split(text)
        for inv in _managers.invocations(script) if script is not None else ():
            if inv.role in _DOWNLOADS.get(inv.manager, _INSTALLS):
                out.add(inv.manager)
    return frozenset(out)


def _runtime_commands(tree: Dockerfile, build: BuildContext) -> frozenset[str]:
    """Program names the final image runs at start-up (``_start_commands``)."""
    return frozenset(w.rsplit("/", 1)[-1] for argv in _start_commands(tree, build) for w in argv[:3])

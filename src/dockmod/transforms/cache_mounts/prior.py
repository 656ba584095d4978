"""What the instructions above a RUN left where a cache mount would go, which the mount would hide: the
COPY/ADD destinations and the paths earlier RUN lines name, in the stage and in those it builds on (``Earlier``,
each instruction read once), the paths later stages copy out of the stage, and whether the install reads the cache
alone (``--offline``, an npmrc's ``offline=true``), so that what an earlier RUN or copy filled it with counts."""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, cast

from dockmod import imageref
from dockmod.context import BuildContext
from dockmod.cst import Add, Arg, Copy, Dockerfile, Instruction, Run, Stage
from dockmod.transforms import _managers, _shell, _stages
from dockmod.transforms._managers import Invocation, Manager
from dockmod.transforms._stages import State
from dockmod.transforms.cache_mounts import common, shellpaths


@dataclass
class Earlier:
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
    # The RUN lines below that read a cache (``downstream._readers``), by tool, targets and home: worked out once per
    # stage and check (they depend on the build context this check reads).
    readers: dict[tuple[object, ...], tuple[list[int], list[str], str | None]] = field(default_factory=dict)

    def copy(self, tree: Dockerfile, ins: Copy | Add, state: State, image: str | None) -> None:
        dest = _copy_destination(tree, ins, state, image)
        if dest is not None:
            self.copied.append(dest)
            self.copies.append((dest, ins))

    def copied_into(self, tree: Dockerfile, target: str, *, offline: bool) -> list[str]:
        done, inside = self._inside.get(target, (0, []))
        inside += [w for w in self.copied[done:] if common.inside(w, target)]  # each copy once per target
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
                and common.inside(target, dest)
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
            self._named += _run_paths(tree, stage, run, state, self.image)
            self._filled += _run_fills(tree, run, state, self.image)
        self._read = len(self.runs)
        own = [w for w in self._named if common.inside(w, target)]
        # For an install that reads only the cache, a folder around it that a RUN unpacks an archive or copies a
        # folder into (`tar -xzf npm-cache.tgz -C /root`: a real build with the mount failed with ENOTCACHED). `/`
        # is left out: an archive of system files unpacked there (s6-overlay) holds no cache.
        own += [f for f in self._filled if offline and f not in ("/", target) and common.inside(target, f)]
        return [*_inherited(tree, self.parent, self.image, target, "RUN"), *own] if self.parent else own


def reads_cache_only(tree: Dockerfile, run: Run, env: Mapping[str, str]) -> bool:
    """Whether a RUN's install reads packages from the cache alone (`npm ci --offline`, `GOPROXY=off`, or
    `npm_config_offline=true` in the environment, also through a variable dockmod cannot expand)."""
    settings = {k.lower(): v.lower() for k, v in env.items()}
    values = (settings.get("npm_config_offline"), settings.get("yarn_offline"))
    return bool(common.OFFLINE.search(common.run_text(tree, run))) or any(v == "true" or "$" in v for v in values if v)


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
            program = shellpaths.script_path(command.runs) or shellpaths.sourced_script(script.script, k)
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


def npmrc_offline(
    tree: Dockerfile,
    site: common.Site,
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
        except common.Unreadable:
            return True  # dockmod cannot read it: it may
        if _NPMRC_OFFLINE.search(text):
            return True
    # A global npmrc another stage's folder may bring (`COPY --from=node /usr/local /usr/local`) counts as not set.
    config = settings.get("npm_config_globalconfig")
    return any(
        _NPMRC_OFFLINE.search(common.readable(tree, site, path) or "")
        for path in ([_stages.join(state.workdir, config)] if config else ["/usr/local/etc/npmrc", "/etc/npmrc"])
    )


_NPMRC_OFFLINE: Final = re.compile(r"^\s*offline\s*=\s*true\b", re.MULTILINE)
# A RUN that writes `offline=true` into an npmrc: `npm config set offline true` (also `--location=global`, `-g`),
# `npm set offline=true`, `echo offline=true > .npmrc`.
_RUN_SETS_OFFLINE: Final = re.compile(
    r"\bnpm\s+(?:config\s+)?set\s+(?:-\S+\s+)*offline(?:\s*=\s*|\s+)[\"']?true\b|offline\s*=\s*true\b[^\n;&|]*npmrc"
)
_OFFLINE_VARIABLES: Final = frozenset({"npm_config_offline", "yarn_offline"})


def offline_above(tree: Dockerfile, stage: Stage, walked: Sequence[tuple[Instruction, State]], index: int) -> bool:
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
            if isinstance(ins, Run) and _RUN_SETS_OFFLINE.search(common.run_text(tree, ins)):
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
        isinstance(ins, Run) and _RUN_SETS_OFFLINE.search(common.run_text(tree, ins))
        for ins, _ in _stages.walk(tree, stage)
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


def _run_fills(tree: Dockerfile, run: Run, state: State, image: str | None) -> list[str]:
    """The folders a RUN unpacks an archive into (`tar -x -C`, `unzip -d`) or copies a folder's content into (`cp
    -r`, `cp -a`, `rsync`), from its working folder and `cd` commands; variables read as ``_run_paths`` reads them."""
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
        if into is not None and "$" in into:
            into = _stages.substitute(into, _variables(state, image))
        if into is not None and here is not None and "$" not in into:
            out.append(_stages.join(here, into))
    return out


def _image_env(image: str | None) -> dict[str, str]:
    """The variables the official image sets that name folders (GOPATH, CARGO_HOME, GEM_HOME, MAVEN_CONFIG)."""
    return {**_stages.IMAGE_ENV.get(image or "", {}), **_IMAGE_CACHE_ENV.get(image or "", {})}


def _variables(state: State, image: str | None) -> dict[str, str]:
    """What a RUN's `$NAME` may be read as: the image's variables and the Dockerfile's, but HOME, which
    ``_run_paths`` reads as the home folder it knows."""
    return {k: v for k, v in {**_image_env(image), **state.env}.items() if k != "HOME"}


def _inherited(tree: Dockerfile, stage: Stage, image: str | None, target: str, kind: str) -> tuple[str, ...]:
    """The paths inside ``target`` that ``stage`` and the stages it builds on leave: their COPY/ADD destinations
    ("COPY") or the paths their RUN lines name ("RUN"). Once per stage and target, from the parent's answer: a
    generated chain of thousands of stages would otherwise read every stage above each one (quadratic)."""
    chain = _stages.lineage(tree, stage)
    start, known = _stages.nearest_known(tree, chain, lambda s: ("cache-mounts-inherited", s, image, target, kind))
    found = cast(tuple[str, ...], known) if known is not None else ()
    for s in chain[start:]:
        found += tuple(w for w in _left_by(tree, s, image, kind) if common.inside(w, target))
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
                out += _run_paths(tree, stage, ins, state, image)
        return tuple(out)

    return tree.memo(("cache-mounts-left", stage, image, kind), find)


# A word that is a path: absolute, or in the home folder (``~/``, ``$HOME/``, ``${HOME}/``); not the tail of a
# relative path (``src/main``, ``./x``).
_PATH_WORD: Final = re.compile(r"""(?<![\w$}.~])(~|\$HOME|\$\{HOME\})?(/[^\s;&|<>()'"`]*)""")


def _run_paths(tree: Dockerfile, stage: Stage, run: Run, state: State, image: str | None) -> list[str]:
    """The paths a RUN names, outside its own cache mounts: it may write there, and a later cache mount over
    them would hide what it wrote. Home-relative paths count only where the home folder is known; a variable the
    Dockerfile or the base image sets is read as its value (`tar -xf mods.tar -C $GOPATH/pkg/mod` on a golang
    image: a build with a mount of /go/pkg/mod after it would not find those modules)."""
    view = tree.view(run)
    text = common.run_text(tree, run)
    if "/" not in text:
        return []
    script = _managers.run_script(tree, run)
    if script is not None:
        # What ``rm`` names is gone: nothing there for a mount to hide.
        text = " ".join(script.script.text[c.start : c.end] for c in script.script.commands if c.argv[:1] != ("rm",))
    if "$" in text:
        text = _stages.substitute(text, _variables(state, image))
    home = common.home(tree, stage, state, dict(state.env))[0]
    own = [common.mount_target(f) for f in view.flags if f.name == "mount"]
    out = []
    for m in _PATH_WORD.finditer(text):
        prefix, path = m.group(1), m.group(2)
        if prefix:
            if home is None:
                continue
            path = home + path
        path = common.normpath(path)
        if not any(target and common.inside(path, target) for target in own):
            out.append(path)
    return out


# Variables official images set that name a cache folder a COPY may write into (`COPY settings.xml
# ${MAVEN_CONFIG}/`): the maven image sets MAVEN_CONFIG=/root/.m2.
_IMAGE_CACHE_ENV: Final[dict[str, dict[str, str]]] = {"maven": {"MAVEN_CONFIG": "/root/.m2"}}


def copied_out(tree: Dockerfile, stage: Stage) -> list[str]:
    """The paths other stages' ``COPY --from`` take from ``stage`` (by its name or index)."""
    taken = tree.memo("copied-out", lambda: _stage_copies(tree))
    return [p for name in (str(stage.index), (stage.name or "").lower()) if name for p in taken.get(name, ())]


def takes_out(path: str, target: common.Mount) -> bool:
    """Whether a later stage's `COPY --from` of ``path`` (maybe a pattern, or something below a folder: ``UNKNOWN_DIR``
    before it) takes the target or something of it, which a mount would leave empty."""
    if path == _stages.UNKNOWN_DIR:
        return True  # any path
    if path.startswith(_stages.UNKNOWN_DIR + "/"):  # something below this folder
        folder = path[len(_stages.UNKNOWN_DIR) :]
        return common.inside(target.target, folder) or common.inside(folder, target.target)
    if any(_shell.is_pattern(part) for part in path.split("/")):
        return shellpaths.relation(path, [target]) != "other"
    return common.inside(path, target.target) or common.inside(target.target, path)


def around(path: str, target: common.Mount) -> bool:
    """Whether ``path`` (a later stage's `COPY --from`) is a folder that holds the target, named plainly: the copy takes
    what is beside the cache too."""
    if path.startswith(_stages.UNKNOWN_DIR) or any(_shell.is_pattern(part) for part in path.split("/")):
        return False
    return common.inside(target.target, path) and common.normpath(path) != common.normpath(target.target)


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
                        out.setdefault(options["from"].lower(), []).append(common.normpath(source))
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
                taken += [common.normpath(path)] if path.startswith("/") else []
    return out


def _copy_destination(tree: Dockerfile, ins: Copy | Add, state: State, image: str | None = None) -> str | None:
    """Where a COPY/ADD writes, from the build context or another stage (`COPY --from=deps /go/pkg/mod /go/pkg/mod`
    fills what a mount would hide as much as a copy from the context does); None where dockmod cannot resolve it."""
    view = tree.view(ins)
    if len(view.args) < 2:
        return None
    dest = view.args[-1]
    if "$" in dest:
        env = {**_image_env(image), **state.env}
        expansion = imageref.expand_variables(dest, dict(env))
        if not expansion.resolved:
            return None
        dest = expansion.text
    resolved = _stages.join(state.workdir, dest)
    return None if resolved.startswith("?") else common.normpath(resolved)

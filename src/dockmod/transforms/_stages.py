"""What a stage looks like from inside: working directory, user and environment before each instruction,
the external image it ultimately builds on, the users its RUN lines create, and which build-context file its
copies leave at a path."""

from __future__ import annotations

import fnmatch
import functools
import posixpath
import re
from collections.abc import Callable, Hashable, ItemsView, Iterator, KeysView, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Final, TypeVar, cast

from dockmod import imageref
from dockmod.context import BuildContext
from dockmod.cst import Add, Arg, Copy, Dockerfile, Env, Instruction, Run, Stage, User, Workdir
from dockmod.cst.view import InstructionView
from dockmod.transforms import _shell

T = TypeVar("T")

UNKNOWN_DIR = "?"  # the base image's WORKDIR, which the Dockerfile does not show


@dataclass(frozen=True, slots=True)
class State:
    """The build state before an instruction."""

    workdir: str  # absolute, or relative to the unknown base WORKDIR ("?" or "?/app")
    user: str | None  # None: the base image's user
    env: Mapping[str, str] = field(default_factory=dict)


def join(base: str, path: str) -> str:
    """Resolve ``path`` against ``base`` like WORKDIR does (``?`` stands for an unknown base)."""
    if path.startswith("/"):
        return posixpath.normpath(path)
    if base == UNKNOWN_DIR or base.startswith(UNKNOWN_DIR + "/"):
        rest = posixpath.normpath(posixpath.join(base[2:] or ".", path))
        return UNKNOWN_DIR if rest == "." else UNKNOWN_DIR + "/" + rest
    return posixpath.normpath(posixpath.join(base, path))


def substitute(code: str, env: Mapping[str, str], cwd: str | None = None) -> str:
    """``code`` with ``$NAME`` and ``${NAME}`` replaced by the values ``env`` gives them (others left as written);
    given ``cwd``, the folder the shell runs in, `$PWD`, `$(pwd)` and `` `pwd` `` are replaced by it too."""
    if cwd is not None:
        # The shell sets PWD itself, over any ENV PWD; `pwd` prints the same folder.
        folder = cwd
        code = _CURRENT_FOLDER.sub(lambda _m: folder, code)
        env = overlay(env, {"PWD": folder})
    if "$" not in code:
        return code

    def value(m: re.Match[str]) -> str:
        name = m.group(1) or m.group(2)
        return env.get(name, m.group(0))

    return re.sub(r"\$\{(\w+)\}|\$(\w+)", value, code)


_CURRENT_FOLDER: Final = re.compile(r"\$\(\s*pwd\s*\)|`\s*pwd\s*`")


def shell_variables(commands: Sequence[_shell.Command], env: Mapping[str, str]) -> Mapping[str, str]:
    """``env`` with the variables ``commands`` leave set for the commands after them in the same shell
    (``_shell.variables_set``: `A=1` alone, `export A=1`, `declare`...), each value expanded with what is known before
    it, as the shell does. One set by a command that may not run (after `||`, in a branch) counts too: callers use
    the result to find what a command may read."""
    changes: dict[str, str] = {}
    for command in commands:
        for name, value in _shell.variables_set(command):
            changes[name] = substitute(value, overlay(env, changes))
    return overlay(env, changes)


def global_args(tree: Dockerfile) -> dict[str, str | None]:
    """Defaults of the ARGs declared before the first FROM."""
    out: dict[str, str | None] = {}
    for arg in tree.global_args:
        for word in tree.view(arg).args:
            name, eq, value = word.partition("=")
            out[name] = _unquote(value) if eq else out.get(name)
    return out


def walk(tree: Dockerfile, stage: Stage) -> Iterator[tuple[Instruction, State]]:
    """Each instruction of ``stage`` after its FROM, with the state it runs in."""
    return iter(_walked(tree, stage)[0])


def chain_walk(tree: Dockerfile, stage: Stage) -> tuple[tuple[Instruction, State], ...]:
    """Each instruction of ``stage`` and of the stages it builds on, in order, with the state it runs in: what the
    final image holds. One tuple per tree and stage, so the copy index ``context_file`` keeps for it is shared."""
    return tree.memo(("chain-walk", stage), lambda: tuple(p for s in lineage(tree, stage) for p in walk(tree, s)))


def children(tree: Dockerfile) -> dict[int, list[Stage]]:
    """The stages built directly on each stage (``FROM deps AS build``), by the parent's identity."""

    def find() -> dict[int, list[Stage]]:
        out: dict[int, list[Stage]] = {}
        for s in tree.stages:
            chain = lineage(tree, s)
            if len(chain) > 1:
                out.setdefault(id(chain[-2]), []).append(s)
        return out

    return tree.memo("stage-children", find)


def descendants(tree: Dockerfile, stage: Stage) -> list[Stage]:
    """The later stages built on ``stage``, directly or through others, in file order."""
    below = children(tree)
    out: list[Stage] = []
    queue = list(below.get(id(stage), ()))
    while queue:
        s = queue.pop()
        out.append(s)
        queue += below.get(id(s), ())
    return sorted(out, key=lambda s: s.index)


def initial_state(tree: Dockerfile, stage: Stage) -> State:
    body, after = _walked(tree, stage)
    return body[0][1] if body else after


def final_state(tree: Dockerfile, stage: Stage) -> State:
    return _walked(tree, stage)[1]


Walked = tuple[tuple[tuple[Instruction, State], ...], State]  # (instruction, state before it)..., state after


def _walked(tree: Dockerfile, stage: Stage) -> Walked:
    # Every transform walks the same stages, some several times: once per tree and stage.
    return tree.memo(("walk", stage), lambda: _walk_chain(tree, stage))


def _walk_chain(tree: Dockerfile, stage: Stage) -> Walked:
    # The stages it builds on first, in order, each from the last one's final state: asking for the last of a
    # generated chain of a thousand stages would otherwise recurse past Python's limit.
    state = State(UNKNOWN_DIR, None, {})
    *parents, _ = lineage(tree, stage)
    # From the nearest stage already walked (usually the parent: stages are asked in order), not from the first.
    start, walked = nearest_known(tree, parents, lambda s: ("walk", s))
    if walked is not None:
        state = cast(Walked, walked)[1]
    for s in parents[start:]:
        state = tree.memo(("walk", s), functools.partial(_walk, tree, s, state))[1]
    return _walk(tree, stage, state)


def nearest_known(
    tree: Dockerfile, chain: Sequence[Stage], key: Callable[[Stage], Hashable]
) -> tuple[int, object | None]:
    """The last stage of ``chain`` for which the tree keeps ``key(stage)``: (the index after it, what is kept), or
    (0, None). Facts built stage after stage along a chain start there, not from the first stage: a generated chain
    of thousands of stages would otherwise be walked again for each one (quadratic)."""
    for k in range(len(chain) - 1, -1, -1):
        known = tree.known(key(chain[k]))
        if known is not None:
            return k + 1, known
    return 0, None


def _walk(tree: Dockerfile, stage: Stage, state: State) -> Walked:
    """The instructions of ``stage`` with the state before each, from ``state`` (its parent stage's last)."""
    # The image's own variables matter only to a WORKDIR written with one, and to an ARG, which cannot change a
    # variable the image sets: looked up only then.
    needed = any(
        isinstance(ins, Arg) or (isinstance(ins, Workdir) and "$" in tree.view(ins).args_text) for ins in stage.body
    )
    image = IMAGE_ENV.get(image_name(base_image(tree, stage)), {}) if needed else None
    body = []
    for ins in stage.body:
        body.append((ins, state))
        state = advance(tree, ins, state, image)
    return tuple(body), state


# What Docker's official images set that Dockerfiles use without setting it (`WORKDIR $GOPATH/src/app`); not part
# of a state's environment, which holds what the Dockerfile sets (transforms ask whether it moves a cache).
DEFAULT_PATH: Final = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
IMAGE_ENV: Final[dict[str, dict[str, str]]] = {
    "golang": {"GOPATH": "/go", "PATH": "/go/bin:/usr/local/go/bin:" + DEFAULT_PATH},
    "rust": {"CARGO_HOME": "/usr/local/cargo", "PATH": "/usr/local/cargo/bin:" + DEFAULT_PATH},
    "ruby": {
        "GEM_HOME": "/usr/local/bundle",
        "BUNDLE_APP_CONFIG": "/usr/local/bundle",
        "PATH": "/usr/local/bundle/bin:" + DEFAULT_PATH,
    },
    "composer": {"COMPOSER_HOME": "/tmp", "COMPOSER_ALLOW_SUPERUSER": "1"},
}


def advance(tree: Dockerfile, ins: Instruction, state: State, image: Mapping[str, str] | None = None) -> State:
    """The state after ``ins``; ``image`` holds the base image's own variables, for WORKDIR and ARG."""
    if isinstance(ins, Workdir):
        args = tree.view(ins).args
        if args:
            value = _unquote(args[0])
            if "$" in value:
                # BuildKit expands WORKDIR with the stage's ARG and ENV values and the image's own (`ARG
                # APP_HOME=/app`, `WORKDIR ${APP_HOME}`); a variable without a known value stays as written.
                expansion = imageref.expand_variables(value, {**(image or {}), **state.env})
                value = expansion.text if expansion.resolved else value
            return State(join(state.workdir, value), state.user, state.env)
    elif isinstance(ins, User):
        args = tree.view(ins).args
        if args:
            return State(state.workdir, args[0].strip(), state.env)
    elif isinstance(ins, Env | Arg):
        # Values are expanded as BuildKit does, with the variables set before the instruction (`ENV PORT=${PORT}`
        # after `ARG PORT`, whose value comes from the global `ARG PORT=80`: a real image bound port 80).
        changes: dict[str, str] = {}
        if isinstance(ins, Env):
            for pair in tree.view(ins).pairs:
                changes[pair.key] = _value(tree, pair.value, state.env)
        else:
            for word in tree.view(ins).args:
                name, eq, value = word.partition("=")
                if name in state.env or name in changes or (image is not None and name in image):
                    # ENV wins over ARG, the base image's too: `ARG COMPOSER_HOME=/composer` on the composer image
                    # leaves its COMPOSER_HOME=/tmp (a real build cached in /tmp/cache, not the mounted folder).
                    continue
                if eq:
                    changes[name] = _value(tree, value, state.env)
                elif (default := global_args(tree).get(name)) is not None:
                    changes[name] = default  # `ARG NAME` in a stage takes the global ARG's default
        return State(state.workdir, state.user, Environment.layered(state.env, changes))
    return state


def _value(tree: Dockerfile, raw: str, env: Mapping[str, str]) -> str:
    """An ENV or ARG value as the build sees it: quotes removed, variables known before it expanded (as written
    when one is unknown)."""
    if "$" not in raw:
        return _unquote(raw)
    expansion = imageref.expand_variables(raw, env, escape=tree.escape)
    return expansion.text if expansion.resolved else _unquote(raw)


class Environment(Mapping[str, str]):
    """An environment that shares its parent's entries: a stage's state before each instruction keeps one.

    Copying the whole environment at every ENV line made a stage with thousands of them quadratic in memory
    (4,000 ENV lines: 0.5 GB). Small environments are still copied as plain dicts; past ``_SMALL`` entries a
    layer holds only its own changes, and a chain is merged into one layer every
    ``_DEPTH`` layers, so a look-up reads at most that many dicts (a merged layer is the only one that copies).
    """

    __slots__ = ("_changes", "_depth", "_merged", "_parent")
    _DEPTH = 16
    _SMALL = 64  # environments up to this size are plain dicts (real files set tens of variables)

    def __init__(self, changes: dict[str, str], parent: Environment | None = None) -> None:
        self._changes = changes
        self._parent = parent
        self._depth: int = parent._depth + 1 if parent is not None else 0
        self._merged = None if parent is not None else changes  # the whole environment, in a chain's first layer

    @classmethod
    def layered(cls, base: Mapping[str, str], changes: dict[str, str]) -> Mapping[str, str]:
        if not changes:
            return base
        if isinstance(base, Environment):
            if base._depth < cls._DEPTH:
                return cls(changes, base)
            return cls({**base._flat(), **changes})
        if len(base) < cls._SMALL:
            return {**base, **changes}  # a plain dict: the look-ups transforms make stay as fast as they can be
        return cls({**base, **changes})

    def _flat(self) -> dict[str, str]:
        # Not kept: callers iterate the environment of many states, and keeping each flat copy would bring
        # the quadratic memory back.
        if self._merged is not None:
            return self._merged
        assert self._parent is not None
        return {**self._parent._flat(), **self._changes}

    def __getitem__(self, key: str) -> str:
        layer: Environment | None = self
        while layer is not None:
            if layer._merged is not None:
                return layer._merged[key]
            if key in layer._changes:
                return layer._changes[key]
            layer = layer._parent
        raise KeyError(key)

    def get(self, key: str, default: Any = None) -> Any:
        layer: Environment | None = self
        while layer is not None:
            if layer._merged is not None:
                return layer._merged.get(key, default)
            if key in layer._changes:
                return layer._changes[key]
            layer = layer._parent
        return default

    def __contains__(self, key: object) -> bool:
        layer: Environment | None = self
        while layer is not None:
            if layer._merged is not None:
                return key in layer._merged
            if key in layer._changes:
                return True
            layer = layer._parent
        return False

    def keys(self) -> KeysView[str]:
        return self._flat().keys()

    def items(self) -> ItemsView[str, str]:
        return self._flat().items()

    def __iter__(self) -> Iterator[str]:
        return iter(self._flat())

    def __len__(self) -> int:
        return len(self._flat())

    def __repr__(self) -> str:
        return f"Environment({self._flat()!r})"


def overlay(base: Mapping[str, str], changes: Mapping[str, str]) -> Mapping[str, str]:
    """``base`` with ``changes`` on top (a command's ``VAR=value`` prefixes over the stage's environment), without
    copying a large ``base``: every RUN asks, and a stage with thousands of ENV lines made the copies quadratic."""
    if not changes:
        return base
    if isinstance(base, Environment):
        return Environment(dict(changes), base)
    return {**base, **changes}


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


# ADD unpacks local tar archives (compressed or not) into its destination: what lands there is not the file.
ARCHIVE: Final = re.compile(r"\.(?:tar|tgz|tbz2?|txz|tzst)$|\.tar\.(?:gz|bz2|xz|zst|lz4)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A copy that may have put a file at a path, from a source dockmod cannot read (None: a copied file that is
    not text, or too large)."""

    node: Copy | Add | None


def context_file(
    tree: Dockerfile,
    walked: Sequence[tuple[Instruction, State]],
    path: str,
    build: BuildContext,
    end: int | None = None,
) -> str | Unreadable | None:
    """The build-context file that the COPY/ADD lines of ``walked[:end]`` leave at the image path ``path``.

    The last copy that puts a file there wins, as in the image; None when no copy from the context does.
    :class:`Unreadable` when the last copy that may have written there has a source dockmod cannot read:
    ``--from``, a URL, an archive ADD unpacks, a variable, ``--exclude``/``--parents``, a heredoc. Files RUN lines
    write are not followed. Pass the whole walk and ``end`` rather than a slice: the copies are indexed once per
    walk (a RUN asks about several paths, and a stage may have thousands of copies above it).
    """
    index = _copy_index(tree, walked, build)
    for k in index.candidates(path, len(walked) if end is None else end):
        ins = walked[k][0]
        assert isinstance(ins, Copy | Add)
        dest_abs = index.destinations[k]
        view = tree.view(ins)
        *sources, dest = view.args
        # Several sources, or a destination ending in "/", go into the folder; "." is the WORKDIR, a folder.
        into = len(sources) > 1 or dest.endswith("/") or dest in (".", "./")
        opaque = _opaque(view)
        for src in reversed(sources):  # a later source overwrites an earlier one
            rel = posixpath.normpath(src.lstrip("/"))
            rel = "" if rel == "." else rel
            if opaque or _unreadable_source(ins, src, rel, build):
                if "$" in dest or _at_or_inside(path, dest_abs):
                    return Unreadable(ins)
                continue
            if any(c in rel for c in "*?["):
                parent, name = posixpath.split(path)
                found = posixpath.join(posixpath.dirname(rel), name)
                if parent == dest_abs and fnmatch.fnmatchcase(name, posixpath.basename(rel)) and build.exists(found):
                    return found
                continue
            if _folder_source(src, rel, build):
                if path != dest_abs and _at_or_inside(path, dest_abs):
                    found = posixpath.join(rel, posixpath.relpath(path, dest_abs))
                    if build.exists(found) and not build.ignored(found):
                        return found
                continue
            named = path == posixpath.join(dest_abs, posixpath.basename(rel)) or (not into and path == dest_abs)
            if named and build.exists(rel):
                return rel
    return None


SHELLS: Final = _shell.SHELLS
PATH_DIRS: Final = ("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin")


def start_scripts(words: Sequence[str]) -> list[str]:
    """The scripts a start command runs, as written: its program when that is a path or a ``.sh`` file, and a
    shell's script argument past its options (``sh run.sh`` reads run.sh from the working folder, not through PATH;
    real images ran `sh -e docker/setup.sh`); not the code of `sh -c CODE`."""
    if not words:
        return []
    scripts = [words[0]]
    operand = _shell.run_operand(words) if words[0].rsplit("/", 1)[-1] in SHELLS else None
    if operand is not None and operand[0] == "file":
        script = operand[1]
        scripts.append(script if "/" in script else f"./{script}")
    return [s for s in scripts if s.endswith(".sh") or "/" in s]


def commands_run(
    tree: Dockerfile,
    walked: Sequence[tuple[Instruction, State]],
    argv: Sequence[str],
    workdir: str,
    build: BuildContext,
) -> list[tuple[str, ...]]:
    """The commands ``argv`` runs in turn: those of its `sh -c` string and those of the shell scripts it runs, read
    from where the copies of ``walked`` put them (``workdir``: the folder it runs in)."""
    texts: list[str | Unreadable | None] = [_shell.shell_c_script(argv)]
    texts += [script_text(tree, walked, script, workdir, build) for script in start_scripts(argv)]
    out: list[tuple[str, ...]] = []
    for text in texts:
        parsed = _shell.split(text) if isinstance(text, str) else None
        out += [c.argv for c in parsed.commands] if parsed is not None else []
    return out


def program_file(
    tree: Dockerfile, walked: Sequence[tuple[Instruction, State]], program: str, workdir: str, build: BuildContext
) -> str | Unreadable | None:
    """The build-context file the copies of ``walked`` put where ``program`` is found from ``workdir`` (a bare name
    in PATH order, as the shell does: the first folder the copies filled wins). None when no copy put it there;
    :class:`Unreadable` when dockmod cannot read what did (another stage, a URL...)."""
    paths = [join(workdir, program)] if "/" in program else [posixpath.join(d, program) for d in PATH_DIRS]
    for path in paths:
        found = context_file(tree, walked, path, build)
        if found is not None:
            return found
    return None


def script_text(
    tree: Dockerfile, walked: Sequence[tuple[Instruction, State]], script: str, workdir: str, build: BuildContext
) -> str | Unreadable | None:
    """The text of a script the copies of ``walked`` put where ``script`` is found from ``workdir`` (``program_file``).
    None when no copy put it there; :class:`Unreadable` when dockmod cannot read what did (another stage, not text)."""
    found = program_file(tree, walked, script, workdir, build)
    if not isinstance(found, str):
        return found
    text = build.read_text(found)
    return text if text is not None else Unreadable(None)


def _opaque(view: InstructionView) -> bool:
    return (
        bool(view.heredocs)
        or "$" in view.args[-1]
        or view.flag("from") is not None
        or any(f.name in ("exclude", "parents") for f in view.flags)
    )


def _unreadable_source(ins: Copy | Add, src: str, rel: str, build: BuildContext) -> bool:
    """A variable, a URL, or an archive ADD unpacks."""
    archive = isinstance(ins, Add) and ARCHIVE.search(rel) is not None and not build.is_dir(rel)
    return "$" in src or "://" in src or archive


def _folder_source(src: str, rel: str, build: BuildContext) -> bool:
    return rel == "" or src.endswith("/") or build.is_dir(rel)


@dataclass(frozen=True, slots=True)
class _CopyIndex:
    """The copies of one walk, by the image paths that can find them: a query looks up the path and its folders
    (a few keys) instead of scanning every copy above it."""

    walked: Sequence[tuple[Instruction, State]]  # held: the memo is keyed by its identity
    build: BuildContext
    destinations: dict[int, str]  # position in ``walked`` -> the copy's absolute destination
    by_key: dict[str, list[int]]  # key -> positions, ascending
    anywhere: list[int]  # copies whose destination has a variable: they may write anywhere

    def candidates(self, path: str, end: int) -> list[int]:
        """Positions below ``end`` of the copies that may have put something at ``path``, the last first: every
        copy ``context_file`` would not skip, maybe a few more."""
        # A copy's key is a path (a file it writes) or a folder (it writes inside): the path itself and each
        # folder above it, "" standing for "/".
        keys = {path, path.rstrip("/")} | {path[:i] for i, c in enumerate(path) if c == "/"}
        found = [k for key in keys for k in self.by_key.get(key, ()) if k < end]
        found += [k for k in self.anywhere if k < end]
        return sorted(set(found), reverse=True)


def _copy_index(tree: Dockerfile, walked: Sequence[tuple[Instruction, State]], build: BuildContext) -> _CopyIndex:
    key = ("copy-index", id(walked), id(build))
    index = tree.memo(key, lambda: _index_copies(tree, walked, build))
    if index.walked is not walked or index.build is not build:  # an id reused after its object died: never, as the
        index = _index_copies(tree, walked, build)  # index holds both, but cheap to make sure
    return index


def _index_copies(tree: Dockerfile, walked: Sequence[tuple[Instruction, State]], build: BuildContext) -> _CopyIndex:
    destinations: dict[int, str] = {}
    by_key: dict[str, list[int]] = {}
    anywhere: list[int] = []
    for k, (ins, state) in enumerate(walked):
        if not isinstance(ins, Copy | Add):
            continue
        view = tree.view(ins)
        if len(view.args) < 2:
            continue
        *sources, dest = view.args
        dest_abs = destinations[k] = join(state.workdir, dest)
        if "$" in dest_abs:
            anywhere.append(k)
            continue
        into = len(sources) > 1 or dest.endswith("/") or dest in (".", "./")
        whole = _opaque(view) or isinstance(ins, Add)  # ADD: maybe an archive it unpacks
        keys: set[str] = set()
        for src in sources:
            rel = posixpath.normpath(src.lstrip("/"))
            rel = "" if rel == "." else rel
            if whole or "$" in src or "://" in src or any(c in rel for c in "*?[") or _folder_source(src, rel, build):
                keys.add(dest_abs.rstrip("/"))  # the destination and below
            else:  # one file: found by its own path only
                keys.add(posixpath.join(dest_abs, posixpath.basename(rel)))
                if not into:
                    keys.add(dest_abs)
        for key in keys:
            by_key.setdefault(key, []).append(k)
    return _CopyIndex(walked, build, destinations, by_key, anywhere)


def _at_or_inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def _parent_stage(tree: Dockerfile, stage: Stage) -> Stage | None:
    """The earlier stage this one builds on (``FROM builder``), if any."""
    earlier = _stages_by_name(tree).get(stage.base.lower())
    return earlier if earlier is not None and earlier.index < stage.index else None


def stage_named(tree: Dockerfile, name: str) -> Stage | None:
    """The stage ``COPY --from=name`` reads: by name (the first of that name) or by index; None for an image."""
    if name.isdigit():
        index = int(name)
        return tree.stages[index] if index < len(tree.stages) else None
    return _stages_by_name(tree).get(name.lower())


def _stages_by_name(tree: Dockerfile) -> dict[str, Stage]:
    # Asked for every stage by every transform, often through lineage(): a scan each time was quadratic in the
    # number of stages. The first stage of a name is the one a later FROM finds.
    def build() -> dict[str, Stage]:
        names: dict[str, Stage] = {}
        for stage in tree.stages:
            if stage.name is not None:
                names.setdefault(stage.name.lower(), stage)
        return names

    return tree.memo("stages-by-name", build)


def lineage(tree: Dockerfile, stage: Stage) -> tuple[Stage, ...]:
    """``stage`` and the earlier stages it builds on, the one on an external image (or scratch) first."""
    return tree.memo(("lineage", stage), lambda: _lineage(tree, stage))


def fold_above(tree: Dockerfile, stage: Stage, name: str, initial: T, step: Callable[[Stage, T], T]) -> T:
    """``step`` folded over the stages ``stage`` builds on, the first first, from ``initial``: what holds for the
    stages above it (`step(s, value)` adds stage ``s``). Each stage's result is kept under ``name``, and the fold
    starts from the nearest stage already known, so a chain of thousands of stages costs one step per stage, not a
    walk back from each."""

    def key(s: Stage) -> tuple[str, Stage]:
        return (name, s)

    above = lineage(tree, stage)[:-1]
    start, value = 0, initial
    for k in range(len(above) - 1, -1, -1):
        known = tree.known(key(above[k]))
        if isinstance(known, tuple):  # (kept in a 1-tuple: a result may be None)
            start, value = k + 1, cast(T, known[0])
            break
    for s in above[start:]:
        value = step(s, value)
        tree.memo(key(s), functools.partial(tuple, [value]))
    return value


def _lineage(tree: Dockerfile, stage: Stage) -> tuple[Stage, ...]:
    # Built on the parent's: transforms ask stage after stage, so in a generated chain of thousands of stages the
    # parent's is known and each stage costs one step, not a walk to the first one (quadratic).
    parent = _parent_stage(tree, stage)
    if parent is None:
        return (stage,)
    known = tree.known(("lineage", parent))
    if known is not None:
        return (*cast(tuple[Stage, ...], known), stage)
    chain = [stage]  # a loop, not recursion: a chain of stages may be thousands long
    while parent is not None:
        chain.append(parent)
        parent = _parent_stage(tree, parent)
    return tuple(reversed(chain))


def base_image(tree: Dockerfile, stage: Stage) -> imageref.ImageRef | None:
    """The external image a stage ultimately builds on, with global ARG defaults expanded."""
    # Every transform asks, for every stage: parsed once per tree and stage.
    return tree.memo(("base-image", stage), lambda: _base_image(tree, stage))


def _base_image(tree: Dockerfile, stage: Stage) -> imageref.ImageRef | None:
    text = lineage(tree, stage)[0].base
    if "$" in text:
        expansion = imageref.expand_variables(text, global_args(tree), escape=tree.escape)
        if not expansion.resolved:
            return None
        text = expansion.text
    if text.lower() == "scratch":
        return None
    try:
        return imageref.parse(text)
    except imageref.InvalidReference:
        return None


def is_scratch(tree: Dockerfile, stage: Stage) -> bool:
    return lineage(tree, stage)[0].base.lower() == "scratch"


def image_name(ref: imageref.ImageRef | None) -> str:
    """The last path component of the repository: ``docker.io/library/node`` → ``node``."""
    return ref.path.rsplit("/", 1)[-1] if ref is not None else ""


@dataclass(frozen=True, slots=True)
class CreatedUser:
    """A user a RUN line creates (useradd/adduser), with what the command says about it."""

    name: str
    uid: str | None
    gid: str | None
    home: str | None  # None: no home folder is created
    group: str | None = None  # primary group (name or number) when the command shows it
    node: Run | None = None  # the RUN that creates the user


def created_users(tree: Dockerfile, stage: Stage) -> Mapping[str, CreatedUser]:
    """Users created by RUN lines of ``stage`` and the stages it builds on."""
    # Asked at every USER line: once per tree and stage.
    return tree.memo(("created-users", stage), lambda: _created_users_chain(tree, stage))


def _created_users_chain(tree: Dockerfile, stage: Stage) -> Mapping[str, CreatedUser]:
    # The stages it builds on first, in order (a loop, not recursion, as for walks).
    users: Mapping[str, CreatedUser] = {}
    *parents, _ = lineage(tree, stage)
    for s in parents:
        users = tree.memo(("created-users", s), functools.partial(_created_users, tree, s, users))
    return _created_users(tree, stage, users)


def _created_users(tree: Dockerfile, stage: Stage, inherited: Mapping[str, CreatedUser]) -> dict[str, CreatedUser]:
    users = dict(inherited)
    for ins in stage.body:
        if not isinstance(ins, Run) or ins.heredocs:
            continue
        view = tree.view(ins)
        script = _shell.split(view.args_text if not view.json else " ".join(view.args))
        if script is None:
            continue
        for command in script.commands:
            user = _user_from_command(command.argv)
            if user is not None:
                users[user.name] = replace(user, node=ins)
    return users


def _user_from_command(argv: tuple[str, ...]) -> CreatedUser | None:
    """Read ``useradd`` (shadow), ``adduser`` (Debian and BusyBox) options that decide uid, gid and home."""
    tool = argv[0].rsplit("/", 1)[-1] if argv else ""
    if tool not in ("useradd", "adduser"):
        return None
    uid = gid = home = group = None
    # The primary group: useradd's -g (or a same-named group: USERGROUPS_ENAB, unless -N); adduser's
    # --ingroup (Debian) or -G (BusyBox), else a same-named group, except for system users without Debian's
    # --group (both Debian's adduser and BusyBox's put them in nogroup).
    own_group = True
    # useradd creates no home folder without -m (Debian's login.defs); adduser creates one unless told not to.
    create_home = tool == "adduser"
    name = None
    takes_value = {"-u", "--uid", "-g", "--gid", "-d", "--home", "--home-dir", "-h", "-s", "--shell", "-c",
                   "--comment", "--gecos", "-G", "--groups", "--ingroup", "-k", "--skel", "-K", "--key", "-e",
                   "--expiredate", "-f", "--inactive", "-p", "--password"}  # fmt: skip
    args = argv[1:]
    i = 0
    while i < len(args):
        a = args[i]
        key, eq, inline = a.partition("=")
        value = inline if eq else (args[i + 1] if i + 1 < len(args) else None)
        if key in takes_value and not eq:
            i += 1
        if key in ("-u", "--uid"):
            uid = value
        elif key in ("-g", "--gid"):
            gid = value if value and value.isdigit() else gid
            if tool == "useradd":
                group = value
        elif (key == "--ingroup" or (key == "-G" and tool == "adduser")) and value:
            group = value
        elif key in ("-N", "--no-user-group") or (key in ("-S", "--system") and tool == "adduser"):
            own_group = "--group" in args
        elif key in ("-d", "--home", "--home-dir", "-h"):
            home = value
        elif key in ("-m", "--create-home"):
            create_home = True
        elif key in ("-M", "--no-create-home", "-H"):
            create_home = False
        elif not a.startswith("-"):
            name = a
        i += 1
    if name is None:
        return None
    if home is None and create_home:
        home = f"/home/{name}"
    if group is None and own_group:
        group = name
    return CreatedUser(name, uid, gid, home if create_home or home else None, group)


def workdir_argument(tree: Dockerfile, chain: tuple[Stage, ...]) -> str | None:
    """The ARG the final WORKDIR takes its value from (``ARG APP_HOME=/app``, ``WORKDIR ${APP_HOME}``), if any: an
    ENV of the same name set after the ARG fixes the value."""
    workdir = next((i for stage in reversed(chain) for i in reversed(stage.body) if isinstance(i, Workdir)), None)
    if workdir is None:
        return None
    names = re.findall(r"\$\{?(\w+)", tree.view(workdir).args_text)
    setters: dict[str, str] = {}  # variable -> "ARG" or "ENV", the last instruction above the WORKDIR that sets it
    for stage in chain:
        for ins in stage.body:
            if ins is workdir:
                break
            if isinstance(ins, Arg):
                for word in tree.view(ins).args:
                    setters.setdefault(word.partition("=")[0], "ARG")  # an ARG does not override an ENV
            elif isinstance(ins, Env):
                for pair in tree.view(ins).pairs:
                    setters[pair.key] = "ENV"
    return next((name for name in names if setters.get(name) == "ARG"), None)

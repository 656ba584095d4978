"""What comes after a RUN and reads what it leaves in the cache, which a mount keeps out of the image: later RUN
lines of the stage and of the stages built on it, also through the scripts, Makefiles and package scripts they run
(``read_later``), a later user who cannot write in the folders the builder makes for a root mount (``later_use``),
and the final image's start-up (``runtime_commands``, ``start_installs``: a tool it runs, an install when it
starts). Each makes the fix unsafe."""

from __future__ import annotations

import bisect
import functools
import itertools
import json
import posixpath
import re
from collections.abc import Mapping, Sequence
from typing import Final

from dockmod.context import BuildContext
from dockmod.cst import Cmd, Dockerfile, Entrypoint, Instruction, Run, Stage, User
from dockmod.transforms import _managers, _shell, _stages
from dockmod.transforms._managers import Invocation, Manager, RunScript
from dockmod.transforms._stages import State
from dockmod.transforms.cache_mounts import common, shellpaths

# What reads the .gem files Bundler keeps in its cache: `bundle cache` (also `package`, `pack`) copies them into
# vendor/cache, `bundle pristine` and `gem pristine` reinstall gems from them, `gem unpack` unpacks one (rounds 25 and
# 26's real builds: "Missing gem file", "not installed nor fetchable", a patched gem left patched).
BUNDLER_READERS: Final = re.compile(
    r"\bbundler?\s+(?:cache|package|pack|pristine)\b|\bgem\s+(?:pristine|unpack)\b|\$\{?GEM_HOME\}?/cache\b"
)
# What asks a tool where its cache is, or reads it, where that is not `TOOL cache ...` or `TOOL config get cache`:
# Go's `go env GOMODCACHE` (the twenty-seventh round: `ls "$(go env GOMODCACHE)"/example.com` failed after a
# mounted `go mod download`), and Bundler's readers.
_QUERIES: Final[dict[Manager, re.Pattern[str]]] = {
    "bundler": BUNDLER_READERS,
    "go": re.compile(r"\bgo\s+env\b[^;&|\n]*\b(?:GOMODCACHE|GOCACHE|GOPATH)\b"),
}


def later_use(
    tree: Dockerfile, stage: Stage, site: common.Site, manager: Manager, invs: list[Invocation]
) -> str | None:
    """Why a later RUN (of the stage, or of a stage built on it) may miss what this one leaves in the cache, once it
    is a mount:
    - a download step (`go mod download`, `cargo fetch`) fills the cache for the build that follows; a later RUN
      that runs a script or make may build from it without the mount (a real build: "module lookup disabled");
    - the builder makes the folders above a root mount owned by root, so the same tool run later as another user
      (USER, or `runuser`/`su` in the RUN) cannot create its cache there (real builds: "mkdir /go/pkg/mod:
      permission denied", and the same from a stage built FROM this one)."""
    fetches = any(i.role == "fetch" for i in invs)
    user = site.walked[site.index][1].user
    as_root = user is None or user.split(":", 1)[0] in common.ROOT_USERS
    if not fetches and not as_root:
        return None
    children = _stages.children(tree).get(id(stage), ())
    if not fetches and not (
        _last_switch(tree, stage, site.walked) > site.index or any(_other_user_below(tree, c) for c in children)
    ):
        return None  # nothing below can apply: skip the scan (every RUN of a long stage asks)
    tools = common.RUNTIME_TOOL.get(manager, (manager,))
    derived = (pair for s in _stages.descendants(tree, stage) for pair in _stages.walk(tree, s))
    for ins, state in itertools.chain(site.walked[site.index + 1 :], derived):
        if not isinstance(ins, Run):
            continue
        script = _managers.run_script(tree, ins)
        runs_it = script is not None and any(i.manager == manager for i in script.invocations)
        if as_root:
            name = state.user.split(":", 1)[0] if state.user is not None else None
            who = name if name is not None and name not in common.ROOT_USERS else None
            text = common.run_text(tree, ins)
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
                or any(shellpaths.project_path(p) for p in programs)
            ):
                shown = script.script.text[:40]
                return f"a later RUN (`{shown}`) may build from the downloaded packages without the mount"
    return None


def read_later(
    tree: Dockerfile,
    stage: Stage,
    site: common.Site,
    manager: Manager,
    targets: list[common.Mount],
    paths: shellpaths.Paths,
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
    targets: list[common.Mount],
    home: str | None,
) -> tuple[list[int], list[str], str | None]:
    """The RUN lines of ``stage`` that read the cache (their positions, in order, and why), and why the first of the
    stages built on it that does (None: none)."""
    names = [w for t in targets for w in shellpaths.spellings(t.target, home)]
    tool = "yarn(?:pkg)?" if manager == "yarn" else re.escape(manager) + "3?"  # Debian's yarn is yarnpkg
    query = _QUERIES.get(manager) or re.compile(
        rf"\b{tool}\s+(?:cache\s+(?!clean|purge|prune|rm\b|remove)|config\s+get\s+cache)"
    )
    # The base image's own variables too: `ls $GOPATH/pkg/mod` on a golang image names the mount's target.
    image = _stages.IMAGE_ENV.get(_stages.image_name(_stages.base_image(tree, stage)), {})
    reader = functools.partial(
        _reader, tree, build=build, manager=manager, targets=targets, home=home, names=names, query=query, image=image
    )
    # Which RUN lines may name the targets is a matter of the text alone: worked out once per stage and targets, not
    # once per stage above it (a chain of thousands of stages each built on the last would be quadratic).
    key = ("cache-mounts-may-name", tuple(t.target for t in targets), query.pattern, tuple(sorted(image.items())))
    named: dict[int, tuple[int, ...]] = tree.memo(key, dict)  # by stage

    def naming(of: Stage, w: tuple[tuple[Instruction, State], ...]) -> tuple[int, ...]:
        found = named.get(id(of))
        if found is None:
            found = named[id(of)] = _may_name(tree, w, targets=targets, query=query, image=image)
        return found

    positions: list[int] = []
    messages: list[str] = []
    for k in _candidates(_cache_readers(tree, stage, walked), naming(stage, walked)):
        message = reader(walked, k)
        if message is not None:
            positions.append(k)
            messages.append(message)
    below = tree.memo(("cache-mounts-readers-below", id(stage)), functools.partial(_readers_below, tree, stage))
    first_below = (
        m for s, w, hinted in below for k in _candidates(hinted, naming(s, w)) if (m := reader(w, k)) is not None
    )
    return positions, messages, next(first_below, None)


def _candidates(hinted: tuple[int, ...], named: tuple[int, ...]) -> list[int]:
    return sorted(set(hinted) | set(named)) if named else list(hinted)


def _may_name(
    tree: Dockerfile,
    walked: tuple[tuple[Instruction, State], ...],
    *,
    targets: list[common.Mount],
    query: re.Pattern[str],
    image: Mapping[str, str],
) -> tuple[int, ...]:
    """The positions of the RUN lines of a walk that may name these cache targets in ways ``_READS_HINT``, which
    knows no target, does not see: by their own paths or a folder around them (`cat /go/pkg/mod/...`, `ls -R /go`),
    a variable that holds one (`ls $GOPATH/pkg/mod`), a relative path from a WORKDIR in or around one, or the
    tool's answer (`$(go env GOMODCACHE)`). Real builds of such RUNs after a mounted `go mod download` failed."""
    around = {a for t in targets for a in _folders_of(t.target)}
    out = []
    for k, (ins, state) in enumerate(walked):
        if not isinstance(ins, Run):
            continue
        text = common.run_text(tree, ins)
        if (
            any(a in text for a in around)
            or query.search(text)
            or (state.workdir in around or any(common.inside(state.workdir, t.target) for t in targets))
            or any(
                any(a in value for a in around)
                for name in _VARIABLE.findall(text)
                if (value := state.env.get(name, image.get(name))) is not None
            )
        ):
            out.append(k)
    return tuple(out)


_VARIABLE: Final = re.compile(r"\$\{?(\w+)")


def _folders_of(target: str) -> list[str]:
    """``target`` and the folders around it, but the root: ``/go/pkg/mod``, ``/go/pkg``, ``/go``."""
    out = []
    while target not in ("/", ""):
        out.append(target)
        target = posixpath.dirname(target)
    return out


def _reader(
    tree: Dockerfile,
    walked: tuple[tuple[Instruction, State], ...],
    k: int,
    *,
    build: BuildContext,
    manager: Manager,
    targets: list[common.Mount],
    home: str | None,
    names: list[str],
    query: re.Pattern[str],
    image: Mapping[str, str],
) -> str | None:
    """Why the RUN at ``k`` of ``walked`` reads the cache, or None."""
    ins, state = walked[k]
    assert isinstance(ins, Run)
    script = _managers.run_script(tree, ins)
    installs = common.DOWNLOADS.get(manager, common.INSTALLS)
    if script is None or any(i.manager == manager and i.role in installs for i in script.invocations):
        return None
    reads = functools.partial(_reads_cache, names=names, query=query, manager=manager, targets=targets, home=home)
    where = shellpaths.Paths.of(script.script, state.workdir, {**image, **state.env}, home)
    commands = list(shellpaths.each_command(script.script, where))
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
        shown = f"`{common.shell_excerpt(readers[0].text)}`"
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
            shown = f"`{common.shell_excerpt(at.text)}`"
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
                paths = shellpaths.Paths.of(inner, folder, state.env, home)
                queue += [
                    (runs, depth + 1, here)
                    for j in range(len(inner.commands))
                    for runs, here in _command_runs(inner, j, paths, folder)
                ]
            elif inner is None and reads(operand[1]):
                shown = f"`{common.shell_excerpt(operand[1])}`"
                return f"a later RUN runs code ({shown}) that reads the cache the mount keeps out of the image"
            continue
        program = _program_file(argv)
        if program is None or (program == argv[0] and program.startswith(("$(", "`"))):
            continue  # a command that runs what another prints: a file `cat` prints is read (``_printed_script``)
        if operand is not None and ("$" in program or "`" in program or _shell.is_pattern(program)):
            # `for s in scripts/steps/*.sh; do sh "$s"; done` (a real build's step installed offline from the emptied
            # cache): dockmod cannot tell which files the shell (node, python) runs. A program run by such a path
            # (`/root/$MUSL-cross/bin/$MUSL-gcc`, a `case` pattern) is most often a tool.
            shown = f"`{common.shell_excerpt(' '.join(argv))}`"
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
    text: str,
    *,
    names: list[str],
    query: re.Pattern[str],
    manager: Manager,
    targets: list[common.Mount],
    home: str | None,
) -> bool:
    """Whether a file or a code string a later RUN runs reads a cache target: it names it (`names`: as it is, through
    `~` or `$HOME`), asks the tool for it (``query``), installs offline, or finds it through the home folder it looks
    up (`os.homedir() + '/.npm/_cacache'`: a real build read an empty cache)."""
    return (
        any(n in text for n in names)
        or query.search(text) is not None
        or (common.OFFLINE.search(text) is not None and manager in text)
        or _names_home_cache(text, targets, home)
    )


# Code that looks up the home folder: Node's os.homedir(), Python's expanduser/Path.home(), the HOME variable.
_HOME_LOOKUP: Final = re.compile(
    r"""homedir\(|expanduser\(|Path\.home\(|getenv\(\s*['"]HOME|\benv(?:iron)?\b\W{0,3}HOME\b"""
)


def _names_home_cache(text: str, targets: list[common.Mount], home: str | None) -> bool:
    """Whether code names a cache target in the home folder by its place there, next to a look-up of the home folder
    (`homedir()+'/.npm/_cacache'`, `Path.home() / '.cache' / 'pip'`)."""
    if home is None or _HOME_LOOKUP.search(text) is None:
        return False
    for t in targets:
        if t.target != home and common.inside(t.target, home):
            parts = t.target[len(home.rstrip("/")) + 1 :].split("/")
            if all(re.search(rf"(?<![\w.-]){re.escape(p)}(?![\w-])", text) for p in parts):
                return True
    return False


# Commands that read a whole folder tree: given a folder around a cache target, they read the cache too.
_TREE_READERS: Final = frozenset({"tar", "cp", "rsync", "du", "find", "zip", "cpio", "mv", "7z", "tree"})


def _names_cache(argv: tuple[str, ...], k: int, paths: shellpaths.Paths, targets: list[common.Mount]) -> bool:
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
                if common.inside(path, t.target) or (recursive and path != "/" and common.inside(t.target, path)):
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
        paths = shellpaths.Paths.of(script, folder, env, home)
        for k in range(len(script.commands)):
            out += _command_runs(script, k, paths, paths.folders[k] or folder)
    return out


def _command_runs(
    script: _shell.Script, k: int, paths: shellpaths.Paths, folder: str
) -> list[tuple[tuple[str, ...], str]]:
    """What the command ``k`` of ``script`` runs, each with its folder: its words (variables dockmod knows expanded,
    in the folder `env -C` names), the script a shell reads from a file (`. ./x.sh`, `sh < x.sh`) or from `cat`'s
    output (`bash <(cat x.sh)`, `sh -c "$(cat x.sh)"`: a real build ran it)."""
    command = script.commands[k]
    runs = tuple(w if "$" not in w and not w.startswith("~") else paths.expand(w, k)[0] for w in command.runs)
    chdir = _shell.env_chdir(command.words)
    here = _stages.join(folder, chdir) if chdir and "$" not in chdir else folder
    out = [(runs, here)] if runs else []
    for read in (shellpaths.sourced_script(script, k), _printed_script(script, k)):
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


def _readers_below(
    tree: Dockerfile, stage: Stage
) -> list[tuple[Stage, tuple[tuple[Instruction, State], ...], tuple[int, ...]]]:
    """Each stage built on ``stage``, with its walk and its RUN lines that may read a cache folder
    (``_cache_readers``): once per stage, not once per mounted RUN."""
    out = []
    for child in _stages.descendants(tree, stage):
        # Each stage's walk and hints once, shared by the stages above it (a chain holds every stage below each one).
        out.append(tree.memo(("cache-mounts-below-entry", id(child)), functools.partial(_below_entry, tree, child)))
    return out


def _below_entry(
    tree: Dockerfile, child: Stage
) -> tuple[Stage, tuple[tuple[Instruction, State], ...], tuple[int, ...]]:
    walked = tuple(_stages.walk(tree, child))
    return child, walked, _cache_readers(tree, child, walked)


def _cache_readers(tree: Dockerfile, stage: Stage, walked: Sequence[tuple[Instruction, State]]) -> tuple[int, ...]:
    """The positions of the RUN lines of a stage that may read a cache folder: they name a cache or home folder, or
    run a program file, make or a package script (most RUN lines do none of these, and each RUN with a mount asks
    about every later one: worked out once per stage)."""

    def find() -> tuple[int, ...]:
        return tuple(
            k
            for k, (ins, _) in enumerate(walked)
            if isinstance(ins, Run) and _READS_HINT.search(common.run_text(tree, ins))
        )

    return tree.memo(("cache-mounts-readers", id(stage)), find)


def _program_file(argv: tuple[str, ...]) -> str | None:
    """The file of the project a command runs: a shell script, a Node or Python file given to its interpreter (after
    its options: `node --no-warnings x.js`, `python -u x.py`), the Makefile `make` runs, or the package.json whose
    script `npm run` (`yarn`, `pnpm run`) runs, in the folder an option names (`npm run --prefix tools warm`:
    tools/package.json). Real builds failed where these were missed."""
    path = shellpaths.script_path(argv)
    if path is not None:
        return path
    operand = _shell.run_operand(argv)
    if operand is not None:
        return operand[1] if operand[0] == "file" else None
    if argv and argv[0].rsplit("/", 1)[-1] == "make":
        return "Makefile"
    folder = _managers.package_script_folder(argv)
    return posixpath.join(folder, "package.json") if folder is not None else None


_READS_HINT: Final = re.compile(
    r"cache|~/|\$\{?HOME|/root/|/home/|\.sh\b|\b(?:sh|bash|node|python[\d.]*)\s+[-\w./]|(?:^|\s)\./|\bmake\b"
    r"|\b(?:npm|yarn|pnpm)\s(?:[^;&|\n]*\s)?(?:run|run-script|start|test)\b|\b(?:yarn|pnpm)\s+[-\w]"
    # Paths relative to a folder (`cd && tar ... .npm`) or the whole of one (`tar -C /root .`, `cp -a /root /x`).
    r"|\bcd\b|(?:^|[\s=])\.[\w.]|(?:^|\s)\.(?:\s|$)|(?:^|\s)/root\b|\b(?:tar|rsync|du|cpio|zip)\b|\bcp\s+-"
    r"|\bxargs\b|\s-(?:exec|ok)(?:dir)?\s"  # the files they run
    rf"|{BUNDLER_READERS.pattern}"  # what reads Bundler's .gem files
    # What `npx -c` or `npm exec` runs, a script `cat` prints to a shell, a program by its path in the project.
    r"|\bnpx\b|\b(?:npm|pnpm|yarn)\s+(?:exec|x)\b|<\(|\$\(\s*(?:cat|<)|`\s*cat\b"
    r"|(?:^|[;&|\n]\s*)(?:[\w.][\w.-]*|/(?!usr/|bin/|sbin/)[\w.-]+)/[\w.-]"
)


def _other_user_below(tree: Dockerfile, stage: Stage) -> bool:
    """Whether ``stage`` or a stage built on it runs anything as a non-root user (USER, or a switch in a RUN)."""

    def find() -> dict[int, bool]:
        # From the last stage up (a stage builds only on earlier ones), without recursion: a generated chain of
        # a thousand stages, each FROM the last, would exceed Python's recursion limit.
        children = _stages.children(tree)
        out: dict[int, bool] = {}
        for s in reversed(tree.stages):
            out[id(s)] = any(out[id(c)] for c in children.get(id(s), ())) or any(
                _switches_user(tree, ins)
                or (state.user is not None and state.user.split(":", 1)[0] not in common.ROOT_USERS)
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
    return isinstance(ins, User) or (
        isinstance(ins, Run) and _USER_SWITCH.search(common.run_text(tree, ins)) is not None
    )


# Commands that run what dockmod cannot read: a later one may use a downloaded cache without naming the tool.
_SCRIPT_RUNNERS: Final = frozenset({"make", "sh", "bash", "just", "task", "ninja"})


def maven_repository_at_run_time(tree: Dockerfile) -> str | None:
    """Why the image reads jars from Maven's local repository when it runs, if it does: a classpath that
    `dependency:build-classpath` writes points into ~/.m2 (a real build with the mount failed with
    NoClassDefFoundError), or the start command names it."""
    for ins in tree.instructions:
        if isinstance(ins, Run) and "dependency:build-classpath" in common.run_text(tree, ins):
            return (
                "dependency:build-classpath writes a classpath of jars in ~/.m2, which the image may read at run time"
            )
        if isinstance(ins, Cmd | Entrypoint) and ".m2/" in tree.view(ins).args_text:
            return "the start command reads ~/.m2"
    return None


def runners(script: RunScript, manager: Manager) -> frozenset[str]:
    """The cached runners of ``manager`` (npx, uvx) that the RUN's script starts."""
    runners = common.CACHED_RUNNERS.get(manager)
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


def bundler_cache_read(tree: Dockerfile, build: BuildContext, *, at_start: bool = False) -> str | None:
    """A command that reads Bundler's .gem files (``BUNDLER_READERS``) in the final image's start commands (`CMD sh
    -c "bundle pristine && ..."`: a real image could not restore its gems), and unless ``at_start``, in any RUN of
    the file (a stage that copies the folder around the cache from the mounted one, `COPY --from=builder
    /usr/local/bundle ...`, and reads them is not one ``read_later`` follows: a real build, "Missing gem file"); or
    None."""

    def find(runs: bool) -> str | None:
        texts = [" ".join(argv) for argv in _start_commands(tree, build)]
        texts += [common.run_text(tree, ins) for ins in tree.instructions if isinstance(ins, Run)] if runs else []
        found = next((m for text in texts if (m := BUNDLER_READERS.search(text)) is not None), None)
        return found.group(0) if found is not None else None

    return tree.memo(("cache-mounts-bundler-readers", at_start), functools.partial(find, not at_start))


def start_installs(tree: Dockerfile, build: BuildContext) -> frozenset[Manager]:
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
            if inv.role in common.DOWNLOADS.get(inv.manager, common.INSTALLS):
                out.add(inv.manager)
    return frozenset(out)


def runtime_commands(tree: Dockerfile, build: BuildContext) -> frozenset[str]:
    """Program names the final image runs at start-up (``_start_commands``)."""
    return frozenset(w.rsplit("/", 1)[-1] for argv in _start_commands(tree, build) for w in argv[:3])

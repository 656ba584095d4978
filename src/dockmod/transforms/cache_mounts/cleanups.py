"""What a RUN's own commands do to the cache folders: the clean-ups dockmod takes out (``rm -rf ~/.npm``, ``npm
cache clean``) and the edits that take them out without changing what the RUN does (its ``&&``/``;`` chain,
errexit, the exit status), the ``--no-cache`` options it removes, the commands that would remove or empty the
mount point, also through package scripts and project files (``may_empty``: the mount is refused), and those that
write into it (``written_into``: unsafe)."""

from __future__ import annotations

import bisect
import functools
import itertools
import json
import posixpath
import re
from collections.abc import Iterator, Sequence
from typing import Final

from dockmod.cst import Dockerfile, Instruction, Run, Stage
from dockmod.cst.edit import physical_text
from dockmod.transforms import _managers, _shell, _stages
from dockmod.transforms._managers import Invocation, Manager, RunScript
from dockmod.transforms.cache_mounts import common, shellpaths


def cleaners(script: RunScript, manager: Manager, targets: list[common.Mount], paths: shellpaths.Paths) -> set[int]:
    """Indexes of the commands that empty ``manager``'s cache (``rm -rf <target>``, ``npm cache clean``...). Not a
    `sh -c` whose string cleans it (`sh -c "npm ci && npm cache clean --force"`): taking the whole command out would
    drop the install too (``may_empty`` refuses the mount)."""
    found = {
        i.index
        for i in script.invocations
        if i.manager == manager and _is_cleaner(i) and _shell.shell_c_script(i.command.argv) is None
    }
    found |= {k for k, c in enumerate(script.script.commands) if shellpaths.rm_operands(c, k, targets, paths).cache}
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
    return inv.manager in ("apt", "composer")  # `composer clear-cache` empties the whole cache folder


def may_empty(
    tree: Dockerfile,
    site: common.Site,
    script: RunScript,
    manager: Manager,
    targets: list[common.Mount],
    paths: shellpaths.Paths,
    cleanup: set[int],
) -> str | None:
    """A command of the RUN, other than the clean-ups dockmod takes out, that may remove or empty a cache target,
    shown; None when there is none. A mount point cannot be removed: `rm -rf $(pip cache dir)`, `find /root/.cache
    -delete`, a clean-up script that reaches one or `sh -c 'rm -rf /root/.npm'` fails the build (real builds did).
    dockmod cannot take a clean-up out of a `sh -c` string: there, it refuses the mount."""
    cleaners: dict[int, set[int]] = {}  # the tool's clean-ups in each `sh -c` string, by the string's script
    names_target = any(n in script.script.text for t in targets for n in shellpaths.spellings(t.target, paths.home))
    for at in shellpaths.each_command(script.script, paths):
        command, k, argv = at.command, at.k, at.command.runs
        tool = argv[0].rsplit("/", 1)[-1] if argv else ""
        shown = f"`{at.text}`" if not at.nested else f"`{at.text}` in `{common.shell_excerpt(at.outer)}`"
        if at.nested and id(at.script) not in cleaners:
            found = _managers.invocations(at.script)
            cleaners[id(at.script)] = {i.index for i in found if i.manager == manager and _is_cleaner(i)}
        if at.nested and not at.opened and k in cleaners[id(at.script)]:
            return f"{shown} would empty the cache mount" + _IN_STRING
        if tool == "rm":
            # Also a clean-up dockmod takes out: the operands it cannot keep apart from the cache would go with it.
            operands = shellpaths.rm_operands(command, k, targets, at.paths)
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
            operands = shellpaths.rm_operands(inner, k, targets, at.paths)
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
            spellings = [n for t in targets for n in shellpaths.spellings(t.target, at.paths.home)]
            if any(_may_hold(w, k, at.paths, spellings) for w in words if at.paths.resolve(w, k) is None):
                return shown + _EMPTIES
        if tool != "rm" and "rm" in argv[1:]:
            # An `rm` behind a program dockmod does not read as a wrapper (`stdbuf -o0 rm -rf /root/.npm`, `chrt 0
            # rm ...`: a real build failed removing the mount point) cannot be taken out, only refused.
            inner = _shell.Command(argv[argv.index("rm") :], command.start, command.end, command.op)
            operands = shellpaths.rm_operands(inner, k, targets, at.paths)
            if operands.cache or operands.mixed or operands.unknown:
                return shown + _EMPTIES
        if tool == "mv" and any(shellpaths.reaches(w, k, at.paths, targets) for w in _mv_sources(argv)):
            # A real build: "mv: cannot move '/root/.npm' to '/opt/npm-cache': Device or resource busy".
            return shown + " moves the cache folder, which a mount would make a mount point that cannot be moved"
        if tool == "tar" and any(w == "--remove-files" for w in argv):
            # `tar --remove-files -czf x.tgz -C /root .npm`: the archived files go, the mount point too (a real build:
            # "Cannot rmdir: Device or resource busy"). Its operands may be relative to a -C folder: names count.
            names = {posixpath.basename(t.target) for t in targets}
            words = [w for w in argv[1:] if not w.startswith("-")]
            if any(
                shellpaths.reaches(w, k, at.paths, targets) or posixpath.basename(w.rstrip("/")) in names for w in words
            ):
                return shown + _EMPTIES
        if not at.nested and k in cleanup:
            continue
        if command.words[:1] == ("xargs",) and tool == "rm" and k and command.op == "|":
            # `pip cache dir | xargs rm -rf`: the paths come from the command before (a real build failed).
            before = at.script.commands[k - 1]
            if shellpaths.may_reach(at.script.text[before.start : before.end], k - 1, at.paths, targets):
                return shown + _EMPTIES
        if tool == "find" and any(w in ("-delete", "rm") for w in argv):
            starts = list(itertools.takewhile(lambda w: not w.startswith(("-", "(", "!")), argv[1:])) or ["."]
            if any(shellpaths.reaches(w, k, at.paths, targets) for w in starts):
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
    tree: Dockerfile, site: common.Site, paths: shellpaths.Paths, k: int, argv: tuple[str, ...]
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
    except (common.Unreadable, ValueError, AttributeError):
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
    site: common.Site,
    script: _shell.Script,
    paths: shellpaths.Paths,
    k: int,
    targets: list[common.Mount],
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
            inner = _shell.split(body) if depth < shellpaths.MAX_NESTING else None
            if inner is None:
                continue
            inner_paths = shellpaths.Paths.of(inner, folder, paths.env, paths.home)
            for j, c in enumerate(inner.commands):
                found = _runs_removal(tree, site, inner, inner_paths, j, targets, depth + 1)
                if found is not None:
                    return f"its package script {name} runs `{common.shell_excerpt(body[c.start : c.end])}`: {found}"
    operand = _shell.run_operand(argv)
    script_path = shellpaths.script_path(argv) or shellpaths.sourced_script(script, k)
    if script_path is None and operand is not None and operand[0] == "file":
        script_path = operand[1]  # `node scripts/clean.js`, `python3 scripts/clean.py` (real builds failed)
    if script_path is None:
        return None
    path = paths.resolve(script_path, k)
    try:
        text = _program_text(tree, site, path, paths.folders[k] if k < len(paths.folders) else None)
    except common.Unreadable:
        text = None
    if text is None:
        if "clean" in script_path.rsplit("/", 1)[-1].lower():
            return "a clean-up script dockmod cannot read"
        return None
    if _removes_cache(text, targets):
        return "a script that removes files and names a cache or home folder"
    return None


def _program_text(tree: Dockerfile, site: common.Site, path: str | None, cwd: str | None) -> str | None:
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
        if depth >= shellpaths.MAX_NESTING:
            continue
        for candidate in _linked_files(at, text, cwd):
            if candidate in seen or len(seen) >= _MAX_LOOKUPS or len(texts) >= _MAX_PROGRAM_FILES:
                continue
            seen.add(candidate)
            try:
                found = site.read(tree, candidate)
            except common.Unreadable:
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


def _unknown_program(word: str, k: int, paths: shellpaths.Paths) -> bool:
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


def written_into(script: RunScript, targets: list[common.Mount], paths: shellpaths.Paths) -> str | None:
    """A command of the RUN, other than the package managers, that writes a file into a cache target, shown: with
    the mount the file goes to the cache, not into the image (`npm ci && cp .npmrc /root/.npm/`, `echo ... >
    /root/.cache/pip/marker`), also in a `sh -c` string."""
    managed = {id(script.script): {inv.index for inv in script.invocations}}
    for at in shellpaths.each_command(script.script, paths):
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
                if path is not None and "{" not in path and any(common.inside(path, t.target) for t in targets):
                    return f"`{common.shell_excerpt(at.text)}` writes into {path}"
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


def _removes_cache(code: str, targets: list[common.Mount]) -> bool:
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


def _may_hold(word: str, k: int, paths: shellpaths.Paths, spellings: list[str]) -> bool:
    """Whether a word with variables dockmod cannot resolve may hold a cache target: one of its variables has no
    value the build or the script gives it (a function's `$1`, one `read` sets), or a value that names a target
    (`for d in $(echo /root/.npm)`)."""
    own = paths.values[k] if k < len(paths.values) else {}
    for name in re.findall(r"\$\{?(\w+|[@*])", word):
        values = own.get(name) or ((paths.env[name],) if name in paths.env else ())
        if not values or any(n in v for v in values for n in spellings):
            return True
    return False


_EMPTIES: Final = (
    " may remove the cache folder, which a mount would make a mount point that cannot be removed (the build would fail)"
)
_IN_STRING: Final = ", and dockmod cannot take it out of the shell string"
_EMPTIED_IN_STRING: Final = (
    ", which a mount would make a mount point that cannot be removed (the build would fail)" + _IN_STRING
)
_CACHE_WORDS: Final = re.compile(r"\.cache\b|\$\{?HOME\b|~/|/root\b|\.npm\b|\.yarn\b|\bcache\b")


def operand_edits(
    script: RunScript,
    text: str,
    partial: set[int],
    targets: list[common.Mount],
    exec_form: bool,
    paths: shellpaths.Paths,
) -> list[tuple[int, int, str]] | None:
    """Edits that take the cache's operands out of the ``partial`` rm commands; None when one cannot be found as a
    word of its own (written plainly, or quoted as Rails' `"${BUNDLE_PATH}"/ruby/*/cache`) or the RUN is in exec
    form."""
    edits: list[tuple[int, int, str]] = []
    for k in sorted(partial):
        if exec_form:
            return None
        command = script.script.commands[k]
        segment = text[command.start : command.end]
        for operand in shellpaths.rm_operands(command, k, targets, paths).cache:
            m = re.search(r"(\s+)" + re.escape(operand) + r"(?=\s|$)", segment)
            if m is not None:
                edits.append((command.start + m.start(), command.start + m.end(), ""))
                continue
            # As written, the word's quotes and escapes removed by the shell's own reading must give the operand.
            spans = [(a, b) for a, b in _written_words(segment) if _shell_word(segment[a:b]) == operand]
            if len(spans) != 1 or spans[0][0] == 0 or segment[spans[0][0] - 1] not in " \t":
                return None
            start, end = spans[0]
            while start > 0 and segment[start - 1] in " \t":
                start -= 1
            edits.append((command.start + start, command.start + end, ""))
    return edits


def _written_words(segment: str) -> Iterator[tuple[int, int]]:
    """The spans of the words of a simple command as written: blanks outside quotes separate them."""
    i, n = 0, len(segment)
    while i < n:
        while i < n and segment[i] in " \t":
            i += 1
        start, quote = i, ""
        while i < n and (quote or segment[i] not in " \t\n"):
            c = segment[i]
            if c == "\\" and quote != "'":
                i += 2
                continue
            if quote and c == quote:
                quote = ""
            elif not quote and c in "'\"":
                quote = c
            i += 1
        if i > start:
            yield start, min(i, n)
        if i < n and segment[i] == "\n":
            i += 1


def _shell_word(written: str) -> str | None:
    """The word the shell makes of ``written``, or None when it makes none or several."""
    script = _shell.split(written)
    words = script.commands[0].words if script is not None and len(script.commands) == 1 else ()
    return words[0] if len(words) == 1 else None


def status_kept_by(script: RunScript, removed: set[int]) -> str | None:
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
            shown = common.shell_excerpt(script.script.text[commands[k].start : commands[after - 1].end])
            return f"`{shown}` sets the `$?` the command after it reads: without it, that command reads another status"
    end = last - 1 if last > 0 and _returns_status(commands[last]) else last
    if end not in removed:
        return None
    first = end
    while first - 1 in removed:
        first -= 1
    if commands[first].op != ";" or (first > 0 and _stops_on_failure(commands[:first], script.script.text)):
        return None
    shown = common.shell_excerpt(script.script.text[commands[first].start : commands[end].end])
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
        split = _shell.split(code) if "$" not in code and "`" not in code and depth < shellpaths.MAX_NESTING else None
        return split is None or any(
            _errexit_change(c.runs) is not None or _may_change_errexit(c.runs, code[c.start : c.end], depth + 1)
            for c in split.commands
        )
    return False


def removal_spans(
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


def errexit_possible(tree: Dockerfile, stage: Stage, site: common.Site, script: RunScript) -> bool:
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
    # The environment may turn it on before the first command: bash takes SHELLOPTS (`ENV SHELLOPTS=errexit`, also
    # as an ARG) and runs the file BASH_ENV names first, which may `set -e` (real builds failed with each).
    env = site.walked[site.index][1].env
    if "errexit" in env.get("SHELLOPTS", "") or env.get("BASH_ENV") or env.get("ENV"):
        return True
    # An ARG of those names without a default: `--build-arg SHELLOPTS=errexit` may set it (real builds). Where the
    # first such ARG is, found once per stage (a file of thousands of mounted RUN lines asks for each).
    first_arg = tree.memo(("cache-mounts-errexit-arg", id(stage)), lambda: _first_errexit_arg(tree, site.walked))
    if first_arg < site.index:
        return True
    text = script.script.text
    return any(
        _errexit_change(c.runs) is True or _may_change_errexit(c.runs, text[c.start : c.end])
        for c in script.script.commands
    )


# Variables that may turn errexit on in a RUN's shell before its first command (bash reads SHELLOPTS and runs the
# file BASH_ENV names; a POSIX sh, ENV's in some modes).
_ERREXIT_VARIABLES: Final = frozenset({"SHELLOPTS", "BASH_ENV", "ENV"})


def _first_errexit_arg(tree: Dockerfile, walked: Sequence[tuple[Instruction, _stages.State]]) -> int:
    """The position in ``walked`` of the first ARG declaring one of ``_ERREXIT_VARIABLES`` (past the end: none)."""
    for k, (ins, _state) in enumerate(walked):
        view = tree.view(ins)
        if view.keyword == "ARG" and any(a.split("=", 1)[0] in _ERREXIT_VARIABLES for a in view.args):
            return k
    return len(walked)


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


def option_edits(
    script: RunScript, text: str, manager: Manager, invs: list[Invocation], exec_form: bool
) -> list[tuple[int, int, str]] | None:
    """Edits removing ``--no-cache-dir``-style options (and turning apk's ``--no-cache`` into ``-U``)."""
    names = common.NO_CACHE_OPTIONS.get(manager, ())
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


def dedupe(edits: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for edit in sorted(set(edits)):
        if out and edit[0] < out[-1][1]:
            continue  # overlapping spans: keep the first
        out.append(edit)
    return out

"""Whether the source copy can go below the install, and the install's RUN cut around it. ``blocks_move`` says why
an instruction between the copy and the install keeps the copy above it (one that may read the sources, or that
the sources would overwrite). ``split_run`` cuts the RUN in two: the install and its clean-ups above the copy;
below it the shell's state again, the second phase of a two-phase install and the commands that need the sources;
a download step where the RUN only builds. Both ask of each shell command whether it reads the sources in the
build context or changes what the copy puts in place (``Where``: the copy, and the state the RUN runs in). They
read instructions and shell commands, not the project's files."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Final

from dockmod.context import BuildContext
from dockmod.cst import Add, Copy, Dockerfile, Instruction, Run, Workdir
from dockmod.cst.edit import physical_text, splice_args
from dockmod.transforms import _managers, _shell, _stages
from dockmod.transforms._managers import Invocation, Manager
from dockmod.transforms._stages import State
from dockmod.transforms.lockfile_first import common

# Instructions that may sit between the source copy and the install: they do not read the sources.
_METADATA: Final = frozenset({"ENV", "ARG", "LABEL", "EXPOSE", "USER", "STOPSIGNAL", "SHELL", "HEALTHCHECK",
                              "MAINTAINER", "CMD", "ENTRYPOINT"})  # fmt: skip


def blocks_move(
    tree: Dockerfile, ins: Instruction, source: common.Source, where: Where, build: BuildContext
) -> str | None:
    """Why the source copy cannot move below ``ins`` (None: it can)."""
    view = tree.view(ins)
    if view.keyword in _METADATA:
        return None
    if isinstance(ins, Workdir):
        return None if source.dest.startswith("/") else "a WORKDIR between them changes where the copy goes"
    if isinstance(ins, Copy | Add):
        if view.flag("from") is not None:
            return None
        dest = view.args[-1] if view.args else ""
        if (
            dest.startswith("/")
            and source.resolved.startswith("/")
            and not (common.relative(dest, source.resolved) or common.relative(source.resolved, dest))
        ):
            return None
        return f"`{view.keyword} {view.args_text}` between them may be overwritten by the source copy"
    if isinstance(ins, Run):
        script = _managers.run_script(tree, ins)
        commands = range(len(script.script.commands)) if script is not None else range(0)
        if script is not None and all(_source_free(script, k, build, where) for k in commands):
            return None
        return f"`RUN {view.args_text[:60]}` between them may use the sources"
    return f"{view.keyword} between them"


# Commands that do not read the build context unless an argument names a file in it.
_SOURCE_FREE_TOOLS: Final = frozenset(
    {
        "apt-get",
        "apt",
        "apk",
        "yum",
        "dnf",
        "microdnf",
        "rm",
        "echo",
        "printf",
        "mkdir",
        "ln",
        "chmod",
        "chown",
        "update-ca-certificates",
        "corepack",
        "useradd",
        "groupadd",
        "adduser",
        "addgroup",
        "curl",
        "wget",
        "true",
        "set",
        "export",
    }
)


def _source_free(script: _managers.RunScript, index: int, build: BuildContext, where: Where) -> bool:
    """Whether command ``index`` of ``script`` certainly neither reads the sources in the build context nor
    changes what the source copy puts in place (run before that copy, it would fail or be undone)."""
    command = script.script.commands[index]
    argv = command.argv
    # A command substitution that reads the sources (`VERSION=$(cat VERSION)`, `export V=$(cat VERSION)`): above
    # the copy the file is missing (a real build failed).
    substituted = " ".join(m.group(1) or m.group(2) for m in _SUBSTITUTION.finditer(" ".join(command.words)))
    if any(_names_context_file(w, build) for w in re.findall(r"[\w.][\w./-]*", substituted)):
        return False  # (also a path inside code: `$(node -p "require('./version.json').v")`)
    if not argv or argv[0] == "cd":
        return True  # an assignment or a change of folder reads nothing
    if any(_names_context_file(a, build) for a in argv[1:]):
        return False
    tool = argv[0].rsplit("/", 1)[-1]
    if _touches_destination(script, index, tool, where, build):
        return False
    if argv[1:2] == ("config",) and tool in _USER_CONFIG:
        # `poetry config virtualenvs.create false`, `npm config set registry ...`: the user's settings, unless
        # told to write the project's own file (poetry.toml, .npmrc), which the source copy would replace.
        return not any(a in _USER_CONFIG[tool] or a.startswith(_PROJECT_LOCATION) for a in argv[2:])
    found = [i for i in script.invocations if i.index == index]
    if found:
        # Named packages, index refreshes and cache clean-ups: npm install -g x, pip install --upgrade pip...
        return all(i.role in ("add", "update", "clean") and not i.local for i in found)
    if tool.startswith("python") and argv[1:3] == ("-m", "venv"):
        return True
    if tool in (".", "source") and len(argv) == 2 and argv[1].startswith("/"):
        return True  # `. /opt/venv/bin/activate`: outside the sources' folder (checked above); repeated after the copy
    return tool in _SOURCE_FREE_TOOLS


_SUBSTITUTION: Final = re.compile(r"\$\(([^)]*)\)|`([^`]*)`")


@dataclass(frozen=True, slots=True)
class Where:
    """The source copy (where it puts the sources), and the state a RUN runs in (its WORKDIR, its variables)."""

    source: common.Source
    state: State


# Tools whose arguments name no files (what they write goes through redirections, checked apart).
_NO_FILE_ARGUMENTS: Final = frozenset(
    {"echo", "printf", "true", "set", "export", "useradd", "groupadd", "adduser", "addgroup", "apt-get", "apt"}
    | {"apk", "yum", "dnf", "microdnf", "corepack", "update-ca-certificates"}
)
# Tools that change the files their arguments name: run at the sources' folder before the source copy, the copy
# puts its own files over what they did (a real build: `chown -R node:node .` then an EACCES at start).
_CHANGES_FILES: Final = frozenset(
    {"chmod", "chown", "chgrp", "ln", "rm", "touch", "cp", "mv", "install", "sed", "tee", "curl", "wget"}
)
_GLOB: Final = re.compile(r"[*?\[]")


def _touches_destination(script: _managers.RunScript, index: int, tool: str, where: Where, build: BuildContext) -> bool:
    """Whether command ``index`` may read or change what the source copy puts in place: an absolute path in the
    sources' folder (`chmod +x /app/bin/start`, `rm /app/.npmrc`; real builds failed or kept a token), a path from a
    variable, a glob or a changed file at the sources' folder (`chmod +x *.sh`), or a redirection into it
    (`echo $V > /app/VERSION`, undone by the copy)."""
    commands = script.script.commands
    words = commands[index].argv[1:]
    dest, workdir = where.source.resolved, where.state.workdir
    # In a folder the script moved to, a relative path could be anywhere.
    here = any(c.argv[:1] == ("cd",) for c in commands[:index]) or workdir.startswith("?")
    here = here or common.relative(workdir, dest) is not None
    # Making a folder in the sources' folder is undone only when the copy brings one of that name (`python -m
    # venv $VIRTUAL_ENV`; a context .venv copied over the one the install filled: a real image ran the host's).
    creates = tool == "mkdir" or (tool.startswith("python") and words[:2] == ("-m", "venv"))
    paths: list[tuple[str, bool]] = []  # (path, written by a redirection)
    for k, word in enumerate(words):
        if word in (">", ">>", "<", "2>", "&>"):
            continue
        if k > 0 and words[k - 1] in (">", ">>", "2>", "&>"):
            paths.append((word, True))
        elif ">" in word:
            paths.append((word.rsplit(">", 1)[1].lstrip("&|"), True))
        elif "://" in word:
            continue  # a URL (`curl -o public/x https://...`: the file it names is the path)
        elif not word.startswith("-") or "=" in word:
            paths.append((word.split("=", 1)[1] if word.startswith("-") else word, False))
    for written_path, written in paths:
        path = _stages.substitute(written_path, where.state.env)
        if not path or path.startswith("/dev/") or (written and path.isdigit()):  # 2>&1: a descriptor
            continue
        if path.startswith("/") and "$" not in path:
            inside = None if dest.startswith("?") else common.relative(posixpath.normpath(path), dest)
            if inside is not None and creates and not written and inside != ".":
                if build.exists(common.path(where.source.root, inside)):
                    return True
            elif inside is not None or (not dest.startswith("?") and common.relative(dest, path) is not None):
                return True
        elif "$" in path or path.startswith("~"):
            if written or tool not in _NO_FILE_ARGUMENTS:
                return True
        elif here and (written or (tool not in _NO_FILE_ARGUMENTS and (tool in _CHANGES_FILES or _GLOB.search(path)))):
            return True
    return False


# Tools whose `config` command writes the user's settings, and the options that make it write the project's.
_USER_CONFIG: Final = {"poetry": frozenset({"--local"}), "npm": frozenset({"-L"}), "pnpm": frozenset({"-L"})}
_PROJECT_LOCATION: Final = "--location"  # npm and pnpm: --location=project (or user, global: also refused)


def _names_context_file(arg: str, build: BuildContext) -> bool:
    if arg.startswith(("-", "/", "$", "~")) or "=" in arg:
        return False
    path = posixpath.normpath(arg)
    return path in (".", "..") or build.exists(path)


def split_run(
    tree: Dockerfile, run: Run, target: common.Target, where: Where, build: BuildContext
) -> tuple[tuple[Instruction, ...], tuple[Instruction, ...], list[str]] | None:
    """The install part (before the source copy) and the rest (after it), or None when it cannot be cut."""
    script = _managers.run_script(tree, run)
    assert script is not None
    view = tree.view(run)
    commands = script.script.commands
    installs = [i for i in target.invocations if i.role in ("install", "fetch")]
    builds = [i for i in target.invocations if i.role == "build"]
    unsafe: list[str] = []
    if not installs:
        # Only a build (go build, mvn package): insert a download step in front of the copy.
        inserted = _download_step(tree, run, builds)
        if inserted is None:
            return None
        return (inserted,), (run,), unsafe
    if any(_runs_more_inside(i.command) for i in installs):
        return None  # `bash -c 'npm ci && npm run build'`: the build would move above the sources (real builds)
    last = max(i.index for i in installs)
    # Clean-ups right after the install (npm cache clean, rm -rf of caches) stay with it; a `cd` does not (into a
    # folder of the sources, it would fail above their copy: a real build), nor does anything else that only sets
    # the shell's state for what follows (`export APP_ENV=production`, `OUT=dist`, `tmp=$(mktemp -d)`).
    while (
        last + 1 < len(commands)
        and not _sets_state(commands[last + 1])
        and _source_free(script, last + 1, build, where)
    ):
        last += 1
    for k in range(last + 1):
        if any(i.index == k for i in installs) or _source_free(script, k, build, where):
            continue
        # A command before the install may read the sources, or make what the copy then replaces (a real build:
        # `python -m venv .venv` in /app, then the context's own .venv copied over it).
        return None
    two_phase = [i for i in installs if i.python_project or i.manager == "composer"]
    if last == len(commands) - 1 and not two_phase:
        return (run,), (), unsafe
    if view.json or script.exec_form or not script.script.flat_and_chain:
        return None
    text = view.args_text
    cut = commands[last].end
    # Before the copy: the RUN as written up to its last install, first phases told not to need sources.
    edits = [(i.command.end, i.command.end, _PHASE_ONE[i.manager]) for i in two_phase]
    if cut < len(text):
        edits.append((cut, len(text), ""))
    first = splice_args(tree, run, edits)
    # After the copy: the same shell state (each `cd`, `export`, assignment, `. venv/bin/activate` of the first part,
    # again: real builds lost a variable and an activated virtualenv), the second phases, then the remaining
    # commands as written (their continuation lines and comments kept); comments between the parts go above the RUN.
    parts = [text[c.start : c.end] for c in commands[: last + 1] if _sets_state(c)]
    parts += [text[i.command.start : i.command.end] for i in two_phase]
    leading = ""
    if last + 1 < len(commands):
        between = physical_text(tree, run, cut, commands[last + 1].start)
        leading = "".join(
            run.indent + line.strip() + (run.newline or tree.newline)
            for line in between.split("\n")[1:]
            if line.strip().startswith("#")
        )
        parts.append(physical_text(tree, run, commands[last + 1].start, len(text)))
    if not parts:
        return (first,), (), unsafe
    # A cache mount stays with the part that runs a package manager (the build part gets it only if it runs one).
    managed = bool(two_phase) or any(i.index > last for i in script.invocations)
    kept = [f.raw[f.raw.index("--") :] for f in run.flags]
    flags = " ".join(f for f in kept if managed or not re.match(r"--mount=(?:.*,)?type=cache\b", f))
    second = tree.new(Run, (flags + " " + " && ".join(parts)).strip(), like=run, leading=leading)
    return (first,), (second,), unsafe


def _runs_more_inside(command: _shell.Command) -> bool:
    """Whether ``command`` is a shell whose `-c` string holds the install and more: the string moves as one command,
    so anything in it besides installs, clean-ups and shell state (an absolute `cd`, `export`, `. /opt/venv/bin/
    activate`) would run above the source copy (real builds: `bash -c 'npm ci && npm run build'` lost build.js,
    `... && python manage.py collectstatic` manage.py, `sh -c 'pip install -r requirements.txt && pip install -e .'`
    the project)."""
    inner = _shell.shell_c_script(command.argv)
    if inner is None:
        return False
    nested = _shell.split(inner)
    if nested is None:
        return True
    # An install of the project itself (`pip install -e .`) reads the sources: it is no install to move.
    managed = {
        i.index for i in _managers.invocations(nested) if i.role in ("install", "fetch", "clean") and not i.local
    }
    for k, c in enumerate(nested.commands):
        relative_cd = c.argv[:1] in (("cd",), ("pushd",)) and not (c.argv[1:2] and c.argv[1].startswith("/"))
        if k not in managed and (not _sets_state(c) or relative_cd):
            return True
    return False


def _sets_state(command: _shell.Command) -> bool:
    """Whether ``command`` only changes the shell's state for the commands after it (folder, variables, options)."""
    argv = command.argv
    if not argv:
        return bool(command.words)  # `OUT=dist`: assignments alone
    return argv[0] in _STATE_COMMANDS


_STATE_COMMANDS: Final = frozenset(
    {"cd", "pushd", "popd", "export", "unset", ".", "source", "set", "umask", "shopt", "declare", "typeset", "alias"}
)


_PHASE_ONE: Final[dict[Manager, str]] = {
    "poetry": " --no-root",
    "uv": " --no-install-project",
    "composer": " --no-scripts --no-autoloader",
}


def _download_step(tree: Dockerfile, run: Run, builds: list[Invocation]) -> Run | None:
    go = [b for b in builds if b.manager == "go"]
    if go:
        cd = f"cd {go[0].cwd} && " if go[0].cwd not in (".", "") else ""
        return tree.new(Run, f"{cd}go mod download", like=run)
    mvn = [b for b in builds if b.manager == "maven"]
    if mvn:
        tool = mvn[0].command.argv[0]
        return tree.new(Run, f"{tool} -B dependency:go-offline", like=run)
    return None

"""The folders the user must own, and the files a root build step leaves it unable to read or write: the working
folder, volumes and folders the build makes, ``chown``s, private modes (``chmod 600``, keys, ``umask``, archives),
and later root steps that give a folder back to root."""

from __future__ import annotations

import itertools
import posixpath
import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Final

from dockmod.context import BuildContext, Context
from dockmod.cst import Add, Cmd, Copy, Dockerfile, Entrypoint, Instruction, Run, Stage, Workdir
from dockmod.cst.view import InstructionView
from dockmod.transforms import _managers, _shell, _stages
from dockmod.transforms._stages import State
from dockmod.transforms.add_user import common


def writable_folders(
    tree: Dockerfile, chain: tuple[Stage, ...], end: State, findings: common.Findings
) -> list[common.Folder]:
    out: list[common.Folder] = []
    if common.ownable(end.workdir) and "$" not in end.workdir:
        out.append(common.Folder(end.workdir, "the working folder"))
        argument = _stages.workdir_argument(tree, chain)
        if argument is not None:
            findings.unsafe.append(
                f"the working folder comes from ARG {argument} (default {end.workdir}): built with another "
                "--build-arg, it stays root's"
            )
    elif "$" in end.workdir:
        workdir = common.last(chain, Workdir)
        written = tree.view(workdir).args_text if workdir is not None else end.workdir
        findings.unsafe.append(f"the working folder {written} cannot be resolved; it stays root's")
    elif end.workdir.startswith(_stages.UNKNOWN_DIR + "/"):
        # `WORKDIR app` below the base image's own working folder (a real build could not write it).
        findings.unsafe.append(
            f"the working folder {end.workdir[2:]} is relative to the base image's, which the Dockerfile does not "
            "show; it stays root's"
        )
    else:
        # No WORKDIR (the base image's, often /) or a system folder: a program writing a log or a state file by a
        # relative path wrote it there as root, and cannot as the user (a real build: "Permission denied:
        # '/worker.log'").
        where = (
            "the base image's, which the Dockerfile does not show"
            if end.workdir == _stages.UNKNOWN_DIR
            else end.workdir
        )
        findings.unsafe.append(
            f"the working folder is {where}; it stays root's, so files the app writes by relative paths fail"
        )
    for stage in chain:
        for ins, state in _stages.walk(tree, stage):
            if isinstance(ins, Copy | Add):
                view = tree.view(ins)
                sources = view.args[:-1]
                if view.flag("from") is None and any(s.rstrip("/") in (".", "") for s in sources):
                    dest = common.copy_destination(tree, ins, state)
                    if dest is not None and common.ownable(dest):
                        out.append(common.Folder(dest, "the app's folder"))
            elif ins.name == "VOLUME":
                for word in _volume_paths(tree, ins):
                    path = common.resolve(word, state)
                    if path is None:
                        findings.unsafe.append(
                            f"VOLUME {word} (line {common.line_number(tree, ins)}) cannot be resolved; it stays root's"
                        )
                    elif common.ownable(path):
                        out.append(common.Folder(path, "a VOLUME"))
                    elif path not in ("/tmp", "/var/tmp"):
                        findings.unsafe.append(
                            f"VOLUME {path} is a system folder; dockmod does not give it to the user"
                        )
            elif isinstance(ins, Run):
                for path, parents in _mkdirs(tree, ins, state, findings):
                    if not common.ownable(path):
                        continue
                    # `mkdir -p /app/var/cache/thumbs` may make /app/var too, which root would keep (a real image
                    # could not write /app/var/state.json): the folders above it that the user may own, top first.
                    made = [path]
                    while (
                        parents
                        and posixpath.dirname(made[-1]) != made[-1]
                        and common.ownable(posixpath.dirname(made[-1]))
                    ):
                        made.append(posixpath.dirname(made[-1]))
                    out += [common.Folder(f, "created by mkdir") for f in reversed(made)]
    return out


def env_folders(end: State, folders: list[common.Folder], findings: common.Findings) -> list[common.Folder]:
    """Where the image's environment tells the app to keep its data (``DATA_DIR=/data/notes``,
    ``SQLITE_PATH=/srv/db/app.db``): the app creates those as root, and the new user could not (a real build:
    "Permission denied: '/var/lib/notes'"). A folder the user may own is given to it (for a file, its folder); one
    in a system tree makes the fix unsafe."""
    out: list[common.Folder] = []
    for key, value in sorted(end.env.items()):
        data = _DATA_VARIABLE.search(key) and not key.startswith(_TOOL_PREFIXES)
        if not (data or key in _XDG_HOMES) or not value.startswith("/"):
            continue
        path = posixpath.normpath(value)
        folder = path if key.endswith(("_DIR", "_FOLDER", "_ROOT", "_HOME")) else posixpath.dirname(path)
        if any(common.inside(path, s) for s in common.SCRATCH) or any(
            common.inside(folder, f.path) for f in [*folders, *out]
        ):
            continue
        if common.ownable(folder):
            out.append(common.Folder(folder, f"named by ENV {key}"))
        else:
            findings.unsafe.append(f"ENV {key} names {path}, where only root may write; it stays root's")
    return out


# Variables naming where an app keeps what it writes; tools' own settings (PIP_CACHE_DIR...) are the build's.
_DATA_VARIABLE: Final = re.compile(
    r"(?:^|_)(?:DATA|UPLOADS?|LOGS?|CACHE|STORAGE|MEDIA|STATE|DB|DATABASE|SQLITE|OUTPUT|SESSIONS?|SPOOL)"
    r"_(?:DIR|PATH|FOLDER|FILE|ROOT|LOCATION)$"
)
# The XDG base folders, where libraries keep an app's data, state, cache and settings (`platformdirs`, `env-paths`:
# a real image's app made $XDG_DATA_HOME/myapp as the new user and failed).
_XDG_HOMES: Final = frozenset({"XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"})
_TOOL_PREFIXES: Final = ("PIP_", "NPM_", "YARN_", "PNPM_", "POETRY_", "UV_", "PIPENV_", "GO", "CARGO_", "RUSTUP_",
                         "GRADLE_", "MAVEN_", "COMPOSER_", "BUNDLE_", "NUGET_", "XDG_", "CONDA_", "npm_")  # fmt: skip


def dedupe_folders(folders: list[common.Folder]) -> list[common.Folder]:
    seen: dict[str, common.Folder] = {}
    for f in folders:
        seen.setdefault(f.path, f)
    return list(seen.values())


def _volume_paths(tree: Dockerfile, ins: Instruction) -> tuple[str, ...]:
    return tree.view(ins).args


def volume_declares(tree: Dockerfile, ins: Instruction, path: str) -> bool:
    return ins.name == "VOLUME" and any(posixpath.normpath(w) == path for w in _volume_paths(tree, ins))


def _mkdirs(tree: Dockerfile, run: Run, state: State, findings: common.Findings) -> Iterator[tuple[str, bool]]:
    """(folder, with -p) for every ``mkdir`` in the RUN, resolved against WORKDIR, ``cd`` and ENV."""
    script = _managers.run_script(tree, run)
    if script is None:
        return
    cwd = state.workdir
    for command in script.script.commands:
        argv = command.argv
        if not argv:
            continue
        if argv[0] == "cd" and len(argv) == 2:
            target = common.resolve(argv[1], State(cwd, state.user, state.env))
            cwd = target if target is not None else _stages.UNKNOWN_DIR
            continue
        program = argv[0].rsplit("/", 1)[-1]
        # `install -d` creates folders like `mkdir -p` (a real build of a variant showed the folder staying root's
        # while the fix was called safe); without -d it copies files.
        directory = program == "install" and any(
            w == "--directory" or (w.startswith("-") and not w.startswith("--") and "d" in w[1:]) for w in argv[1:]
        )
        if program != "mkdir" and not directory:
            continue
        parents = directory
        skip = False
        for word in argv[1:]:
            if skip:
                skip = False
                continue
            if word in ("-m", "--mode") or (directory and word in ("-o", "--owner", "-g", "--group")):
                skip = True
                continue
            if word.startswith("-"):
                parents = parents or word in ("--parents",) or (not word.startswith("--") and "p" in word[1:])
                # `-pm 755`: the mode follows the cluster (`-pm755` carries it); it names no folder.
                skip = not word.startswith("--") and word.endswith("m")
                continue
            # A pattern the shell may expand (bash's `/data/{logs,uploads}`, a glob) names folders dockmod cannot
            # list; copied as written into the user's RUN (plain sh), it made a folder named with the braces.
            pattern = _SHELL_PATTERN.search(word) is not None
            env = _stages.overlay(state.env, command.assignments)
            path = None if pattern else common.resolve(word, State(cwd, state.user, env))
            if path is None:
                if "$" in word or pattern:
                    findings.unsafe.append(
                        f"line {common.line_number(tree, run)} creates {word}, which dockmod cannot resolve; it stays "
                        "root's"
                    )
                continue
            yield path, parents


_SHELL_PATTERN: Final = re.compile(r"\{[^{}]*,[^{}]*\}|[*?]|\[[^\]]*\]")


def chowns(tree: Dockerfile, run: Run) -> Iterator[tuple[str, list[str], bool]]:
    """(owner, paths, recursive) of every ``chown`` in the RUN (paths as written)."""
    script = _managers.run_script(tree, run)
    if script is None:
        return
    for command in script.script.commands:
        argv = _find_exec(command.argv)
        if not argv or argv[0].rsplit("/", 1)[-1] != "chown":
            continue
        words = [w for w in argv[1:] if not w.startswith("-")]
        recursive = any(w in ("-R", "--recursive") or (w.startswith("-") and not w.startswith("--") and "R" in w)
                        for w in argv[1:])  # fmt: skip
        if len(words) >= 2:
            yield words[0], words[1:], recursive


def chowned_by_file(tree: Dockerfile, walked: common.Walk, account: common.Account) -> set[str]:
    """Folders the file itself gives to the chosen user (``chown user ...``); ``/**`` marks a recursive one."""
    out: set[str] = set()
    names = {account.name, account.owner}
    for ins, state in walked:
        if isinstance(ins, Run):
            for owner, paths, recursive in chowns(tree, ins):
                if owner.split(":", 1)[0].split(".", 1)[0] not in names:
                    continue
                for p in paths:
                    resolved = common.resolve(p, state)
                    if resolved is not None:
                        out.add(resolved + "/**" if recursive else resolved)
    return out


def unpacked_archive(tree: Dockerfile, ins: Instruction) -> str | None:
    """The local archive an ADD unpacks, if any: its files keep the owners the archive gives them, whatever
    ``--chown`` says (a real build with buildah: the app could not rewrite a file from state.tar.gz)."""
    if not isinstance(ins, Add):
        return None
    sources = tree.view(ins).args[:-1]
    return next((s for s in sources if "://" not in s and _stages.ARCHIVE.search(s)), None)


def _copies_into(view: InstructionView) -> bool:
    """Whether a COPY's destination is a folder its sources go into (`dest/`, or several sources)."""
    return view.args[-1].endswith("/") or len(view.args) > 2


def owner_only(
    tree: Dockerfile,
    build: BuildContext,
    chain: tuple[Stage, ...],
    walked: common.Walk,
    folders: list[common.Folder],
    owned: set[str],
    user: str,
    findings: common.Findings,
) -> None:
    """A mode that leaves a root-owned file only its owner may read, or run: a root RUN's chmod or `install -m`
    (`chmod 600 /etc/app/settings.toml`: a real build could not read it; `chmod u+x` of the entrypoint: "fork/exec
    ... permission denied"), or a COPY/ADD --chmod, outside the folders the user gets (their COPY lines get --chown).
    Inside them too for a file the same RUN writes (`make_config > /app/config.json && chmod 600 ...`: a real build
    could not read it: giving the folder does not give what root writes in it)."""
    started: set[str] | None = None

    def check(ins: Instruction, mode: str, path: str, how: str, *, runs: bool = True, owner: str = "root") -> None:
        nonlocal started
        if any(common.inside(path, p) for p in _ROOT_ONLY):
            return  # meant for root alone (sudoers must be 0440)
        started = _started_paths(tree, chain) if started is None else started
        lost = _lost_access(mode, runs and (path in started or any(common.inside(s, path) for s in started)))
        if lost is not None:
            findings.unsafe.append(
                f"line {common.line_number(tree, ins)} leaves {path} {lost} by its owner only ({how}), and it stays "
                f"{owner}'s"
            )

    moved: dict[int, str | None] = {}  # a RUN's folder after its `cd` commands (None: unknown)
    temporary: set[tuple[int, str]] = set()  # (RUN, variable) holding a file `mktemp` made
    for ins, state, command in common.root_commands(tree, walked, _MODES):
        argv = _find_exec(command.argv)
        tool = argv[0].rsplit("/", 1)[-1] if argv else ""
        if not argv:  # `tmp=$(mktemp)`: a file only its owner may read (0600), wherever `mv` then puts it
            temporary |= {(id(ins), n) for n, v in (w.partition("=")[::2] for w in command.words) if _MKTEMP.match(v)}
            continue
        here = moved.get(id(ins), state.workdir)
        if tool == "mv" and len(argv) >= 3 and (id(ins), argv[-2].strip("${}")) in temporary:
            path = common.resolve(argv[-1], replace(state, workdir=here or state.workdir))
            if path is not None and not covered(path, owned):
                check(ins, "600", path, "mktemp makes its file 0600, and mv keeps the mode")
            continue
        if tool == "cd":
            target = argv[1] if len(argv) == 2 else None
            moved[id(ins)] = common.resolve(target, replace(state, workdir=here)) if target and here else None
            continue
        into = _shell.unpacks_into(argv)
        if into is not None:
            path = common.resolve(into, replace(state, workdir=here)) if here is not None else None
            given = [f.path for f in folders if path is not None and common.inside(path, f.path)]
            if given:
                # Root's tar keeps each file's owner and mode from the archive (a real image could not read a 0600
                # licence key unpacked into a folder it was given); unzip and Python's zipfile make root's files (a
                # real image could not append to data/counter.txt): giving the folder does not give its files.
                how = "keep the archive's owners and modes" if tool in ("tar", "bsdtar") else "are root's"
                name = " ".join(argv[:3]) if argv[1:2] == ("-m",) else tool
                findings.unsafe.append(
                    f"line {common.line_number(tree, ins)} unpacks an archive into {path} with {name} as root: its "
                    f"files {how}, which giving {given[0]} to the user does not change"
                )
            continue
        if tool in ("tar", "bsdtar", "unzip", "7z", "7za") or tuple(argv[1:3]) in (
            ("-m", "zipfile"),
            ("-m", "tarfile"),
        ):
            continue
        if tool in ("openssl", "ssh-keygen"):
            # They write private keys 0600 by themselves (a real image could not read its TLS key).
            for word in _key_outputs(tool, argv):
                path = common.resolve(word, state)
                if path is not None and not covered(path, owned):
                    check(ins, "600", path, f"{tool} writes its private key 0600")
            continue
        mode, targets = _mode_set(tool, argv)
        written = tree.view(ins).args_text
        recursive = any(w in ("-R", "--recursive") for w in argv)
        for word in targets:
            path = common.resolve(word, state)
            if path is None or mode is None:
                continue
            gets = next(
                (f for f in folders if common.inside(path, f.path) or (recursive and common.inside(f.path, path))), None
            )
            if gets is not None and _takes_write(mode):
                # Root writes anywhere; the user does not (`find /app -type d -exec chmod 555 {} +`: a real image
                # could not write its log in /app).
                findings.unsafe.append(
                    f"line {common.line_number(tree, ins)} leaves {path} without write permission for its owner "
                    f"({tool} {mode}), and the app's user gets {gets.path}: the user cannot write there"
                )
                return
            if covered(path, owned):
                continue
            if any(common.inside(path, f.path) for f in folders) and not (
                tool == "install" or re.search(rf">\s*{re.escape(word)}(?:\s|$)", written)
            ):
                continue  # a file of the folder the user gets: copied with --chown
            check(ins, mode, path, f"{tool} {mode}" if tool == "chmod" else f"install -m {mode}")
    for node, state in walked:
        if isinstance(node, Run) and (state.user is None or state.user.split(":", 1)[0] in common.ROOT_USERS):
            # `umask 077` then a write: the file is root's and private (a real image could not read its secret).
            umasked = _made_under_umask_by(tree, node, state, owned)
            if umasked is not None:
                check(node, umasked[1], umasked[0], f"umask {umasked[2]}")
        if not isinstance(node, Copy | Add):
            continue  # (a COPY writes as root whatever USER says)
        view = tree.view(node)
        flag = view.flag("chmod")
        dest = common.copy_destination(tree, node, state)
        if dest is None or view.flag("chown") is not None:
            continue
        if any(common.inside(dest, f.path) for f in folders) or covered(dest, owned):
            continue
        archive = unpacked_archive(tree, node)
        if archive is not None and build.exists(posixpath.normpath(archive.lstrip("/"))):
            # Outside the user's folders too, ADD unpacks a local archive with its members' owners and modes (a
            # real image could not read a file in a 0700 folder of one); dockmod does not read archives.
            findings.unsafe.append(
                f"line {common.line_number(tree, node)} unpacks {archive} into {dest}: its files keep the owners "
                "and modes the archive gives them, which dockmod does not read"
            )
            return
        if flag is not None and flag.value is not None:
            check(node, flag.value, dest, f"{view.keyword} --chmod={flag.value}")
            continue
        # (a git repository it clones keeps the repository's modes)
        urls = [a for a in view.args[:-1] if "://" in a and not _GIT_URL.search(a)] if isinstance(node, Add) else []
        for url in urls:
            # BuildKit writes a file ADD downloads 0600 (a real image could not read the archive it fetched).
            name = posixpath.basename(url.split("?", 1)[0].rstrip("/"))
            target = posixpath.join(dest, name) if _copies_into(view) and name else dest
            check(node, "600", target, f"ADD of {url} writes it 0600")
        if urls:
            continue
        # Without --chmod a COPY keeps each file's mode: from the build context (a real image: a config file 0600 in
        # the checkout, copied to /etc, could not be read; an entrypoint 0700 could not be run), or from the stage
        # it copies from (a signing key `openssl genpkey` wrote 0600 in a keys stage: the same failure).
        origin = view.flag("from")
        if view.json or len(view.args) < 2:
            continue
        if origin is not None:
            source_stage = _stages.stage_named(tree, origin.value or "")
            private = _private_files(tree, source_stage) if source_stage is not None else {}
            for source in view.args[:-1] if private else ():
                # --from paths start at the stage's root, not its WORKDIR
                name = posixpath.normpath("/" + source.lstrip("/"))
                for path, (mode, made, owner) in private.items():
                    # (a file the builder's `node` user made stays node's: the node user the image runs as reads it)
                    if common.inside(path, name) and owner != user:
                        inner = posixpath.relpath(path, name) if path != name else posixpath.basename(name)
                        target = posixpath.join(dest, inner) if path != name or _copies_into(view) else dest
                        how = f"{view.keyword} --from={origin.value} of {path}, which {made}"
                        check(node, mode, target, how, owner=owner)
            continue
        for source in view.args[:-1]:
            name = posixpath.normpath(source.lstrip("/"))
            if "$" in name or "://" in source or _SHELL_PATTERN.search(name):
                continue
            if build.is_dir(name):  # a folder: its files keep their modes too (the folder itself is made anew)
                found = _private_in_folder(build, "" if name == "." else name)
                if found is not None:
                    inner, kept_mode = found
                    how = f"{view.keyword} of {name}, whose {inner} is mode {kept_mode:o} in the build context"
                    check(node, f"{kept_mode:o}", posixpath.join(dest, inner), how, runs=False)
                continue
            bits = build.mode(name)
            if bits is not None:
                target = posixpath.join(dest, posixpath.basename(name)) if _copies_into(view) else dest
                # Only what others cannot read: an entrypoint without its x bit is often made runnable by a
                # later `chmod +x`, which this COPY does not see.
                how = f"{view.keyword} of {name}, mode {bits:o} in the build context"
                check(node, f"{bits:o}", target, how, runs=False)


_GIT_URL: Final = re.compile(r"\.git(?:#|$)|^git@")
_FOLDER_FILES: Final = 2000  # a copied folder's files read for their modes, at most (config folders are small)


def _private_in_folder(build: BuildContext, folder: str) -> tuple[str, int] | None:
    """The first file below ``folder`` (of those the context sends) that others cannot read, or folder they cannot
    enter, by its path inside the folder and its mode; None when there is none among the first ``_FOLDER_FILES``."""
    queue, seen = [folder], 0
    while queue and seen < _FOLDER_FILES:
        current = queue.pop(0)
        for entry in build.listdir(current):
            path = f"{current}/{entry}".lstrip("/") if current else entry
            if build.ignored(path.rstrip("/")):
                continue
            if entry.endswith("/"):
                # A folder others cannot enter (`drwx------ conf/private`) hides every file in it: a real image
                # could not read /etc/myapp/private/key.txt.
                bits = build.mode(path.rstrip("/"))
                if bits is not None and not bits & 0o001:
                    return posixpath.relpath(path.rstrip("/"), folder) + "/" if folder else path, bits
                queue.append(path.rstrip("/"))
                continue
            seen += 1
            bits = build.mode(path)
            if bits is not None and not bits & 0o004:
                return posixpath.relpath(path, folder) if folder else path, bits
    return None


def _private_files(tree: Dockerfile, stage: Stage) -> dict[str, tuple[str, str, str]]:
    """Files the RUN lines of ``stage`` (and the stages it builds on) leave readable by their owner only, by path:
    their mode, how it came about and their owner. A later chmod that lets others read one takes it off. Any RUN
    user counts: a COPY --from keeps the owner, so a key a builder's own user wrote 0600 is that user's alone."""

    def find() -> dict[str, tuple[str, str, str]]:
        out: dict[str, tuple[str, str, str]] = {}
        for ins, state, command in common.root_commands(tree, _stages.chain_walk(tree, stage), _MODES, anyone=True):
            argv = command.argv
            tool = argv[0].rsplit("/", 1)[-1] if argv else ""
            owner = state.user.split(":", 1)[0] if state.user is not None else "root"
            owner = "root" if owner in common.ROOT_USERS else owner
            where = f"line {common.line_number(tree, ins)} of stage {stage.name or stage.index}"
            if tool in ("openssl", "ssh-keygen"):
                for word in _key_outputs(tool, argv):
                    path = common.resolve(word, state)
                    if path is not None:
                        out[path] = ("600", f"{tool} at {where} writes 0600", owner)
                continue
            mode, targets = _mode_set(tool, argv)
            if mode is None:
                continue
            for word in targets:
                path = common.resolve(word, state)
                if path is None:
                    continue
                if _lost_access(mode, False) == "readable":
                    out[path] = (mode, f"{tool} at {where} leaves mode {mode}", owner)
                else:
                    out.pop(path, None)
        return out

    return tree.memo(("private-files", stage), find)


# (tool, subcommand) -> the options naming the private key it writes.
_KEY_OUTPUT: Final = {
    ("openssl", "req"): ("-keyout",),
    ("openssl", "genpkey"): ("-out",),
    ("openssl", "genrsa"): ("-out",),
    ("openssl", "ecparam"): ("-out",),
}
_OWNER_ONLY_UMASK: Final = re.compile(r"\bumask\s+(0?0?[0-7]?[4-7])\b")
_WRITTEN_TO: Final = re.compile(r">>?\s*([^\s;&|)<>]+)")
# Only a first sieve (the commands' words decide). `install ... -m` by its option alone: `\binstall\b.*\s-m` took
# time quadratic in the length of a RUN of thousands of `apt-get install` commands (two seconds for 4,000).
_MODES: Final = re.compile(
    r"\bchmod\b|\s(?:-m|--mode)\b|\bopenssl\b|\bssh-keygen\b|\b(?:bsd)?tar\b|\bmktemp\b|\bunzip\b|\b(?:zip|tar)file\b|\b7za?\b"
)
_MKTEMP: Final = re.compile(r"\$\(\s*mktemp(?![^)]*\s-d)[^)]*\)$")
_CHMOD_OPTIONS: Final = frozenset({"-R", "-f", "-v", "-c", "-h"})
_ROOT_ONLY: Final = ("/root", "/etc/sudoers", "/etc/sudoers.d", "/etc/shadow", "/etc/gshadow", "/etc/ssh")


def _made_under_umask_by(tree: Dockerfile, node: Run, state: State, owned: set[str]) -> tuple[str, str, str] | None:
    """The first file or folder a root RUN makes after an owner-only `umask` outside what the user is given, with
    its mode and the umask: in the RUN's text, or in a string its `sh -c` commands run (`sh -c 'umask 027; cp ...'`:
    a real image could not read the copy)."""
    text = tree.view(node).args_text
    if "umask" not in text:
        return None
    script = _managers.run_script(tree, node)
    inner = [c for cmd in script.script.commands if (c := _shell.shell_c_script(cmd.argv))] if script else []
    for code in [text, *inner]:
        umask = _OWNER_ONLY_UMASK.search(code)
        for word, mode in _made_under_umask(code[umask.end() :]) if umask is not None else ():
            path = common.resolve(word, state)
            if umask is not None and path is not None and not covered(path, owned):
                return path, mode, umask[1]
    return None


def _made_under_umask(text: str) -> list[tuple[str, str]]:
    """The files and folders the commands of ``text`` make (after an owner-only `umask`), with the mode they get:
    redirections' targets, what `cp`, `touch`, `tee`, `curl -o` and `wget -O` write (0600) and `mkdir` makes
    (0700). (`umask 077 && cp conf/app.conf /etc/app.conf`: a real image could not read its settings.)"""
    out = [(m.group(1), "600") for m in _WRITTEN_TO.finditer(text)]
    script = _shell.split(text)
    for command in script.commands if script is not None else ():
        argv = command.runs
        tool = argv[0].rsplit("/", 1)[-1] if argv else ""
        operands = [w for w in argv[1:] if not w.startswith("-")]
        # (`cp -a`/`-p` keep the source's mode, `mkdir -m` sets its own)
        keeps = any(re.fullmatch(r"-\w*[ap]\w*|--preserve.*|--archive|-m\d*|--mode.*", w) for w in argv[1:])
        if tool == "cp" and len(operands) >= 2 and not keeps:
            dest = operands[-1]
            into = len(operands) > 2 or dest.endswith("/")
            out.append((posixpath.join(dest, posixpath.basename(operands[0].rstrip("/"))) if into else dest, "600"))
        elif tool in ("touch", "tee"):
            out += [(w, "600") for w in operands]
        elif tool == "mkdir" and not keeps:
            out += [(w, "700") for w in operands]
        elif tool in ("curl", "wget"):
            option = ("-o", "--output") if tool == "curl" else ("-O", "--output-document")
            out += [(b, "600") for a, b in itertools.pairwise(argv) if a in option]
    return out


def _find_exec(argv: Sequence[str]) -> Sequence[str]:
    """`find ROOTS ... -exec chmod MODE {} +` read as `chmod MODE -R ROOTS` (what it changes lies below its roots),
    `-exec chown` likewise; any other command as it is."""
    if not argv or argv[0].rsplit("/", 1)[-1] != "find":
        return argv
    roots = list(itertools.takewhile(lambda w: not w.startswith(("-", "(", "!")), argv[1:])) or ["."]
    for k, word in enumerate(argv):
        if word in ("-exec", "-execdir"):
            inner = list(itertools.takewhile(lambda w: w not in (";", "+"), argv[k + 1 :]))
            if "{}" in inner:
                at = inner.index("{}")
                return [*inner[:at], "-R", *roots, *inner[at + 1 :]]
    return argv


def _takes_write(mode: str) -> bool:
    """Whether ``mode`` leaves the owner unable to write (`555`, `a-w`, `u=rx`)."""
    if re.fullmatch(r"0?[0-7]{3,4}", mode):
        return not int(mode[-3]) & 2
    for clause in mode.split(","):
        m = re.fullmatch(r"([ugoa]*)([-+=])([rwxXst]*)", clause)
        if m is None:
            return False  # not a mode dockmod reads
        who, op, perms = m.groups()
        if (who == "" or "u" in who or "a" in who) and (
            (op == "-" and "w" in perms) or (op == "=" and "w" not in perms)
        ):
            return True
    return False


def _mode_set(tool: str, argv: Sequence[str]) -> tuple[str | None, list[str]]:
    """The mode a `chmod` or `install -m` command sets and the files it sets it on (None: no mode set)."""
    if tool == "install":
        mode = next((v for k, v in itertools.pairwise(argv) if k in ("-m", "--mode")), None)
        return mode, [w for w in argv[1:] if not w.startswith("-") and w != mode][-1:] if mode else []
    if tool == "chmod":
        words = [w for w in argv[1:] if w not in _CHMOD_OPTIONS and not w.startswith("--")]
        return (words[0], words[1:]) if len(words) >= 2 else (None, [])
    return None, []


def _key_outputs(tool: str, argv: Sequence[str]) -> list[str]:
    """The private keys an `openssl` or `ssh-keygen` command writes (0600, by themselves)."""
    key = _KEY_OUTPUT.get((tool, argv[1] if len(argv) > 1 else ""), ("-f",) if tool == "ssh-keygen" else ())
    return [v for k, v in itertools.pairwise(argv) if k in key]


def _lost_access(mode: str, started: bool) -> str | None:
    """What ``mode`` takes from other users: "readable" (reading is left to the owner), "runnable" (a file the
    image starts becomes executable for its owner and group only), or None."""
    if re.fullmatch(r"0?[0-7]{3,4}", mode):
        others = int(mode[-1])
        return "readable" if not others & 4 else "runnable" if started and not others & 1 else None
    for clause in mode.split(","):
        m = re.fullmatch(r"([ugoa]*)([-+=])([rwxXst]*)", clause)
        if m is None:
            return None  # not a mode dockmod reads
        who, op, perms = m.groups()
        others = who == "" or "o" in who or "a" in who
        if others and ((op == "-" and "r" in perms) or (op == "=" and "r" not in perms)):
            return "readable"
        if started and not others and op in "+=" and "x" in perms:
            return "runnable"
    return None


def _started_paths(tree: Dockerfile, chain: tuple[Stage, ...]) -> set[str]:
    """The absolute paths of the programs the start command runs by path (`/usr/local/bin/entrypoint.sh`), or by a
    bare name found in PATH."""
    end = _stages.final_state(tree, chain[-1])
    out: set[str] = set()
    for node in (common.last(chain, Entrypoint), common.last(chain, Cmd)):
        for command in common.simple_commands(common.argv_of(tree, node)) if node is not None else ():
            program = command[0]
            if "/" in program:
                out.add(_stages.join(end.workdir, program))
            else:
                out.update(posixpath.join(d, program) for d in _stages.PATH_DIRS)
    return out


def covered(path: str, owned: set[str]) -> bool:
    if path in owned:
        return True
    return any(o.endswith("/**") and common.inside(path, o[:-3]) for o in owned)


def other_owners(
    tree: Dockerfile,
    walked: common.Walk,
    account: common.Account,
    folders: list[common.Folder],
    findings: common.Findings,
) -> None:
    """A file that hands folders or files to another user expects the app to run as that user. One that hands what
    the user gets back to root (`chown -R root:root /app` to harden the image, `COPY --chown=root:root settings.json
    /app/`) leaves the user unable to write there (real images failed: PermissionError writing app.log)."""
    for ins, state in walked:
        handed: list[tuple[str, list[str], bool]] = []
        if isinstance(ins, Run):
            handed = list(chowns(tree, ins))
        elif isinstance(ins, Copy | Add):
            view = tree.view(ins)
            chown = view.flag("chown")
            if chown is not None and chown.value and len(view.args) >= 2:
                handed = [(chown.value, [view.args[-1]], True)]
        for owner, paths, recursive in handed:
            name = owner.split(":", 1)[0].split(".", 1)[0]
            if not name or name in (account.name, account.owner) or "$" in name:
                continue
            if name not in common.ROOT_USERS:
                findings.unsafe.append(
                    f"line {common.line_number(tree, ins)} gives {' '.join(paths)} to {name}, not to {account.name}"
                )
                continue
            for path in filter(None, (common.resolve(p, state) for p in paths)):
                given = next(
                    (f for f in folders if common.inside(path, f.path) or (recursive and common.inside(f.path, path))),
                    None,
                )
                if given is None:
                    continue
                if path == given.path:
                    where = f"{path}, which the user gets,"
                elif common.inside(path, given.path):
                    where = f"{path}, in {given.path}, which the user gets,"
                else:
                    where = f"{path} and all below it, {given.path} included, which the user gets,"
                findings.unsafe.append(
                    f"line {common.line_number(tree, ins)} hands {where} back to root: the user cannot write there"
                )
                return


def safe_to_create_early(
    tree: Dockerfile,
    ctx: Context,
    path: str,
    after: list[Instruction],
    walked: common.Walk,
) -> bool:
    """Whether creating ``path`` right after the user exists leaves every later step doing the same thing.

    Only the first later instruction that touches the folder matters: WORKDIR and ``mkdir -p`` create it
    anyway, a COPY into it (or into a folder of it) creates it the same way. A plain ``mkdir`` would fail, a
    ``COPY file /path`` would copy into the folder instead of creating a file, and other commands (``mv``,
    ``git clone``, ``ln``...) may behave differently: those folders are given to the user after the last build
    step instead.
    """
    state_of = {id(ins): state for ins, state in walked}
    for ins in after:
        state = state_of.get(id(ins))
        if state is None:
            continue
        if isinstance(ins, Workdir):
            target = common.resolve(tree.view(ins).args[0], state) if tree.view(ins).args else None
            if target is not None and common.inside(target, path):
                return True  # WORKDIR creates the folder (and those above it) like mkdir -p
        elif isinstance(ins, Copy | Add):
            view = tree.view(ins)
            if len(view.args) < 2:
                continue
            dest = common.copy_destination(tree, ins, state)
            if dest is None or not (common.inside(dest, path) or common.inside(path, dest)):
                continue
            if dest != path:
                if common.inside(dest, path):
                    return True  # a copy into a folder below it creates it, like mkdir -p
                continue  # a copy into a folder above it leaves it alone (a real build: `mkdir uploads` then failed)
            raw = view.args[-1]
            sources = view.args[:-1]
            folder_source = view.flag("from") is None and all(
                s.rstrip("/") in (".", "") or s.endswith("/") or ctx.build.is_dir(s.strip("/")) for s in sources
            )
            return raw.endswith("/") or raw in (".", "./") or len(sources) > 1 or folder_source
        elif ins.name == "VOLUME":
            if volume_declares(tree, ins, path):
                return True
        elif isinstance(ins, Run):
            mkdirs = [(p, parents) for p, parents in _mkdirs(tree, ins, state, common.Findings())
                      if common.inside(p, path) or common.inside(path, p)]  # fmt: skip
            view = tree.view(ins)
            command = " ".join([view.args_text, *(h.content for h in view.heredocs)])  # not flags, not comments
            mentioned = [p for p in _mentioned_paths(command) if common.inside(p, path) or common.inside(path, p)]
            if not mkdirs and not mentioned:
                continue
            if not mkdirs:
                return False  # another command uses the folder first
            # A plain mkdir of the folder (or of a folder above it) fails once dockmod has created it.
            if any(not parents and common.inside(path, p) for p, parents in mkdirs):
                return False
            return _first_use_is_mkdir(tree, ins, path)
    return True


def _mentioned_paths(text: str) -> list[str]:
    return [posixpath.normpath(m) for m in re.findall(r"(?<![\w.$}-])/[\w./-]+", text)]


def _first_use_is_mkdir(tree: Dockerfile, run: Run, path: str) -> bool:
    script = _managers.run_script(tree, run)
    if script is None:
        return False
    for command in script.script.commands:
        if any(common.inside(path, w) or common.inside(w, path) for w in command.words if w.startswith("/")):
            return bool(command.argv) and command.argv[0].rsplit("/", 1)[-1] == "mkdir"
    return True

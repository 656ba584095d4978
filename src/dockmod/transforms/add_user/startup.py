"""The start command (CMD and ENTRYPOINT), the scripts it runs and npm's start scripts: programs that need root or
switch user themselves, files they write at start, reinstalls and rebuilds at start, and ports below 1024."""

from __future__ import annotations

import itertools
import posixpath
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Final

from dockmod.context import Context
from dockmod.cst import Cmd, Dockerfile, Entrypoint, Env, Expose, Run, Stage
from dockmod.transforms import _managers, _shell, _stages
from dockmod.transforms._stages import State
from dockmod.transforms.add_user import common, families, ownership


def start_words(tree: Dockerfile, chain: tuple[Stage, ...]) -> list[list[str]]:
    """The start command's commands: an exec-form ENTRYPOINT gets CMD as its arguments, so both together, then
    CMD alone."""
    entry, cmd = common.last(chain, Entrypoint), common.last(chain, Cmd)
    cmd_words = common.argv_of(tree, cmd) if cmd is not None else []
    commands = common.simple_commands(common.argv_of(tree, entry) + cmd_words) if entry is not None else []
    return commands + [c for c in common.simple_commands(cmd_words) if c not in commands]


# Programs that need root at start-up (they switch user themselves, manage services, or bind low ports).
_ROOT_PROGRAMS: Final = frozenset({
    "gosu", "su-exec", "setpriv", "chroot", "runuser", "su", "sudo", "s6-svscan", "s6-setuidgid", "supervisord",
    "cron", "crond", "sshd", "systemd", "service", "nginx", "apache2ctl", "apachectl", "apache2-foreground", "httpd",
    "httpd-foreground", "postfix", "dockerd", "openvpn", "iptables", "rsyslogd", "dnsmasq",
    # Daemons that start as root and drop to their own user, or write root's /run and /var (real builds of
    # lighttpd, varnishd, haproxy, tinyproxy stopped as the new user).
    "lighttpd", "varnishd", "haproxy", "tinyproxy", "squid", "privoxy", "mosquitto", "named", "unbound", "slapd",
    "smbd", "nmbd", "vsftpd", "proftpd", "exim4", "dovecot", "stunnel4", "chronyd", "ntpd", "snmpd", "xinetd",
})  # fmt: skip
# Programs that are not daemons, though the file may install them from packages.
_RUNTIMES: Final = frozenset({"python", "python3", "node", "nodejs", "java", "ruby", "perl", "php", "bash", "sh",
                              "dash", "curl", "wget", "git", "jq", "tini", "dumb-init", "busybox"})  # fmt: skip
# Commands in a start script that need root: switching user, changing owners or system settings (the linker's
# cache in /etc/ld.so.cache, locales, debconf), installing system packages, or Python packages into the system
# site-packages (pip without --user/--target). Spelled with their path too (`/usr/sbin/ldconfig`, `/sbin/ldconfig`),
# and ended by `)` (`$(command -v ldconfig)`): real images stopped at start with both.
_ROOT_WORDS: Final = re.compile(
    r"(?:^|[\s;&|(`])(?:/(?:usr/(?:local/)?)?s?bin/)?(gosu|su-exec|setpriv|chroot|runuser|sudo|s6-setuidgid|"
    r"supervisord|crond?|sshd|chown|useradd|adduser|usermod|groupadd|addgroup|sysctl|setcap|update-ca-certificates|apt-get|apk|su|service|locale-gen|"
    r"dpkg-reconfigure|ldconfig(?![^\n;&|]*\s(?:-p|--print-cache)\b))(?=\s|$|;|\))"
    r"|(?:^|[\s;&|(`])(pip3?\s+install)\b(?![^\n]*--(?:user|target|prefix))"
    r"|(?:^|\s)exec\s+(/init)\b",
    re.MULTILINE,
)
# A package install at start-up (`npm install && npm start`, a bare `yarn`, `pip install` outside the user's own
# site-packages).
_START_INSTALL: Final = re.compile(
    r"(?:^|[\s;&|(])((?:npm|pnpm)\s+(?:install|ci|i|add)\b|yarn(?:\s+(?:install|add)\b|(?=\s*(?:$|&&|;|\|)))"
    r"|(?:python3?\s+-m\s+)?pip3?\s+install\b(?![^\n]*--(?:user|target|prefix))|bundle\s+install\b|composer\s+install\b)",
    re.MULTILINE,
)


_INTERACTIVE: Final = frozenset({"sh", "bash", "ash", "zsh", "irb", "python", "python3", "node", "jshell", "pwsh",
                                 "iex", "ghci", "R", "julia"})  # fmt: skip


def start_command(
    tree: Dockerfile,
    ctx: Context,
    chain: tuple[Stage, ...],
    walked: common.Walk,
    fam: families.Family,
    end: State,
    findings: common.Findings,
) -> set[str]:
    """Read the start command for hazards; return the names of the programs it runs."""
    entry = common.last(chain, Entrypoint)
    cmd = common.last(chain, Cmd)
    if entry is None and cmd is None:
        findings.unsafe.append(
            "the file sets no CMD or ENTRYPOINT: it may build a base or tool image whose users expect root"
        )
        return set()
    commands = start_words(tree, chain)
    for node in (entry, cmd):
        # The start command's own shell (`CMD node app.js >> /var/log/app.log`, `sh -c "echo $$ > /var/run/app.pid
        # && ..."`, `sh -c "update-ca-certificates && exec python app.py"`), read as a start script is (real images
        # failed with "Permission denied" and "Operation not permitted").
        inner = _start_shell(common.argv_of(tree, node)) if node is not None else None
        # (`pip install` there is read below as a reinstall: as the new user pip falls back to a user install)
        held: list[tuple[str, str]] = []
        root = _needs_root(inner, pip=False, held=held) if inner is not None else None
        if root is not None:
            findings.refuse.append(f"the start command runs {root}, which needs root")
        written = _root_write(inner, held) if inner is not None else None
        if written is not None:
            findings.refuse.append(f"the start command writes {written}, which only root may write")
        findings.held += [(f"the start command {what}", path) for what, path in held]
    alone = common.simple_commands(common.argv_of(tree, cmd) if cmd is not None else [])
    if len(alone) == 1 and 0 < len(alone[0]) <= 2:
        program = alone[0][0].rsplit("/", 1)[-1]
        if program in _INTERACTIVE and (len(alone[0]) == 1 or alone[0][1] in ("-a", "-i", "-l")):
            findings.unsafe.append(f"CMD {program} starts an interactive tool: the image may be a base or tool image")
    for words in commands:
        if not words:
            continue
        findings.compiles += [("the start command", what, path) for what, path in _compiled(words, end)]
        program = words[0].rsplit("/", 1)[-1]
        if program in _ROOT_PROGRAMS or program.startswith("php-fpm") or words[0] == "/init":
            findings.refuse.append(f"the start command runs {program}, which needs root")
            continue
        packaged = _packaged(tree, walked, program)
        if packaged is not None:
            # Daemons from the distribution's packages are set up for root: they drop to a user of their own and
            # keep pid files, logs and state in root's /run, /var/log, /var/lib (real builds of lighttpd,
            # varnishd, haproxy, redis-server, tinyproxy, php-fpm and apachectl all stopped as the new user).
            findings.unsafe.append(
                f"the start command runs {program}, installed from the {packaged} packages: a packaged daemon expects "
                "to start as root"
            )
        switch = _switches_itself(ctx, tree, walked, words, end)
        if switch is not None:
            findings.refuse.append(f"the start command switches to another user itself ({switch}), which needs root")
            continue
        start_scripts = _stages.substitute(common.npm_start_scripts(ctx, words), end.env)
        installs = _START_INSTALL.search(" ".join(words)) or _START_INSTALL.search(start_scripts)
        if installs is not None:
            # `CMD npm install && npm start`: the user cannot rewrite the node_modules and lock file root's build
            # wrote (a real image: EACCES), nor the system site-packages.
            findings.unsafe.append(
                f"the start command runs {installs.group(1).strip()}, which rewrites what root's build installed"
            )
        held = []
        in_script = _root_write(start_scripts, held) if start_scripts else None
        if in_script is not None:
            # `"start": "node app.js >> /var/log/app.log"` (a real build: the redirection failed as node).
            findings.refuse.append(f"{' '.join(words[:3])} writes {in_script}, which only root may write")
        findings.held += [(f"{' '.join(words[:3])} {what}", path) for what, path in held]
        if "collectstatic" in words or "collectstatic" in start_scripts:
            _collectstatic_again(tree, walked, findings)
        server = _DEV_SERVERS.search(start_scripts) or _DEV_SERVERS.search(" ".join(words))
        if server is not None and _runs_js(tree, walked, ("install", "build")):
            findings.unsafe.append(
                f"{server.group(0).strip()} keeps its cache in node_modules (.vite, .cache), which a root RUN made"
            )
        if _runs_js(tree, walked, ("build",)):
            # (also through a runner: `npx next start`)
            if re.search(r"(?:^|[\s/])next\s+start\b", f"{' '.join(words)}\n{start_scripts}"):
                findings.unsafe.append("next start writes .next/cache at run time, in a folder a root RUN built")
            build = _START_BUILDS.search(start_scripts)
            if build is not None:
                findings.unsafe.append(
                    f"{' '.join(w for w in words[:3] if not w.startswith('-'))} runs {build.group(0).strip()} first, "
                    "which rewrites the build output a root RUN made"
                )
        # The scripts it runs, and those they run by path in turn (an entrypoint calling scripts/configure.sh that
        # writes /etc: a real build), a few levels down.
        queue = [(script, 0) for script in _stages.start_scripts(words)]
        seen: set[str] = set()
        while queue:
            script, depth = queue.pop(0)
            if script in seen:
                continue
            seen.add(script)
            found = _script_source(tree, ctx, walked, script, end)
            if fam.kind == "node" and script.rsplit("/", 1)[-1] == "docker-entrypoint.sh" and found == "absent":
                continue  # the node image's own entrypoint (not one the Dockerfile copies) only runs node
            if found == "absent":
                if script.endswith(".sh"):
                    findings.unsafe.append(
                        f"the start script {script} is not in the build context dockmod sees; check it does not "
                        "need root"
                    )
                continue
            if found == "unreadable":
                if script.endswith(".sh"):
                    findings.unsafe.append(
                        f"dockmod cannot read the start script {script}; check it does not need root"
                    )
                continue  # a program built in another stage, or not a text file
            code = "\n".join(line for line in found.splitlines() if not line.lstrip().startswith("#"))
            # Paths named by the image's variables (`> "$CONFIG_FILE"`, ENV CONFIG_FILE=/etc/app.conf: a real build).
            code = _stages.substitute(code, end.env)
            if depth < 2:
                queue += [(inner, depth + 1) for inner in _scripts_run_by(code)]
            held = []
            root = _needs_root(code, held=held)
            if root is not None:
                findings.refuse.append(f"the start script {script} runs {root}, which needs root")
                continue
            installs = _START_INSTALL.search(code)
            if installs is not None:
                findings.unsafe.append(
                    f"the start script {script} runs {installs.group(1).strip()}, which rewrites what root's build "
                    "installed"
                )
            written = _root_write(code, held)
            if written is not None:
                findings.refuse.append(f"the start script {script} writes {written}, which only root may write")
            findings.held += [(f"the start script {script} {what}", path) for what, path in held]
            if "collectstatic" in code:
                _collectstatic_again(tree, walked, findings)
            parsed = _shell.split(code)
            for command in parsed.commands if parsed is not None else ():
                compiled = _compiled(_argv(command), end)
                findings.compiles += [(f"the start script {script}", what, path) for what, path in compiled]
            # Named from the working folder or by absolute path (`sed -i ... /usr/src/app/build/config.js`).
            targets = [_from_workdir(t, end.workdir) for t in _write_targets(code)]
            if end.workdir.startswith("/"):
                findings.start_writes += [(f"the start script {script}", _stages.join(end.workdir, t)) for t in targets]
            built = next((t for t in targets if t.split("/", 1)[0] in _BUILD_OUTPUTS), None)
            if built is not None and _runs_js(tree, walked, ("build",)):
                # Runtime configuration written into the bundle (`dist/env.js`, a real build: Permission denied).
                findings.unsafe.append(f"the start script {script} writes {built}, in what a root RUN built")
            in_home = _home_write(code)
            if in_home is not None:
                findings.home_writes.append(f"the start script {script} writes {in_home}")
    return {words[0].rsplit("/", 1)[-1] for words in commands if words}


def _needs_root(code: str, *, pip: bool = True, held: list[tuple[str, str]] | None = None) -> str | None:
    """What a start script, or the start command's own shell, runs that needs root: a command ``_ROOT_WORDS``
    names, or ``chmod``/``chgrp`` of a system path (``chmod 755 /usr/local/bin``; the user's own folders are
    its to change). As the new user they fail and the start stops (real images: "Operation not permitted",
    "cannot lock /etc/passwd", "Can't create temporary cache file /etc/ld.so.cache~"). A command whose failure is
    ignored (``sysctl -w ... || true``) does not count: a real image started as before. ``pip``: whether a
    system-wide ``pip install`` counts. ``held``: where to record a chmod/chgrp of a path the user could be
    given (``chmod -R g+w /opt/lib``, also ``.`` after ``cd /opt/lib``), which needs the user to own it: judged once
    the user's folders are known (real images stopped with "Operation not permitted" on /opt/lib, a root COPY)."""
    script = _shell.split(code)
    commands = script.commands if script is not None else ()
    ignored = [c for c, after in itertools.pairwise(commands) if after.op == "||" and after.argv in (("true",), (":",))]
    for command in reversed(ignored):  # blanked from the end, so that the earlier spans stay where they are
        code = code[: command.start] + " " * (command.end - command.start) + code[command.end :]
    for m in _ROOT_WORDS.finditer(code):
        what = next(g for g in m.groups() if g)
        if pip or not what.startswith("pip"):
            return what
    cwd: str | None = None  # after `cd /abs`; None in the working folder, "" where dockmod cannot tell
    for command in commands:
        argv = _argv(command)
        if argv[:1] == ["cd"]:
            cwd = posixpath.normpath(argv[1]) if len(argv) > 1 and argv[1].startswith("/") else ""
        if command in ignored or not argv or argv[0].rsplit("/", 1)[-1] not in ("chmod", "chgrp"):
            continue
        words = argv[1:]
        while words and _CHMOD_OPTION.fullmatch(words[0]):
            words.pop(0)
        operands = [w for w in words[1:] if not w.startswith("-")]  # after the mode or group (`-w`, `+x` too)
        # Relative operands in the working folder are the user's; after a `cd` they are where it went.
        paths = [posixpath.normpath(p if p.startswith("/") else posixpath.join(cwd or "", p)) for p in operands]
        paths = [p for p in paths if p.startswith("/") and not any(common.inside(p, s) for s in common.SCRATCH)]
        program = argv[0].rsplit("/", 1)[-1]
        path = next((p for p in paths if not common.ownable(p)), None)
        if path is not None:
            return f"{program} on {path}"
        if held is not None:
            held += [(f"runs {program} on {p}", p) for p in paths]
    return None


_CHMOD_OPTION: Final = re.compile(r"-[RfvchHLP]+|--[\w-]+(?:=\S*)?")


def _compiled(words: list[str], end: State) -> list[tuple[str, str]]:
    """(``python -m <module>``, folder) for each folder Python's byte-compilers write ``__pycache__`` into: the
    folders ``compileall`` is given (and those below them), the folder of each file ``py_compile`` is given;
    relative to the working folder. Without a path, ``compileall`` compiles sys.path: of it, the PYTHONPATH
    entries (the standard library and site-packages hold current .pyc files already). The folder is "" when
    dockmod cannot tell it (a variable, ``python -c "...compileall..."``). Wrappers before the program (``timeout
    60``, ``nice -n 10``, ``env X=Y``) are skipped: real images stopped at start with each of these."""
    words, env = _unwrapped(words, end.env)
    program = words[0].rsplit("/", 1)[-1] if words else ""
    if not re.fullmatch(r"python[\d.]*", program):
        return []
    code = next((words[k + 1] for k in range(1, len(words) - 1) if words[k] == "-c"), "")
    if re.search(r"\b(?:compileall|py_compile)\b", code):
        return [("python -c", "")]
    module = next((words[k + 1] for k in range(1, len(words) - 1) if words[k] == "-m"), "")
    if module not in ("compileall", "py_compile"):
        return []
    args = words[words.index(module) + 1 :]
    out: list[tuple[str, str]] = []
    for prev, word in zip(["", *args], args, strict=False):
        if word.startswith("-") or prev in _COMPILEALL_VALUES:
            continue
        path = common.resolve(word, end)
        if path is None:
            out.append((f"python -m {module}", ""))
            continue
        folder = posixpath.dirname(path) if module == "py_compile" or path.endswith(".py") else path
        out.append((f"python -m {module}", folder))
    if module == "compileall" and not out:  # no path given
        for entry in env.get("PYTHONPATH", "").split(":"):
            if entry:
                out.append(("python -m compileall", common.resolve(entry, end) or ""))
    return out


# Programs that run the command after them (with their options, a duration, a niceness, variables).
_COMMAND_WRAPPERS: Final = frozenset({"timeout", "nice", "ionice", "nohup", "exec", "env", "stdbuf", "time",
                                      "command"})  # fmt: skip
_ASSIGNMENT: Final = re.compile(r"([A-Za-z_]\w*)=(.*)", re.DOTALL)


def _unwrapped(words: list[str], env: Mapping[str, str]) -> tuple[list[str], dict[str, str]]:
    """``words`` without the wrappers and variable assignments before the program, and the variables it runs
    with (``PYTHONPATH=/opt/lib python ...``)."""
    words, env = list(words), dict(env)
    while words:
        first = words[0]
        assignment = _ASSIGNMENT.fullmatch(first)
        if assignment is not None:
            env[assignment.group(1)] = assignment.group(2)
        elif first.rsplit("/", 1)[-1] in _COMMAND_WRAPPERS:
            while len(words) > 1 and (words[1].startswith("-") or re.fullmatch(r"\d+(?:\.\d+)?[smhd]?", words[1])):
                words.pop(1)
        else:
            break
        words.pop(0)
    return words, env


# compileall's options that take a value (the word after them is no path).
_COMPILEALL_VALUES: Final = frozenset({"-d", "-s", "-p", "-x", "-i", "-r", "-j", "-o", "-e", "--invalidation-mode"})


def compiled_outside(folders: list[common.Folder], owned: set[str], findings: common.Findings) -> None:
    """Python code compiled at start where the user owns no folder (`python -m compileall -q /opt/lib` of code a
    COPY put there as root): the compiler cannot write __pycache__, and the start stops (a real image:
    PermissionError). The app's own folders are fine (a real image compiled /app as the new user); a tree pip
    already compiled writes nothing, but dockmod cannot tell which those are."""
    for who, what, folder in findings.compiles:
        if not folder:
            findings.unsafe.append(f"{who} runs {what} to compile Python code where dockmod cannot tell")
            return
        if _users(folder, folders, owned) or any(common.inside(folder, s) for s in common.SCRATCH):
            continue
        findings.unsafe.append(f"{who} runs {what} on {folder}, which writes __pycache__ where the user gets no folder")
        return


def held_outside(folders: list[common.Folder], owned: set[str], findings: common.Findings) -> None:
    """A start-up chmod, ``ln`` or ``sed -i`` in a folder the user could be given but is not (``/opt/lib``, COPYed
    as root): as the new user it fails, and the start stops (real images: "Operation not permitted", "Permission
    denied"). Fine in the user's folders and what the file gives the user."""
    for reason, path in findings.held:
        if not _users(path, folders, owned):
            findings.refuse.append(f"{reason}, which the user is not given")
            return


def _users(path: str, folders: list[common.Folder], owned: set[str]) -> bool:
    """Whether the user owns ``path``: inside a folder it is given, or one the file gives it."""
    return any(common.inside(path, f.path) for f in folders) or ownership.covered(path, owned)


def _packaged(tree: Dockerfile, walked: common.Walk, program: str) -> str | None:
    """Which distribution's packages a RUN of the file installs ``program`` from ("Debian", "Alpine": a package of
    that name, or ``varnish`` for ``varnishd``); None when none does."""
    if program in _RUNTIMES or program.startswith(("python", "node")):
        return None
    for ins, _state in walked:
        script = _managers.run_script(tree, ins) if isinstance(ins, Run) else None
        for inv in script.invocations if script is not None else ():
            if inv.manager in ("apt", "apk") and inv.role == "add":
                names = {a.split("=", 1)[0] for a in inv.args if not a.startswith("-")}
                if program in names or program.removesuffix("d") in names:
                    return "Debian" if inv.manager == "apt" else "Alpine"
    return None


# Options with which a server switches to another user itself once started as root.
_USER_OPTIONS: Final[dict[str, frozenset[str]]] = {
    "gunicorn": frozenset({"-u", "--user", "-g", "--group"}),
    "celery": frozenset({"--uid", "--gid"}),
    "uwsgi": frozenset({"--uid", "--gid"}),
}
_UWSGI_USER: Final = re.compile(r"^\s*(uid|gid)\s*=\s*\S", re.MULTILINE)
_GUNICORN_USER: Final = re.compile(r"^\s*(user|group)\s*=\s*\S", re.MULTILINE)


def _switches_itself(ctx: Context, tree: Dockerfile, walked: common.Walk, words: list[str], end: State) -> str | None:
    """How the start command switches to another user itself, if it does: gunicorn's ``--user``/``--group`` (on
    the command line, in ``GUNICORN_CMD_ARGS``, or ``user =`` in its configuration file), celery's ``--uid``/
    ``--gid`` (real builds: "Operation not permitted" as the new user)."""
    names = [w.rsplit("/", 1)[-1] for w in words[:3]]
    program = next((n for n in names if n in _USER_OPTIONS), None)
    if program is None:
        return None
    options = _USER_OPTIONS[program]
    args = list(words) + (end.env.get("GUNICORN_CMD_ARGS", "").split() if program == "gunicorn" else [])
    found = next((a.split("=", 1)[0] for a in args if a.split("=", 1)[0] in options), None)
    if found is not None:
        return f"{program} {found}"
    if program == "gunicorn":
        m = _GUNICORN_USER.search(_gunicorn_config(tree, ctx, walked, list(words), end))
        if m is not None:
            return f"{m.group(1)} in gunicorn's configuration file"
    if program == "uwsgi":
        # (a real image served as app where it had served as www-data)
        variable = next((v for v in ("UWSGI_UID", "UWSGI_GID") if end.env.get(v)), None)
        if variable is not None:
            return f"uwsgi's {variable}"
        ini = next((b for a, b in itertools.pairwise(words) if a == "--ini"), None)
        found_ini = _script_source(tree, ctx, walked, ini, end) if ini is not None else "absent"
        m = _UWSGI_USER.search(found_ini) if found_ini not in ("absent", "unreadable") else None
        if m is not None:
            return f"{m.group(1)} in uwsgi's {ini}"
    return None


def _scripts_run_by(code: str) -> list[str]:
    """The scripts a start script runs by path (``./configure.sh``, ``sh scripts/setup``, ``. ./env.sh``)."""
    script = _shell.split(code)
    out: list[str] = []
    for command in script.commands if script is not None else ():
        argv = _argv(command)
        if argv and argv[0] in (".", "source") and len(argv) > 1:
            argv = ["sh", argv[1]]
        out += _stages.start_scripts(argv)
    return out


def _argv(command: _shell.Command) -> list[str]:
    """A script's command without the shell's keywords before it (``then chown ...``, ``! grep ...``)."""
    argv = list(command.argv)
    while argv and argv[0] in common.KEYWORDS:
        argv.pop(0)
    return argv


def _from_workdir(path: str, workdir: str) -> str:
    """``path`` relative to the working folder when it is inside it (``/app/dist/env.js`` → ``dist/env.js``)."""
    if path.startswith("/") and workdir.startswith("/") and common.inside(path, workdir):
        return posixpath.relpath(posixpath.normpath(path), workdir)
    return path


# Start-script commands that write the paths they are given: the last argument (copies, links), or every one.
_WRITES_LAST: Final = frozenset({"cp", "mv", "ln", "install", "rsync"})
_WRITES_EACH: Final = frozenset({"tee", "touch", "mkdir", "rm", "truncate"})


def _root_write(code: str, held: list[tuple[str, str]] | None = None) -> str | None:
    """The first path a start script writes inside a folder the user never owns (``/etc``, ``/run``, ``/``...).
    ``held``: where to record a write into a folder the user could be given (``ln -sf ... /opt/lib/entry.py``,
    ``sed -i ... /opt/lib/helper.py``, which makes its temporary file there), judged once the user's folders are
    known (real images stopped with "Permission denied" in /opt/lib, a root COPY).

    A start script that configures the system before exec'ing the app (``echo ... > /etc/app.conf``,
    ``cp default.conf /etc/``) fails as the new user: real builds of such images showed the fix called safe
    while the container stopped with "Permission denied".
    """
    for target in _write_targets(code):
        path = posixpath.normpath(target) if target.startswith("/") else None
        if path is None or any(common.inside(path, s) for s in common.SCRATCH):
            continue
        if not common.ownable(posixpath.dirname(path)):
            return path
        if held is not None:
            held.append((f"writes {path}", posixpath.dirname(path)))
    return None


def _home_write(code: str) -> str | None:
    """The first path in the home folder (``~/...``, ``$HOME/...``) a start script writes, if any."""
    return next((t for t in _write_targets(code) if common.TILDE_OR_HOME.match(t)), None)


def _write_targets(code: str) -> list[str]:
    """The paths a script's commands write: redirections, and the operands of cp, mv, mkdir, tee, sed -i..."""
    script = _shell.split(code)
    if script is None:
        return []
    out: list[str] = []
    for command in script.commands:
        words = list(command.words)
        while words and words[0] in common.KEYWORDS:
            words.pop(0)
        targets = _shell.redirection_targets(words)
        args: list[str] = []
        for word in words[1:]:
            if _shell.REDIRECT.fullmatch(word) is not None:
                break  # what follows is the redirection's target or more redirections
            if not word.startswith("-"):
                args.append(word)
        program = words[0].rsplit("/", 1)[-1] if words else ""
        if program in _WRITES_LAST and args:
            targets.append(args[-1])
        elif program in _WRITES_EACH:
            targets += args
        elif program == "sed" and any(w.startswith(("-i", "--in-place")) for w in words):
            # The files it edits; without -e or -f, the first word is the sed script (``/^#/d`` is no path).
            scripted = any(w in ("-e", "-f") or w.startswith(("--expression", "--file")) for w in words)
            targets += args if scripted else args[1:]
        out += targets
    return out


# Options of servers that name a file they write at start-up: pid files and log files (gunicorn, uwsgi, celery...).
# Short spellings of the same, for the programs known to use them (gunicorn's -p, celery's -f and -s).
_SHORT_WRITE_OPTIONS: Final = {
    "gunicorn": frozenset({"-p"}),
    "celery": frozenset({"-f", "-s", "--pidfile"}),
    # pm2's output and error logs (a real build: pm2-runtime stopped with EACCES on /var/log/... and exit status 0)
    "pm2": frozenset({"-o", "-e", "-l", "--output", "--error", "--log"}),
    "pm2-runtime": frozenset({"-o", "-e", "-l", "--output", "--error", "--log"}),
}
_WRITE_OPTIONS: Final = frozenset({"--pid", "--pidfile", "--pid-file", "--log-file", "--logfile", "--logto",
                                   "--access-logfile", "--error-logfile", "--access-log", "--error-log", "--log-path",
                                   "--daemonize", "--schedule", "--statedb", "--uds", "--socket",
                                   "--worker-tmp-dir"})  # fmt: skip


def start_environment(
    tree: Dockerfile, ctx: Context, chain: tuple[Stage, ...], walked: common.Walk, end: State
) -> State:
    """``end`` with the variables the start command's shell sets before the app runs: in its `sh -c` string, in the
    files it sources (`bash -c "source ./env.sh && node server.js"`: a real image's env.sh exported
    LOG=/var/log/app.log, which the app wrote) and in the start scripts it runs."""
    texts: list[str] = []
    for words in start_words(tree, chain):
        inner = _shell.shell_c_script(tuple(words))
        script = _shell.split(inner) if inner is not None else None
        argvs = [c.argv for c in script.commands] if script is not None else [tuple(words)]
        texts += [inner] if inner is not None else []
        paths = [argv[1] for argv in argvs if argv[:1] in (("source",), (".",)) and len(argv) > 1]
        for path in [*paths, *_stages.start_scripts(words)]:
            text = _stages.script_text(tree, walked, path, end.workdir, ctx.build)
            texts += [text] if isinstance(text, str) else []
    env = end.env
    for text in texts:
        script = _shell.split(text)
        env = _stages.shell_variables(script.commands, env) if script is not None else env
    return replace(end, env=env) if env is not end.env else end


def start_writes(
    tree: Dockerfile,
    ctx: Context,
    chain: tuple[Stage, ...],
    walked: common.Walk,
    end: State,
    findings: common.Findings,
) -> list[common.Folder]:
    """Folders the start command names as where it writes (``gunicorn --pid /run/app.pid``): given to the user, or,
    in a folder the user never owns, a reason for advice only (a real build: gunicorn stopped with "Permission
    denied: '/run/tmp...'"). Also read: options kept in a variable (``GUNICORN_CMD_ARGS``) and the files gunicorn's
    configuration names (``pidfile = "/run/gunicorn.pid"``, ``bind = "unix:/run/gunicorn.sock"``)."""
    commands: list[list[str]] = []
    for node in (common.last(chain, Entrypoint), common.last(chain, Cmd)):
        if node is not None:
            commands += common.simple_commands(common.argv_of(tree, node))
    words = [w for command in commands for w in command]
    words += [w for key, value in end.env.items() if key.endswith(("_ARGS", "_OPTS")) for w in value.split()]
    short = frozenset().union(
        *(_SHORT_WRITE_OPTIONS.get(c[0].rsplit("/", 1)[-1], frozenset()) for c in commands if c),
        *(_SHORT_WRITE_OPTIONS.get(w, frozenset()) for c in commands for w in c[1:3]),  # python -m gunicorn
    )
    written: list[tuple[str, str]] = []  # (path, how it is named)
    for prev, word in zip(["", *words], words, strict=False):
        option, eq, value = word.partition("=")
        named = option if eq else prev
        if named not in _WRITE_OPTIONS and named not in _BIND_OPTIONS and named not in short:
            continue
        target = value if eq else word
        if named in _BIND_OPTIONS:
            if not target.startswith("unix:"):
                continue
            target = target.removeprefix("unix:")
        written.append((target, named))
    for command in commands:
        if command and command[0].rsplit("/", 1)[-1] == "gunicorn":
            written += _gunicorn_config_writes(tree, ctx, walked, command, end)
    out: list[common.Folder] = []
    for target, named in written:
        if not target.startswith("/"):
            continue  # relative to the working folder, which the user gets; "-" is standard output
        path = posixpath.normpath(target)
        folder = path if named in ("--worker-tmp-dir", "worker_tmp_dir") else posixpath.dirname(path)
        if any(common.inside(path, s) for s in common.SCRATCH):
            continue
        if common.ownable(folder):
            out.append(common.Folder(folder, "written by the start command"))
        else:
            findings.refuse.append(f"the start command writes {path} ({named}), which only root may write")
    return out


# Options that bind a socket, which may be a file (`--bind unix:/run/gunicorn.sock`).
_BIND_OPTIONS: Final = frozenset({"--bind", "-b"})
# Settings of a gunicorn configuration file that name files it writes.
_GUNICORN_FILES: Final = re.compile(
    r"^\s*(pidfile|errorlog|accesslog|worker_tmp_dir|bind)\s*=\s*[\[(]?\s*[\"']((?:unix:)?/[^\"']*)[\"']", re.MULTILINE
)
_GUNICORN_BIND_PORT: Final = re.compile(r"^\s*bind\s*=\s*[\[(]?\s*[\"'][^\"'/]*:(\d{1,5})[\"']", re.MULTILINE)


def _gunicorn_config_writes(
    tree: Dockerfile, ctx: Context, walked: common.Walk, command: list[str], end: State
) -> list[tuple[str, str]]:
    """What gunicorn's configuration file (``-c``, else ./gunicorn.conf.py, which gunicorn 20+ loads) writes (a
    real build: ``pidfile = "/run/gunicorn.pid"`` in the file stopped it as the new user)."""
    text = _gunicorn_config(tree, ctx, walked, command, end)
    return [(m.group(2).removeprefix("unix:"), m.group(1)) for m in _GUNICORN_FILES.finditer(text)]


def gunicorn_config_file(command: Sequence[str]) -> str | None:
    """The file gunicorn takes its configuration from (``-c``, else ./gunicorn.conf.py, which gunicorn 20+ loads);
    None for a module (``-c python:settings``)."""
    config = next((command[k + 1] for k, w in enumerate(command[:-1]) if w in ("-c", "--config")), None)
    config = config or next((w.split("=", 1)[1] for w in command if w.startswith("--config=")), "gunicorn.conf.py")
    return None if config.startswith("python:") else config


def _gunicorn_config(tree: Dockerfile, ctx: Context, walked: common.Walk, command: list[str], end: State) -> str:
    """The text of gunicorn's configuration file (``gunicorn_config_file``), as far as the copies bring it from the
    build context ("" otherwise)."""
    config = gunicorn_config_file(command)
    if config is None:
        return ""
    found = _stages.context_file(tree, walked, _stages.join(end.workdir, config), ctx.build)
    return (ctx.build.read_text(found) or "") if isinstance(found, str) else ""


def _start_shell(words: list[str]) -> str | None:
    """The shell script a start command runs (`sh -c "..."`, a shell-form CMD), through nested `sh -c`."""
    inner = _shell.shell_c_script(tuple(w for w in words if w.rsplit("/", 1)[-1] not in common.WRAPPERS))
    for _ in range(3):  # `CMD sh -c "..."` in shell form is a shell running a shell
        script = _shell.split(inner) if inner is not None else None
        nested = _shell.shell_c_script(script.commands[0].argv) if script and len(script.commands) == 1 else None
        if nested is None:
            break
        inner = nested
    return inner


def _runs_js(tree: Dockerfile, walked: common.Walk, roles: tuple[str, ...]) -> bool:
    """Whether a RUN of the image installs or builds (``roles``) a JavaScript project: what it writes is root's."""
    for ins, _state in walked:
        if isinstance(ins, Run):
            script = _managers.run_script(tree, ins)
            if script is not None and any(
                i.manager in ("npm", "yarn", "pnpm") and i.role in roles for i in script.invocations
            ):
                return True
    return False


# Build steps a package's start scripts may run before the app: as the new user they rewrite what a root RUN built
# (a real build: `"prestart": "npm run build"` stopped with tsc's "EACCES: permission denied, open 'dist/server.js'").
_START_BUILDS: Final = re.compile(
    r"(?:^|[\s;&|(])(?:(?:npm|pnpm)\s+run\s+build\b|yarn\s+(?:run\s+)?build\b|tsc\b|webpack\b|vite\s+build\b"
    r"|next\s+build\b|nest\s+build\b|babel\b[^;&|]*\s(?:-d|--out-dir)\b|rollup\b|esbuild\b[^;&|]*--outdir)"
)


# Development servers that write their cache under node_modules at start-up (a real build as node logged
# "EACCES: permission denied, mkdir '/app/node_modules/.vite/deps_temp_...'").
_DEV_SERVERS: Final = re.compile(
    r"(?:^|[\s;&|(/])(?:vite(?!\s+(?:build|preview))(?=\s|$)|vite\s+(?:dev|serve)\b|webpack\s+serve\b"
    r"|webpack-dev-server\b|react-scripts\s+start\b|nuxt\s+dev\b|next\s+dev\b)"
)


def _script_source(tree: Dockerfile, ctx: Context, walked: common.Walk, script: str, end: State) -> str:
    """The text of a start script copied from the build context; ``absent`` or ``unreadable`` otherwise."""
    found = _stages.script_text(tree, walked, script, end.workdir, ctx.build)
    return "unreadable" if isinstance(found, _stages.Unreadable) else "absent" if found is None else found


_BUILD_OUTPUTS: Final = frozenset({"dist", "build", ".next", "out", "public"})


def _collectstatic_again(tree: Dockerfile, walked: common.Walk, findings: common.Findings) -> None:
    """The image collects Django's static files again when it starts, into the folder a root RUN collected them in:
    as the new user it cannot replace them (a real build: `collectstatic --clear` failed with PermissionError)."""
    for ins, _state in walked:
        if isinstance(ins, Run) and "collectstatic" in tree.view(ins).args_text:
            findings.unsafe.append(
                f"the image runs collectstatic again at start-up, over the files line {common.line_number(tree, ins)} "
                "collected as root"
            )
            return


def start_ports(tree: Dockerfile, ctx: Context, walked: common.Walk, findings: common.Findings) -> None:
    """Ports below 1024: a non-root process binds them only where the runtime lowers the limit. Variables are
    expanded as the build does (``ENV PORT=$PORT`` from an ARG, ``--bind 0.0.0.0:${PORT:-80}`` in a shell-form CMD:
    real builds of both failed to bind as the new user)."""
    low: set[int] = set()
    for ins, state in walked:
        view = tree.view(ins)
        if isinstance(ins, Expose):
            for word in view.args:
                value = common.resolve_word(word.split("/", 1)[0].split("-", 1)[0], state)
                if value is not None and value.isdigit() and 0 < int(value) < 1024:
                    low.add(int(value))
        elif isinstance(ins, Env):
            for pair in view.pairs:
                value = pair.value.strip("'\"")
                value = common.resolve_word(value, state) or value
                if pair.key.upper() in LISTEN_PORT_VARS and value.isdigit() and 0 < int(value) < 1024:
                    low.add(int(value))
                # The address the app listens on (`LISTEN_ADDR=":80"`, a real image): its port.
                address = re.fullmatch(r"[\w.\[\]:-]*:(\d+)", value) if _LISTEN_ADDRESS.search(pair.key) else None
                if address is not None and 0 < int(address.group(1)) < 1024:
                    low.add(int(address.group(1)))
                # ASP.NET Core's (`ASPNETCORE_URLS=http://+:80`, `ASPNETCORE_HTTP_PORTS=80;8080`): every URL's port on
                # every address (80 or 443 when the URL names none).
                if _DOTNET_URLS.fullmatch(pair.key.upper()):
                    for url in re.split(r"[;,\s]+", value):
                        m = _LISTEN_URL.fullmatch(url)
                        if m is not None:
                            given = int(m["port"] or (443 if m["scheme"] == "https" else 80))
                            low.update([given] if given < 1024 else [])
                        elif url.isdigit() and 0 < int(url) < 1024 and pair.key.upper().endswith("_PORTS"):
                            low.add(int(url))
                # Options kept in a variable (GUNICORN_CMD_ARGS="--bind=0.0.0.0:80"); only option forms, as a
                # bare host:port in a variable is as often a server the app talks to.
                words = value.split()
                for prev, word in zip(["", *words], words, strict=False):
                    port = _port_in(prev, word, options_only=True)
                    if port is not None and 0 < port < 1024:
                        low.add(port)
        elif isinstance(ins, Cmd | Entrypoint):
            inner = _start_shell(list(view.args)) if view.json else None  # `["sh", "-c", "... ${PORT:-93}"]`
            words = inner.split() if inner is not None else list(view.args) if view.json else view.args_text.split()
            if not view.json or inner is not None:  # the shell expands variables, with their defaults
                words = [common.resolve_word(w.strip("'\""), state) or w for w in words]
            for prev, word in zip(["", *words], words, strict=False):
                port = _port_in(prev, word)
                if port is not None and 0 < port < 1024:
                    low.add(port)
            # Servers whose port is their last plain argument, wherever it stands: `http.server --bind 0.0.0.0 80`,
            # `manage.py runserver 80`.
            for k, word in enumerate(words):
                if word in _POSITIONAL_PORT:
                    plain = [w for w in words[k + 1 :] if w.isdigit()]
                    if plain and 0 < int(plain[-1]) < 1024:
                        low.add(int(plain[-1]))
            for command in common.simple_commands(common.argv_of(tree, ins)):
                if command and command[0].rsplit("/", 1)[-1] == "gunicorn":
                    text = _gunicorn_config(tree, ctx, walked, command, state)
                    bound = (int(m.group(1)) for m in _GUNICORN_BIND_PORT.finditer(text))
                    low.update(p for p in bound if 0 < p < 1024)
    if low:
        ports = ", ".join(str(p) for p in sorted(low))
        findings.unsafe.append(
            f"the app listens on port {ports}: a non-root process may bind ports below 1024 only where the runtime "
            "allows it (Docker 20.10+ does; Kubernetes and rootless runtimes usually do not) — move it to a port "
            "of 1024 or above"
        )


# Variables that set the port the app itself listens on (LDAP_PORT, SMTP_PORT... name servers it talks to).
LISTEN_PORT_VARS: Final = frozenset({"PORT", "HTTP_PORT", "HTTPS_PORT", "SERVER_PORT", "LISTEN_PORT", "APP_PORT",
                                      "WEB_PORT", "BIND_PORT", "FLASK_RUN_PORT", "UVICORN_PORT",
                                      "STREAMLIT_SERVER_PORT", "GRADIO_SERVER_PORT"})  # fmt: skip
_LISTEN_ADDRESS: Final = re.compile(
    r"^(?:LISTEN|BIND|ADDR)$|_(?:LISTEN|BIND)(?:_ADDR(?:ESS)?)?$|^(?:LISTEN|BIND)_ADDR", re.I
)
_DOTNET_URLS: Final = re.compile(r"(?:ASPNETCORE_|DOTNET_)?URLS|ASPNETCORE_HTTPS?_PORTS")
_LISTEN_URL: Final = re.compile(r"(?P<scheme>https?)://(?:\*|\+|0\.0\.0\.0|\[::\])(?::(?P<port>\d{1,5}))?/?")
_PORT_FLAG: Final = re.compile(r"--?[\w.-]*(?:port|bind|listen|addr)[\w.-]*", re.IGNORECASE)


# Servers whose port is a plain argument (``python -m http.server 80``), and ``-p`` as most servers spell the port
# option (``http-server -p 80``): a real build showed ``http.server 80`` failing to bind as the new user.
_PORT_ARGUMENT: Final = frozenset({"http.server", "SimpleHTTPServer", "-p", "-l"})  # -l: `serve -l 80`


_POSITIONAL_PORT: Final = frozenset({"http.server", "SimpleHTTPServer", "runserver"})


_SCHEME: Final = r"(?:(?:tcp|ssl|https?)://)?"  # a Rack server's bind URL (`tcp://0.0.0.0:80`)


def _port_in(prev: str, word: str, *, options_only: bool = False) -> int | None:
    if (_PORT_FLAG.fullmatch(prev) or prev in _PORT_ARGUMENT) and word.isdigit():
        return int(word)
    # An address after its option: `--bind 0.0.0.0:80`, gunicorn's `-b :80` (a real build in GUNICORN_CMD_ARGS),
    # puma's `-b tcp://0.0.0.0:80`, unicorn's `-l 0.0.0.0:80`.
    m = re.fullmatch(rf"{_SCHEME}(?:[\w.\[\]*-]*):(\d{{1,5}})", word)
    if m is not None and (_PORT_FLAG.fullmatch(prev) or prev in _BIND_OPTIONS or prev == "-l"):
        return int(m.group(1))
    m = re.fullmatch(rf"(--?[\w.-]+)=(?:{_SCHEME}[\w.\[\]*-]*:)?(\d{{1,5}})", word)  # --listen=*:80, --bind=0.0.0.0:80
    if m is not None and _PORT_FLAG.fullmatch(m.group(1)):
        return int(m.group(2))
    if options_only:
        return None
    m = re.fullmatch(r"(?:\d{1,3}(?:\.\d{1,3}){3}|localhost|\[::\])?:(\d{1,5})", word)
    return int(m.group(1)) if m is not None else None

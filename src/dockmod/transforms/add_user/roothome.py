"""Root's home folder: what the build put in ``/root`` (``pip --user``, Poetry and Pipenv environments, Yarn's PnP
files, browsers and models downloaded at install, ``git`` settings) that the new user cannot reach."""

from __future__ import annotations

import configparser
import json
import posixpath
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Final

from dockmod.context import Context
from dockmod.cst import Add, Cmd, Copy, Dockerfile, Entrypoint, Env, Healthcheck, Run, Workdir
from dockmod.transforms import _managers, _shell, _stages, _yarn
from dockmod.transforms._stages import State
from dockmod.transforms.add_user import common

_EXPLICIT_ROOT: Final = re.compile(r"(?:^|[\s=:'\"])/root(?=/|$|[\s'\":])")


def root_home(tree: Dockerfile, ctx: Context, walked: common.Walk, findings: common.Findings) -> None:
    """Files the build keeps in root's home folder (mode 700): the new user cannot read them."""
    before = len(findings.refuse)
    _root_home_uses(tree, ctx, walked, findings)
    found = findings.refuse[before:]
    if len(found) > 2:
        findings.refuse[before:] = [*found[:2], f"{len(found) - 2} more uses of root's home folder"]


def _root_home_uses(tree: Dockerfile, ctx: Context, walked: common.Walk, findings: common.Findings) -> None:
    poetry_outside_home = False
    pip_config_set: tuple[bool, str] | None = None  # the last `pip config set global.user ...`: (its value, it)
    for k, (ins, state) in enumerate(walked):
        home = state.env.get("HOME", "/root")
        view = tree.view(ins)
        where = f"line {common.line_number(tree, ins)}"
        if isinstance(ins, Run):
            texts = [view.args_text, *(h.content for h in view.heredocs)]
            script = _managers.run_script(tree, ins)
            commands = script.script.commands if script is not None else ()
            for n, command in enumerate(commands):
                argv = command.argv
                tool = argv[0].rsplit("/", 1)[-1] if argv else ""
                text = " ".join(command.words)
                # What echo says and what rm removes may name root's home without using it; what they, or a bare
                # redirection, write there is used (`echo '{...}' > ~/.myapprc`, read by the app from its own
                # home: a real image ran without its settings). Not a file the RUN removes again (`echo
                # "...:_authToken=..." > ~/.npmrc && npm ci && rm ~/.npmrc`): the image does not keep it.
                named = _shell.redirection_targets(command.words) if tool in ("", "rm", "echo") else command.words
                if _in_root_home(" ".join(named), home):
                    gone = _removed_later(script.script, n, home) if script is not None else _never
                    named = [w for w in named if not gone(w)]
                if _in_root_home(" ".join(named), home):
                    findings.refuse.append(
                        f"{where} uses root's home folder ({common.shorten(text)}), which the new user cannot read"
                    )
                elif (user := _pip_user_install(tree, ctx, walked, k, command, home, pip_config_set)) is not None:
                    why = f" ({user})" if user else ""
                    findings.refuse.append(f"{where} installs Python packages with --user into root's home folder{why}")
                elif (setting := _pip_user_setting(argv)) is not None:
                    pip_config_set = (setting, " ".join(argv))
                elif tool in ("pipx",) or argv[:3] == ("uv", "tool", "install"):
                    findings.refuse.append(f"{where} installs tools into root's home folder ({tool})")
                elif tool == "poetry" and argv[1:4] in _POETRY_OUTSIDE_HOME:
                    poetry_outside_home = True
                elif (
                    tool == "poetry"
                    and "install" in argv
                    and not (poetry_outside_home or _poetry_env_ok(state, command))
                ):
                    findings.refuse.append(
                        f"{where}: poetry install creates its virtualenv in root's home folder (set virtualenvs.create "
                        "false or virtualenvs.in-project true)"
                    )
                elif (
                    tool == "pipenv"
                    and {"install", "sync"} & set(argv[1:2])
                    and "--system" not in argv
                    and not _pipenv_env_ok(state, command, home)
                ):
                    # Pipenv's twin of Poetry's: as the new user `pipenv run` made a new, empty virtualenv in its
                    # own home (a real build: ModuleNotFoundError).
                    findings.refuse.append(
                        f"{where}: pipenv {argv[1]} creates its virtualenv in root's home folder (use --system, or "
                        "set PIPENV_VENV_IN_PROJECT=1)"
                    )
                elif tool in ("mvn", "mvnw") and "dependency:build-classpath" in argv and home == "/root":
                    # The classpath it writes names jars in /root/.m2, which the new user cannot read (a real
                    # build: NoClassDefFoundError).
                    findings.refuse.append(f"{where}: dependency:build-classpath points the app at root's ~/.m2")
                elif (tool == "playwright" or argv[1:3] == ("playwright", "install")) and (
                    "PLAYWRIGHT_BROWSERS_PATH" not in state.env
                ):
                    findings.refuse.append(f"{where}: playwright installs its browsers into root's home folder")
            if not commands and any(_EXPLICIT_ROOT.search(t) for t in texts):
                findings.refuse.append(f"{where} uses root's home folder, which the new user cannot read")
        elif isinstance(ins, Env):
            for pair in view.pairs:
                if _EXPLICIT_ROOT.search(pair.value):
                    findings.refuse.append(f"{where} sets {pair.key} to a path in root's home folder")
        elif isinstance(ins, Copy | Add | Workdir):
            target = view.args[-1] if view.args else ""
            # COPY does not expand ``~``; only an explicit /root is root's home.
            if target.startswith("/root/") or target == "/root":
                findings.refuse.append(f"{where} puts files in root's home folder ({target})")
        elif isinstance(ins, Cmd | Entrypoint | Healthcheck):
            text = " ".join(view.args) if view.json else view.args_text
            if _in_root_home(text, home):
                findings.refuse.append(f"{where} runs something from root's home folder")


def _in_root_home(text: str, home: str) -> bool:
    """Whether ``text`` names a path in root's home folder: ``/root/...``, or ``~`` and ``$HOME`` while HOME is it."""
    return bool(_EXPLICIT_ROOT.search(text) or (home == "/root" and common.TILDE_OR_HOME.search(text)))


def _removed_later(script: _shell.Script, n: int, home: str) -> Callable[[str], bool]:
    """Whether a path is one an ``rm`` after ``script.commands[n]`` removes for sure (``~`` and ``$HOME`` read as
    ``home``; an operand may be a pattern: ``rm -f ~/.npmrc*``), itself or, with ``-r``, with a folder above it
    (``rm -rf /root/.config/pip`` after writing ``/root/.config/pip/pip.conf``: a real build ran as before).

    Only what bash surely removes counts, as the file stays in the image otherwise (real images kept ~/.myapprc
    after each of these): an absolute or ``~`` operand (``cd /tmp && rm -rf *`` is not root's home), matched as
    bash matches (``/root/*`` and ``~/*rc`` reach no dotfile), not a quoted pattern (``"/root/*"`` is a literal),
    and an ``rm`` that runs whenever the write did (not after a test, ``[ -n "$CI" ] && rm ...``, not before
    ``|| ...``, nor in a subshell or a group: ``(false && rm ...)``)."""
    if script.compound:
        return _never
    commands = script.commands
    removed: list[tuple[list[str], bool, bool]] = []  # (pattern's components, recursive, only folders)
    for j in range(n + 1, len(commands)):
        c = commands[j]
        if c.argv[:1] not in (("rm",), ("/bin/rm",)) or not _runs_surely(commands, n, j):
            continue
        raw = script.text[c.start : c.end]
        words = c.argv[1:]
        end = words.index("--") if "--" in words else len(words)  # after `--`, a word is an operand
        options = [w for w in words[:end] if w.startswith("-")]
        operands = [w for w in words[:end] if not w.startswith("-")] + list(words[end + 1 :])
        recursive = any(o == "--recursive" or (not o.startswith("--") and "r" in o.lower()) for o in options)
        for word in operands:
            parts = _operand_parts(_home_path(word, home), quoted=any(q in raw for q in "'\"\\"))
            if parts is not None:
                removed.append((parts, recursive, word.endswith("/")))

    def gone(path: str) -> bool:
        path = _home_path(path, home)
        if not path.startswith("/"):
            return False
        names = [p for p in posixpath.normpath(path).split("/") if p]
        return any(
            len(names) >= len(parts)
            and (len(names) > len(parts) or not only_folders)
            and (len(names) == len(parts) or recursive)
            and all(_shell.name_matches(part, name) for part, name in zip(parts, names, strict=False))
            for parts, recursive, only_folders in removed
        )

    return gone


def _never(path: str) -> bool:
    return False


_TESTS: Final = frozenset({"[", "[[", "test", "false", "!"})


def _runs_surely(commands: Sequence[_shell.Command], n: int, j: int) -> bool:
    """Whether ``commands[j]`` runs whenever ``commands[n]`` did: each is joined to the one before by ``&&``, ``;``
    or a new line (a failure stops the build), none of those joined by ``&&`` before it is a test, and no ``||``
    (nor a pipe or ``&``) follows it."""
    if any(commands[k].op not in ("&&", ";", "\n") for k in range(n + 1, j + 1)):
        return False
    if j + 1 < len(commands) and commands[j + 1].op not in ("&&", ";", "\n"):
        return False
    k = j
    while k > 0 and commands[k].op == "&&":
        before = commands[k - 1]
        if (before.argv[:1] or ("",))[0].rsplit("/", 1)[-1] in _TESTS or before.words[:1] == ("!",):
            return False
        k -= 1
    return True


def _operand_parts(word: str, *, quoted: bool) -> list[str] | None:
    """The components of an absolute ``rm`` operand, or None when dockmod cannot tell what it removes: a relative
    path (its folder may be anything), a variable or brace left in it, or a pattern in a command with quotes or
    backslashes (the splitter unquotes words, and a quoted ``*`` is a literal)."""
    if not word.startswith("/") or any(ch in word for ch in "$`{"):
        return None
    pattern = _shell.is_pattern(word)
    if pattern and quoted:
        return None
    parts = [p for p in (word if pattern else posixpath.normpath(word)).split("/") if p]
    if pattern and any(p in (".", "..") for p in parts):
        return None
    return parts


def _home_path(word: str, home: str) -> str:
    return re.sub(r"^(?:~|\$HOME\b|\$\{HOME\})(?=/|$)", home, word)


def home_downloads(tree: Dockerfile, ctx: Context, walked: common.Walk, findings: common.Findings) -> None:
    """Root RUN lines that run code which keeps downloads in HOME (root's, mode 700): packages that fetch a browser
    at install (puppeteer, cypress), the project's own install scripts, Python scripts that cache models (Hugging
    Face, torch.hub, nltk). As the new user the app looks in its own home and finds nothing (real images: "Could
    not find browser", FileNotFoundError for a model)."""
    for ins, state, command in common.root_commands(tree, walked, _CODE_RUNNERS):
        home = state.env.get("HOME", "/root")
        if home != "/root":
            continue
        argv = command.argv
        tool = argv[0].rsplit("/", 1)[-1] if argv else ""
        where = f"line {common.line_number(tree, ins)}"
        if tool in ("npm", "yarn", "pnpm") and (len(argv) == 1 or argv[1] in ("ci", "install", "i", "add")):
            found = _node_home_downloads(tree, ctx, walked, state)
            if found is not None:
                findings.unsafe.append(f"{where}: {tool} {found} (root's: the new user's has none of it)")
        elif (
            tool == "uv"
            and _uv_link_mode(argv, env := {**state.env, **command.assignments}) == "symlink"
            and not ("UV_CACHE_DIR" in env or "--cache-dir" in " ".join(argv))
        ):
            # Installed files are links into uv's cache in root's home (mode 700): a real image's `import six` failed
            # as the new user with ModuleNotFoundError.
            findings.unsafe.append(
                f"{where} installs with uv's symlink link mode: the installed files point into root's home folder"
            )
        elif tool.startswith("python") and len(argv) > 1:
            code: str | _stages.Unreadable | None = None
            if argv[1] == "-c" and len(argv) > 2:
                code = argv[2]
            elif argv[1].endswith(".py"):
                code = _stages.script_text(tree, walked, common.from_cwd(argv[1]), state.workdir, ctx.build)
            if isinstance(code, str) and _PY_HOME.search(code) and not _HOME_CACHE_SET.intersection(state.env):
                findings.unsafe.append(
                    f"{where} runs {common.shorten(' '.join(argv[:2]))}, which keeps what it downloads in root's home "
                    "folder"
                )


def _uv_link_mode(argv: Sequence[str], env: Mapping[str, str]) -> str | None:
    """The link mode a uv command installs with: its `--link-mode` option, or UV_LINK_MODE."""
    return _managers.option_value(tuple(argv), ("--link-mode",)) or env.get("UV_LINK_MODE")


def _node_home_downloads(tree: Dockerfile, ctx: Context, walked: common.Walk, state: State) -> str | None:
    text = ctx.build.read_text("package.json")
    try:
        package = json.loads(text) if text else {}
    except ValueError:
        return None
    if not isinstance(package, dict):
        return None
    for key in ("dependencies", "devDependencies", "optionalDependencies"):
        deps = package.get(key)
        for name, variable in _BROWSER_DOWNLOADERS.items():
            if isinstance(deps, dict) and name in deps and not any(v in state.env for v in variable):
                return f"installs {name}, which downloads its browser into ~/.cache"
    scripts = package.get("scripts")
    for hook in ("preinstall", "install", "postinstall", "prepare"):
        line = scripts.get(hook) if isinstance(scripts, dict) else None
        if not isinstance(line, str):
            continue
        for m in re.finditer(r"\bnode\s+([\w./-]+\.[cm]?js)\b", line):
            code = _stages.script_text(tree, walked, common.from_cwd(m.group(1)), state.workdir, ctx.build)
            if isinstance(code, str) and _JS_HOME.search(code):
                return f"runs the {hook} script {m.group(1)}, which writes into the home folder"
    return None


_CODE_RUNNERS: Final = re.compile(r"\b(?:npm|yarn|pnpm|python[\d.]*|uv)\b")
# Packages that download a browser into ~/.cache at install, and the variables that send it elsewhere.
_BROWSER_DOWNLOADERS: Final = {
    "puppeteer": ("PUPPETEER_CACHE_DIR", "PUPPETEER_SKIP_DOWNLOAD", "PUPPETEER_SKIP_CHROMIUM_DOWNLOAD"),
    "cypress": ("CYPRESS_CACHE_FOLDER", "CYPRESS_INSTALL_BINARY"),
}
_JS_HOME: Final = re.compile(r"\bhomedir\(|process\.env\.HOME\b|['\"`]~/")
_PY_HOME: Final = re.compile(
    r"expanduser\(|Path\.home\(|from_pretrained\(|snapshot_download\(|hf_hub_download\(|torch\.hub\.|"
    r"nltk\.download\(|SentenceTransformer\(|environ\[['\"]HOME['\"]\]"
)
_HOME_CACHE_SET: Final = frozenset({"HF_HOME", "TRANSFORMERS_CACHE", "HF_HUB_CACHE", "TORCH_HOME", "NLTK_DATA"})


_POETRY_OUTSIDE_HOME: Final = (("config", "virtualenvs.create", "false"), ("config", "virtualenvs.in-project", "true"))


def _poetry_env_ok(state: State, command: _shell.Command) -> bool:
    env = _stages.overlay(state.env, command.assignments)
    create = env.get("POETRY_VIRTUALENVS_CREATE", "").lower()
    in_project = env.get("POETRY_VIRTUALENVS_IN_PROJECT", "").lower()
    return create in ("false", "0") or in_project in ("true", "1") or "POETRY_VIRTUALENVS_PATH" in env


def yarn_pnp_in_root_home(tree: Dockerfile, ctx: Context, walked: common.Walk) -> str | None:
    """Yarn 4 with Plug'n'Play (its default linker) and its global cache (its default): a root install leaves the
    packages in /root/.yarn/berry/cache, where the app loads them from at run time and the new user cannot (a real
    build: "Required package exists but could not be accessed")."""
    for k, (ins, state) in enumerate(walked):
        if not isinstance(ins, Run) or state.env.get("HOME", "/root") != "/root":
            continue
        if state.user is not None and state.user.split(":", 1)[0] not in common.ROOT_USERS:
            continue
        script = _managers.run_script(tree, ins)
        for inv in script.invocations if script is not None else ():
            if inv.manager != "yarn" or inv.role != "install" or inv.cwd == "?":
                continue

            def read(path: str, end: int = k) -> str | None:
                found = _stages.context_file(tree, walked, path, ctx.build, end=end)
                return ctx.build.read_text(found) if isinstance(found, str) else None

            project = _yarn.find(read, _stages.join(state.workdir, inv.cwd))
            settings = project.settings
            if (
                project.major is not None
                and project.major >= 4
                and settings.get("enableGlobalCache", "true").lower() in ("true", "1")
                and "globalFolder" not in settings
                and settings.get("nodeLinker", "pnp") == "pnp"
            ):
                return (
                    f"line {common.line_number(tree, ins)}: Yarn {project.major} with Plug'n'Play keeps the packages "
                    "in root's home folder (~/.yarn/berry/cache), where the app loads them from at run time"
                )
    return None


# git subcommands that do not read the repository they run in.
_GIT_WITHOUT_REPO: Final = frozenset({"clone", "init", "config", "version", "--version", "help", "ls-remote"})


def git_after_copy(tree: Dockerfile, ctx: Context, walked: common.Walk) -> str | None:
    """Why giving the copied sources to the user breaks a later root RUN: git (2.35.2 and later) refuses a
    repository another user owns ("detected dubious ownership", a real build of `git describe` after the COPY got
    --chown). Only when the context's .git reaches the image."""
    if not ctx.build.exists(".git") or ctx.build.ignored(".git"):
        return None
    copied = False
    for ins, _state in walked:
        if isinstance(ins, Copy | Add):
            view = tree.view(ins)
            copied = copied or (view.flag("from") is None and any(a.rstrip("/") in (".", "") for a in view.args[:-1]))
        elif copied and isinstance(ins, Run):
            script = _managers.run_script(tree, ins)
            for command in script.script.commands if script is not None else ():
                argv = [w for w in command.argv if not w.startswith("-")]
                if argv and argv[0].rsplit("/", 1)[-1] == "git" and argv[1:2] and argv[1] not in _GIT_WITHOUT_REPO:
                    return (
                        f"line {common.line_number(tree, ins)} runs git {argv[1]} as root in the copied repository, "
                        "which the fix gives to the user: git refuses a repository another user owns (safe.directory)"
                    )
    return None


def _pip_arguments(argv: tuple[str, ...]) -> tuple[str, ...] | None:
    """The arguments of a pip command (``pip``, ``pip3``, ``python -m pip``); None for other commands."""
    tool = argv[0].rsplit("/", 1)[-1] if argv else ""
    if tool.startswith("python") and argv[1:3] == ("-m", "pip"):
        return argv[3:]
    return argv[1:] if tool.startswith("pip") else None


def _pip_user_install(
    tree: Dockerfile,
    ctx: Context,
    walked: common.Walk,
    k: int,
    command: _shell.Command,
    home: str,
    pip_config_set: tuple[bool, str] | None,
) -> str | None:
    """``pip install --user`` (also ``python -m pip``, ``PIP_USER=1``, ``user = true`` in pip's configuration) as
    root at ``walked[k]``, into root's home folder: as the new user Python looks for them in its own (a real build:
    ModuleNotFoundError). A PYTHONUSERBASE elsewhere is read. None when it is not one; else where the configuration
    sets it ("" for the option and the variable)."""
    rest = _pip_arguments(command.argv)
    if rest is None or "install" not in rest:
        return None
    env = _stages.overlay(walked[k][1].env, command.assignments)
    base = env.get("PYTHONUSERBASE", "")
    if home != "/root" or (base.startswith("/") and not base.startswith("/root")):
        return None
    if "--user" in rest:
        return ""
    # PIP_USER overrides the configuration files, as pip reads its variables last.
    if "PIP_USER" in env:
        return "" if env["PIP_USER"].lower() in _TRUE else None
    return _pip_configured_user(tree, ctx, walked, k, env, pip_config_set)


_TRUE: Final = frozenset({"1", "true", "yes", "on"})


def _pip_user_setting(argv: tuple[str, ...]) -> bool | None:
    """What ``pip config set global.user true`` (or ``install.user``, in any of pip's files: ``--global``,
    ``--user``, ``--site``) sets pip's user option to; False for an ``unset``; None for other commands."""
    rest = _pip_arguments(argv)
    words = [w for w in rest or () if not w.startswith("-")]
    if words[:1] != ["config"] or words[2:3] not in (["global.user"], ["install.user"]):
        return None
    if words[1] == "set" and len(words) > 3:
        return words[3].lower() in _TRUE
    return False if words[1] == "unset" else None


def _pip_configured_user(
    tree: Dockerfile,
    ctx: Context,
    walked: common.Walk,
    end: int,
    env: Mapping[str, str],
    pip_config_set: tuple[bool, str] | None,
) -> str | None:
    """Where pip's configuration turns on ``user`` for an install at ``walked[end]``: the last ``pip config set``
    (it writes the user's file, read after the system's), else a pip.conf the copies above put where pip reads one
    (``COPY pip.conf /etc/pip.conf`` with ``user = true`` in ``[global]`` or ``[install]``: a real build installed
    into /root/.local, and the app as the new user stopped with ModuleNotFoundError). None when it is off."""
    if pip_config_set is not None:
        return pip_config_set[1] if pip_config_set[0] else None
    found = None
    for path in _managers.pip_config_files(env):
        source = _stages.context_file(tree, walked, path, ctx.build, end=end)
        value = _pip_conf_user(ctx.build.read_text(source) or "") if isinstance(source, str) else None
        if value is not None:
            found = f"user = true in {path}" if value else None  # a later file overrides an earlier one
    return found


def _pip_conf_user(text: str) -> bool | None:
    """The ``user`` setting of a pip.conf for installs (``[install]`` overrides ``[global]``); None when unset."""
    parser = configparser.RawConfigParser(strict=False)
    try:
        parser.read_string(text)
    except configparser.Error:
        return None
    for section in ("install", "global"):
        if parser.has_option(section, "user"):
            return parser.get(section, "user").strip().lower() in _TRUE
    return None


def _pipenv_env_ok(state: State, command: _shell.Command, home: str) -> bool:
    """Whether Pipenv's virtualenv goes somewhere else than root's home: into the project, or a WORKON_HOME there."""
    env = _stages.overlay(state.env, command.assignments)
    in_project = env.get("PIPENV_VENV_IN_PROJECT", "").lower() in ("1", "true", "yes")
    workon = env.get("WORKON_HOME", "")
    return in_project or (workon.startswith("/") and not workon.startswith("/root")) or home != "/root"

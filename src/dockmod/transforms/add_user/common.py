"""What the add-user modules share: the walk of the final stage, the plan's records (the account, the folders
given, the findings), and helpers for lines, paths and start commands."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Final

from dockmod import imageref
from dockmod.context import Context
from dockmod.cst import Dockerfile, Instruction, Run, Stage
from dockmod.transforms import _managers, _shell, _stages
from dockmod.transforms._stages import State

# The instructions of the final stage and the stages it builds on, each with the state it runs in.
Walk = Sequence[tuple[Instruction, State]]

ROOT_USERS: Final = frozenset({"root", "0"})


@dataclass(frozen=True, slots=True)
class Account:
    """The user the final stage will run as."""

    user: str  # the USER argument
    owner: str  # ``--chown``/``chown`` owner (user or user:group)
    create: str | None  # the shell command that creates it, when dockmod creates it
    created_by: Run | None  # the file's RUN that creates it, when the file does
    label: str  # for messages
    home: bool = True  # whether the user has a home folder it can write

    @property
    def name(self) -> str:
        return self.owner.split(":", 1)[0]


@dataclass(frozen=True, slots=True)
class Folder:
    path: str
    why: str  # "the working folder", "a VOLUME", "created by mkdir"...


@dataclass
class Findings:
    refuse: list[str] = field(default_factory=list)  # display-only reasons
    unsafe: list[str] = field(default_factory=list)
    home_writes: list[str] = field(default_factory=list)  # "the start script x writes ~/y": needs a home folder
    # (who, what, folder): Python compiles into the folder at start (its __pycache__), judged once the user's
    # folders are known.
    compiles: list[tuple[str, str, str]] = field(default_factory=list)
    # (reason, path): a start-up change of a path the user could be given (`chmod -R g+w /opt/lib`, `sed -i` or
    # `ln -sf` into it), refused once the user's folders are known unless the user owns ``path``.
    held: list[tuple[str, str]] = field(default_factory=list)
    # (who, path): what the start scripts write, absolute (`sed -i ... www/index.html` from /app is
    # /app/www/index.html), judged against what root's build steps made (``appcode.build_scripts``).
    start_writes: list[tuple[str, str]] = field(default_factory=list)


# -- paths --------------------------------------------------------------------------------------------------


def inside(path: str, folder: str) -> bool:
    return folder in (path, "/") or path.startswith(folder.rstrip("/") + "/")


def resolve_word(word: str, state: State) -> str | None:
    if "$" not in word:
        return word
    expansion = imageref.expand_variables(word, dict(state.env))
    return expansion.text if expansion.resolved else None


def resolve(word: str, state: State) -> str | None:
    """An absolute path for ``word`` (variables from ENV/ARG, relative to WORKDIR); None when unknown."""
    value = resolve_word(word, state)
    if value is None or not value or value.startswith("~"):
        return None
    path = _stages.join(state.workdir, value)
    return None if path.startswith(_stages.UNKNOWN_DIR) else path


def copy_destination(tree: Dockerfile, ins: Instruction, state: State) -> str | None:
    args = tree.view(ins).args
    if len(args) < 2:
        return None
    return resolve(args[-1], state)


SCRATCH: Final = ("/tmp", "/var/tmp", "/dev", "/proc")

# Folders that are never given to the app's user: the file system's own structure and system trees.
_SYSTEM_FOLDERS: Final = frozenset({
    "/", "/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib32", "/lib64", "/libx32", "/media", "/mnt", "/opt",
    "/proc", "/root", "/run", "/sbin", "/sys", "/tmp", "/usr", "/var", "/var/lib", "/var/log", "/var/cache",
    "/var/run", "/var/tmp", "/var/spool", "/var/www", "/var/mail", "/var/opt", "/usr/local", "/usr/src",
})  # fmt: skip

_SYSTEM_TREES: Final = ("/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/libx32", "/proc", "/root",
                        "/sbin", "/sys", "/var/lib/apt", "/var/lib/dpkg", "/var/cache/apt", "/var/cache/apk",
                        "/var/cache/debconf", "/var/lib/apk")  # fmt: skip

_USR_STANDARD: Final = frozenset({"bin", "lib", "lib64", "libexec", "sbin", "include", "share", "etc", "man",
                                  "games", "libx32", "lib32"})  # fmt: skip


def ownable(path: str) -> bool:
    """Whether ``path`` may be given to the app's user: an absolute folder outside the system's own."""
    if not path.startswith("/") or path in _SYSTEM_FOLDERS:
        return False
    if any(inside(path, t) for t in _SYSTEM_TREES):
        return False
    if path.startswith("/usr/"):
        parts = path.split("/")
        # /usr/src/app and /usr/local/app are app folders; /usr/bin, /usr/local/lib... are not.
        return len(parts) >= 4 and parts[2] in ("src", "local") and parts[3] not in _USR_STANDARD
    return True


TILDE_OR_HOME: Final = re.compile(r"(?:^|[\s=:'\"])~(?=/|$|\s)|\$\{?HOME\b")


def from_cwd(path: str) -> str:
    """A file an interpreter runs: relative to the working folder, never looked up in PATH."""
    return path if "/" in path else f"./{path}"


# -- lines and commands -------------------------------------------------------------------------------------


def line_number(tree: Dockerfile, node: Instruction) -> int:
    return tree.source_lines().get(node, (0, 0))[0]


def last(chain: Sequence[Stage], cls: type[Instruction]) -> Instruction | None:
    found = None
    for stage in chain:
        for ins in stage.body:
            if isinstance(ins, cls):
                found = ins
    return found


def root_commands(
    tree: Dockerfile, walked: Walk, hint: re.Pattern[str], *, anyone: bool = False
) -> Iterator[tuple[Run, State, _shell.Command]]:
    """The commands of the RUN lines that run as root (as any user, with ``anyone``) and whose text ``hint`` finds
    (most RUN lines stop there)."""
    for ins, state in walked:
        if not isinstance(ins, Run):
            continue
        if not anyone and state.user is not None and state.user.split(":", 1)[0] not in ROOT_USERS:
            continue
        if hint.search(tree.view(ins).args_text) is None:
            continue
        script = _managers.run_script(tree, ins)
        for command in script.script.commands if script is not None else ():
            yield ins, state, command


WRAPPERS: Final = frozenset({"tini", "dumb-init", "exec", "env", "catatonit", "--"})

KEYWORDS: Final = frozenset({"then", "else", "elif", "do", "!", "{", "("})


def argv_of(tree: Dockerfile, node: Instruction) -> list[str]:
    view = tree.view(node)
    if view.json:
        return list(view.args)
    return ["sh", "-c", view.args_text]


def simple_commands(argv: list[str]) -> list[list[str]]:
    """The simple commands a start command runs: wrappers skipped, ``sh -c`` scripts split."""
    words = list(argv)
    while words and (words[0].rsplit("/", 1)[-1] in WRAPPERS or (words[0].startswith("-") and len(words) > 1)):
        words.pop(0)
    if not words:
        return []
    inner = _shell.shell_c_script(tuple(words))
    if inner is None:
        return [words]
    script = _shell.split(inner)
    if script is None:
        return [words]
    out: list[list[str]] = []
    for command in script.commands:
        out += simple_commands(list(command.argv))
    return out


# A package script running another: `npm run x`, `npm start`, `yarn x`, `pnpm run x`.
_RUN_SCRIPT: Final = re.compile(r"\b(?:npm|pnpm|yarn|bun)\s+(?:run(?:-script)?\s+)?([\w:.-]+)")


def npm_start_scripts(ctx: Context, words: list[str]) -> str:
    """The scripts ``npm start`` or ``npm run dev`` (``yarn dev``, ``pnpm start``) runs, from package.json: the
    script with its pre- and post- scripts (one per line); "" for other commands or when the file cannot be read."""
    tool = words[0].rsplit("/", 1)[-1]
    args = [w for w in words[1:] if not w.startswith("-")]
    if tool not in ("npm", "yarn", "pnpm") or not args:
        return ""
    name = args[1] if args[0] in ("run", "run-script") and len(args) > 1 else args[0]
    if tool == "npm" and args[0] not in ("start", "run", "run-script"):
        return ""  # npm runs a package script only through start and run
    text = ctx.build.read_text("package.json")
    if not text:
        return ""
    try:
        scripts = json.loads(text).get("scripts", {})
    except (ValueError, AttributeError):
        return ""
    if not isinstance(scripts, dict):
        return ""
    # With the scripts they run in turn (`"start": "npm run logs:init && node server.js"`, where logs:init wrote
    # /var/log: a real build), a few levels down.
    texts: list[str] = []
    queue, seen = [(name, 0)], set()
    while queue:
        current, depth = queue.pop(0)
        if current in seen:
            continue
        seen.add(current)
        for key in (f"pre{current}", current, f"post{current}"):
            text = scripts.get(key)
            if not isinstance(text, str):
                continue
            texts.append(text)
            if depth < 3:
                queue += [(m.group(1), depth + 1) for m in _RUN_SCRIPT.finditer(text) if m.group(1) in scripts]
    return "\n".join(texts)


def shorten(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."

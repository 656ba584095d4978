"""Just enough POSIX shell to find and split the commands of a RUN line.

The splitter never executes or expands anything. It cuts a script into simple commands at ``&&``, ``||``,
``;``, ``|``, ``&`` and newlines, outside quotes, ``$(...)``, backticks and brackets, and unquotes each
command's words. Anything it does not understand makes the script "opaque", and callers leave it alone.
"""

from __future__ import annotations

import fnmatch
import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

Operator = Literal["", "&&", "||", ";", "|", "&", "\n"]

# Words that open or close compound commands: a chain containing them is not a flat list of commands.
COMPOUND: Final = frozenset(
    {
        "if",
        "then",
        "else",
        "elif",
        "fi",
        "for",
        "while",
        "until",
        "do",
        "done",
        "case",
        "esac",
        "{",
        "}",
        "(",
        ")",
    }
)


@dataclass(frozen=True, slots=True)
class Command:
    """One simple command: its words (unquoted), its span in the script, and the operator before it."""

    words: tuple[str, ...]
    start: int
    end: int  # exclusive; trailing blanks excluded
    op: Operator  # the operator that joins it to the previous command ("" for the first)

    @property
    def argv(self) -> tuple[str, ...]:
        """The words after leading ``VAR=value`` assignments and wrappers such as ``sudo`` or ``env``."""
        first = self.words[0] if self.words else ""
        if "=" not in first and first not in _WRAPPERS:
            return self.words  # nothing to skip: the common case, and transforms ask often
        return self._unwrapped()[1]

    @property
    def assignments(self) -> dict[str, str]:
        """The variables the command runs with besides the shell's: its leading ``VAR=value`` words and those an
        ``env`` wrapper sets (`env PIP_CONSTRAINT=c.txt pip install ...`: a real build lost the file pip read)."""
        return self._unwrapped()[0]

    def _unwrapped(self) -> tuple[dict[str, str], tuple[str, ...]]:
        """(the variables set before the program, the words from the program on)."""
        assigned: dict[str, str] = {}
        words = list(self.words)
        while words:
            w = words[0]
            if _is_assignment(w):
                name, _, value = words.pop(0).partition("=")
                assigned[name] = value
            elif w == "env":
                words.pop(0)
                words = _env_options(words)
                while words and _is_assignment(words[0]):
                    name, _, value = words.pop(0).partition("=")
                    assigned[name] = value
            elif w in _WRAPPERS:
                words.pop(0)
                while words and words[0].startswith("-"):
                    name = words.pop(0).partition("=")[0]
                    if name in _WRAPPER_VALUES.get(w, ()) and words:
                        words.pop(0)  # `nice -n 10`, `timeout -s KILL`
                if w == "timeout" and words:
                    words.pop(0)  # the duration (`timeout 300 sh scripts/tools.sh`: a real build ran the script)
            else:
                break
        return assigned, tuple(words)

    @property
    def runs(self) -> tuple[str, ...]:
        """``argv``, also for a command inside a compound command: after the reserved words before it (`then rm -rf
        /root/.npm` runs rm, `if grep -q x f` runs grep)."""
        skipped = 0
        while skipped < len(self.words) and self.words[skipped] in _BEFORE_COMMAND:
            skipped += 1
        return Command(self.words[skipped:], self.start, self.end, self.op).argv if skipped else self.argv


_WRAPPERS: Final = frozenset(
    {"sudo", "env", "time", "nice", "nohup", "exec", "command", "xargs", "timeout", "stdbuf", "setsid", "ionice",
     "eatmydata"}
)  # fmt: skip
# Wrappers' options that take the next word as their value. Not sudo's: `sudo -u app npm ci` runs as another user,
# which the transforms read from the words themselves (its argv stays `app npm ci`, no install of root's).
_WRAPPER_VALUES: Final[dict[str, frozenset[str]]] = {
    "nice": frozenset({"-n", "--adjustment"}),
    "timeout": frozenset({"-s", "--signal", "-k", "--kill-after"}),
    "stdbuf": frozenset({"-i", "-o", "-e"}),
    "ionice": frozenset({"-c", "-n", "-p"}),
    "xargs": frozenset({"-I", "-n", "-P", "-d", "-E", "-L", "-s", "-a"}),
}


def _env_options(words: list[str]) -> list[str]:
    """``words`` after env's options, as GNU env reads them: `-S STRING`'s string split into words in their place,
    its options read on. Real builds lost the constraints file `PIP_CONSTRAINT=...` named in `env -S"..."`,
    `env -u X -S '...'`, `-S 'A=x\\_B=y'` and `-S 'A="x"'`."""
    words = list(words)
    while words and words[0].startswith("-") and words[0] != "-":
        word = words.pop(0)
        if word == "--":
            break
        if word.startswith("--"):
            name, eq, value = word.partition("=")
            if name not in ("--unset", "--chdir", "--split-string"):
                continue
            if not eq:
                if not words:
                    break
                value = words.pop(0)
            if name == "--split-string":
                words = [*split_string(value), *words]
            continue
        for k in range(1, len(word)):  # a cluster of short options (`-iS...`)
            if word[k] in "uCS":
                value = word[k + 1 :]
                if not value and words:
                    value = words.pop(0)
                if word[k] == "S":
                    words = [*split_string(value), *words]
                break
    if words[:1] == ["-"]:
        words.pop(0)  # `env -`: -i
    return words


def split_string(text: str) -> list[str]:
    """The words GNU env's `-S` makes of ``text``: blanks separate them, single and double quotes are removed
    (backslash escapes inside double quotes and `\\'`/`\\\\` inside single ones), `\\_` separates words (a space inside
    quotes), `\\c` ends the string, `#` starting a word starts a comment. `${VAR}` is kept as written."""
    out: list[str] = []
    cur: list[str] = []
    started = False  # a word is open (`''` makes an empty one)
    quote = ""
    i = 0
    while i < len(text):
        c = text[i]
        i += 1
        if quote == "'" and c != "'":
            if c == "\\" and text[i : i + 1] in ("\\", "'"):
                c = text[i]
                i += 1
            cur.append(c)
        elif c in " \t\n\v\f\r" and not quote:
            if started:
                out.append("".join(cur))
            cur, started = [], False
        elif c == "#" and not started and not quote:
            break
        elif c in "'\"" and (not quote or c == quote):
            quote = "" if quote else c
            started = True
        elif c == "\\" and i < len(text):
            e = text[i]
            i += 1
            if e == "c" and not quote:
                break
            if e == "_" and not quote:
                if started:
                    out.append("".join(cur))
                cur, started = [], False
            else:
                cur.append(" " if e == "_" else _ENV_ESCAPES.get(e, e))
                started = True
        else:
            cur.append(c)
            started = True
    if started:
        out.append("".join(cur))
    return out


_ENV_ESCAPES: Final = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v"}


def program_words(words: Sequence[str]) -> tuple[str, ...]:
    """``words`` from the program on: leading ``VAR=value`` words and wrappers skipped (``Command.argv`` for a
    command given as words: `env NODE_ENV=production nodejs server.js` runs nodejs)."""
    return Command(tuple(words), 0, 0, "").argv


def _is_assignment(word: str) -> bool:
    name, eq, _ = word.partition("=")
    return bool(eq) and bool(name) and (name[0].isalpha() or name[0] == "_") and name.replace("_", "a").isalnum()


# Commands that set shell variables for the commands after them (`export D=/x`), as their operands say.
_DECLARES: Final = frozenset({"export", "readonly", "declare", "typeset", "local"})
# Reserved words that may come before a command's first word (`then D=/x`, `do rm -rf "$d"`), and those that also
# start a condition (`if grep -q x f`).
_LEADING_KEYWORDS: Final = frozenset({"then", "else", "elif", "do", "!", "{"})
_BEFORE_COMMAND: Final = _LEADING_KEYWORDS | {"if", "while", "until"}


def variables_set(command: Command) -> list[tuple[str, str]]:
    """The shell variables ``command`` sets for the commands after it, in order: a bare assignment (`D=/x`, also
    after a reserved word: `then D=/x`) or `export`/`readonly`/`declare`/`local` ones; not `D=/x cmd`, whose D is
    cmd's alone."""
    words = list(command.words)
    while words and words[0] in _LEADING_KEYWORDS:
        words.pop(0)
    if words and words[0] in _DECLARES:
        words = [w for w in words[1:] if not w.startswith(("-", "+"))]
    elif not all(_is_assignment(w) for w in words):
        return []
    return [(name, value) for name, _, value in (w.partition("=") for w in words if _is_assignment(w))]


# Reserved words that open a compound command, start another of its branches, or close it.
_OPENS: Final = frozenset({"if", "while", "until", "for", "case", "select", "{"})
_BRANCHES: Final = frozenset({"else", "elif"})
_CLOSES: Final = frozenset({"fi", "done", "esac", "}"})

Flow = Literal["open", "branch", "close"]


def flow(script: Script) -> tuple[tuple[tuple[Flow, ...], bool], ...]:
    """For each command of ``script``: the compound commands (`if`, `for`, `{ }`, `case`) and subshells (`( )`) that
    open, start another branch (`else`, `elif`, `;;`) or close just before its own words, in order; and whether it
    runs in the shell of its block whenever the block goes on past it: not after an `||` of its list, not in a
    pipeline or in the background (each of those runs in a shell of its own). A variable set in a block or by such a
    command may keep its earlier value after it."""
    out: list[tuple[tuple[Flow, ...], bool]] = []
    commands = script.commands
    either = False  # an `||` earlier in the command's and-or list
    previous = 0
    for k, command in enumerate(commands):
        gap = re.sub(r"#[^\n]*", "", script.text[previous : command.start])  # operators, parentheses, comments
        events: list[Flow] = [
            "branch" if m[0] == ";;" else "open" if m[0] == "(" else "close" for m in re.finditer(r";;|[()]", gap)
        ]
        for word in command.words:
            if word in _OPENS:
                events.append("open")
            elif word in _BRANCHES:
                events.append("branch")
            elif word in _CLOSES:
                events.append("close")
            elif word not in _LEADING_KEYWORDS:
                break
        either = command.op == "||" or (either and command.op in ("&&", "||"))
        piped = command.op == "|" or (k + 1 < len(commands) and commands[k + 1].op in ("|", "&"))
        out.append((tuple(events), not either and not piped))
        previous = command.end
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Script:
    text: str
    commands: tuple[Command, ...]
    compound: bool  # uses if/for/while/case/subshells/groups: not a flat list

    @property
    def flat_and_chain(self) -> bool:
        """Whether the script is ``a && b && c`` (no other operators, no compound commands)."""
        return not self.compound and all(c.op in ("", "&&") for c in self.commands)


@functools.lru_cache(maxsize=4096)
def split(script: str) -> Script | None:
    """Split ``script`` into simple commands; None when quotes or brackets do not balance (memoised)."""
    commands: list[Command] = []
    words: list[str] = []
    word: list[str] = []
    in_word = False
    start = -1
    op: Operator = ""
    compound = False
    i = 0
    n = len(script)
    last_end = 0

    def end_word() -> None:
        nonlocal word, in_word
        if in_word:
            words.append("".join(word))
        word = []
        in_word = False

    def end_command(next_op: Operator) -> None:
        nonlocal words, start, op, compound
        end_word()
        if words:
            if words[0] in COMPOUND or any(w in ("then", "do", "done", "fi", "esac") for w in words):
                compound = True
            commands.append(Command(tuple(words), start, last_end, op))
            op = next_op
        elif next_op in ("&&", "||", "|"):
            op = next_op  # a leading operator after a compound keyword line; keep the strongest link
        words = []
        start = -1

    while i < n:
        ch = script[i]
        if ch in " \t\r":
            end_word()
            i += 1
            continue
        if ch == "\\":
            if i + 1 < n and script[i + 1] == "\n":
                end_word()  # a line continuation inside the script joins words like a blank
                i += 2
                continue
            if start < 0:
                start = i
            word.append(script[i + 1] if i + 1 < n else "")
            in_word = True
            i += 2
            last_end = min(i, n)
            continue
        if ch == "#" and not in_word:
            nl = script.find("\n", i)
            i = n if nl < 0 else nl
            continue
        if ch in "\n;&|":
            two = script[i : i + 2]
            if two in ("&&", "||"):
                end_command(two)  # type: ignore[arg-type]
                i += 2
            elif ch == "|":
                end_command("|")
                i += 1
            elif ch == ";" and two == ";;":
                compound = True
                end_command(";")
                i += 2
            else:
                end_command(ch)  # type: ignore[arg-type]
                i += 1
            continue
        if ch in "()":
            compound = True
            end_word()
            close = script.find(")", i + 1)
            if ch == "(" and len(words) == 1 and close > 0 and not script[i + 1 : close].strip():
                # A function's definition, `clean() { rm -rf /root/.npm; }`: its name is no command, its body's
                # commands are read as the script's (a real build's function removed the cache mount's folder).
                words = []
                start = -1
                i = close + 1
                continue
            i += 1
            continue
        if start < 0:
            start = i
        if ch == "'":
            close = script.find("'", i + 1)
            if close < 0:
                return None
            word.append(script[i + 1 : close])
            in_word = True
            i = close + 1
        elif ch == '"':
            j = _double_quote_end(script, i)
            if j < 0:
                return None
            word.append(_unescape_double(script[i + 1 : j]))
            in_word = True
            i = j + 1
        elif ch == "$" and script.startswith("$(", i):
            j = _matching(script, i + 1, "(", ")")
            if j < 0:
                return None
            word.append(script[i : j + 1])
            in_word = True
            i = j + 1
        elif ch == "`":
            close = script.find("`", i + 1)
            if close < 0:
                return None
            word.append(script[i : close + 1])
            in_word = True
            i = close + 1
        else:
            word.append(ch)
            in_word = True
            i += 1
        last_end = i
    end_command("")
    return Script(script, tuple(commands), compound)


def _double_quote_end(s: str, i: int) -> int:
    j = i + 1
    while j < len(s):
        c = s[j]
        if c == "\\":
            j += 2
            continue
        if c == '"':
            return j
        if s.startswith("$(", j):
            k = _matching(s, j + 1, "(", ")")
            if k < 0:
                return -1
            j = k + 1
            continue
        j += 1
    return -1


def _unescape_double(body: str) -> str:
    out = []
    i = 0
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body) and body[i + 1] in '$`"\\\n':
            out.append(body[i + 1])
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def _matching(s: str, i: int, open_: str, close: str) -> int:
    depth = 0
    j = i
    while j < len(s):
        c = s[j]
        if c == "\\":
            j += 2
            continue
        if c == "'":
            k = s.find("'", j + 1)
            if k < 0:
                return -1
            j = k + 1
            continue
        if c == '"':
            k = _double_quote_end(s, j)
            if k < 0:
                return -1
            j = k + 1
            continue
        if c == open_:
            depth += 1
        elif c == close:
            depth -= 1
            if depth == 0:
                return j
        j += 1
    return -1


def name_matches(part: str, name: str) -> bool:
    """Whether one path component ``name`` matches the pattern component ``part`` as bash's patterns do: ``*``,
    ``?`` and ``[...]`` never match ``/`` (components are matched one by one) nor a leading dot unless ``part``
    starts with one (``/root/*`` does not reach ``/root/.npm``)."""
    if not is_pattern(part):
        return part == name
    if name.startswith(".") and not part.startswith("."):
        return False
    return fnmatch.fnmatchcase(name, part)


def is_pattern(word: str) -> bool:
    return re.search(r"[*?\[]", word) is not None


def quote(word: str) -> str:
    """Quote ``word`` for a POSIX shell only when it needs it."""
    if word and all(c.isalnum() or c in "@%+=:,./-_*?[]{}~$" for c in word):
        return word
    return "'" + word.replace("'", "'\"'\"'") + "'"


SHELLS: Final = frozenset({"sh", "bash", "ash", "dash", "zsh"})


@dataclass(frozen=True, slots=True)
class _Runner:
    """How a program that runs code reads its options: those that take the next word as their value (`-o
    pipefail`, `-r dotenv/config`, `-W error`), those whose value is code (`node -e CODE`) or a module (`python -m
    MOD`); a shell's `-c` instead makes its first operand code (`sh -ec CODE`). Python also takes a value joined to
    its option (`-Wignore`, `-cCODE`); the others read a cluster's letters as options each (`-eu`, `node -pe CODE`)."""

    value: frozenset[str]
    code: frozenset[str] = frozenset()
    module: frozenset[str] = frozenset()
    shell: bool = False
    joined: bool = False


_SHELL_RUNNER: Final = _Runner(frozenset({"-o", "+o", "-O", "+O", "--rcfile", "--init-file"}), shell=True)
_NODE_RUNNER: Final = _Runner(
    frozenset({"-r", "--require", "--import", "--loader", "--experimental-loader", "-C", "--conditions", "--title"}),
    code=frozenset({"-e", "--eval", "-p", "--print"}),
)
_PYTHON_RUNNER: Final = _Runner(
    frozenset({"-W", "-X", "--check-hash-based-pycs"}), code=frozenset({"-c"}), module=frozenset({"-m"}), joined=True
)

Operand = tuple[Literal["file", "code", "module"], str]


def runner_command(argv: Sequence[str]) -> tuple[str, ...] | str | None:
    """What a package runner runs: `npx [OPTIONS] [--] PACKAGE[@VERSION] ARGS`, also `pnpx`, `bunx` and `npm`,
    `pnpm`, `yarn` or `bun` `exec`/`dlx`/`x`: the command as words, the package named without its version
    (`npx --yes tsx@4.7.2 server.ts` runs `tsx server.ts`, `npm exec -- rimraf@5 /root/.npm` runs `rimraf
    /root/.npm`), or the shell code of `-c`/`--call` as a string (`npx -c 'sh x.sh'`); None for other commands.
    Real builds and images ran code, removals and scripts each of these ways."""
    if not argv:
        return None
    tool = argv[0].rsplit("/", 1)[-1]
    words = list(argv[1:])
    if tool in ("npm", "pnpm", "yarn", "bun"):
        at = next((k for k, w in enumerate(words) if not w.startswith("-")), None)
        if at is None or words[at] not in ("exec", "dlx", "x"):
            return None
        words = words[at + 1 :]
    elif tool not in ("npx", "pnpx", "bunx"):
        return None
    while words and words[0].startswith("-"):
        word = words.pop(0)
        if word == "--":
            break
        if word in ("-c", "--call") and words:
            return words[0]
        if word.startswith("--call="):
            return word.partition("=")[2]
        if word in ("-p", "--package", "-w", "--workspace") and words:
            words.pop(0)
    if not words:
        return None
    package = words[0]
    name = package.rsplit("@", 1)[0] if package.rfind("@") > 0 else package  # (`@scope/name@1` keeps its scope)
    return (name, *words[1:])


def fed_program(words: Sequence[str]) -> tuple[tuple[str, ...], str | None] | None:
    """The command ``words`` run on names found as it runs: `xargs [-a FILE] PROGRAM ARGS` (each name appended;
    from FILE, or from its input: None) and `find ... -exec PROGRAM ARGS {} ;` (`{}` each file found): PROGRAM's
    words, and the file xargs reads. None for other commands. (A later RUN ran `xargs -a scripts/list.txt -n1 sh`:
    the scripts it listed read the cache a mount kept out of the image.)"""
    # The program, behind reserved words, assignments and wrappers (`then nice -n 5 xargs ...`).
    at = next((k for k, w in enumerate(words) if w.rsplit("/", 1)[-1] in ("xargs", "find")), None)
    if at is None or not all(
        _is_assignment(w) or w in _BEFORE_COMMAND or w in _WRAPPERS or w.startswith("-") or w.isdigit()
        for w in words[:at]
    ):
        return None
    words = [words[at].rsplit("/", 1)[-1], *words[at + 1 :]]
    if words[0] == "find":
        for k, word in enumerate(words):
            if word in ("-exec", "-execdir", "-ok", "-okdir"):
                end = next((j for j in range(k + 1, len(words)) if words[j] in (";", "+")), len(words))
                return tuple(words[k + 1 : end]), None
        return None
    if words[:1] != ["xargs"]:
        return None
    k, names = 1, None
    while k < len(words) and words[k].startswith("-") and words[k] != "--":
        word = words[k]
        if word.startswith("--arg-file="):
            names = word.partition("=")[2]
        elif word == "-a" and k + 1 < len(words):
            names, k = words[k + 1], k + 1
        elif word.startswith("-a") and len(word) > 2:
            names = word[2:]
        elif word in _WRAPPER_VALUES["xargs"] and k + 1 < len(words):
            k += 1
        k += 1
    rest = tuple(words[k + (words[k : k + 1] == ["--"]) :])
    return (rest or ("echo",)), names


def run_operand(argv: Sequence[str]) -> Operand | None:
    """What a shell, node or python command runs, after its options: a file (`sh -e x.sh`, `bash -eu x.sh`, `node
    --no-warnings x.js`, `python -u x.py`), code (`sh -c CODE`, `bash -o pipefail -c CODE`, `node -e CODE`, `python
    -c CODE`) or a module (`python -m MOD`); None for other programs and for code read from stdin (`sh -s`, `-`)."""
    if not argv:
        return None
    program = argv[0].rsplit("/", 1)[-1]
    if program in SHELLS:
        runner = _SHELL_RUNNER
    elif program in ("node", "nodejs"):
        runner = _NODE_RUNNER
    elif re.fullmatch(r"python[\d.]*", program):
        runner = _PYTHON_RUNNER
    else:
        return None
    code = False  # a shell's -c: the first operand is code
    k = 1
    while k < len(argv):
        word = argv[k]
        if word == "--":
            k += 1
            break
        if word == "-" or word[:1] not in ("-", "+"):
            break
        if word.startswith("--"):
            name, eq, value = word.partition("=")
            taken = value if eq else (argv[k + 1] if k + 1 < len(argv) else None)
            if name in runner.code or name in runner.module:
                return ("code" if name in runner.code else "module", taken) if taken is not None else None
            k += 2 if name in runner.value and not eq else 1
            continue
        # A cluster of one-letter options (`-eu`, `-euxo pipefail`, `-uB`, `-Wignore`, `-uc CODE`).
        k += 1
        for j, letter in enumerate(word[1:], start=2):
            option, rest = word[0] + letter, word[j:]
            if runner.shell and letter in "cs" and word[0] == "-":
                if letter == "s":
                    return None  # the script comes from stdin
                code = True
            elif option in runner.code or option in runner.module:
                taken = rest if rest and runner.joined else argv[k] if k < len(argv) else None
                return ("code" if option in runner.code else "module", taken) if taken is not None else None
            elif option in runner.value:
                k += 0 if rest and runner.joined else 1
                break
    if k >= len(argv) or argv[k] == "-":
        return None
    return ("code" if code else "file", argv[k])


def shell_c_script(argv: Sequence[str]) -> str | None:
    """The script of ``sh -c SCRIPT`` / ``bash -c`` / ``/bin/sh -ec`` / ``bash -o pipefail -c`` forms, else None."""
    if not argv or argv[0].rsplit("/", 1)[-1] not in SHELLS:
        return None
    found = run_operand(argv)
    return found[1] if found is not None and found[0] == "code" else None


# A redirection as the shell model keeps it, one word (`>x`, `2>>x`, `&>x`) or one before its file (`>`, `x`).
REDIRECT: Final = re.compile(r"(?:\d|&)?>>?\|?(.*)")
# A redirection operator as a word of its own, its file the next word, into the input too: `<`, `<<`, `<<<`, `>`,
# `2>>`, `&>`.
REDIRECT_OPERATOR: Final = re.compile(r"\d*(?:<<<|<<-?|<&?|>>?\|?|>&|&>>?)")


def redirection_targets(words: Sequence[str]) -> list[str]:
    """The files a command's redirections write (`> x`, `>>x`, `2>x`)."""
    out = []
    for i, word in enumerate(words[1:], start=1):
        m = REDIRECT.fullmatch(word)
        if m is not None:
            out.append(m.group(1) or (words[i + 1] if i + 1 < len(words) else ""))
    return out


def unpacks_into(argv: Sequence[str]) -> str | None:
    """The folder a command unpacks an archive into (``.``: where it runs), or None: `tar -x [-C DIR]`, `unzip X
    [-d DIR]`, `python -m zipfile -e X DIR` (or tarfile), `7z x [-oDIR]`."""
    tool = argv[0].rsplit("/", 1)[-1] if argv else ""
    if tool in ("tar", "bsdtar"):
        return _tar_extracts_into(argv)
    if tool == "unzip":
        if any(w in ("-l", "-v", "-t", "-Z") for w in argv[1:]):
            return None  # lists or tests the archive
        return next((v for k, v in itertools.pairwise(argv) if k == "-d"), ".")
    if re.fullmatch(r"python[\d.]*", tool) and tuple(argv[1:3]) in (("-m", "zipfile"), ("-m", "tarfile")):
        operands = list(argv[3:])
        if operands[:1] not in (["-e"], ["--extract"]) or len(operands) < 2:
            return None
        return operands[2] if len(operands) > 2 else "."
    if tool in ("7z", "7za") and tuple(argv[1:2]) in (("x",), ("e",)):
        return next((w[2:] for w in argv[2:] if w.startswith("-o") and len(w) > 2), ".")
    return None


def _tar_extracts_into(argv: Sequence[str]) -> str | None:
    """The folder a `tar` command unpacks into (``.``: where it runs), or None when it does not unpack."""
    extract, into = False, "."
    words = list(argv[1:])
    if words and not words[0].startswith("-"):
        words[0] = "-" + words[0]  # the old style: `tar xzf app.tgz`
    for k, word in enumerate(words):
        if word in ("--extract", "--get") or (word.startswith("-") and not word.startswith("--") and "x" in word):
            extract = True
        if word in ("-C", "--directory") and k + 1 < len(words):
            into = words[k + 1]
        elif word.startswith("--directory="):
            into = word.partition("=")[2]
    return into if extract else None


def env_chdir(words: Sequence[str]) -> str | None:
    """The folder `env -C DIR` (`--chdir DIR`, `--chdir=DIR`) among a command's leading wrappers runs its program
    in, as written; None when it does not change it (`env -C tools npm run warm` runs tools/package.json's script: a
    real build's read the cache)."""
    skipped = 0
    while skipped < len(words) and words[skipped] in _BEFORE_COMMAND:
        skipped += 1
    words = tuple(words[skipped:])
    argv = program_words(words)
    if words[len(words) - len(argv) :] != argv:
        return None  # `env -S` split its string: the words are not the command's own
    folder, in_env = None, False
    prefix = words[: len(words) - len(argv)]
    for k, word in enumerate(prefix):
        if word in _WRAPPERS:
            in_env = word == "env"
        elif in_env and word in ("-C", "--chdir") and k + 1 < len(prefix):
            folder = prefix[k + 1]
        elif in_env and word.startswith("--chdir="):
            folder = word.partition("=")[2]
        elif in_env and word.startswith("-C") and len(word) > 2:
            folder = word[2:]
    return folder

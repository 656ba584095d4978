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
            elif w in _WRAPPERS:
                words.pop(0)
                while words and (words[0].startswith("-") or (w == "env" and _is_assignment(words[0]))):
                    name, eq, value = words.pop(0).partition("=")
                    if eq and not name.startswith("-"):
                        assigned[name] = value
            else:
                break
        return assigned, tuple(words)


_WRAPPERS: Final = frozenset({"sudo", "env", "time", "nice", "nohup", "exec", "command", "xargs"})


def _is_assignment(word: str) -> bool:
    name, eq, _ = word.partition("=")
    return bool(eq) and bool(name) and (name[0].isalpha() or name[0] == "_") and name.replace("_", "a").isalnum()


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


def shell_c_script(argv: tuple[str, ...]) -> str | None:
    """The script of ``sh -c SCRIPT`` / ``bash -c`` / ``/bin/sh -ec`` forms, else None."""
    if len(argv) < 3:
        return None
    shell = argv[0].rsplit("/", 1)[-1]
    if shell not in ("sh", "bash", "ash", "dash", "zsh"):
        return None
    for k, w in enumerate(argv[1:], start=1):
        if w.startswith("-") and "c" in w[1:] and not w.startswith("--"):
            return argv[k + 1] if k + 1 < len(argv) else None
        if not w.startswith("-"):
            return None
    return None


# A redirection as the shell model keeps it, one word (`>x`, `2>>x`, `&>x`) or one before its file (`>`, `x`).
REDIRECT: Final = re.compile(r"(?:\d|&)?>>?\|?(.*)")


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

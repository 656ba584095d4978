"""Text to lossless tree: ``parse(text).code == text`` for every text that parses.

The scan follows BuildKit's ``Parse`` loop line for line (directives, comments, continuations, empty
continuation lines, heredocs), so instruction boundaries are BuildKit's; each instruction then keeps its
physical bytes, split at the logical boundaries of keyword, flags and arguments.
"""

from __future__ import annotations

import re
from dataclasses import fields
from typing import Final

from dockmod.cst import buildkit
from dockmod.cst.buildkit import BuildKitError
from dockmod.cst.lexer import (
    ASCII_WS,
    DIRECTIVE_NAMES,
    GO_SPACE,
    RE_ASCII_WS,
    RE_DIRECTIVE,
    Lines,
    ends_with_continuation,
    is_blank,
    is_comment,
    logical_line,
    split_lines,
)
from dockmod.cst.nodes import (
    TYPED,
    Add,
    Cmd,
    Copy,
    Directive,
    Entrypoint,
    Env,
    Flag,
    Generic,
    Heredoc,
    Instruction,
    Label,
    Run,
    instruction_class,
)
from dockmod.cst.tree import Dockerfile

BOM: Final = "\ufeff"

# The parser builds one node per instruction. A frozen dataclass's ``__init__`` sets each field through
# ``object.__setattr__`` (it must get past the frozen ``__setattr__``): 0.87 us for an instruction. Setting the
# slots through their descriptors does the same in 0.41 us (less when this module is compiled), and building
# nodes is most of the parser's time.
# Final: compiled, each is a C static rather than a look-up in the module's globals.
_SETTERS: Final = tuple(getattr(Instruction, f.name).__set__ for f in fields(Instruction))
_SET_LEADING: Final = _SETTERS[0]
_SET_INDENT: Final = _SETTERS[1]
_SET_KEYWORD: Final = _SETTERS[2]
_SET_FLAGS: Final = _SETTERS[3]
_SET_ARGS: Final = _SETTERS[4]
_SET_NEWLINE: Final = _SETTERS[5]
_SET_HEREDOCS: Final = _SETTERS[6]
_new: Final = object.__new__


def build_instruction(
    cls: type[Instruction],
    leading: str,
    indent: str,
    keyword: str,
    flags: tuple[Flag, ...],
    args: str,
    newline: str,
    heredocs: tuple[Heredoc, ...] = (),
) -> Instruction:
    """``cls(leading=..., ...)``, faster: every field given, positionally, in declaration order."""
    node: Instruction = _new(cls)
    _SET_LEADING(node, leading)
    _SET_INDENT(node, indent)
    _SET_KEYWORD(node, keyword)
    _SET_FLAGS(node, flags)
    _SET_ARGS(node, args)
    _SET_NEWLINE(node, newline)
    _SET_HEREDOCS(node, heredocs)
    return node


class ParseError(ValueError):
    """The text cannot be a Dockerfile: BuildKit's parser would reject it.

    ``line`` and ``column`` are 1-based; ``str(error)`` says where and what is wrong.
    """

    def __init__(self, message: str, *, line: int, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.message}"


def parse(text: str) -> Dockerfile:
    """Parse Dockerfile text into a lossless tree. Raises :class:`ParseError` only for invalid text."""
    bom = BOM if text.startswith(BOM) else ""
    lines = split_lines(text[len(bom) :] if bom else text)
    contents, endings = lines
    directives, escape, i = _directives(lines)
    instructions: list[Instruction] = []
    leading: list[str] = []
    n = len(contents)
    while i < n:
        content = contents[i]
        eol = endings[i]
        stripped = content.lstrip(GO_SPACE)
        if not stripped or stripped[0] == "#":
            # Blank and comment lines belong to the instruction below them (or the file's footer).
            leading.append(content + eol)
            i += 1
            continue
        # The most common lines of all, decided inline: ``KEYWORD args`` at column 1, ASCII, one line, no
        # flags, no heredoc, and arguments BuildKit accepts. Anything else takes the paths below.
        keyword, space, rest = content.partition(" ")
        cls = _INLINE.get(keyword.lower()) if space and stripped is content else None
        if (
            cls is not None
            and content.isascii()
            and not (body := rest.lstrip(" \t")).startswith(("-", escape))
            and not (escape in content and content.rstrip(" \t").endswith(escape))  # most lines have none
            and "<<" not in rest
            and body
            and _accepted(cls, body, escape)
        ):
            instructions.append(
                build_instruction(cls, "".join(leading) if leading else "", "", keyword, (), " " + rest, eol)
            )
            leading.clear()
            i += 1
            continue
        node, i = _instruction(lines, i, escape, "".join(leading) if leading else "")
        leading.clear()
        instructions.append(node)
    return Dockerfile.build(bom, tuple(directives), tuple(instructions), "".join(leading))


def parse_instruction(text: str, *, escape: str = "\\") -> Instruction:
    """Parse the text of exactly one instruction (with its line ending and any heredoc bodies)."""
    lines = split_lines(text)
    contents, endings = lines
    i = 0
    leading: list[str] = []
    while i < len(contents) and (is_blank(contents[i]) or is_comment(contents[i])):
        leading.append(contents[i] + endings[i])
        i += 1
    if i == len(contents):
        raise ParseError("no instruction in text", line=max(i, 1))
    node, end = _instruction(lines, i, escape, "".join(leading))
    if end != len(contents):
        raise ParseError("more than one instruction in text", line=end + 1)
    return node


def _directives(lines: Lines) -> tuple[list[Directive], str, int]:
    """BuildKit reads directives only from the first lines, until any line that is not one."""
    directives: list[Directive] = []
    seen: set[str] = set()
    escape = "\\"
    for i, (content, eol) in enumerate(zip(*lines, strict=True)):
        if not content.lstrip(GO_SPACE).startswith("#"):
            return directives, escape, i
        m = RE_DIRECTIVE.match(content.lstrip(GO_SPACE))
        if m is None:
            return directives, escape, i
        name = m.group(1).lower()
        if name not in DIRECTIVE_NAMES:
            return directives, escape, i
        if name in seen:
            raise ParseError(f"only one {name} parser directive can be used", line=i + 1)
        seen.add(name)
        if name == "escape":
            value = m.group(2)
            if value not in ("\\", "`"):
                raise ParseError(
                    f"invalid escape token '{value}' does not match ` or \\", line=i + 1, column=m.start(2) + 1
                )
            escape = value
        directives.append(Directive(text=content, newline=eol))
    return directives, escape, len(lines.contents)


def _instruction(lines: Lines, i: int, escape: str, leading: str) -> tuple[Instruction, int]:
    start = i
    header, eol, i = _header(lines, i, escape)
    node = _fast_instruction(header, eol, escape, leading, start)
    if node is not None:
        return node, i
    logical = logical_line(header, escape)
    try:
        split, parsed = buildkit.parse_instruction_text(logical.text, escape)
        headers = buildkit.heredocs_in(logical.text) if buildkit.may_have_heredocs(split.keyword, parsed) else []
    except BuildKitError as e:
        raise ParseError(str(e), line=start + 1) from None
    heredocs, i = _heredoc_bodies(lines, i, headers, start)
    cls = instruction_class(split.keyword)
    if not split.keyword:
        # A line that is only a continuation character, with nothing after it: BuildKit keeps an empty node.
        return build_instruction(cls, leading, "", "", (), header, eol, heredocs), i
    kw_start = logical.phys_start(split.keyword_span[0])
    kw_end = logical.phys_end(split.keyword_span[1])
    flags = []
    prev = kw_end
    for _, end in split.flag_spans:
        phys = logical.phys_end(end)
        flags.append(Flag(raw=header[prev:phys]))
        prev = phys
    node = build_instruction(
        cls, leading, header[:kw_start], header[kw_start:kw_end], tuple(flags), header[prev:], eol, heredocs
    )
    return node, i


def _header(lines: Lines, i: int, escape: str) -> tuple[str, str, int]:
    """The instruction line and its continuation lines: (text without the last ending, ending, next i)."""
    contents, endings = lines
    first = contents[i]
    eol = endings[i]
    i += 1
    if not ends_with_continuation(first, escape):
        return first, eol, i
    parts = [first]
    n = len(contents)
    # Comment lines and blank lines inside a continuation are dropped by BuildKit, and do not end it;
    # here they are owned by the instruction that contains them.
    while i < n:
        content = contents[i]
        next_eol = endings[i]
        parts.append(eol)
        parts.append(content)
        eol = next_eol
        i += 1
        stripped = content.lstrip(GO_SPACE)
        if stripped and stripped[0] != "#" and not ends_with_continuation(content, escape):
            break
    return "".join(parts), eol, i


# The common instruction: an ASCII header whose first line holds the keyword and the start of the
# arguments; any flags are simple (``--name=value`` without quotes or escapes) and on a single line.
_SIMPLE: Final = re.compile(r"([\t\v\f\r ]*)([^\t\v\f\r ]+)((?:[\t\v\f\r ]+[^\t\v\f\r \n].*)?)", re.DOTALL)
_SIMPLE_FLAG: Final = re.compile(r"[\t\v\f\r ]+--[^\t\v\f\r \n'\"\\`]+")
_VALIDATE: Final = frozenset({"env", "label", "healthcheck"})
# Keywords the inline path of ``parse`` builds (ONBUILD nests an instruction, HEALTHCHECK has a type word).
_INLINE: Final[dict[str, type[Instruction]]] = {
    k: v for k, v in TYPED.items() if k not in ("healthcheck", "onbuild")
} | dict.fromkeys(("maintainer", "stopsignal", "shell", "volume"), Generic)
_QUOTES_OR_ESCAPES: Final = re.compile(r"['\"\\`]")


def _accepted(cls: type[Instruction], body: str, escape: str) -> bool:
    """Whether BuildKit's parser accepts these one-line arguments, decided cheaply (False: ask the full path)."""
    if body.startswith("["):
        # Exec form: a JSON array of strings, or text that is not JSON at all (then shell form).
        return cls in (Run, Cmd, Entrypoint, Copy, Add, Generic) and _json_ok(body.rstrip())
    if cls is Env or cls is Label:
        if _QUOTES_OR_ESCAPES.search(body):
            return False  # quoted words: BuildKit's word rules decide
        words = RE_ASCII_WS.split(body.strip(ASCII_WS))  # Go's ASCII whitespace, not Python's wider set
        if "=" not in words[0]:
            return len(words) >= 2  # the legacy ``KEY value`` form needs a value
        return all("=" in w for w in words)
    return True


def _json_ok(body: str) -> bool:
    try:
        buildkit.parse_json_array(body)
    except BuildKitError:
        return False  # an array with other values: the full path raises the error with its line
    return True


_JSON_ARRAYS: Final = frozenset({"run", "cmd", "entrypoint", "shell", "copy", "add", "volume", "healthcheck"})


def _fast_instruction(header: str, eol: str, escape: str, leading: str, index: int) -> Instruction | None:
    """Build the node without the logical-line machinery, or return None when the header needs it."""
    if not header.isascii():
        return None  # Unicode spaces: let the general path apply Go's rules
    m = _SIMPLE.fullmatch(header)
    if m is None:
        return None
    indent, keyword, args = m.groups()
    if escape in keyword:
        return None  # a continuation inside the keyword
    if ends_with_continuation(header, escape):
        return None  # a continuation that runs to the end of the file: BuildKit reads the line without it
    multiline = "\n" in header
    flags: tuple[Flag, ...] = ()
    if args.lstrip(GO_SPACE).startswith("--"):
        if multiline:
            return None
        found = []
        pos = 0
        while (f := _SIMPLE_FLAG.match(args, pos)) is not None:
            if f.group().lstrip(GO_SPACE) == "--":
                return None  # the end-of-flags marker
            found.append(Flag(raw=f.group()))
            pos = f.end()
        if pos < len(args) and args[pos] not in GO_SPACE:
            return None  # a flag with quotes or escapes
        flags, args = tuple(found), args[pos:]
    body = args.lstrip(GO_SPACE)
    lower = keyword.lower()
    if body.startswith((escape, "--")) or lower == "onbuild":
        return None  # arguments start on a later line; an escaped flag; a nested instruction
    if "<<" in body and lower in ("run", "copy", "add"):
        return None
    if lower in _VALIDATE or (body.startswith("[") and lower in _JSON_ARRAYS):
        if multiline:
            return None
        try:
            buildkit.dispatch(lower, body.rstrip(GO_SPACE), escape)
        except BuildKitError as e:
            raise ParseError(str(e), line=index + 1) from None
    return build_instruction(TYPED.get(lower, Generic), leading, indent, keyword, flags, args, eol)


def _heredoc_bodies(
    lines: Lines, i: int, headers: list[buildkit.HeredocHeader], start: int
) -> tuple[tuple[Heredoc, ...], int]:
    """Read each heredoc's body up to its terminator line (tabs stripped first for ``<<-``)."""
    heredocs: list[Heredoc] = []
    for doc in headers:
        body: list[str] = []
        while True:
            if i >= len(lines.contents):
                raise ParseError(f"unterminated heredoc {doc.name!r}", line=start + 1)
            content = lines.contents[i]
            line_eol = lines.endings[i]
            i += 1
            candidate = content.lstrip("\t") if doc.strip_tabs else content
            if candidate == doc.name:
                heredocs.append(Heredoc(body="".join(body), terminator=content + line_eol))
                break
            body.append(content + line_eol)
    return tuple(heredocs), i

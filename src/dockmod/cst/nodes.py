"""The lossless tree's nodes.

Every byte of a Dockerfile has exactly one owner:

* the :class:`~dockmod.cst.tree.Dockerfile` owns a UTF-8 byte-order mark, its parser directives and the
  footer (comment and blank lines after the last instruction);
* an :class:`Instruction` owns the comment and blank lines above it (``leading``), its indentation, its
  keyword as written, its flags (each :class:`Flag` owns the whitespace before it), the argument text (with
  any continuations, and comment or blank lines inside them), its line ending and its heredoc bodies.

Nodes are frozen, slotted, keyword-only dataclasses with identity equality (as in LibCST): two identical
``RUN npm ci`` lines are different keys. Edit with :func:`dataclasses.replace` or the ``with_*`` helpers;
never mutate. What BuildKit *sees* in an instruction (the logical line, split arguments, JSON form) depends
on the file's escape character, so it is read through ``Dockerfile.view(node)``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar

from dockmod.cst.lexer import RE_DIRECTIVE
from dockmod.cst.printer import instruction_code


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Node:
    """Base of every tree node."""

    @property
    def code(self) -> str:
        raise NotImplementedError


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Directive(Node):
    """A parser directive line such as ``# syntax=docker/dockerfile:1`` (BuildKit reads only leading ones)."""

    text: str  # the line as written, without its line ending
    newline: str = "\n"

    @property
    def code(self) -> str:
        return self.text + self.newline

    @property
    def name(self) -> str:
        m = RE_DIRECTIVE.match(self.text.lstrip())
        return m.group(1).lower() if m else ""

    @property
    def value(self) -> str:
        m = RE_DIRECTIVE.match(self.text.lstrip())
        return m.group(2) if m else ""


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Flag(Node):
    """One ``--name=value`` builder flag, with the whitespace (or continuation) written before it."""

    raw: str

    @property
    def code(self) -> str:
        return self.raw


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Heredoc(Node):
    """The body lines of one heredoc and the line that ends it."""

    body: str  # every body line with its line ending, as written
    terminator: str  # the end marker line, with its line ending

    @property
    def code(self) -> str:
        return self.body + self.terminator


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Instruction(Node):
    """One Dockerfile instruction, losslessly.

    ``header`` (indent + keyword + flags + args) is the instruction line with its continuations; ``newline``
    ends it; heredoc bodies follow.
    """

    KEYWORD: ClassVar[str] = ""  # the keyword a typed subclass stands for (upper case)

    leading: str = ""  # comment and blank lines above the instruction
    indent: str = ""
    keyword: str
    flags: tuple[Flag, ...] = ()
    args: str = ""  # everything after the last flag up to the line ending, leading whitespace included
    newline: str = "\n"
    heredocs: tuple[Heredoc, ...] = ()

    @property
    def header(self) -> str:
        return self.indent + self.keyword + "".join(f.raw for f in self.flags) + self.args

    @property
    def code(self) -> str:
        return instruction_code(self)

    @property
    def name(self) -> str:
        """The keyword in upper case, as BuildKit dispatches it."""
        return self.KEYWORD or self.keyword.strip().upper()

    def with_leading(self, leading: str) -> Instruction:
        return replace(self, leading=leading)


# Typed instructions: only what transforms edit gets its own type (DESIGN §2); the rest are Generic.


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class From(Instruction):
    KEYWORD: ClassVar[str] = "FROM"


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Run(Instruction):
    KEYWORD: ClassVar[str] = "RUN"


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Copy(Instruction):
    KEYWORD: ClassVar[str] = "COPY"


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Add(Instruction):
    KEYWORD: ClassVar[str] = "ADD"


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class User(Instruction):
    KEYWORD: ClassVar[str] = "USER"


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Arg(Instruction):
    KEYWORD: ClassVar[str] = "ARG"


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Env(Instruction):
    KEYWORD: ClassVar[str] = "ENV"


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Label(Instruction):
    KEYWORD: ClassVar[str] = "LABEL"


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Workdir(Instruction):
    KEYWORD: ClassVar[str] = "WORKDIR"


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Cmd(Instruction):
    KEYWORD: ClassVar[str] = "CMD"


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Entrypoint(Instruction):
    KEYWORD: ClassVar[str] = "ENTRYPOINT"


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Expose(Instruction):
    KEYWORD: ClassVar[str] = "EXPOSE"


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Healthcheck(Instruction):
    KEYWORD: ClassVar[str] = "HEALTHCHECK"


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Onbuild(Instruction):
    """``ONBUILD <instruction>``: the trigger is read through ``Dockerfile.view(node).onbuild``."""

    KEYWORD: ClassVar[str] = "ONBUILD"


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Generic(Instruction):
    """Any other instruction (MAINTAINER, VOLUME, SHELL, STOPSIGNAL, unknown keywords), kept losslessly."""


TYPED: dict[str, type[Instruction]] = {
    cls.KEYWORD.lower(): cls
    for cls in (
        From,
        Run,
        Copy,
        Add,
        User,
        Arg,
        Env,
        Label,
        Workdir,
        Cmd,
        Entrypoint,
        Expose,
        Healthcheck,
        Onbuild,
    )
}


def instruction_class(keyword: str) -> type[Instruction]:
    """The node class for a (logical, any-case) keyword."""
    return TYPED.get(keyword.lower(), Generic)

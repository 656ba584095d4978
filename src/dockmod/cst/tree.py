"""The whole file: directives, a flat sequence of instructions, a footer; stages are a derived view."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field, fields
from typing import Any, TypeVar

from dockmod.cst.buildkit import BuildKitError
from dockmod.cst.nodes import Arg, Directive, From, Instruction, Node
from dockmod.cst.printer import tree_code
from dockmod.cst.view import InstructionView, view

I = TypeVar("I", bound=Instruction)  # noqa: E741 - the conventional name for a node type variable
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Stage:
    """One build stage: a FROM and the instructions up to the next FROM."""

    index: int
    node: From
    name: str | None  # the ``AS`` name as written (BuildKit compares stage names case-insensitively)
    base: str  # the image (or earlier stage) it builds on, as written, variables unexpanded
    platform: str | None
    instructions: tuple[Instruction, ...]  # the FROM first
    # Stages key the facts transforms share (``tree.memo(("walk", stage), ...)``), asked thousands of times: the
    # hash of all its instructions is worked out once.
    _hash: int = field(default=0, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        parts = (self.index, self.node, self.name, self.base, self.platform, self.instructions)
        object.__setattr__(self, "_hash", hash(parts))

    def __hash__(self) -> int:
        return self._hash

    @property
    def body(self) -> tuple[Instruction, ...]:
        return self.instructions[1:]


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Dockerfile(Node):
    """A parsed Dockerfile. ``code`` prints it back byte for byte."""

    bom: str = ""  # a UTF-8 byte-order mark, kept as read
    directives: tuple[Directive, ...] = ()
    instructions: tuple[Instruction, ...] = ()
    footer: str = ""  # comment and blank lines after the last instruction
    # Views depend only on a node's bytes and the escape character; memoised per node (identity keys). Other
    # facts derived from this (immutable) tree are memoised by :meth:`memo`.
    _views: dict[Instruction, InstructionView] = field(default_factory=dict, init=False, repr=False)
    _memo: dict[Hashable, Any] = field(default_factory=dict, init=False, repr=False)

    @classmethod
    def build(
        cls, bom: str, directives: tuple[Directive, ...], instructions: tuple[Instruction, ...], footer: str
    ) -> Dockerfile:
        """``Dockerfile(bom=..., ...)``, faster (the parser makes one per file; see ``parser.build_instruction``)."""
        tree = _new(cls)
        _SET_BOM(tree, bom)
        _SET_DIRECTIVES(tree, directives)
        _SET_INSTRUCTIONS(tree, instructions)
        _SET_FOOTER(tree, footer)
        _SET_VIEWS(tree, {})
        _SET_MEMO(tree, {})
        return tree

    @property
    def code(self) -> str:
        return tree_code(self)

    # -- directives -------------------------------------------------------------------------------------

    def directive(self, name: str) -> Directive | None:
        for d in self.directives:
            if d.name == name:
                return d
        return None

    @property
    def escape(self) -> str:
        """The escape character, derived from the ``escape`` directive (the only source of truth)."""
        d = self.directive("escape")
        return d.value if d is not None else "\\"

    # -- what BuildKit sees -----------------------------------------------------------------------------

    def view(self, node: Instruction) -> InstructionView:
        """BuildKit's reading of ``node`` in this file (memoised)."""
        cached = self._views.get(node)
        if cached is None:
            cached = view(node, self.escape)
            self._views[node] = cached
        return cached

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, once per tree and ``key``: for facts derived from the tree that transforms share."""
        try:
            return self._memo[key]  # type: ignore[no-any-return]
        except KeyError:
            value = self._memo[key] = compute()
            return value

    def known(self, key: Hashable) -> object | None:
        """What ``memo`` keeps for ``key``, or None when nothing was worked out for it yet."""
        return self._memo.get(key)

    def lines(self) -> dict[Instruction, tuple[int, int]]:
        """1-based (start, end) lines of every instruction, as BuildKit reports them."""
        return self.memo("lines", self._lines)

    def source_lines(self) -> dict[Instruction, tuple[int, int]]:
        """Lines of every instruction in the file as it was read, for messages and reports: ``lines()`` for a
        parsed file. The engine tells an edited tree (a later pass) where its instructions came from, so that
        what users read points into their file, not into a text they never see (an added instruction gets the
        lines of the one it was added with)."""
        return self.memo("source-lines", self.lines)

    def _lines(self) -> dict[Instruction, tuple[int, int]]:
        out: dict[Instruction, tuple[int, int]] = {}
        line = len(self.directives)
        for ins in self.instructions:
            line += ins.leading.count("\n")
            start = line + 1
            end = start + ins.header.count("\n") + sum(h.code.count("\n") for h in ins.heredocs)
            out[ins] = (start, end)
            line = end
            if ins.newline == "" and not ins.heredocs:
                break
        return out

    # -- stages -----------------------------------------------------------------------------------------

    @property
    def global_args(self) -> tuple[Arg, ...]:
        """ARG instructions before the first FROM (they may be used in FROM lines)."""
        return self.memo("global_args", self._global_args)

    def _global_args(self) -> tuple[Arg, ...]:
        out = []
        for ins in self.instructions:
            if isinstance(ins, From):
                break
            if isinstance(ins, Arg):
                out.append(ins)
        return tuple(out)

    @property
    def stages(self) -> tuple[Stage, ...]:
        return self.memo("stages", self._stages)

    def _stages(self) -> tuple[Stage, ...]:
        stages: list[Stage] = []
        current: list[Instruction] = []
        for ins in self.instructions:
            if isinstance(ins, From):
                if current and isinstance(current[0], From):
                    stages.append(self._stage(len(stages), current))
                current = [ins]
            elif current:
                current.append(ins)
        if current and isinstance(current[0], From):
            stages.append(self._stage(len(stages), current))
        return tuple(stages)

    def _stage(self, index: int, instructions: list[Instruction]) -> Stage:
        node = instructions[0]
        assert isinstance(node, From)
        try:
            v = self.view(node)
        except BuildKitError:
            v = None
        args = v.args if v else ()
        name = args[2] if len(args) == 3 and args[1].lower() == "as" else None
        platform = v.flag("platform") if v else None
        return Stage(
            index=index,
            node=node,
            name=name,
            base=args[0] if args else "",
            platform=platform.value if platform else None,
            instructions=tuple(instructions),
        )

    # -- style and construction -------------------------------------------------------------------------

    @property
    def newline(self) -> str:
        """The file's most common line ending (``\\n`` for an empty file).

        Only endings with a ``\\n`` count: BuildKit splits lines at ``\\n`` alone, so text that ends in a lone
        ``\\r`` continues the same line, and a new instruction written with one would join the next.
        """
        counts = Counter(i.newline for i in self.instructions if i.newline.endswith("\n"))
        counts.update(d.newline for d in self.directives if d.newline.endswith("\n"))
        return counts.most_common(1)[0][0] if counts else "\n"

    @property
    def upper_keywords(self) -> bool:
        """Whether keywords are written in upper case (the majority decides; ties and none: upper)."""
        upper = sum(1 for i in self.instructions if i.keyword.isupper())
        lower = sum(1 for i in self.instructions if i.keyword.islower())
        return upper >= lower

    def new(self, cls: type[I], text: str, *, like: Instruction | None = None, leading: str = "") -> I:
        """A new instruction of type ``cls`` with arguments ``text``, written in this file's style.

        The keyword case, indentation and line ending follow ``like`` (an instruction it will sit next
        to) or, without one, the file's majority. ``text`` must be a single logical line; continuation
        lines inside it use this file's escape character and line ending.
        """
        from dockmod.cst.parser import parse_instruction  # late: the parser builds trees

        upper = like.keyword.isupper() if like is not None and like.keyword.strip() else self.upper_keywords
        keyword = cls.KEYWORD if upper else cls.KEYWORD.lower()
        indent = like.indent if like is not None and "\n" not in like.indent else ""
        newline = like.newline if like is not None and like.newline.endswith("\n") else self.newline
        node = parse_instruction(leading + indent + keyword + " " + text + newline, escape=self.escape)
        if not isinstance(node, cls):
            raise TypeError(f"{text!r} did not parse as {cls.__name__}")
        return node


_SET_BOM, _SET_DIRECTIVES, _SET_INSTRUCTIONS, _SET_FOOTER, _SET_VIEWS, _SET_MEMO = (
    getattr(Dockerfile, f.name).__set__ for f in fields(Dockerfile)
)
_new = object.__new__

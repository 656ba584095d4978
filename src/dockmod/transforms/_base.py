"""The transform protocol: a transform looks at a tree and proposes fixes; the engine decides what applies."""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, Protocol

from dockmod.cst import Directive, Dockerfile, Node

if TYPE_CHECKING:
    from dockmod.context import Context


class Safety(enum.IntEnum):
    """How sure a fix is. Ordered: a fix applies when ``fix.safety >= threshold``."""

    DISPLAY_ONLY = 0  # reported, never written
    UNSAFE = 1  # written with --unsafe: it may change behaviour; the message says how
    SAFE = 2  # same runtime behaviour, no comment lost

    @property
    def label(self) -> str:
        return self.name.lower().replace("_", "-")


@dataclass(frozen=True, slots=True)
class FileEdit:
    """A file of the build context that a fix creates (``before`` None) or rewrites."""

    before: str | None
    after: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Fix:
    """One atomic edit proposed by a transform.

    ``replace`` maps nodes of the tree the transform looked at to their replacements: ``()`` deletes a node,
    several nodes insert (a node may map to itself plus new neighbours), and a node moved elsewhere must be
    a key too, so that two fixes touching the same node are never applied in the same pass.
    ``directives`` are new parser directives, written first in the file. ``files`` creates or rewrites files
    of the build context (paths relative to its root, such as ``.dockerignore``). ``error`` marks a place the
    transform could not handle for a reason outside the file (a registry lookup failed): the engine then
    leaves the whole file unchanged and reports it as failed.
    """

    message: str
    safety: Safety
    replace: Mapping[Node, tuple[Node, ...]] = field(default_factory=dict)
    directives: tuple[Directive, ...] = ()
    files: Mapping[str, FileEdit] = field(default_factory=dict)
    error: bool = False

    def touched(self) -> set[Node]:
        """Every existing node this fix edits, deletes or moves."""
        nodes: set[Node] = set(self.replace)
        for replacement in self.replace.values():
            nodes.update(replacement)
        return nodes


class Transform(Protocol):
    """A transform: a dataclass whose fields are its options (``[tool.dockmod.<name>]``)."""

    name: ClassVar[str]  # kebab-case; equals its golden/ folder and transforms/<name>.md
    summary: ClassVar[str]  # one line for ``dockmod transforms``
    safety: ClassVar[Safety]  # the best safety its fixes can have (the table's column)

    def check(self, tree: Dockerfile, ctx: Context) -> Iterator[Fix]: ...

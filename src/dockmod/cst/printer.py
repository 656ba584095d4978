"""Tree to text, the parser's inverse: ``parse(text).code == text``.

A module of its own so that mypyc compiles it with the parser (setup.py): printing is a third of a round
trip's time, and the nodes themselves stay plain dataclasses. Instructions print only through
:func:`instruction_code` (``Instruction.code`` calls it too), so both spellings always agree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dockmod.cst.nodes import Instruction
    from dockmod.cst.tree import Dockerfile


def instruction_code(node: Instruction) -> str:
    """Leading comments, indentation, keyword, flags, arguments, line ending, heredoc bodies."""
    if node.flags or node.heredocs:
        flags = "".join([f.raw for f in node.flags])
        heredocs = "".join([h.body + h.terminator for h in node.heredocs])
        return node.leading + node.indent + node.keyword + flags + node.args + node.newline + heredocs
    return node.leading + node.indent + node.keyword + node.args + node.newline


def tree_code(tree: Dockerfile) -> str:
    directives = "".join([d.text + d.newline for d in tree.directives]) if tree.directives else ""
    return tree.bom + directives + "".join([instruction_code(i) for i in tree.instructions]) + tree.footer

"""dockmod: a lossless codemod for Dockerfiles.

The public API: :func:`parse` (text to a lossless :class:`Dockerfile`), the tree's node types in
``dockmod.cst``, and the transforms in ``dockmod.transforms``. Names load on first use, so that the command
line starts quickly (``dockmod --version`` imports none of the tree).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Dockerfile", "ParseError", "__version__", "parse"]

if TYPE_CHECKING:
    from dockmod.cst import Dockerfile, ParseError, parse


def __getattr__(name: str) -> Any:
    if name in ("Dockerfile", "ParseError", "parse"):
        from dockmod import cst

        value = getattr(cst, name)
        globals()[name] = value  # later uses skip this function
        return value
    raise AttributeError(f"module 'dockmod' has no attribute {name!r}")

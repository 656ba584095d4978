"""dockmod: a lossless codemod for Dockerfiles."""

from dockmod.cst import Dockerfile, ParseError, parse

__all__ = ["Dockerfile", "ParseError", "parse"]
__version__ = "0.1.0"

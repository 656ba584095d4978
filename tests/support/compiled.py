"""Which parser the tests import: a regular install compiles it with mypyc (setup.py), an editable one does not."""

from __future__ import annotations

import pytest

import dockmod.cst.parser as parser_module

PARSER_COMPILED = not parser_module.__file__.endswith(".py")

# Tests that swap out one of the parser's functions: compiled code calls its own functions directly, so there
# the swap would do nothing and the test would compare the parser with itself. The pure-Python run checks them.
needs_python_parser = pytest.mark.skipif(
    PARSER_COMPILED, reason="patches a parser function, which the compiled parser calls directly"
)

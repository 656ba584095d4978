"""Build hook: compile the parser with mypyc where a C compiler is available; pure Python otherwise.

The parser and printer (``dockmod.cst.lexer``, ``buildkit``, ``parser``, ``printer``) are strictly typed, so
mypyc compiles them to a C extension that round-trips about 1.4 times faster. Everything else stays Python. The
compiled modules behave as the Python ones (``scripts/test`` runs the unit suite against both).
``DOCKMOD_COMPILE=0`` skips compiling; editable installs never compile, since an extension beside its source
would hide every later edit of it.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from setuptools import setup

COMPILED = [f"src/dockmod/cst/{name}.py" for name in ("lexer", "buildkit", "parser", "printer")]
# The setuptools commands that build what gets installed; the metadata steps before them need no compiling,
# and ``editable_wheel``/``develop`` must not.
BUILDS = {"bdist_wheel", "build", "build_ext", "install"}


def ext_modules() -> list[Any]:  # mypycify's Extensions: setuptools' or distutils' class, by version
    if os.environ.get("DOCKMOD_COMPILE", "1") == "0" or not BUILDS & set(sys.argv[1:]):
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        print("dockmod: mypyc is not available; installing the pure-Python parser", file=sys.stderr)
        return []
    try:
        extensions = mypycify(COMPILED, opt_level="3")
    except (Exception, SystemExit) as e:  # mypycify exits on a type error; compiling is only an optimisation
        print(f"dockmod: mypyc could not compile the parser ({e!r}); installing it as Python", file=sys.stderr)
        return []
    for extension in extensions:
        extension.optional = True  # no C compiler: the .py modules are installed and used
    return extensions


setup(ext_modules=ext_modules())

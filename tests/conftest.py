"""Shared pytest configuration.

``support.fixtures`` provides the real-registry fixtures (``seeded_registry``, ``make_registry``, ...); tests
that use them are marked ``@pytest.mark.registry`` and skip when Debian's docker-registry is missing.
``--update-golden`` rewrites the golden expectations (never under ``CI=true``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import dockmod.cst.parser as parser_module
from support.compiled import PARSER_COMPILED

pytest_plugins = ["support.fixtures"]

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite golden/*/*/after.Dockerfile from the current output",
    )


def pytest_configure(config: pytest.Config) -> None:
    # scripts/test runs the parser's tests against the compiled build too: make sure that is what is imported.
    expected = os.environ.get("DOCKMOD_EXPECT_COMPILED")
    if expected is not None and (expected == "1") != PARSER_COMPILED:
        where = parser_module.__file__
        raise pytest.UsageError(f"DOCKMOD_EXPECT_COMPILED={expected}, but the parser imported is {where}")
    if config.getoption("--update-golden"):
        if os.environ.get("CI", "").lower() == "true":
            raise pytest.UsageError("--update-golden refuses to run under CI=true")
        os.environ["DOCKMOD_UPDATE_GOLDEN"] = "1"


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The shared corpus of real Dockerfiles (the tests that need it skip when it is absent)."""
    if not CORPUS.is_dir():
        pytest.skip("the shared corpus (../shared/corpus) is not present")
    return CORPUS


@pytest.fixture(autouse=True)
def _own_result_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test's runs keep their results in a folder of their own: never the user's cache, never another
    test's."""
    monkeypatch.setenv("DOCKMOD_CACHE_DIR", str(tmp_path_factory.mktemp("dockmod-cache")))

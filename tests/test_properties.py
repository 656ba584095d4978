"""Property tests: random Dockerfile-shaped text never crashes the parser, and whatever parses round-trips."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import dockmod.cst.parser as parser_module
from dockmod import engine, parse
from dockmod.context import Context, MemoryContext
from dockmod.cst import ParseError, buildkit
from dockmod.diff import unified_diff
from dockmod.transforms import TransformConfig, build_transforms
from dockmod.transforms._base import Safety
from support.compiled import needs_python_parser

KEYWORDS = ["FROM", "RUN", "COPY", "ADD", "ENV", "ARG", "LABEL", "CMD", "ENTRYPOINT", "USER", "WORKDIR", "EXPOSE",
            "HEALTHCHECK", "ONBUILD", "SHELL", "VOLUME", "STOPSIGNAL", "MAINTAINER", "from", "run", "Frob"]  # fmt: skip
PIECES = ["npm ci", "pip install -r requirements.txt", "--mount=type=cache,target=/root/.npm", "--from=build",
          "--chown=1:1", ". .", "./ /app", '["a", "b"]', "['x']", "[", "]", "<<EOF", "<<-'E'", "EOF", "E", "\\",
          "`", "#", "# c", "a=b", 'k="v w"', "$HOME", "${A:-b}", "&&", ";", "|", "'", '"', "\t", "  ", "AS",
          "stage", "\u00e9", "\u00a0", "{{ x }}", "cd sub", "apt-get update", "rm -rf /var/lib/apt/lists/*",
          "go build -o /x", "poetry install"]  # fmt: skip
NEWLINES = ["\n", "\r\n", "\r", ""]

line = st.builds(
    lambda indent, kw, parts, nl: indent + kw + (" " + " ".join(parts) if parts else "") + nl,
    st.sampled_from(["", " ", "\t"]),
    st.sampled_from([*KEYWORDS, "#", "", "\\", "# escape=`", "# syntax=x"]),
    st.lists(st.sampled_from(PIECES), max_size=6),
    st.sampled_from(NEWLINES),
)
dockerfile = st.builds("".join, st.lists(line, max_size=14)).map(lambda s: s)
noise = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=200)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.one_of(dockerfile, noise, st.builds(lambda a, b: a + b, dockerfile, noise)))
def test_parse_never_crashes_and_round_trips(text: str) -> None:
    try:
        tree = parse(text)
    except ParseError as e:
        error: ParseError | None = e
    else:
        error = None
    if error is not None:
        assert error.line >= 1
        assert str(error).startswith("line ")
        return
    assert tree.code == text
    for ins in tree.instructions:
        tree.view(ins)  # every instruction that parsed has a view


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(dockerfile)
def test_refactor_never_crashes_and_output_reparses(text: str) -> None:
    transforms = build_transforms(TransformConfig())
    outcome = engine.refactor(text, transforms, Context(), threshold=Safety.UNSAFE)
    if isinstance(outcome, engine.Changed):
        assert parse(outcome.after).code == outcome.after
        assert unified_diff(outcome.before, outcome.after, "Dockerfile")


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=["a", "=", "'", '"', " ", "\t", "\u3000", "\xa0", "\\", "`", "$"], max_size=24))
def test_word_splitting_shortcuts_match_buildkits_loop(text: str) -> None:
    """parseWords' shortcuts (no quotes; quotes without escapes) split exactly as the character loop does."""
    for escape in ("\\", "`"):
        assert buildkit.parse_words(text, escape) == buildkit._parse_words(text, escape)


@needs_python_parser
@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.one_of(dockerfile, st.builds(lambda a, b: a + b, dockerfile, noise)))
@example("ENV ['x'] \\\n")  # once parsed: the fast path validated the line with its final escape in it
def test_the_parsers_shortcuts_agree_with_its_general_path(text: str) -> None:
    """The inline path and ``_fast_instruction`` build the nodes, and raise the errors, the general path does."""
    fast = _shape(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parser_module, "_INLINE", {})
        patch.setattr(parser_module, "_fast_instruction", lambda *args: None)
        general = _shape(text)
    assert fast == general


def _shape(text: str) -> object:
    try:
        tree = parse(text)
    except ParseError as e:
        return ("error", e.line)
    return [
        (type(i), i.leading, i.indent, i.keyword, [f.raw for f in i.flags], i.args, i.newline)
        for i in tree.instructions
    ]


_CONTEXT_FILES = {
    "package.json": '{"name": "a", "scripts": {"start": "node x.js"}}\n',
    "package-lock.json": "{}\n",
    "yarn.lock": "",
    "requirements.txt": "flask\n",
    "pyproject.toml": "[tool.poetry]\nname = 'x'\n",
    "poetry.lock": "",
    "go.mod": "module x\n",
    "go.sum": "",
    "pom.xml": "<project/>\n",
    "server.js": "",
}
contexts = st.lists(st.sampled_from(sorted(_CONTEXT_FILES)), max_size=5).map(
    lambda names: {n: _CONTEXT_FILES[n] for n in names}
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(dockerfile, contexts, st.booleans())
@example("FROM\r", {}, True)  # once: USER lines ending in a lone CR joined the FROM line, one more each run
def test_refactoring_twice_changes_nothing_more(text: str, files: dict[str, str], unsafe: bool) -> None:
    transforms = build_transforms(TransformConfig(ignore=("pin-images",)))
    threshold = Safety.UNSAFE if unsafe else Safety.SAFE
    first = engine.refactor(text, transforms, Context(build=MemoryContext(files)), threshold=threshold)
    if not isinstance(first, engine.Changed):
        return
    written = files | {path: edit.after for path, edit in first.files.items()}
    again = engine.refactor(first.after, transforms, Context(build=MemoryContext(written)), threshold=threshold)
    assert isinstance(again, engine.Unchanged)


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.lists(st.sampled_from(["Dockerfile", "dev.Dockerfile", "Dockerfile.prod"]), min_size=1, max_size=3, unique=True),
    st.lists(dockerfile, min_size=3, max_size=3),
    contexts,
    st.booleans(),
)
# Once, the Dockerfiles of a folder each proposed their own .dockerignore edit: the first won, and the next run
# added the other's (here node_modules, which only dev.Dockerfile's npm asks for).
@example(["Dockerfile", "dev.Dockerfile"], ["FROM a\nCOPY . .\n", "FROM node\nCOPY . .\nRUN npm ci\n", ""], {}, False)
def test_one_apply_leaves_nothing_for_check(
    names: list[str], texts: list[str], files: dict[str, str], unsafe: bool
) -> None:
    """The command line end to end, Dockerfiles sharing a folder included: after `--apply`, `--check` passes."""
    from click.testing import CliRunner

    from dockmod.cli import main

    options = ["refactor", "--ignore", "pin-images", *(["--unsafe"] if unsafe else [])]
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name, text in zip(names, texts, strict=False):
            (root / name).write_bytes(text.encode("utf-8"))
        for rel, content in files.items():
            (root / rel).write_text(content)
        applied = CliRunner().invoke(main, [*options, "--apply", folder], catch_exceptions=False)
        checked = CliRunner().invoke(main, [*options, "--check", folder], catch_exceptions=False)
    if applied.exit_code == 0:  # 2: a file that does not parse (reported, left alone)
        assert checked.exit_code == 0, checked.stdout

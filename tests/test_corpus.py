"""The shared corpus: every UTF-8 file round-trips or is rejected for a reason BuildKit shares; BuildKit's own
parser results are reproduced; instruction boundaries agree with dockerfile-parse where it follows BuildKit."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import dockmod.cst.parser as parser_module
from dockmod import files, parse
from dockmod.cst import ParseError
from dockmod.report import dump
from support.compiled import needs_python_parser
from support.golden import known_deviation

# Every corpus file dockmod rejects, with the reason BuildKit rejects it too.
REJECTED = {
    "parser/moby-buildkit/negative__env_no_value/Dockerfile": "ENV must have two arguments",
    "parser/moby-buildkit/negative__shykes-nested-json/Dockerfile": "arrays must be comprised of strings only",
    "parser/hadolint-language-docker-specs/ParsePragmaSpec__L13/Dockerfile": "invalid escape token",
    "parser/rcjsuen-dockerfile-ast/parserDirective__L41/Dockerfile": "invalid escape token",
    "parser/rcjsuen-dockerfile-ast/parserDirective__L83/Dockerfile": "invalid escape token",
    "parser/rcjsuen-dockerfile-ast/parserDirective__L97/Dockerfile": "invalid escape token",
    "parser/rcjsuen-dockerfile-ast/label__L42/Dockerfile": "LABEL must have two arguments",
    "parser/rcjsuen-dockerfile-ast/label__L47/Dockerfile": "can't find = in",
    # A trailing "# comment" on an ENV line is an argument to BuildKit, and a word without "=".
    "parser/renovatebot-renovate/regex-manager-fixture/Dockerfile": "can't find = in",
}
_NOT_DOCKERFILES = {"context-files.txt", "result", "expected-lines.txt", "PROVENANCE.tsv", "INDEX.tsv"}


def corpus_files(corpus: Path) -> list[Path]:
    return sorted(
        p
        for p in corpus.rglob("*")
        if p.is_file()
        and "LICENSES" not in p.parts
        and p.name not in _NOT_DOCKERFILES
        and (p.name.endswith(("Dockerfile", ".dockerfile")) or "ockerfile" in p.name)
    )


def test_corpus_round_trip(corpus: Path) -> None:
    exact = rejected = not_utf8 = 0
    for path in corpus_files(corpus):
        rel = path.relative_to(corpus).as_posix()
        problem: str | None = None
        try:
            text = files.read(path).text
        except files.FileError as e:
            problem = str(e)
        if problem is not None:
            assert "not UTF-8" in problem, rel
            not_utf8 += 1
            continue
        try:
            tree = parse(text)
        except ParseError as e:
            problem = str(e)
        if problem is not None:
            assert REJECTED.get(rel, "<not allow-listed>") in problem, f"{rel}: unexpected ParseError {problem}"
            rejected += 1
            continue
        assert tree.code == text, f"{rel} does not round-trip"
        exact += 1
    assert rejected == len(REJECTED), "an allow-listed file now parses: remove it from REJECTED"
    assert exact >= 2350  # 2376 when written: the corpus is not silently skipped
    assert not_utf8 >= 1, "the corpus holds UTF-16/32 files; they must be reported, never rewritten"


BUILDKIT = "parser/moby-buildkit"


def buildkit_cases(corpus: Path) -> list[Path]:
    return sorted(d for d in (corpus / BUILDKIT).iterdir() if (d / "result").exists())


def test_buildkit_results(corpus: Path) -> None:
    cases = buildkit_cases(corpus)
    assert len(cases) == 33
    for case in cases:
        tree = parse((case / "Dockerfile").read_bytes().decode("utf-8"))
        assert dump(tree) == (case / "result").read_text(encoding="utf-8"), case.name


def test_buildkit_negative_cases(corpus: Path) -> None:
    for case in sorted((corpus / BUILDKIT).glob("negative__*")):
        text = (case / "Dockerfile").read_bytes().decode("utf-8")
        try:
            tree = parse(text)
        except ParseError:
            continue
        # BuildKit rejects a file with no instructions; dockmod keeps it (nothing to refactor).
        assert tree.instructions == (), case.name


def test_buildkit_line_numbers(corpus: Path) -> None:
    found = list(corpus.rglob("expected-lines.txt"))
    assert found
    for expected in found:
        rows = [line.split() for line in expected.read_text().splitlines() if line and not line.startswith("#")]
        tree = parse((expected.parent / "Dockerfile").read_bytes().decode("utf-8"))
        spans = list(tree.lines().values())
        children = [(int(r[1]), int(r[2])) for r in rows if r[0].startswith("child")]
        assert spans == children, expected


def test_instruction_boundaries_agree_with_dockerfile_parse(corpus: Path) -> None:
    from dockerfile_parse import DockerfileParser

    checked = explained = 0
    for path in corpus_files(corpus):
        try:
            text = files.read(path).text
            tree = parse(text)
        except (files.FileError, ParseError):
            continue
        if any(i.heredocs for i in tree.instructions) or tree.bom or tree.escape != "\\":
            continue
        structure = DockerfileParser(fileobj=io.BytesIO(text.encode("utf-8"))).structure
        theirs = [(s["startline"] + 1, s["endline"] + 1) for s in structure if s["instruction"] != "COMMENT"]
        if theirs == list(tree.lines().values()):
            checked += 1
            continue
        reason = known_deviation(text)
        assert reason is not None, f"{path}: boundaries differ from dockerfile-parse for no known reason"
        explained += 1
    assert checked > 2000
    assert explained < 100


@needs_python_parser
def test_fast_path_agrees_on_the_corpus(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    texts = []
    for path in corpus_files(corpus)[::7]:
        try:
            texts.append(files.read(path).text)
        except files.FileError:
            continue
    Shape = list[tuple[type, str, str, list[str], str]] | None
    fast: list[Shape] = []
    for text in texts:
        try:
            fast.append(
                [(type(i), i.indent, i.keyword, [f.raw for f in i.flags], i.args) for i in parse(text).instructions]
            )
        except ParseError:
            fast.append(None)
    monkeypatch.setattr(parser_module, "_fast_instruction", lambda *args: None)
    for text, expected in zip(texts, fast, strict=True):
        got: Shape
        try:
            got = [(type(i), i.indent, i.keyword, [f.raw for f in i.flags], i.args) for i in parse(text).instructions]
        except ParseError:
            got = None
        assert got == expected

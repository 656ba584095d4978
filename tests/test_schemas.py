"""The JSON Schemas shipped for dockmod's machine-readable output (``src/dockmod/schemas``): valid schemas, and
everything dockmod writes, and every example in the README, conforms to them."""

from __future__ import annotations

import json
import os
import re
import shutil
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from jsonschema import Draft202012Validator

from dockmod import parse
from dockmod.cli import main
from dockmod.cst import ParseError
from dockmod.report import parse_json
from support import golden
from support.corpus import CORPUS
from test_properties import dockerfile

README = Path(__file__).resolve().parents[1] / "README.md"


def validator(name: str) -> Draft202012Validator:
    schema = json.loads(resources.files("dockmod").joinpath(f"schemas/{name}.schema.json").read_text("utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


REFACTOR = validator("refactor-report")
PARSE = validator("parse")


def check(schema: Draft202012Validator, document: Any) -> None:
    problems = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in schema.iter_errors(document)]
    assert not problems, "\n".join(problems)


def refactor_json(folder: Path, *args: str) -> dict[str, Any]:
    old = Path.cwd()
    os.chdir(folder)
    try:
        result = CliRunner().invoke(main, ["refactor", "--format", "json", *args, "."], catch_exceptions=False)
    finally:
        os.chdir(old)
    assert result.exit_code in (0, 2), result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
def test_refactor_reports_of_every_golden_case_conform(tmp_path: Path, unsafe: bool) -> None:
    """Every golden before-file with its context, in one run: every status, safety and reason dockmod reports."""
    for case in golden.cases():
        folder = tmp_path / case.transform / case.name
        context = case.folder / "context"
        if context.is_dir():
            shutil.copytree(context, folder)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "Dockerfile").write_bytes(case.before.encode("utf-8"))
    bad = tmp_path / "unparsable"
    bad.mkdir()
    (bad / "Dockerfile").write_text("FROM a\nENV X\n")
    document = refactor_json(tmp_path, "--ignore", "pin-images", *(["--unsafe"] if unsafe else []))
    check(REFACTOR, document)
    files = document["files"]
    assert {f["status"] for f in files} == {"changed", "unchanged", "skipped", "failed"}
    fixes = [fix for f in files for fix in f["fixes"]]
    assert {fix["safety"] for fix in fixes} == {"safe", "unsafe", "display-only"}
    reasons = {fix["reason"] for fix in fixes}
    assert {None, "below-threshold", "suppressed"} <= reasons
    assert any("files" in f for f in files)


def test_parse_output_conforms_on_every_golden_and_corpus_file() -> None:
    paths = [p for c in golden.cases() for p in (c.folder / "before.Dockerfile", c.folder / "after.Dockerfile")]
    paths += golden.roundtrip_files()
    if CORPUS.is_dir():
        paths += sorted((CORPUS / "parser").glob("*/*/Dockerfile"))
    seen = 0
    for path in paths:
        if not path.is_file():
            continue
        try:
            tree = parse(path.read_bytes().decode("utf-8"))
        except (ParseError, UnicodeDecodeError):
            continue  # files BuildKit rejects have no parse output
        check(PARSE, parse_json(tree))
        seen += 1
    assert seen > 200


@settings(max_examples=300, deadline=None)
@given(dockerfile)
def test_parse_output_conforms_on_any_file(text: str) -> None:
    try:
        tree = parse(text)
    except ParseError:
        return
    check(PARSE, parse_json(tree))


def readme_example(heading: str) -> Any:
    section = README.read_text(encoding="utf-8").split(heading, 1)[1]
    block = re.search(r"```json\n(.*?)```", section, re.DOTALL)
    assert block is not None, heading
    return json.loads(block.group(1))


def test_readme_examples_conform() -> None:
    check(REFACTOR, readme_example("### `dockmod refactor --format json`"))
    check(PARSE, readme_example("### `dockmod parse FILE --format json`"))

"""Machine-readable reports: SARIF replacements that really apply, JSON entries for every status."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from dockmod.cli import main
from dockmod.report import apply_replacements, replacements

LEGACY = 'FROM node:18\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "server.js"]\n'


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("a\nb\nc\n", "a\nB\nc\n"),
        ("a\nb\n", "x\na\nb\ny\n"),
        ("a\r\nb\r\n", "a\r\nnew\r\nb\r\n"),
        ("a\nb", "a\nb\n"),
        ("a\nb\n", "a\nb"),
        ("a\nb", "a\nc"),
        ("", "created\n"),
        ("one\ntwo\nthree\n", "three\n"),
    ],
    ids=[
        "change",
        "insert-both-ends",
        "crlf",
        "add-final-newline",
        "drop-final-newline",
        "last-line",
        "create",
        "delete",
    ],
)
def test_replacements_apply(before: str, after: str) -> None:
    assert apply_replacements(before, replacements(before, after)) == after


def run(tmp_path: Path, *args: str) -> tuple[int, str]:
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(main, ["refactor", *args], catch_exceptions=False)
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout_bytes.decode()


def test_sarif_fixes_rebuild_the_refactored_files(tmp_path: Path) -> None:
    svc = tmp_path / "svc"
    svc.mkdir()
    (svc / "Dockerfile").write_text(LEGACY)
    (svc / "package.json").write_text("{}\n")
    (svc / "package-lock.json").write_text("{}\n")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "Dockerfile").write_text("FROM a\nENV X\n")
    code, out = run(tmp_path, "--format", "sarif", ".")
    assert code == 2
    sarif = json.loads(out)
    assert sarif["version"] == "2.1.0"
    (run_,) = sarif["runs"]
    rules = {r["id"] for r in run_["tool"]["driver"]["rules"]}
    results = run_["results"]
    assert {r["ruleId"] for r in results} <= rules | {"dockmod"}
    assert any(
        r["level"] == "error" and r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "bad/Dockerfile"
        for r in results
    )
    (fixing,) = [r for r in results if "fixes" in r]
    changes = fixing["fixes"][0]["artifactChanges"]
    assert {c["artifactLocation"]["uri"] for c in changes} >= {"svc/Dockerfile", "svc/.dockerignore"}
    patched = {}
    for change in changes:
        path = tmp_path / change["artifactLocation"]["uri"]
        patched[path] = apply_replacements(path.read_text() if path.exists() else "", change["replacements"])
    # What --apply writes is exactly what the SARIF fixes produce.
    assert run(tmp_path, "--apply", ".")[0] == 2  # the broken file still fails
    for path, text in patched.items():
        assert path.read_text() == text


def test_json_lists_every_status(tmp_path: Path) -> None:
    for name, text in {
        "a": LEGACY,
        "b": "FROM a\nENV X\n",
        "c": "# dockmod: ignore-file\nFROM a\n",
        "d": "FROM scratch\nCOPY x /x\n",
    }.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "Dockerfile").write_text(text)
    code, out = run(tmp_path, "--format", "json", "--select", "cache-mounts", ".")
    assert code == 2
    entries = {Path(e["path"]).parent.name: e for e in json.loads(out)["files"]}
    assert entries["a"]["status"] == "changed"
    assert entries["b"]["status"] == "failed"
    assert "ENV must have two arguments" in entries["b"]["error"]
    assert entries["c"]["status"] == "skipped"
    assert "ignore-file" in entries["c"]["reason"]
    assert entries["d"]["status"] == "unchanged"

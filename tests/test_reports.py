"""Machine-readable reports: SARIF replacements that really apply, JSON entries for every status."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from dockmod.batch import FileResult
from dockmod.cli import main
from dockmod.engine import FixReport, Unchanged
from dockmod.report import apply_replacements, fix_lines, replacements
from dockmod.transforms._base import Safety
from support import sarif_validator

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
    assert {r["ruleId"] for r in results} <= rules
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


@pytest.fixture(scope="session")
def sarif_multitool() -> None:
    """Microsoft's SARIF validator, downloaded once from the npm registry; CI must have it, a laptop may not."""
    try:
        sarif_validator.multitool()
    except sarif_validator.Unavailable as e:
        if os.environ.get("CI", "").lower() == "true":
            raise
        pytest.skip(str(e))


# The one finding dockmod accepts: a SARIF2005 warning asks for the tool's home page (``informationUri``), and
# dockmod has no public one to give.
ACCEPTED = {"SARIF2005"}


@pytest.mark.network
def test_sarif_passes_microsofts_validator_and_githubs_rules(tmp_path: Path, sarif_multitool: None) -> None:
    """Every kind of result (applied fixes, a created .dockerignore, unsafe fixes left for --unsafe, display-only
    advice, a file that fails) in a log that the SARIF SDK's validator finds nothing wrong with, at error or
    warning level, under the specification's rules and GitHub code scanning's."""
    files = {
        "svc/Dockerfile": LEGACY,
        "svc/package.json": "{}\n",
        "svc/package-lock.json": "{}\n",
        # split-stages: unsafe, so reported at the default threshold but not applied.
        "go/Dockerfile": "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /usr/local/bin/hello .\n"
        'CMD ["hello"]\n',
        "go/go.mod": "module hello\n",
        # cache-mounts' display-only advice: no cache mount for a user whose home the file does not show.
        "py/Dockerfile": "FROM python:3.11-slim\nUSER www-data\nRUN pip install --user flask\n",
        "bad/Dockerfile": "FROM a\nENV X\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    code, out = run(tmp_path, "--format", "sarif", ".")
    assert code == 2  # the bad file
    log = json.loads(out)
    (run_,) = log["runs"]
    results = run_["results"]
    assert {r["level"] for r in results} == {"error", "warning", "note"}
    assert {"split-stages", "cache-mounts", "refactor", "error"} <= {r["ruleId"] for r in results}
    sarif = tmp_path / "dockmod.sarif"
    sarif.write_text(out)
    findings = sarif_validator.validate(sarif)
    problems = [f for f in findings if f.level in ("error", "warning") and f.rule not in ACCEPTED]
    assert not problems, "\n".join(map(str, problems))
    # The validator really read the log: the accepted warning is there.
    assert {f.rule for f in findings} >= ACCEPTED


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


def test_fix_lines_say_the_state_of_each_fix() -> None:
    fixes = (
        FixReport("cache-mounts", "cache npm downloads", Safety.SAFE, True, 4, 4),
        FixReport("add-user", "run as node", Safety.UNSAFE, False, 1, 9, "below-threshold"),
        FixReport("lockfile-first", "no lockfile", Safety.DISPLAY_ONLY, False, 3, 3, "below-threshold"),
        FixReport("cache-mounts", "cache pip", Safety.SAFE, False, 6, 7, "suppressed"),
        FixReport("add-user", "run as app", Safety.SAFE, False, 2, 2, "dropped-comment"),
    )
    result = FileResult(Path("svc/Dockerfile"), Path("svc"), outcome=Unchanged("", fixes))
    assert fix_lines(result) == [
        f"{Path('svc/Dockerfile')}:4: cache-mounts [safe, applied] cache npm downloads",
        f"{Path('svc/Dockerfile')}:1-9: add-user [unsafe, needs --unsafe] run as node",
        f"{Path('svc/Dockerfile')}:3: lockfile-first [advice, never applied] no lockfile",
        f"{Path('svc/Dockerfile')}:6-7: cache-mounts [safe, suppressed by a dockmod: ignore comment] cache pip",
        f"{Path('svc/Dockerfile')}:2: add-user [safe, reverted: it would drop a comment] run as app",
    ]

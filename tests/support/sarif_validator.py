"""Microsoft's SARIF validator (the SARIF SDK's ``Sarif.Multitool validate``), as code scanning services use it.

It checks a log against the SARIF 2.1.0 JSON schema and the SDK's rules: ``SARIF1xxx`` (what the specification
requires), ``SARIF2xxx`` (what it recommends) and, with ``--rule-kind Gh``, ``GHxxxx`` (what GitHub's code
scanning needs to ingest the log: a rule's ``fullDescription``, for example). Its findings are themselves a SARIF
log, which :func:`validate` reads back.

The validator ships on the npm registry as ``@microsoft/sarif-multitool-linux``: a self-contained .NET
executable (no runtime to install). :func:`multitool` downloads the pinned version once, checks it against the
registry's sha512 integrity, and keeps it under ``$XDG_CACHE_HOME/dockmod-tests`` (else ``~/.cache``).
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import platform
import subprocess
import tarfile
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Final

VERSION: Final = "5.7.0"
TARBALL: Final = f"https://registry.npmjs.org/@microsoft/sarif-multitool-linux/-/sarif-multitool-linux-{VERSION}.tgz"
# The registry's ``dist.integrity`` for that version.
INTEGRITY: Final = "sha512-NxUbpq6ISCWoTQ/NfOYEwEDKq1Heka/rMoJ5R5LMydcAZQX/X7g5mWHcgxDub+0M07LC96tZ5LZHvF1Qy3gjTA=="
MEMBER: Final = "package/Sarif.Multitool"


class Unavailable(Exception):
    """The validator cannot run here (another platform, or the npm registry out of reach)."""


def cache_dir() -> Path:
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "dockmod-tests" / f"sarif-multitool-{VERSION}"


def multitool() -> Path:
    """The validator's executable, downloaded on first use."""
    if platform.system() != "Linux" or platform.machine() not in ("x86_64", "AMD64"):
        raise Unavailable(f"the SARIF multitool package is built for Linux x86-64, not {platform.machine()}")
    target = cache_dir() / "Sarif.Multitool"
    if target.exists():
        return target
    try:
        with urllib.request.urlopen(TARBALL, timeout=120) as response:
            data = response.read()
    except OSError as e:
        raise Unavailable(f"cannot download {TARBALL}: {e}") from e
    algorithm, _, expected = INTEGRITY.partition("-")
    if base64.b64encode(hashlib.new(algorithm, data).digest()).decode() != expected:
        raise AssertionError(f"{TARBALL} does not match its pinned integrity {INTEGRITY}")
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        member = archive.extractfile(MEMBER)
        assert member is not None, f"{MEMBER} missing from {TARBALL}"
        binary = member.read()
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written beside its final name and renamed: a run that stops half-way never leaves a truncated tool.
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as out:
        out.write(binary)
    os.chmod(out.name, 0o755)
    os.replace(out.name, target)
    return target


@dataclass(frozen=True)
class Finding:
    rule: str  # SARIF1001, GH2012...
    level: str  # error, warning, note
    message: str

    def __str__(self) -> str:
        return f"{self.level} {self.rule}: {self.message}"


def validate(log: Path) -> list[Finding]:
    """Every finding of the validator's SARIF and GitHub rules on ``log``, at every level."""
    tool = multitool()
    with tempfile.TemporaryDirectory(prefix="sarif-validate-") as tmp:
        report = Path(tmp) / "findings.sarif"
        proc = subprocess.run(
            [
                str(tool),
                "validate",
                str(log),
                "--output",
                str(report),
                "--config",
                "default",  # its built-in rule settings
                "--rule-kind",
                "Gh;Sarif",
                "--level",
                "Error;Warning;Note",
            ],
            capture_output=True,
            text=True,
            timeout=300,
            # .NET reads ICU for culture data unless told not to; the validator needs none.
            env={**os.environ, "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT": "1", "DOTNET_CLI_TELEMETRY_OPTOUT": "1"},
            check=False,
        )
        if not report.exists():
            raise AssertionError(
                f"the validator wrote no findings (exit {proc.returncode}):\n{proc.stdout}{proc.stderr}"
            )
        findings = json.loads(report.read_text(encoding="utf-8-sig"))
    out = []
    for run in findings["runs"]:
        # Its own failures (a log it cannot read) are tool notifications, not results.
        for invocation in run.get("invocations", []):
            for note in invocation.get("toolExecutionNotifications", []):
                if note.get("level") == "error":
                    raise AssertionError(f"the validator failed: {note['message']['text']}")
        rules = run["tool"]["driver"].get("rules", [])
        for result in run.get("results", []):
            rule = rules[result["ruleIndex"]] if "ruleIndex" in result else {}
            # SARIF's defaults: the rule's configured level, else "warning"; message text from the rule's
            # message strings, with {0}, {1}... filled from the arguments.
            level = result.get("level") or rule.get("defaultConfiguration", {}).get("level", "warning")
            message = result["message"]
            text = message.get("text") or rule.get("messageStrings", {}).get(message.get("id"), {}).get("text", "")
            for k, argument in enumerate(message.get("arguments", [])):
                text = text.replace(f"{{{k}}}", argument)
            out.append(Finding(result["ruleId"], level, text))
    return out

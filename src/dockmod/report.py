"""Machine-readable renderings: what BuildKit sees (``dockmod parse --format json``, a public contract) and
what a refactor run did (JSON, SARIF 2.1.0, the summary tally)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dockmod import __version__
from dockmod.cst import Dockerfile, InstructionView
from dockmod.engine import Changed, Failed, Skipped, Unchanged
from dockmod.transforms._base import Safety

if TYPE_CHECKING:
    from dockmod.batch import Change, FileResult


def parse_json(tree: Dockerfile) -> dict[str, Any]:
    """What BuildKit sees in ``tree``, in the documented JSON shape."""
    lines = tree.lines()
    out = []
    for ins in tree.instructions:
        start, end = lines[ins]
        item = _instruction(tree.view(ins))
        item["line"] = start
        item["end_line"] = end
        out.append(item)
    return {
        "directives": [{"name": d.name, "value": d.value} for d in tree.directives],
        "instructions": out,
    }


def _instruction(view: InstructionView) -> dict[str, Any]:
    item: dict[str, Any] = {
        "keyword": view.keyword,
        "flags": [f.text for f in view.flags],
        "args": list(view.args),
        "json": view.json,
    }
    if view.keyword in ("ENV", "LABEL"):
        item["pairs"] = [{"key": p.key, "value": p.value, "equals": p.equals} for p in view.pairs]
    item["heredocs"] = [
        {"name": h.name, "content": h.content, "strip_tabs": h.strip_tabs, "quoted": h.quoted} for h in view.heredocs
    ]
    if view.onbuild is not None:
        item["onbuild"] = _instruction(view.onbuild)
    return item


def dump(tree: Dockerfile) -> str:
    """BuildKit's ``AST.Dump()`` of the whole file, one S-expression per line."""
    return "".join(tree.view(ins).dump + "\n" for ins in tree.instructions)


# -- refactor reports ----------------------------------------------------------------------------------


@dataclass
class Tally:
    """Counts for the end-of-run summary: files by status, fixes by transform."""

    files: Counter[str] = field(default_factory=Counter)
    applied: Counter[str] = field(default_factory=Counter)
    unsafe: Counter[str] = field(default_factory=Counter)  # unsafe fixes not applied (available with --unsafe)
    shown: Counter[str] = field(default_factory=Counter)  # display-only advice

    def add(self, result: FileResult) -> None:
        outcome = result.outcome
        if result.error is not None or outcome is None:
            self.files["failed"] += 1
            return
        self.files[outcome.status] += 1
        for fix in getattr(outcome, "fixes", ()):
            if fix.applied:
                self.applied[fix.transform] += 1
            elif fix.safety == Safety.UNSAFE and fix.reason == "below-threshold":
                self.unsafe[fix.transform] += 1
            elif fix.safety == Safety.DISPLAY_ONLY:
                self.shown[fix.transform] += 1

    @property
    def scanned(self) -> int:
        return sum(self.files.values())

    def rows(self) -> list[tuple[str, int, int, int]]:
        names = sorted(set(self.applied) | set(self.unsafe) | set(self.shown))
        return [(n, self.applied[n], self.unsafe[n], self.shown[n]) for n in names]


_NOT_APPLIED: Mapping[str, str] = {
    "below-threshold": "needs --unsafe",
    "suppressed": "suppressed by a dockmod: ignore comment",
    "broke-parsing": "reverted: the result did not parse back as meant",
    "dropped-comment": "reverted: it would drop a comment",
}


def fix_lines(result: FileResult) -> list[str]:
    """``refactor --show-fixes``: each fix of a file on a line of its own, as compilers print diagnostics
    (`svc/Dockerfile:4: cache-mounts [safe, applied] cache npm downloads in /root/.npm`)."""
    out = []
    for fix in getattr(result.outcome, "fixes", ()):
        lines = f"{fix.start_line}" if fix.start_line == fix.end_line else f"{fix.start_line}-{fix.end_line}"
        if fix.applied:
            state = f"{fix.safety.label}, applied"
        elif fix.safety == Safety.DISPLAY_ONLY:
            state = "advice, never applied"
        else:
            state = f"{fix.safety.label}, {_NOT_APPLIED.get(fix.reason or '', 'not applied')}"
        out.append(f"{result.path}:{lines}: {fix.transform} [{state}] {fix.message}")
    return out


def json_report(results: Sequence[FileResult]) -> dict[str, Any]:
    """``dockmod refactor --format json``: one entry per file (schema in the README)."""
    return {"version": 1, "files": [_json_file(r) for r in results]}


def _json_file(result: FileResult) -> dict[str, Any]:
    outcome = result.outcome
    if result.error is not None or outcome is None:
        return {"path": str(result.path), "status": "failed", "error": result.error, "fixes": []}
    data: dict[str, Any] = {"path": str(result.path), "status": outcome.status, "fixes": []}
    if isinstance(outcome, Failed):
        data["error"] = outcome.error
    elif isinstance(outcome, Skipped):
        data["reason"] = outcome.reason
    else:
        data["fixes"] = [
            {
                "transform": f.transform,
                "message": f.message,
                "safety": f.safety.label,
                "applied": f.applied,
                "reason": f.reason,
                "start_line": f.start_line,
                "end_line": f.end_line,
            }
            for f in outcome.fixes
        ]
    if isinstance(outcome, Changed) and outcome.files:
        data["files"] = sorted(outcome.files)
    return data


SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def sarif_report(results: Sequence[tuple[FileResult, Sequence[Change]]], *, base: Path) -> dict[str, Any]:
    """SARIF 2.1.0: a result per fix, and per changed file one result whose ``fixes`` rewrite it.

    The fixes of one file interact (the engine applies them to a fixpoint), so the replacements that really
    apply are the file's whole change, hunk by hunk, attached to a summary result for that file.
    """
    rules = sarif_rules()
    sarif_results: list[dict[str, Any]] = []
    for result, changes in results:
        outcome = result.outcome
        uri = _uri(result.path, base)
        if result.error is not None or isinstance(outcome, Failed):
            text = result.error or (outcome.error if isinstance(outcome, Failed) else "")
            sarif_results.append(_sarif_result(ERROR_RULE, "error", text, uri, 1, 1))
            continue
        if not isinstance(outcome, Changed | Unchanged):
            continue
        for fix in outcome.fixes:
            level = "warning" if fix.applied or fix.safety != Safety.DISPLAY_ONLY else "note"
            sarif_results.append(_sarif_result(fix.transform, level, fix.message, uri, fix.start_line, fix.end_line))
        if changes:
            applied = [f for f in outcome.fixes if f.applied]
            summary = _sarif_result(
                REFACTOR_RULE, "warning", f"{len(applied)} fix(es) by dockmod: apply them together", uri, 1, 1
            )
            summary["fixes"] = [
                {
                    "description": {"text": "; ".join(f.message for f in applied)},
                    "artifactChanges": [
                        {
                            "artifactLocation": {"uri": _uri(c.path, base)},
                            "replacements": replacements(c.before or "", c.after),
                        }
                        for c in changes
                    ],
                }
            ]
            sarif_results.append(summary)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "dockmod", "version": __version__, "rules": rules}},
                "columnKind": "unicodeCodePoints",
                "results": sarif_results,
            }
        ],
    }


# dockmod's own rules, beside one per transform: a file's fixes as one change, and a file it could not refactor.
REFACTOR_RULE = "refactor"
ERROR_RULE = "error"


def sarif_rules() -> list[dict[str, Any]]:
    """A reporting descriptor for every rule the results use. GitHub code scanning requires ``fullDescription``;
    ``help`` is the transform's page (``dockmod explain NAME``), which code scanning shows beside an alert."""
    from dockmod.transforms import ALL, description, page

    rules = [
        _rule(
            t.name,
            t.summary,
            description(t.name),
            page(t.name),
            "warning",
            {"tags": ["dockerfile"], "safety": t.safety.label},
        )
        for t in ALL
    ]
    rules.append(
        _rule(
            REFACTOR_RULE,
            "dockmod's fixes for this file, as one change",
            "The changes `dockmod refactor --apply` would make to this file and the build-context files its fixes "
            "write (such as `.dockerignore`), as one SARIF fix: the fixes of one file build on each other, so they "
            "apply together.",
            "Run `dockmod refactor PATH` to review the diff, then `dockmod refactor --apply PATH` to write it. "
            "Each fix is also reported on its own, under the rule of its transform.",
            "warning",
            {"tags": ["dockerfile"]},
        )
    )
    rules.append(
        _rule(
            ERROR_RULE,
            "dockmod could not refactor this file",
            "The file does not parse as BuildKit reads it, or a transform could not handle it; dockmod leaves it "
            "as it is.",
            "The message gives the line and column of the problem, or the transform that could not handle the "
            "file. Fix the file (or report the transform's failure) and run dockmod again.",
            "error",
            {"tags": ["dockerfile"]},
        )
    )
    return rules


def _rule(
    rule_id: str, short: str, full: str, help_markdown: str, level: str, properties: dict[str, Any]
) -> dict[str, Any]:
    return {
        "id": rule_id,
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        "help": {"text": help_markdown, "markdown": help_markdown},
        "defaultConfiguration": {"level": level},
        "properties": properties,
    }


def _uri(path: Path, base: Path) -> str:
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path.resolve().as_uri()


def _sarif_result(rule: str, level: str, text: str, uri: str, start: int, end: int) -> dict[str, Any]:
    return {
        "ruleId": rule,
        "level": level,
        "message": {"text": text},
        "locations": [
            {"physicalLocation": {"artifactLocation": {"uri": uri}, "region": {"startLine": start, "endLine": end}}}
        ],
    }


def replacements(before: str, after: str) -> list[dict[str, Any]]:
    """SARIF replacements turning ``before`` into ``after``: one per changed run of lines.

    Regions are whole lines: from column 1 of the first replaced line to column 1 of the line after the last
    (an empty region inserts). Text after the last line break counts as a line of its own.
    """
    a = before.split("\n")
    b = after.split("\n")
    a_lines = [line + "\n" for line in a[:-1]] + ([a[-1]] if a[-1] else [])
    b_lines = [line + "\n" for line in b[:-1]] + ([b[-1]] if b[-1] else [])
    out = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a_lines, b_lines, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        region = {"startLine": i1 + 1, "startColumn": 1, "endLine": i2 + 1, "endColumn": 1}
        if i2 == len(a_lines) and a_lines and not a_lines[-1].endswith("\n"):
            # The region reaches the end of a last line without a line break: end inside that line.
            region = {"startLine": i1 + 1, "startColumn": 1, "endLine": i2, "endColumn": len(a_lines[-1]) + 1}
        out.append({"deletedRegion": region, "insertedContent": {"text": "".join(b_lines[j1:j2])}})
    return out


def apply_replacements(text: str, replacements_: Sequence[Mapping[str, Any]]) -> str:
    """Apply SARIF line/column replacements to ``text`` (what a code-scanning tool does)."""
    lines = text.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)

    def offset(line: int, column: int) -> int:
        return len(text) if line > len(starts) else starts[line - 1] + column - 1

    for rep in sorted(
        replacements_, key=lambda r: (r["deletedRegion"]["startLine"], r["deletedRegion"]["startColumn"]), reverse=True
    ):
        region = rep["deletedRegion"]
        lo = offset(region["startLine"], region["startColumn"])
        hi = offset(region["endLine"], region["endColumn"])
        text = text[:lo] + rep["insertedContent"]["text"] + text[hi:]
    return text

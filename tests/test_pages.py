"""Every transform has its page in transforms/, with the catalogue's sections, and no page lacks a transform."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dockmod.transforms import ALL, by_name

PAGES = Path(__file__).resolve().parents[1] / "transforms"
SECTIONS = ["## What it does", "## Why", "## Example", "## Safety"]


@pytest.mark.parametrize("name", [t.name for t in ALL])
def test_page(name: str) -> None:
    text = (PAGES / f"{name}.md").read_text(encoding="utf-8")
    assert text.startswith(f"# {name}\n")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == SECTIONS
    example = text.split("## Example", 1)[1].split("## Safety", 1)[0]
    assert "```diff" in example, "the example is a real before/after diff"
    safety = text.split("## Safety", 1)[1]
    best = by_name()[name].safety.label.capitalize()
    for level in {best, "Display only"}:
        assert re.search(rf"\*\*{level}\*\*", safety), f"the Safety section explains {level!r} fixes"


def test_no_orphan_pages() -> None:
    assert {p.stem for p in PAGES.glob("*.md")} == {t.name for t in ALL}


def test_names_match_code_and_golden() -> None:
    golden = Path(__file__).resolve().parents[1] / "golden"
    for transform in ALL:
        module = transform.__module__.removeprefix("dockmod.transforms.").split(".")[0]  # a module, or a package
        assert module == transform.name.replace("-", "_")
        assert transform.__name__ == "".join(part.title() for part in transform.name.split("-"))
        assert (golden / transform.name).is_dir()

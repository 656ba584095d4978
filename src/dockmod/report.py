"""Machine-readable renderings of a tree (``dockmod parse --format json``): a public contract."""

from __future__ import annotations

from typing import Any

from dockmod.cst import Dockerfile, InstructionView


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

"""The transforms, in the order the engine consults them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from importlib import resources
from typing import Any

from dockmod.transforms._base import Fix, Safety, Transform
from dockmod.transforms.add_user import AddUser
from dockmod.transforms.cache_mounts import CacheMounts
from dockmod.transforms.dockerignore import Dockerignore
from dockmod.transforms.lockfile_first import LockfileFirst
from dockmod.transforms.pin_images import PinImages
from dockmod.transforms.split_stages import SplitStages

# Order matters only when two fixes touch the same node in one pass: the earlier transform's fix is
# applied and the other is reconsidered on the edited file in the next pass.
ALL: tuple[type[Transform], ...] = (SplitStages, LockfileFirst, CacheMounts, AddUser, Dockerignore, PinImages)

__all__ = ["ALL", "Fix", "Safety", "Transform", "TransformConfig", "build_transforms", "by_name", "description", "page"]


def by_name() -> dict[str, type[Transform]]:
    return {t.name: t for t in ALL}


def page(name: str) -> str:
    """The transform's page (``transforms/<name>.md``, shipped as ``dockmod.pages``): ``dockmod explain NAME``."""
    return (resources.files("dockmod.pages") / f"{name}.md").read_text(encoding="utf-8")


def description(name: str) -> str:
    """The first paragraph of the page's "What it does", as one line (SARIF's ``fullDescription``). A
    paragraph that introduces a table or list ends in a colon; as a description on its own it ends in a full
    stop."""
    lines = page(name).splitlines()
    start = lines.index("## What it does") + 1
    paragraph: list[str] = []
    for line in lines[start:]:
        if not line.strip():
            if paragraph:
                break
            continue
        paragraph.append(line.strip())
    text = " ".join(paragraph)
    return text[:-1] + "." if text.endswith(":") else text


class UnknownTransform(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class TransformConfig:
    """Which transforms run, with which options (``{"add-user": {"uid": 10001}}``)."""

    select: tuple[str, ...] = ()  # empty: all
    ignore: tuple[str, ...] = ()
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def validate(self) -> None:
        known = by_name()
        for name in (*self.select, *self.ignore, *self.options):
            if name not in known:
                raise UnknownTransform(f"unknown transform {name!r}; known: {', '.join(known)}")
        for name, opts in self.options.items():
            allowed = {f.name for f in fields(known[name])}  # type: ignore[arg-type]
            for key in opts:
                if key not in allowed:
                    choices = ", ".join(sorted(allowed)) or "none"
                    raise UnknownTransform(f"transform {name!r} has no option {key!r} (options: {choices})")


def build_transforms(config: TransformConfig) -> Sequence[Transform]:
    """Instantiate the selected transforms, in engine order, with their options."""
    chosen = []
    for cls in ALL:
        if config.select and cls.name not in config.select:
            continue
        if cls.name in config.ignore:
            continue
        options = {k: tuple(v) if isinstance(v, list) else v for k, v in config.options.get(cls.name, {}).items()}
        chosen.append(cls(**options))
    return chosen

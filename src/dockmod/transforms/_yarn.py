"""Yarn projects as the build context shows them: which Yarn runs, and the settings of its ``.yarnrc.yml`` files.

Yarn 2 and later read ``.yarnrc.yml`` in the folder they run in and in every folder above it, the nearest file
winning, and run the release its ``yarnPath`` names (``yarn set version`` writes ``.yarn/releases/yarn-4.5.0.cjs``);
Corepack runs the release ``packageManager`` names in ``package.json`` (``yarn@4.5.0``). cache-mounts needs the major
version: Yarn 2 and 3 keep their cache in the project, Yarn 4 in the home folder.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Final

# ``yarn-4.5.0.cjs`` as ``yarn set version`` names it (Yarn 1's ``yarn policies set-version``: ``yarn-1.22.19.cjs``).
_RELEASE: Final = re.compile(r"^yarn-(\d+)\.\d+")
_PACKAGE_MANAGER: Final = re.compile(r"^yarn@(\d+)\.")
# A top-level ``key: value`` line; indented lines belong to a mapping above them (npmScopes, packageExtensions).
_SETTING: Final = re.compile(r"^([A-Za-z][\w-]*)[ \t]*:(?:[ \t]+(.*?))?[ \t]*$")


@dataclass(frozen=True, slots=True)
class YarnProject:
    major: int | None  # the Yarn that runs (1, 2, 3, 4...); None when the project does not pin one
    settings: Mapping[str, str]  # top-level settings of the .yarnrc.yml files, each from the nearest file


UNKNOWN: Final = YarnProject(None, {})  # a project in a folder the Dockerfile does not show


def find(read: Callable[[str], str | None], folder: str) -> YarnProject:
    """The Yarn project Yarn sees when it runs in ``folder``; ``read`` gives a file's text, or None."""
    settings: dict[str, str] = {}
    pinned: str | None = None  # packageManager of the nearest package.json that has one
    for here in upwards(folder):
        text = read(posixpath.join(here, ".yarnrc.yml"))
        for key, value in settings_of(text or "").items():
            settings.setdefault(key, value)
        if pinned is None:
            pinned = _package_manager(read(posixpath.join(here, "package.json")))
    # yarnPath wins: every Yarn, Corepack's included, hands the command to the release it names.
    release = _RELEASE.match(posixpath.basename(settings.get("yarnPath", "")))
    version = release or _PACKAGE_MANAGER.match(pinned or "")
    return YarnProject(int(version.group(1)) if version else None, settings)


def settings_of(text: str) -> dict[str, str]:
    """Top-level scalar settings of a ``.yarnrc.yml`` (quotes and trailing comments removed)."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        found = _SETTING.match(line)
        if found is None or not found.group(2):
            continue
        value = found.group(2)
        if value[0] in "'\"":
            value = value[1 : value.find(value[0], 1)] if value.find(value[0], 1) > 0 else value
        else:
            value = re.sub(r"[ \t]+#.*$", "", value)
        out[found.group(1)] = value
    return out


def _package_manager(text: str | None) -> str | None:
    if not text:
        return None
    try:
        found = json.loads(text).get("packageManager")
    except (ValueError, AttributeError):
        return None
    return found if isinstance(found, str) else None


def upwards(folder: str) -> Iterator[str]:
    """``folder`` and each folder above it, up to ``/`` (or the unknown base folder ``?``)."""
    while True:
        yield folder
        parent = posixpath.dirname(folder)
        if parent in ("", folder):
            return
        folder = parent

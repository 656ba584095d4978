"""pnpm's settings as the build context shows them: the ``.npmrc`` files and ``pnpm-workspace.yaml`` pnpm reads.

pnpm takes its settings (checked with pnpm 10.34) from the ``.npmrc`` of the project it installs, the workspace root's
``.npmrc`` and ``pnpm-workspace.yaml`` (the nearest folder upwards that has one; pnpm 10 reads its top-level
settings, in camelCase), the user's ``~/.npmrc``, its own ``rc`` in ``$XDG_CONFIG_HOME/pnpm`` and npm's global
``npmrc``; pnpm 11 also ``config.yaml`` beside that ``rc``. A ``.npmrc`` in a folder above the project that is no
workspace root is not read. cache-mounts needs the settings that decide where ``node_modules`` points: some put it,
or the links in it, inside the store.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Final

from dockmod.transforms import _yarn

# npm's global configuration: `$PREFIX/etc/npmrc`, /usr/local in the node images, /usr in Debian's npm (which points
# its built-in globalconfig at /etc/npmrc).
_GLOBAL_NPMRC: Final = ("/usr/local/etc/npmrc", "/etc/npmrc")


@dataclass(frozen=True, slots=True)
class Setting:
    name: str  # kebab-case, as .npmrc spells it (``enable-global-virtual-store``)
    value: str
    file: str  # the image path of the file that sets it
    base: str  # the folder a relative path in ``value`` is resolved against


def settings(read: Callable[[str], str | None], folder: str | None, home: str, config_home: str) -> list[Setting]:
    """Every setting of the files pnpm reads when it installs in ``folder`` (None: a folder the Dockerfile does not
    show, whose project files are unknown), nearest file first; ``read`` gives a file's text, or None."""
    found: list[Setting] = []
    if folder is not None:
        found += _npmrc(read, posixpath.join(folder, ".npmrc"), folder)
        workspace = (f for f in _yarn.upwards(folder) if read(posixpath.join(f, "pnpm-workspace.yaml")) is not None)
        root = next(workspace, None)
        if root is not None:
            path = posixpath.join(root, "pnpm-workspace.yaml")
            found += [Setting(_kebab(k), v, path, root) for k, v in _yarn.settings_of(read(path) or "").items()]
            if root != folder:
                found += _npmrc(read, posixpath.join(root, ".npmrc"), root)
    base = folder or home
    for path in (posixpath.join(home, ".npmrc"), posixpath.join(config_home, "pnpm/rc"), *_GLOBAL_NPMRC):
        found += _npmrc(read, path, base)
    path = posixpath.join(config_home, "pnpm/config.yaml")  # pnpm 11's global settings
    found += [Setting(_kebab(k), v, path, base) for k, v in _yarn.settings_of(read(path) or "").items()]
    return found


def _npmrc(read: Callable[[str], str | None], path: str, base: str) -> Iterator[Setting]:
    """The ``key=value`` lines of an ini file as npm reads it (``;`` and ``#`` start comments)."""
    for line in (read(path) or "").splitlines():
        key, eq, value = line.strip().partition("=")
        if not eq or key.startswith((";", "#", "[")):
            continue
        value = value.strip()
        if len(value) > 1 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        yield Setting(key.strip(), value, path, base)


def _kebab(name: str) -> str:
    """``enableGlobalVirtualStore`` -> ``enable-global-virtual-store`` (pnpm-workspace.yaml's names for .npmrc's)."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"-\1", name).lower()

"""Configuration: ``dockmod.toml`` or ``[tool.dockmod]`` in ``pyproject.toml``, found from a folder upwards.

```toml
[tool.dockmod]                    # (in dockmod.toml the same keys sit at the top level)
select = ["lockfile-first", "cache-mounts"]   # default: every transform that needs no network
ignore = ["split-stages"]
unsafe = false

[tool.dockmod.add-user]           # a transform's options
uid = 10001

[[tool.dockmod.overrides]]        # for some files only; later overrides win
paths = ["legacy/**"]             # .gitignore-style patterns, relative to the config file's folder
unsafe = true
[tool.dockmod.overrides.add-user]
uid = 2000
```

Unknown keys and values of the wrong type are errors that name the file and the key.
"""

from __future__ import annotations

import functools
import tomllib
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path, PurePosixPath
from typing import Any

import pathspec

from dockmod.transforms import ALL, TransformConfig, by_name

CONFIG_FILE = "dockmod.toml"
_TOP_KEYS = frozenset({"select", "ignore", "unsafe", "overrides"})
_OVERRIDE_KEYS = frozenset({"paths", "select", "ignore", "unsafe"})


class ConfigError(ValueError):
    """A configuration file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class Override:
    paths: tuple[str, ...]
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    unsafe: bool | None = None
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def matches(self, rel: str) -> bool:
        return _spec(self.paths).match_file(rel)


@functools.lru_cache(maxsize=64)
def _spec(paths: tuple[str, ...]) -> pathspec.GitIgnoreSpec:
    # Compiled once per pattern list, not once per file of a batch.
    return pathspec.GitIgnoreSpec.from_lines(paths)


@dataclass(frozen=True)
class Config:
    """Settings for a run; ``path`` is the file they came from (None: defaults)."""

    path: Path | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    unsafe: bool = False
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    overrides: tuple[Override, ...] = ()

    @property
    def root(self) -> Path:
        return self.path.parent if self.path is not None else Path.cwd()

    def for_file(
        self, path: Path, *, select: Sequence[str] = (), ignore: Sequence[str] = (), unsafe: bool = False
    ) -> tuple[TransformConfig, bool]:
        """The transforms and options for one file, and whether unsafe fixes apply.

        Command-line ``select``/``ignore``/``unsafe`` win over the file's settings.
        """
        chosen = self.select
        dropped = set(self.ignore)
        allow_unsafe = self.unsafe
        options: dict[str, dict[str, Any]] = {name: dict(opts) for name, opts in self.options.items()}
        # Resolving a path costs a system call per folder: only overrides need it.
        rel = _relative(path, self.root) if self.overrides else None
        for override in self.overrides:
            if rel is None or not override.matches(rel):
                continue
            if override.select is not None:
                chosen = override.select
            if override.ignore is not None:
                dropped |= set(override.ignore)
            if override.unsafe is not None:
                allow_unsafe = override.unsafe
            for name, opts in override.options.items():
                options.setdefault(name, {}).update(opts)
        if select:
            chosen = tuple(select)
        dropped |= set(ignore)
        names = chosen if chosen is not None else default_selection()
        config = TransformConfig(select=tuple(names), ignore=tuple(sorted(dropped)), options=options)
        return config, allow_unsafe or unsafe

    def may_select(self, name: str, *, select: Sequence[str] = (), ignore: Sequence[str] = ()) -> bool:
        """Whether any file could run ``name`` (False means none can; True means some might).

        Command-line ``select``/``ignore`` as in :meth:`for_file`; answers without looking at any file.
        """
        if name in ignore:
            return False
        if select:
            return name in select
        # A file runs the top-level selection (or the default one) unless an override replaces it.
        selections = [self.select if self.select is not None else default_selection()]
        selections += [o.select for o in self.overrides if o.select is not None]
        return any(name in s for s in selections)


def default_selection() -> tuple[str, ...]:
    """Every transform that needs no network; pin-images asks registries and runs only when selected."""
    return tuple(t.name for t in ALL if not getattr(t, "network", False))


def _relative(path: Path, root: Path) -> str | None:
    try:
        return PurePosixPath(path.resolve().relative_to(root.resolve())).as_posix()
    except ValueError:
        return None


def find(start: Path) -> Path | None:
    """The nearest ``dockmod.toml``, or ``pyproject.toml`` with a ``[tool.dockmod]`` table, from ``start`` up."""
    start = start.resolve()
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_FILE
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "dockmod" in _read(pyproject).get("tool", {}):
            return pyproject
    return None


def load(path: Path | None) -> Config:
    """Read and check a configuration file (None: the defaults)."""
    if path is None:
        return Config()
    data = _read(path)
    table: Any = data.get("tool", {}).get("dockmod", {}) if path.name == "pyproject.toml" else data
    where = "tool.dockmod" if path.name == "pyproject.toml" else ""  # dockmod.toml: keys at the top level
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: {where} must be a table")
    transforms = by_name()
    options = _options(path, table, where, transforms, extra=_TOP_KEYS)
    overrides = []
    raw_overrides = table.get("overrides", [])
    if not isinstance(raw_overrides, list) or not all(isinstance(o, dict) for o in raw_overrides):
        raise ConfigError(f"{path}: {_at(where, 'overrides')} must be an array of tables ([[...overrides]])")
    for k, raw in enumerate(raw_overrides):
        label = _at(where, f"overrides[{k}]")
        paths = raw.get("paths")
        if not isinstance(paths, list) or not paths or not all(isinstance(p, str) for p in paths):
            raise ConfigError(f"{path}: {label}.paths must be a non-empty list of patterns")
        overrides.append(
            Override(
                paths=tuple(paths),
                select=_names(path, raw, "select", label, transforms),
                ignore=_names(path, raw, "ignore", label, transforms),
                unsafe=_bool(path, raw, "unsafe", label),
                options=_options(path, raw, label, transforms, extra=_OVERRIDE_KEYS),
            )
        )
    return Config(
        path=path,
        select=_names(path, table, "select", where, transforms),
        ignore=_names(path, table, "ignore", where, transforms) or (),
        unsafe=bool(_bool(path, table, "unsafe", where)),
        options=options,
        overrides=tuple(overrides),
    )


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"{path}: cannot read: {e}") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: not valid TOML: {e}") from None


def _names(
    path: Path, table: Mapping[str, Any], key: str, where: str, known: Mapping[str, object]
) -> tuple[str, ...] | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{path}: {_at(where, key)} must be a list of transform names")
    for name in value:
        if name not in known:
            raise ConfigError(f"{path}: {_at(where, key)}: unknown transform {name!r}; known: {', '.join(known)}")
    return tuple(value)


def _at(where: str, *keys: str) -> str:
    """A key's dotted name in the file: ``tool.dockmod.add-user.uid``, ``overrides[0].select``, ``add-user.uid``
    (dockmod.toml). With an empty key, the table's own prefix for a message about it ("" at the top level)."""
    if keys == ("",):
        return f"{where}: " if where else ""
    return ".".join(k for k in (where, *keys) if k)


def _bool(path: Path, table: Mapping[str, Any], key: str, where: str) -> bool | None:
    value = table.get(key)
    if value is not None and not isinstance(value, bool):
        raise ConfigError(f"{path}: {_at(where, key)} must be true or false")
    return value


def _options(
    path: Path, table: Mapping[str, Any], where: str, transforms: Mapping[str, type], *, extra: frozenset[str]
) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for key, value in table.items():
        if key in extra:
            continue
        if key not in transforms:
            choices = ", ".join(sorted(extra | set(transforms)))
            raise ConfigError(f"{path}: {_at(where, '')}unknown key {key!r} (known keys: {choices})")
        if not isinstance(value, dict):
            raise ConfigError(f"{path}: {_at(where, key)} must be a table of the transform's options")
        hints = typing.get_type_hints(transforms[key])
        allowed = {f.name for f in fields(transforms[key])}
        for option, option_value in value.items():
            if option not in allowed:
                known = ", ".join(sorted(allowed)) or "none"
                raise ConfigError(f"{path}: {_at(where, key)}: unknown option {option!r} (options: {known})")
            if not _fits(option_value, hints[option]):
                raise ConfigError(
                    f"{path}: {_at(where, key, option)}: {option_value!r} is not a {_describe(hints[option])}"
                )
        out[key] = dict(value)
    return out


def _fits(value: object, hint: object) -> bool:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return any(_fits(value, h) for h in typing.get_args(hint))
    if hint is type(None):
        return value is None
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint in (str, float):
        return (
            isinstance(value, hint) if hint is str else isinstance(value, int | float) and not isinstance(value, bool)
        )
    if origin in (tuple, list, Sequence):
        args = typing.get_args(hint)
        inner = args[0] if args else object
        return isinstance(value, list) and all(_fits(v, inner) for v in value)
    if origin in (dict, Mapping):
        key_hint, value_hint = typing.get_args(hint) or (object, object)
        return isinstance(value, dict) and all(_fits(k, key_hint) and _fits(v, value_hint) for k, v in value.items())
    if origin is typing.Literal:
        return value in typing.get_args(hint)
    return hint is object


def _describe(hint: object) -> str:
    names = {bool: "boolean (true or false)", int: "whole number", float: "number", str: "string"}
    if hint in names:
        return names[hint]
    if typing.get_origin(hint) in (tuple, list, Sequence):
        return f"list of {_describe(typing.get_args(hint)[0])}s"
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return " or ".join(_describe(h) for h in typing.get_args(hint) if h is not type(None))
    return str(hint).replace("typing.", "")

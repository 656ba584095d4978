"""Golden cases: ``golden/<transform>/<case>/{before,after}.Dockerfile`` plus optional ``context/`` and ``case.toml``.

``case.toml`` keys (all optional)::

    unsafe = true                 # apply UNSAFE fixes too (default: SAFE only)
    description = "..."           # what the case shows
    xfail = "reason"              # a known gap, kept visible
    [options]                     # the transform's options, e.g. uid = 10001
    [expect]
    messages = ["substring", ...] # each must appear in some fix message (applied or not)
    safety = "unsafe"             # the safety every applied fix of the transform must have
    skip = "reason"               # the file must come out as Skipped
    failed = "message"            # the file must come out as Failed (left unchanged)
    context_dirs = [".git"]       # empty folders the context also has (git cannot store a folder named .git)
    [registry]                    # pin-images: what the registry answers, "reference" = "digest"
    "docker.io/library/node:18" = "sha256:..."

A case without ``after.Dockerfile`` must not change. Files a fix creates or rewrites in the build context
(``.dockerignore``) are expected in ``after-context/``.
"""

from __future__ import annotations

import atexit
import io
import shutil
import tempfile
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dockmod import imageref, parse
from dockmod.context import BuildContext, DirectoryContext, MemoryContext
from dockmod.cst.lexer import ends_with_continuation, is_blank, is_comment, split_lines
from dockmod.imageref import ImageRef
from dockmod.registry.resolver import concrete_candidates
from dockmod.registry.types import Concretization, Resolution, ResolveError

GOLDEN = Path(__file__).resolve().parents[2] / "golden"


@dataclass(frozen=True)
class Case:
    transform: str
    name: str
    folder: Path
    before: str
    after: str | None
    options: Mapping[str, Any] = field(default_factory=dict)
    unsafe: bool = False
    xfail: str | None = None
    expect: Mapping[str, Any] = field(default_factory=dict)
    registry: Mapping[str, str] = field(default_factory=dict)
    after_files: Mapping[str, str] = field(default_factory=dict)
    context_dirs: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return f"{self.transform}/{self.name}"

    @property
    def resolver(self) -> FixtureResolver | None:
        return FixtureResolver(self.registry) if self.registry else None

    @property
    def context(self) -> BuildContext:
        folder = self.folder / "context"
        if self.context_dirs:
            folder = _with_dirs(folder, self.context_dirs)
        return DirectoryContext(folder) if folder.is_dir() else MemoryContext()


@dataclass(frozen=True)
class FixtureResolver:
    """An image resolver answering from a table (golden cases); unknown references are not found."""

    digests: Mapping[str, str]

    def _table(self) -> dict[ImageRef, str]:
        return {imageref.parse(k): v for k, v in self.digests.items()}

    def resolve(self, ref: ImageRef) -> Resolution:
        if ref.digest is not None:
            return Resolution(ref, digest=ref.digest, source="file")
        digest = self._table().get(ref.with_tag(ref.effective_tag))
        if digest is None:
            return Resolution(ref, error=ResolveError("not_found", f"{ref.familiar}: no such tag in the fixture"))
        return Resolution(ref, digest=digest, source="network")

    def resolve_many(self, refs: Iterable[ImageRef]) -> Mapping[ImageRef, Resolution]:
        return {ref: self.resolve(ref) for ref in refs}

    def concretize(self, ref: ImageRef) -> Concretization:
        base = self.resolve(ref)
        if base.digest is None:
            return Concretization(ref, error=base.error)
        tags = [r.tag for r in self._table() if r.repository == ref.repository and r.tag]
        for tag in concrete_candidates(ref.effective_tag or "latest", tags):
            if self.resolve(ref.with_tag(tag)).digest == base.digest:
                return Concretization(ref, base.digest, tag)
        return Concretization(ref, base.digest, note="no version tag has the same digest")


def read_text(path: Path) -> str:
    # Bytes decoded exactly: CRLF and a missing final newline are part of the cases.
    return path.read_bytes().decode("utf-8")


def cases(transform: str | None = None) -> list[Case]:
    out = []
    for folder in sorted(GOLDEN.glob("*/*")):
        if not folder.is_dir() or folder.parent.name == "_roundtrip":
            continue
        if transform is not None and folder.parent.name != transform:
            continue
        before = folder / "before.Dockerfile"
        if not before.exists():
            continue
        config: dict[str, Any] = {}
        toml = folder / "case.toml"
        if toml.exists():
            config = tomllib.loads(toml.read_text(encoding="utf-8"))
        after = folder / "after.Dockerfile"
        out.append(
            Case(
                transform=folder.parent.name,
                name=folder.name,
                folder=folder,
                before=read_text(before),
                after=read_text(after) if after.exists() else None,
                options=config.get("options", {}),
                unsafe=bool(config.get("unsafe", False)),
                xfail=config.get("xfail"),
                expect=config.get("expect", {}),
                registry=config.get("registry", {}),
                after_files=_files(folder / "after-context"),
                context_dirs=tuple(config.get("context_dirs", ())),
            )
        )
    return out


_MADE: dict[Path, Path] = {}


def _with_dirs(folder: Path, dirs: tuple[str, ...]) -> Path:
    """A copy of ``folder`` (once per run, removed at exit) that also has the empty folders ``dirs``."""
    made = _MADE.get(folder)
    if made is None:
        made = Path(tempfile.mkdtemp(prefix="dockmod-golden-")) / "context"
        atexit.register(shutil.rmtree, made.parent, True)
        if folder.is_dir():
            shutil.copytree(folder, made)
        for name in dirs:
            (made / name).mkdir(parents=True, exist_ok=True)
        _MADE[folder] = made
    return made


def _files(folder: Path) -> dict[str, str]:
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): read_text(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def roundtrip_files() -> list[Path]:
    return sorted(p for p in (GOLDEN / "_roundtrip").iterdir() if p.is_file())


def known_deviation(text: str) -> str | None:
    """Where dockerfile-parse knowingly departs from BuildKit (its instruction boundaries differ)."""
    lines = split_lines(text).contents
    if any(c.rstrip(" \t").endswith("\\\\") and not is_comment(c) for c in lines):
        return "a line ending in an escaped backslash (not a continuation for BuildKit)"
    for k, content in enumerate(lines):
        if not ends_with_continuation(content, "\\") or is_comment(content):
            continue
        rest = lines[k + 1 :]
        if not rest or all(is_blank(c) or is_comment(c) for c in rest):
            return "a continuation that runs to the end of the file"
        if is_blank(rest[0]) or is_comment(rest[0]):
            return "an empty or comment line inside a continuation (BuildKit continues)"
    tree = parse(text)
    if any(not tree.view(i).args and not tree.view(i).flags for i in tree.instructions):
        return "an instruction without arguments (dockerfile-parse drops it)"
    return None


def independent_problem(text: str) -> str | None:
    """What dockerfile-parse (an independent parser) disagrees with, or None.

    It must read the same instructions, in the same order, as dockmod, except where dockerfile-parse
    knowingly departs from BuildKit (:func:`known_deviation`). Only call this for files without heredocs,
    which dockerfile-parse does not support.
    """
    if known_deviation(text) is not None:
        return None
    from dockerfile_parse import DockerfileParser

    tree = parse(text)
    # BuildKit drops a UTF-8 byte-order mark; dockerfile-parse would read it as part of the first line.
    parser = DockerfileParser(fileobj=io.BytesIO(text.removeprefix("\ufeff").encode("utf-8")))
    theirs = [s["instruction"] for s in parser.structure if s["instruction"] != "COMMENT"]
    ours = [tree.view(i).keyword for i in tree.instructions]
    if theirs != ours:
        return f"dockerfile-parse reads {theirs}, dockmod {ours}"
    return None

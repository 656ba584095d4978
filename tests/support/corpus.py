"""The shared corpus of real Dockerfiles (``../shared/corpus``), with build contexts recreated.

``apps/`` and ``legacy/`` cases list their folder's entries in ``context-files.txt``; the small real manifests
(``package.json``, ``go.mod``...) sit beside the Dockerfile. A recreated context holds those real files and an
empty placeholder for every other entry (a folder gets a ``.keep`` file so it exists).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from dockmod.context import MemoryContext
from dockmod.imageref import ImageRef
from dockmod.registry.types import Concretization, Resolution

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
_NOT_CONTEXT = {"Dockerfile", "context-files.txt", "maintainer-latest.Dockerfile"}


@dataclass(frozen=True)
class CorpusCase:
    folder: Path
    set: str  # "apps" or "legacy"
    text: str
    context: MemoryContext
    maintainer: str | None  # legacy only: how the maintainers later rewrote it

    @property
    def name(self) -> str:
        return f"{self.set}/{self.folder.name}"


def recreate_context(folder: Path) -> MemoryContext:
    files: dict[str, str] = {}
    listing = folder / "context-files.txt"
    for name in listing.read_text(encoding="utf-8").split() if listing.exists() else ():
        if name.endswith("/"):
            files[name + ".keep"] = ""
        elif name not in _NOT_CONTEXT:
            files[name] = ""
    for path in folder.iterdir():
        if path.is_file() and path.name not in _NOT_CONTEXT:
            files[path.name] = path.read_text(encoding="utf-8", errors="replace")
    return MemoryContext(files)


def cases(*sets: str) -> list[CorpusCase]:
    """The corpus cases (none when the corpus is absent: the tests that use them skip)."""
    if not CORPUS.is_dir():
        return []
    out = []
    for name in sets or ("apps", "legacy"):
        for folder in sorted((CORPUS / name).iterdir()):
            dockerfile = folder / "Dockerfile"
            if not dockerfile.is_file():
                continue
            try:
                text = dockerfile.read_bytes().decode("utf-8")
            except UnicodeDecodeError:
                continue
            latest = folder / "maintainer-latest.Dockerfile"
            maintainer = latest.read_text(encoding="utf-8", errors="replace") if latest.exists() else None
            out.append(CorpusCase(folder, name, text, recreate_context(folder), maintainer))
    return out


class HashResolver:
    """Resolves every reference to a made-up digest derived from its name (corpus runs, no registry)."""

    def resolve(self, ref: ImageRef) -> Resolution:
        if ref.digest is not None:
            return Resolution(ref, digest=ref.digest, source="file")
        digest = "sha256:" + hashlib.sha256(ref.normalized.encode()).hexdigest()
        return Resolution(ref, digest=digest, source="network")

    def resolve_many(self, refs: Iterable[ImageRef]) -> Mapping[ImageRef, Resolution]:
        return {ref: self.resolve(ref) for ref in refs}

    def concretize(self, ref: ImageRef) -> Concretization:
        return Concretization(ref, self.resolve(ref).digest, note="no tags to compare")

"""The shared corpus of real Dockerfiles (``../shared/corpus``), with build contexts recreated.

``apps/`` and ``legacy/`` cases list their folder's entries in ``context-files.txt``; the small real manifests
(``package.json``, ``go.mod``...) sit beside the Dockerfile. A recreated context holds those real files and an
empty placeholder for every other entry (a folder gets a ``.keep`` file so it exists).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dockmod.context import MemoryContext

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

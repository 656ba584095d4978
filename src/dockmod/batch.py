"""Run the engine over many files, in parallel when it pays, with results in a deterministic order."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from dockmod import engine, files
from dockmod.context import Context, DirectoryContext
from dockmod.discover import Found
from dockmod.transforms import TransformConfig, build_transforms
from dockmod.transforms._base import Safety

# Below this many files a process pool costs more than it saves.
_PARALLEL_MIN_FILES = 48


@dataclass(frozen=True, slots=True)
class Options:
    """Everything a worker needs to process one file (picklable)."""

    transforms: TransformConfig = field(default_factory=TransformConfig)
    threshold: Safety = Safety.SAFE
    context: Path | None = None  # the build context for every file; default: the Dockerfile's folder


@dataclass(frozen=True, slots=True)
class FileResult:
    path: Path
    root: Path
    outcome: engine.Outcome | None = None
    error: str | None = None  # the file could not be read


def process(found: Found, options: Options) -> FileResult:
    try:
        source = files.read(found.path)
    except files.FileError as e:
        return FileResult(found.path, found.root, error=str(e))
    build = DirectoryContext(options.context or found.path.parent)
    ctx = Context(build=build, path=str(found.path))
    outcome = engine.refactor(source.text, build_transforms(options.transforms), ctx, threshold=options.threshold)
    return FileResult(found.path, found.root, outcome=outcome)


def run(found: Sequence[Found], options: Options, *, jobs: int | None = None) -> Iterator[FileResult]:
    """Process ``found`` and yield results in the same order."""
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if workers <= 1 or len(found) < _PARALLEL_MIN_FILES:
        for f in found:
            yield process(f, options)
        return
    chunk = max(1, len(found) // (workers * 8))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(process, found, [options] * len(found), chunksize=chunk)

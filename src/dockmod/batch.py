"""Run the engine over many files, in parallel when it pays, with results in a deterministic order.

Registry lookups (pin-images) happen once for the whole batch, before any file is refactored: every file is
parsed, its image references are collected and deduplicated, and each unique reference is resolved once
(concurrently, through the resolver's lock file, cache and single-flight). The workers then read the answers
from a :class:`PrefetchedResolver`, a plain mapping that crosses process boundaries.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from dockmod import engine, files
from dockmod.config import Config
from dockmod.context import Context, DirectoryContext, ImageResolver
from dockmod.cst import ParseError, parse
from dockmod.diff import file_diff
from dockmod.discover import Found
from dockmod.imageref import ImageRef
from dockmod.registry.types import Concretization, Resolution, ResolveError
from dockmod.transforms import TransformConfig, build_transforms
from dockmod.transforms._base import Safety
from dockmod.transforms.pin_images import PinImages, sites

# Below this many files a process pool costs more than it saves.
_PARALLEL_MIN_FILES = 48
# Files per task sent to a worker: large enough that sending costs little, small enough to balance the load.
_CHUNK = 16


@dataclass(frozen=True, slots=True)
class Options:
    """Everything a worker needs to process one file (picklable)."""

    config: Config = field(default_factory=Config)
    select: tuple[str, ...] = ()  # from the command line: wins over the configuration
    ignore: tuple[str, ...] = ()
    unsafe: bool = False
    context: Path | None = None  # the build context for every file; default: the Dockerfile's folder
    resolver: ImageResolver | None = None
    diffs: bool = False  # work out each change's unified diff too (in the workers: the parent only prints)

    def settings(self, path: Path) -> tuple[TransformConfig, Safety]:
        config, unsafe = self.config.for_file(path, select=self.select, ignore=self.ignore, unsafe=self.unsafe)
        return config, Safety.UNSAFE if unsafe else Safety.SAFE


@dataclass(frozen=True, slots=True)
class FileResult:
    path: Path
    root: Path
    outcome: engine.Outcome | None = None
    error: str | None = None  # the file could not be read
    context: Path | None = None  # the build context's folder (where fixes' files go)
    diffs: Mapping[Path, str] = field(default_factory=dict)  # each change's diff, by path (``Options.diffs``)


@dataclass(frozen=True, slots=True)
class Change:
    """A file to write: the Dockerfile itself, or a build-context file a fix creates (``before`` None)."""

    path: Path
    before: str | None
    after: str


def changes(result: FileResult, claimed: set[Path]) -> list[Change]:
    """What ``result`` would write. A build-context file (``.dockerignore``) that several Dockerfiles of one
    folder propose is written once, by the first; the next run extends it for the others if they need it."""
    out = []
    for change in _all_changes(result):
        if change.path != result.path:
            if change.path in claimed:
                continue
            claimed.add(change.path)
        out.append(change)
    return out


def diff(result: FileResult, change: Change) -> str:
    """``change`` as a unified diff (worked out by the worker when ``Options.diffs`` asked for it)."""
    found = result.diffs.get(change.path)
    return found if found is not None else file_diff(change.path, change.before, change.after)


def _all_changes(result: FileResult) -> list[Change]:
    outcome = result.outcome
    if not isinstance(outcome, engine.Changed):
        return []
    out = []
    if outcome.after != outcome.before:
        out.append(Change(result.path, outcome.before, outcome.after))
    for rel, edit in sorted(outcome.files.items()):
        out.append(Change((result.context or result.path.parent) / rel, edit.before, edit.after))
    return out


def process(found: Found, options: Options) -> FileResult:
    try:
        source = files.read(found.path)
    except files.FileError as e:
        return FileResult(found.path, found.root, error=str(e))
    config, threshold = options.settings(found.path)
    folder = options.context or found.path.parent
    ctx = Context(build=DirectoryContext(folder), path=str(found.path), resolver=options.resolver)
    outcome = engine.refactor(source.text, build_transforms(config), ctx, threshold=threshold)
    result = FileResult(found.path, found.root, outcome=outcome, context=folder)
    if options.diffs:
        diffs = {c.path: file_diff(c.path, c.before, c.after) for c in _all_changes(result)}
        result = replace(result, diffs=diffs)
    return result


def run(found: Iterable[Found], options: Options, *, jobs: int | None = None) -> Iterator[FileResult]:
    """Process ``found`` and yield results in the same order.

    ``found`` may be a generator (discovery still walking the tree): the workers start on the first files
    while the walk goes on.
    """
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    files = iter(found)
    first = list(itertools.islice(files, _PARALLEL_MIN_FILES))
    if workers <= 1 or len(first) < _PARALLEL_MIN_FILES:
        for f in itertools.chain(first, files):
            yield process(f, options)
        return
    # The options go to each worker once, not with every file; files go in small chunks, as they are found.
    with ProcessPoolExecutor(max_workers=workers, initializer=_set_worker_options, initargs=(options,)) as pool:
        yield from pool.map(_process_in_worker, itertools.chain(first, files), chunksize=_CHUNK)


_worker_options = Options()  # a worker process's options, set when it starts


def _set_worker_options(options: Options) -> None:
    global _worker_options  # noqa: PLW0603 - one value per worker process, set once at its start
    _worker_options = options


def _process_in_worker(found: Found) -> FileResult:
    return process(found, _worker_options)


# -- registry lookups, once per batch ---------------------------------------------------------------------


@dataclass(frozen=True)
class PrefetchedResolver:
    """Answers resolved before the batch; satisfies :class:`~dockmod.context.ImageResolver`."""

    resolutions: Mapping[ImageRef, Resolution] = field(default_factory=dict)
    concretizations: Mapping[ImageRef, Concretization] = field(default_factory=dict)

    def resolve(self, ref: ImageRef) -> Resolution:
        if ref.digest is not None and ref not in self.resolutions:
            return Resolution(ref, digest=ref.digest, source="file")
        return self.resolutions.get(ref) or Resolution(ref, error=_missing(ref))

    def resolve_many(self, refs: Iterable[ImageRef]) -> Mapping[ImageRef, Resolution]:
        return {ref: self.resolve(ref) for ref in dict.fromkeys(refs)}

    def concretize(self, ref: ImageRef) -> Concretization:
        return self.concretizations.get(ref) or Concretization(ref, error=_missing(ref))


def _missing(ref: ImageRef) -> ResolveError:
    return ResolveError("invalid", f"{ref.familiar} was not looked up before the batch (a dockmod bug)")


def may_want_registry(options: Options) -> bool:
    """Whether any file could run pin-images (False: none can), without looking at any file."""
    return options.config.may_select("pin-images", select=options.select, ignore=options.ignore)


def wants_registry(found: Sequence[Found], options: Options) -> bool:
    # Most runs never select pin-images: say so without working out every file's settings.
    return may_want_registry(options) and any("pin-images" in _selected(options, f.path) for f in found)


def _selected(options: Options, path: Path) -> set[str]:
    config, _ = options.settings(path)
    return set(config.select) - set(config.ignore)


def prefetch(found: Sequence[Found], options: Options, resolver: ImageResolver) -> PrefetchedResolver:
    """Resolve every image reference the batch's pin-images runs will ask for, each unique one once."""
    plain: dict[ImageRef, None] = {}
    concrete: dict[ImageRef, None] = {}
    for f in found:
        if "pin-images" not in _selected(options, f.path):
            continue
        try:
            tree = parse(files.read(f.path).text)
        except (files.FileError, ParseError):
            continue  # reported when the file itself is processed
        config, _ = options.settings(f.path)
        pin = PinImages(**dict(config.options.get("pin-images", {})))
        for site in sites(tree, syntax=pin.syntax):
            ref = pin.wanted(site)
            if ref is not None:
                (concrete if pin.concretize and ref.effective_tag is not None else plain)[ref] = None
    resolutions = dict(resolver.resolve_many(plain)) if plain else {}
    concretizations: dict[ImageRef, Concretization] = {}
    if concrete:
        with ThreadPoolExecutor(max_workers=8) as pool:
            concretizations = dict(zip(concrete, pool.map(resolver.concretize, concrete), strict=True))
    return PrefetchedResolver(resolutions, concretizations)

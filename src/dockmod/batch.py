"""Run the engine over many files, in parallel when it pays, with results in a deterministic order.

Registry lookups (pin-images) happen once for the whole batch, before any file is refactored: every file is
parsed, its image references are collected and deduplicated, and each unique reference is resolved once
(concurrently, through the resolver's lock file, cache and single-flight). The workers then read the answers
from a :class:`PrefetchedResolver`, a plain mapping that crosses process boundaries.
"""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from dockmod import cache, engine, files
from dockmod.config import Config
from dockmod.context import Context, DirectoryContext, ImageResolver
from dockmod.cst import ParseError, parse
from dockmod.diff import file_diff
from dockmod.discover import Found
from dockmod.imageref import ImageRef
from dockmod.registry.types import Concretization, Resolution, ResolveError
from dockmod.transforms import TransformConfig, build_transforms, by_name
from dockmod.transforms._base import FileEdit, Safety
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
    record: bool = False  # note what each result was computed from (``FileResult.kept``, for the cache)

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
    kept: cache.Inputs | None = None  # what it was computed from (``Options.record``, when it may be kept)


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
    settings = options.settings(found.path)
    config, threshold = settings
    folder = options.context or found.path.parent
    build = DirectoryContext(folder, record=options.record)
    ctx = Context(build=build, path=str(found.path), resolver=options.resolver)
    outcome = engine.refactor(source.text, build_transforms(config), ctx, threshold=threshold)
    result = FileResult(found.path, found.root, outcome=outcome, context=folder)
    if options.diffs:
        diffs = {c.path: file_diff(c.path, c.before, c.after) for c in _all_changes(result)}
        result = replace(result, diffs=diffs)
    if options.record and not isinstance(outcome, engine.Failed):  # a failure is worked out again: it may be a bug
        key = cache_key(options, found.path, settings)
        if key is not None:
            result = replace(result, kept=cache.inputs(key, source.text, build))
    return result


# A result as the cache keeps it: plain data (the cache builds no class when it reads), without the paths (those
# of the run that finds it) and without the Dockerfile's text, which its digest pins.
def _encode(result: FileResult) -> object:
    outcome = result.outcome
    diffs = tuple((os.fspath(path), text) for path, text in result.diffs.items())
    if isinstance(outcome, engine.Skipped):
        return "skipped", outcome.reason, diffs
    assert isinstance(outcome, (engine.Changed, engine.Unchanged))  # failures are not kept
    fixes = tuple(
        (f.transform, f.message, int(f.safety), f.applied, f.start_line, f.end_line, f.reason) for f in outcome.fixes
    )
    if isinstance(outcome, engine.Unchanged):
        return "unchanged", fixes, diffs
    edits = tuple((rel, e.before, e.after) for rel, e in outcome.files.items())
    after = None if outcome.after == outcome.before else outcome.after
    return "changed", fixes, diffs, after, edits


def _decode(found: Found, folder: Path, text: str, data: Any) -> FileResult:
    kind, *rest = data
    if kind == "skipped":
        reason, diffs = rest
        return FileResult(found.path, found.root, engine.Skipped(reason), context=folder, diffs=_paths(diffs))
    fixes = tuple(engine.FixReport(t, m, Safety(s), a, b, e, r) for t, m, s, a, b, e, r in rest[0])
    if kind == "unchanged":
        outcome: engine.Outcome = engine.Unchanged(text, fixes)
    else:
        after, edits = rest[2:]
        files_ = {rel: FileEdit(before, edit) for rel, before, edit in edits}
        outcome = engine.Changed(text, text if after is None else after, fixes, files_)
    return FileResult(found.path, found.root, outcome, context=folder, diffs=_paths(rest[1]))


def _paths(diffs: Sequence[tuple[str, str]]) -> dict[Path, str]:
    return {Path(path): text for path, text in diffs}


def cache_key(options: Options, path: Path, settings: tuple[TransformConfig, Safety] | None = None) -> str | None:
    """Everything of the run's settings that ``path``'s result depends on; None when it may not be cached (it
    asks a registry). ``settings``: ``options.settings(path)``, when the caller has it."""
    config, threshold = settings or options.settings(path)
    names = set(config.select or by_name()) - set(config.ignore)
    if "pin-images" in names:
        return None
    chosen = {name: dict(config.options.get(name, {})) for name in sorted(names)}
    context = os.fspath(options.context or path.parent)
    return json.dumps([sorted(names), chosen, int(threshold), context], sort_keys=True, default=repr)


def run(
    found: Iterable[Found], options: Options, *, jobs: int | None = None, kept: cache.ResultCache | None = None
) -> Iterator[FileResult]:
    """Process ``found`` and yield results in the same order.

    ``found`` may be a generator (discovery still walking the tree): the workers start on the first files
    while the walk goes on. With ``kept``, results found there are reused and new ones stored in it (the
    caller saves it).
    """
    if kept is None:
        yield from _run(found, options, jobs)
        return
    options = replace(options, record=True)
    if not len(kept):  # nothing to look up: the workers start while discovery walks on
        for result in _run(found, options, jobs):
            yield _keep(kept, result)
        return
    # Every file is looked up first, so that the workers get the rest in one go; a kept result becomes a
    # FileResult only when its turn comes (a monorepo's worth at once would hold every Dockerfile's text twice).
    slots: list[tuple[Found, tuple[str, object]] | None] = []
    missing: list[Found] = []
    for f in found:
        key = cache_key(options, f.path)
        hit = kept.get(f.path, key) if key is not None else None
        slots.append((f, hit) if hit is not None else None)
        if hit is None:
            missing.append(f)
    computed = _run(missing, options, jobs)
    for slot in slots:
        reused = _reuse(slot[0], options, slot[1]) if slot is not None else None
        if reused is None and slot is not None:  # not what _encode wrote: worked out here
            reused = _keep(kept, process(slot[0], options))
        yield reused if reused is not None else _keep(kept, next(computed))


def _reuse(found: Found, options: Options, hit: tuple[str, object]) -> FileResult | None:
    try:
        return _decode(found, options.context or found.path.parent, *hit)
    except Exception:  # not what _encode wrote (a planted or damaged file): worked out again
        return None


def _keep(kept: cache.ResultCache, result: FileResult) -> FileResult:
    if result.kept is None:
        return result
    kept.put(result.path, result.kept, _encode(result))  # encoded here: the workers send the texts once
    return replace(result, kept=None)


def _run(found: Iterable[Found], options: Options, jobs: int | None) -> Iterator[FileResult]:
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

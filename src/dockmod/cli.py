"""The command line: the only place that prints, colours, reads configuration and picks exit codes.

Exit codes: 0 ok · 1 changes pending (``--check``) · 2 errors (unreadable or unparsable file, usage,
registry failure).
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from dockmod import __version__

if TYPE_CHECKING:
    from rich.console import Console

    from dockmod import batch, report
    from dockmod import verify as verifying
    from dockmod.discover import Found

EXIT_OK = 0
EXIT_PENDING = 1
EXIT_ERROR = 2


def _fail(message: str) -> NoReturn:
    click.echo(f"dockmod: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


def _names(value: str | None) -> tuple[str, ...]:
    return tuple(n.strip() for n in value.split(",") if n.strip()) if value else ()


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="dockmod")
def main() -> None:
    """dockmod: a lossless codemod for Dockerfiles.

    \b
    Start with a dry run, which prints a diff and writes nothing:
        dockmod refactor .
    Apply the safe fixes:
        dockmod refactor --apply .
    Fail CI when fixes are pending:
        dockmod refactor --check .

    \b
    See what each transform does with `dockmod transforms` and `dockmod explain NAME`.
    """


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--apply",
    "apply_",
    is_flag=True,
    help="Rewrite files in place (atomically), once every file is worked out: what the dry run shows. A file "
    "changed since dockmod read it is left alone.",
)
@click.option("--check", is_flag=True, help="Write nothing; exit 1 when any file would change.")
@click.option("--select", metavar="A,B", help="Run only these transforms (pin-images runs only when selected).")
@click.option("--ignore", metavar="A,B", help="Skip these transforms.")
@click.option("--unsafe", is_flag=True, help="Also apply fixes marked unsafe (read their messages).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["diff", "json", "sarif"]),
    default="diff",
    show_default=True,
    help="Report format on stdout.",
)
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Parallel workers (default: CPU count).")
@click.option("--context", type=click.Path(path_type=Path, file_okay=False), help="Build context for every file.")
@click.option("--include", multiple=True, metavar="GLOB", help="Only files matching GLOB (repeatable).")
@click.option("--exclude", multiple=True, metavar="GLOB", help="Skip files matching GLOB (repeatable).")
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False), help="Configuration file.")
@click.option("--offline", is_flag=True, help="pin-images: use only the lock file and the cache.")
@click.option("--refresh", is_flag=True, help="pin-images: ask the registries even when the lock or cache knows.")
@click.option(
    "--insecure-registry", "insecure", multiple=True, metavar="HOST", help="pin-images: allow plain HTTP to HOST."
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Work every file out afresh (default: reuse the results of unchanged files, except with --apply).",
)
@click.option(
    "--show-fixes",
    is_flag=True,
    help="List every fix on stderr, file:line first, with its safety, whether it was applied and its message "
    "(what an unsafe fix would change, why advice is not applied).",
)
def refactor(
    paths: tuple[Path, ...],
    apply_: bool,
    check: bool,
    select: str | None,
    ignore: str | None,
    unsafe: bool,
    fmt: str,
    jobs: int | None,
    context: Path | None,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    config_path: Path | None,
    offline: bool,
    refresh: bool,
    insecure: tuple[str, ...],
    no_cache: bool,
    show_fixes: bool,
) -> None:
    """Refactor the Dockerfiles in PATHS (default: the current folder).

    Folders are searched for Dockerfile, Dockerfile.*, *.Dockerfile, *.dockerfile and Containerfile*,
    honouring .gitignore. Without --apply or --check this is a dry run: the unified diff goes to stdout and
    nothing is written. Each file's build context is its folder unless --context is given. Settings come from
    dockmod.toml or [tool.dockmod] in pyproject.toml, found from the current folder upwards. A file whose text,
    settings and build context are as in an earlier run gets that run's result again (--no-cache: work it out).
    """
    from dataclasses import replace

    from dockmod import batch, config, engine, report
    from dockmod.discover import discover
    from dockmod.transforms import TransformConfig, UnknownTransform

    if apply_ and check:
        raise click.UsageError("--apply and --check exclude each other")
    try:
        TransformConfig(select=_names(select), ignore=_names(ignore)).validate()
    except UnknownTransform as e:
        raise click.UsageError(str(e)) from None
    try:
        settings = config.load(config_path or config.find(Path.cwd()))
    except config.ConfigError as e:
        _fail(str(e))
    missing = [p for p in paths if not p.exists() and not p.is_symlink()]
    if missing:
        _fail(f"{missing[0]}: no such file or folder")
    diffs = fmt == "diff" and not apply_
    options = batch.Options(
        config=settings, select=_names(select), ignore=_names(ignore), unsafe=unsafe, context=context, diffs=diffs
    )
    walk = discover(paths or (Path("."),), include=include, exclude=exclude)
    # The files go to the workers as discovery finds them, unless the whole list is needed first: for the
    # registry lookups (once per batch) or for a progress bar's total.
    found: Sequence[Found] | None = None
    if batch.may_want_registry(options) or sys.stderr.isatty():
        found = list(walk)

    resolver = None
    if found is not None and batch.wants_registry(found, options):
        from dockmod.registry.lockfile import LockFileError, find_lock_path
        from dockmod.registry.resolver import Resolver

        try:
            resolver = Resolver.from_environment(
                lock_path=find_lock_path(settings.root), offline=offline, refresh=refresh, insecure_hosts=insecure
            )
        except LockFileError as e:
            _fail(str(e))
        options = replace(options, resolver=batch.prefetch(found, options, resolver))

    # Results of unchanged files from earlier runs (those pin-images works out are never kept). --apply uses them
    # too: it writes only once every file is worked out, so each result is what a dry run of the same tree gives.
    kept = None
    if not no_cache:
        from dockmod.cache import ResultCache, default_folder

        scope = [*map(str, paths or (Path("."),)), *(f"--include={g}" for g in include)]
        kept = ResultCache.open(default_folder(), [*scope, *(f"--exclude={g}" for g in exclude)])

    tally = report.Tally()
    collected: list[tuple[batch.FileResult, list[batch.Change]]] = []
    color = sys.stdout.isatty()
    claimed: set[Path] = set()
    # --apply writes after the last file is worked out: every file's fixes are then worked out from the tree as it
    # was (what the dry run showed), whatever -j, instead of from whatever other files' fixes had written by then
    # (a .dockerignore a sibling Dockerfile created, a Dockerfile another one's context reads).
    pending: list[tuple[int, batch.FileResult, list[batch.Change]]] = []
    try:
        with _progress(len(found) if found is not None else 0) as advance:
            for processed in batch.run(found if found is not None else walk, options, jobs=jobs, kept=kept):
                advance()
                result = processed
                outcome = result.outcome
                todo = batch.changes(result, claimed)
                if result.error is not None:
                    click.echo(f"dockmod: error: {result.error}", err=True)
                elif isinstance(outcome, engine.Failed):
                    click.echo(f"dockmod: error: {result.path}: {outcome.error}", err=True)
                elif isinstance(outcome, engine.Skipped):
                    click.echo(f"dockmod: {result.path}: skipped: {outcome.reason}", err=True)
                if diffs:
                    for change in todo:
                        _echo_diff(batch.diff(result, change), color)
                if show_fixes:
                    for line in report.fix_lines(result):
                        click.echo(line, err=True)
                if fmt != "diff":
                    collected.append((result, todo))
                if apply_ and todo:
                    pending.append((len(collected) - 1, result, todo))  # counted once written (or not)
                else:
                    tally.add(result)
        for index, result, todo in pending:
            written = _write(result, todo)
            if fmt != "diff":
                collected[index] = (written, todo)
            tally.add(written)
        if kept is not None:
            try:
                kept.save()
            except OSError as e:
                click.echo(f"dockmod: warning: could not write the cache {kept.file}: {e.strerror or e}", err=True)
        # The lock file records the digests written into files; a run that wrote none leaves it alone.
        lock = resolver.lock if resolver is not None else None
        if lock is not None and apply_ and tally.files["changed"] and lock.save():
            click.echo(f"dockmod: wrote {lock.path}", err=True)
    finally:
        if resolver is not None:
            resolver.close()
    if not tally.scanned:
        click.echo("dockmod: no Dockerfiles found", err=True)
        sys.exit(EXIT_OK)
    if fmt == "json":
        click.echo(json.dumps(report.json_report([r for r, _ in collected]), indent=2))
    elif fmt == "sarif":
        click.echo(json.dumps(report.sarif_report(collected, base=Path.cwd()), indent=2))
    _summary(tally, check=check, apply_=apply_, listed=show_fixes)
    if tally.files["failed"]:
        sys.exit(EXIT_ERROR)
    if check and tally.files["changed"]:
        sys.exit(EXIT_PENDING)
    sys.exit(EXIT_OK)


def _write(result: batch.FileResult, todo: list[batch.Change]) -> batch.FileResult:
    """Write ``result``'s changes; a file that cannot be written makes the result an error."""
    from dataclasses import replace

    from dockmod import files

    try:
        for change in todo:
            files.write_atomic(change.path, change.after, root=result.root, before=change.before)
    except files.FileError as e:
        click.echo(f"dockmod: error: {e}", err=True)
        return replace(result, outcome=None, error=str(e))
    applied = sum(1 for f in getattr(result.outcome, "fixes", ()) if f.applied)
    names = ", ".join(str(c.path) for c in todo)
    click.echo(f"dockmod: wrote {names} ({applied} fix{'es' if applied != 1 else ''})", err=True)
    return result


@contextlib.contextmanager
def _progress(total: int) -> Iterator[Callable[[], None]]:
    """A progress bar on stderr for long runs on a terminal; nothing otherwise."""
    if total < 50 or not sys.stderr.isatty():
        yield lambda: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=_stderr_console(),
        transient=True,
        # Output printed while the bar shows goes above it, but only what is bound for the terminal anyway:
        # `dockmod refactor . > changes.diff` must find its diffs in the file, not on the screen.
        redirect_stdout=sys.stdout.isatty(),
    ) as bar:
        task = bar.add_task("refactoring", total=total)
        yield lambda: bar.advance(task)


def _stderr_console() -> Console:
    from rich.console import Console

    return Console(stderr=True)


def _echo_diff(text: str, color: bool) -> None:
    if not color:
        sys.stdout.write(text)  # buffered: thousands of diffs in a batch
        return
    for line in text.splitlines(keepends=True):
        if line.startswith(("+++", "---")):
            click.echo(click.style(line, bold=True), nl=False)
        elif line.startswith("+"):
            click.echo(click.style(line, fg="green"), nl=False)
        elif line.startswith("-"):
            click.echo(click.style(line, fg="red"), nl=False)
        elif line.startswith("@@"):
            click.echo(click.style(line, fg="cyan"), nl=False)
        else:
            click.echo(line, nl=False)


def _summary(tally: report.Tally, *, check: bool, apply_: bool, listed: bool) -> None:
    counts = tally.files
    scanned = tally.scanned
    verb = "changed" if apply_ else "would change"
    parts = [f"{scanned} file{'s' if scanned != 1 else ''} scanned", f"{counts['changed']} {verb}"]
    for status in ("unchanged", "skipped", "failed"):
        if counts[status]:
            parts.append(f"{counts[status]} {status}")
    line = "dockmod: " + ", ".join(parts)
    pending = sum(tally.unsafe.values())
    if pending:
        line += f"; {pending} unsafe fix{'es' if pending != 1 else ''} available with --unsafe"
        line += "" if listed else " (--show-fixes says what each would change)"
    click.echo(line, err=True)
    rows = tally.rows()
    if not rows:
        return
    from rich.table import Table

    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("  transform", "applied" if apply_ else "fixes", "unsafe available", "advice"):
        table.add_column(column, justify="left" if column == "  transform" else "right")
    for name, applied, unsafe, shown in rows:
        table.add_row(f"  {name}", str(applied), str(unsafe), str(shown))
    _stderr_console().print(table)


@main.command()
@click.argument("path", type=click.Path(path_type=Path, exists=True))
@click.option("--context", type=click.Path(path_type=Path, file_okay=False, exists=True), help="Build context.")
@click.option("--select", metavar="A,B", help="Verify only these transforms' changes.")
@click.option("--ignore", metavar="A,B", help="Leave these transforms out.")
@click.option("--unsafe", is_flag=True, help="Include fixes marked unsafe (the point of verifying them).")
@click.option(
    "--builder", type=click.Choice(["auto", "buildah", "docker"]), default="auto", show_default=True,
    help="Image builder: docker buildx when a daemon answers, else buildah.",
)  # fmt: skip
@click.option("--smoke", "smoke_cmd", metavar="CMD", help="Smoke command run in both images (default: their CMD).")
@click.option("--http", "http", metavar="PORT[/PATH]", help="Smoke check: start the server and GET PORT/PATH.")
@click.option("--no-smoke", is_flag=True, help="Skip the smoke check.")
@click.option("--no-rebuild", is_flag=True, help="Skip the rebuild measurement after a source-only change.")
@click.option("--timeout", type=float, default=30.0, show_default=True, help="Smoke check timeout in seconds.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def verify(
    path: Path,
    context: Path | None,
    select: str | None,
    ignore: str | None,
    unsafe: bool,
    builder: str,
    smoke_cmd: str | None,
    http: str | None,
    no_smoke: bool,
    no_rebuild: bool,
    timeout: float,
    fmt: str,
) -> None:
    """Prove a refactoring by building: the original and refactored images must build, start and answer alike.

    Refactors PATH (a Dockerfile, or a folder with one) in memory, builds both versions with the machine's
    builder, and compares the image config (CMD, ENTRYPOINT, ENV, EXPOSE, WORKDIR, USER; changes the fixes
    intend are allowed), a smoke check, the image sizes, and the rebuild after a source-only change (the
    cache benefit). Nothing is written. Exit 0 when proven, 1 when a check fails, 2 on errors.
    """
    import shlex
    from dataclasses import asdict

    from dockmod import batch, config, engine
    from dockmod import verify as verifying
    from dockmod.discover import Found

    dockerfile = path / "Dockerfile" if path.is_dir() else path
    try:
        settings = config.load(config.find(Path.cwd()))
    except config.ConfigError as e:
        _fail(str(e))
    options = batch.Options(
        config=settings, select=_names(select), ignore=_names(ignore), unsafe=unsafe, context=context
    )
    result = batch.process(Found(dockerfile, Path.cwd().resolve()), options)
    outcome = result.outcome
    if result.error is not None:
        _fail(result.error)
    if isinstance(outcome, engine.Failed):
        _fail(f"{dockerfile}: {outcome.error}")
    if not isinstance(outcome, engine.Changed):
        click.echo(f"dockmod: {dockerfile}: nothing to verify (no fix applies)", err=True)
        sys.exit(EXIT_OK)
    found = verifying.find_builder(builder)  # type: ignore[arg-type]
    if isinstance(found, verifying.NoBuilder):
        _fail(found.message)
    smoke: verifying.Smoke | None = None
    if not no_smoke:
        if http:
            port, _, route = http.partition("/")
            if not port.isdigit():
                raise click.UsageError("--http takes PORT or PORT/PATH")
            smoke = verifying.HttpSmoke(port=int(port), path="/" + route, ready_timeout_s=max(timeout, 60.0))
        else:
            argv = tuple(shlex.split(smoke_cmd)) if smoke_cmd else None
            smoke = verifying.CommandSmoke(argv=argv, timeout_s=timeout)
    applied = {f.transform for f in outcome.fixes if f.applied}
    intended, intended_env = verifying.intended_changes(outcome.before, outcome.after, applied)
    verify_options = verifying.VerifyOptions(
        smoke=smoke, intended=intended, intended_env=intended_env, rebuild=not no_rebuild
    )
    build_context = result.context or dockerfile.parent
    with _status() as say:
        try:
            report = verifying.verify(
                outcome.before,
                outcome.after,
                build_context,
                builder=found,
                options=verify_options,
                progress=say,
                after_files={k: v.after for k, v in outcome.files.items()},
            )
        except verifying.VerifyError as e:
            _fail(str(e))
    if fmt == "json":
        click.echo(json.dumps(asdict(report), indent=2, default=str))
    else:
        _echo_verify(dockerfile, report, sorted(applied))
    sys.exit(EXIT_OK if report.ok else EXIT_PENDING)


@contextlib.contextmanager
def _status() -> Iterator[Callable[[str], None]]:
    """Progress lines for long steps: a spinner on a terminal, plain lines on stderr otherwise."""
    if not sys.stderr.isatty():

        def line(message: str) -> None:
            click.echo(f"dockmod: {message}", err=True)

        yield line
        return
    with _stderr_console().status("verifying") as status:
        yield status.update


def _echo_verify(dockerfile: Path, report: verifying.VerifyReport, applied: list[str]) -> None:
    def size(image: verifying.ImageReport) -> str:
        value = image.info.size_bytes if image.info is not None else None
        return "?" if value is None else f"{value / 1e6:.1f} MB"

    out = [f"{dockerfile}: {'proven' if report.ok else 'NOT proven'} with {report.builder} ({', '.join(applied)})"]
    for label, image in (("original", report.before), ("refactored", report.after)):
        state = "builds" if image.build.ok else "does not build"
        out.append(f"  {label:10} {state} in {image.build.duration_s:.1f} s, {size(image)}")
    for change in report.config_changes:
        out.append(f"  config {'(intended) ' if change.intended else ''}{change.describe()}")
    if report.smoke_matches is not None:
        out.append(f"  smoke check {'matches' if report.smoke_matches else 'differs'}")
    rebuild = report.rebuild
    if rebuild is not None:
        speedup = f" ({rebuild.speedup:.1f}x)" if rebuild.speedup else ""
        out.append(
            f"  rebuild after changing {rebuild.changed_file}: {rebuild.before.duration_s:.1f} s -> "
            f"{rebuild.after.duration_s:.1f} s{speedup}; dependency install cached: "
            f"{rebuild.before_install_cached} -> {rebuild.after_install_cached}"
        )
    out += [f"  problem: {p}" for p in report.problems]
    out += [f"  note: {n}" for n in report.notes]
    click.echo("\n".join(out))


@main.command()
def transforms() -> None:
    """List the transforms: name, best safety, whether it runs by default, summary."""
    from rich.console import Console
    from rich.table import Table

    from dockmod.config import default_selection
    from dockmod.transforms import ALL

    defaults = default_selection()
    table = Table(box=None, header_style="bold")
    for column in ("name", "safety", "default", "summary"):
        table.add_column(column)
    for t in ALL:
        table.add_row(t.name, t.safety.label, "yes" if t.name in defaults else "when selected", t.summary)
    Console(width=max(120, Console().width)).print(table)


@main.command()
@click.argument("name")
def explain(name: str) -> None:
    """Print the page of transform NAME (what it does, why, an example, its safety)."""
    from dockmod.transforms import by_name, page

    if name not in by_name():
        raise click.UsageError(f"unknown transform {name!r}; known: {', '.join(by_name())}")
    click.echo(page(name), nl=False)


@main.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
def parse(file: Path, fmt: str) -> None:
    """Show what BuildKit sees in FILE, instruction by instruction.

    The JSON format is a stable contract (see the README): directives, then for each instruction its keyword,
    lines, flags, arguments as BuildKit splits them, exec form, ENV/LABEL pairs, heredocs, ONBUILD trigger.
    """
    from dockmod import files
    from dockmod.cst import ParseError
    from dockmod.cst import parse as parse_text
    from dockmod.report import parse_json

    try:
        source = files.read(file)
        tree = parse_text(source.text)
    except files.FileError as e:
        _fail(str(e))
    except ParseError as e:
        _fail(f"{file}: {e}")
    data = parse_json(tree)
    if fmt == "json":
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(box=None, header_style="bold")
    for column in ("lines", "keyword", "flags", "arguments"):
        table.add_column(column)
    for d in data["directives"]:
        table.add_row("", f"# {d['name']}", "", d["value"])
    for ins in data["instructions"]:
        lines = f"{ins['line']}" if ins["line"] == ins["end_line"] else f"{ins['line']}-{ins['end_line']}"
        args = " ".join(json.dumps(a, ensure_ascii=False) for a in ins["args"])
        if ins["json"]:
            args = "exec " + args
        if ins.get("onbuild"):
            args = "-> " + ins["onbuild"]["keyword"] + " " + " ".join(ins["onbuild"]["args"])
        for h in ins["heredocs"]:
            args += f" <<{h['name']} ({len(h['content'].splitlines())} lines)"
        table.add_row(lines, ins["keyword"], " ".join(ins["flags"]), args)
    Console(width=max(120, Console().width)).print(table)


if __name__ == "__main__":
    main()

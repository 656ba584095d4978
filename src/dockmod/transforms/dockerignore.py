"""``dockerignore``: keep what the build does not need out of the build context.

Creates ``.dockerignore`` at the root of the build context when it has none, or adds the missing entries to
an existing one: version control and CI files, editor folders, logs, local environments and dependency
folders of the detected ecosystems, and build outputs when the Dockerfile builds them itself. It never
excludes a file or folder the Dockerfile names in a COPY or ADD, nor one that another Dockerfile sharing the
context names. See ``transforms/dockerignore.md``.
"""

from __future__ import annotations

import fnmatch
import functools
import posixpath
import re
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import ClassVar, Final

from dockmod.context import BuildContext, Context, DirectoryContext, DockerIgnore
from dockmod.cst import Add, Copy, Dockerfile, Instruction, Onbuild, ParseError, Run, parse
from dockmod.discover import is_dockerfile_name
from dockmod.transforms import _managers
from dockmod.transforms._base import FileEdit, Fix, Safety

IGNORE_FILE = ".dockerignore"

# (pattern, why, always): worth leaving out of any build context. Entries marked ``always`` are added even
# when absent today (they guard the next build: a .git folder, a .env file); the others only when present.
_COMMON: Final = (
    (".git", "version control", True),
    (".env", "local secrets", True),
    (".hg", "version control", False),
    (".svn", "version control", False),
    (".github", "CI configuration", False),
    (".gitlab-ci.yml", "CI configuration", False),
    (".circleci", "CI configuration", False),
    (".idea", "editor settings", False),
    (".vscode", "editor settings", False),
    ("**/.DS_Store", "editor settings", False),
    ("**/*.log", "logs", False),
    (".env.*", "local secrets", False),
    ("docker-compose*.yml", "local orchestration", False),
    ("compose*.yaml", "local orchestration", False),
)
# Per ecosystem, detected from manifests in the context or the tools the Dockerfile runs.
_ECOSYSTEMS: Final[dict[str, tuple[tuple[str, str, bool], ...]]] = {
    "node": (("node_modules", "installed by the build", True), ("npm-debug.log*", "logs", False),
             ("yarn-error.log", "logs", False), ("coverage", "test output", False)),
    "python": (("**/__pycache__", "bytecode", True), ("**/*.py[cod]", "bytecode", False),
               (".venv", "local environment", True), ("venv", "local environment", False),
               (".pytest_cache", "cache", False), (".mypy_cache", "cache", False), (".ruff_cache", "cache", False),
               (".tox", "test environments", False), ("*.egg-info", "build metadata", False)),
    "ruby": ((".bundle", "local settings", False), ("log", "logs", False), ("tmp", "temporary files", False)),
    "java": ((".gradle", "cache", False),),
}  # fmt: skip
# Build outputs: excluded only when the Dockerfile runs the build itself (otherwise they may be what it copies).
_BUILD_OUTPUTS: Final[dict[str, tuple[str, ...]]] = {
    "npm": ("dist", "build", ".next"),
    "yarn": ("dist", "build", ".next"),
    "pnpm": ("dist", "build", ".next"),
    "maven": ("target",),
    "gradle": ("build",),
    "cargo": ("target",),
}
_DEPENDENCY_FOLDERS: Final[dict[str, tuple[str, ...]]] = {"composer": ("vendor",)}
_BUILT: Final = "built inside the image"


@dataclass(frozen=True)
class Dockerignore:
    """Create or extend the build context's .dockerignore."""

    name: ClassVar[str] = "dockerignore"
    summary: ClassVar[str] = (
        "create or extend .dockerignore so the build context leaves out what the build does not need"
    )
    safety: ClassVar[Safety] = Safety.SAFE

    def check(self, tree: Dockerfile, ctx: Context) -> Iterator[Fix]:
        build = ctx.build
        listing = build.listdir()
        if not listing:
            return  # no build context to look at (or an empty one)
        if build.exists("Dockerfile.dockerignore") or _own_ignore_file(ctx):
            return  # a Dockerfile-specific ignore file takes precedence; leave it to its owner
        existing = build.read_text(IGNORE_FILE)
        current = DockerIgnore.parse(existing or "")
        # Every Dockerfile built from this context reads the same file: what one leaves out, all lose.
        sharing = _sharing(tree, ctx, listing)
        uses = [_uses(t) for _, t in sharing]
        # What Dockerfiles in folders below copy by name is kept too: built with this folder as their context
        # (`docker build -f deploy/Dockerfile .` in a Makefile), they read this file (a real build of such a
        # deploy/Dockerfile lost the dist/ it copies). Built from their own folder, keeping it costs nothing.
        members = {name for name, _ in sharing}
        nested = [
            src for name, t in _below(build, listing).dockerfiles if name not in members for src in _uses(t).copied
        ]
        copied, links = _matched(build, [src for u in uses for src in u.copied] + nested)
        whole = any(u.whole for u in uses)
        names = [n.rstrip("/") for n in listing]
        wanted: list[tuple[str, str]] = []
        for pattern, why, always in _shared_candidates(uses, frozenset(listing)):
            if not always and not _present(build, names, pattern):
                continue
            probe = pattern.replace("**/", "").replace("*", "x").replace("[cod]", "c")
            if current.ignored(probe):
                continue  # already excluded
            rule = DockerIgnore.parse(pattern)
            kept = [src for src in copied if rule.ignored(src) or src.startswith(probe + "/")]
            if kept:
                # Never exclude what a Dockerfile copies by name. Through a link the copy is easy to miss (the
                # COPY names `docker/app.env`, the image gets `.env`): say why the entry is not proposed.
                linked = next((links[src] for src in kept if src in links), None)
                if linked is not None:
                    yield _kept_for_link(tree, pattern, why, linked, kept[0])
                continue
            wanted.append((pattern, why))
        if not wanted:
            return
        # What the excluded entries take out of the image: with the whole context copied, anything they match
        # (also deep inside: `**/*.log` under app/samples/); otherwise what they match inside a copied folder.
        present = [p for p, _ in wanted if _reaches(build, names, p, whole, copied)]
        whole = whole or bool(present)
        shared = f" (for {', '.join(n for n, _ in sharing)}, which share it)" if len(sharing) > 1 else ""
        if whole and present:
            # The image stops containing these: usually junk, but an app could read them (a .git SHA, a .env).
            absent = [p for p, _ in wanted if p not in present]
            if absent:
                # What is absent today changes no image: that part is safe on its own (it guards the next build,
                # and lets lockfile-first's move be safe), and the rest follows in the next pass.
                yield _edit(existing, absent, "", shared)
            note = _lost(build, names, present, [src for u in uses for src in u.mounted])
            yield _edit(existing, [p for p, _ in wanted], note, shared, Safety.UNSAFE)
        else:
            yield _edit(existing, [p for p, _ in wanted], "", shared)


_HEADER: Final = "# Keep the build context small: what the image does not need.\n"


def _edit(existing: str | None, patterns: list[str], note: str, shared: str, safety: Safety = Safety.SAFE) -> Fix:
    """The fix that creates .dockerignore with ``patterns``, or adds them to the existing file."""
    lines = "".join(f"{p}\n" for p in patterns)
    if existing:
        sep = "" if existing.endswith("\n") else "\n"
        # A file dockmod wrote (an earlier pass of this run) grows without a second heading.
        after = existing + sep + ("" if existing.startswith(_HEADER) else "# Added by dockmod\n") + lines
        verb = f"add {', '.join(patterns)} to {IGNORE_FILE}"
    else:
        after = _HEADER + lines
        verb = f"create {IGNORE_FILE} leaving out {', '.join(patterns)}"
    return Fix(message=verb + note + shared, safety=safety, files={IGNORE_FILE: FileEdit(existing, after)})


def _own_ignore_file(ctx: Context) -> bool:
    """BuildKit reads ``<name>.dockerignore`` beside a Dockerfile called ``<name>``."""
    name = _file_name(ctx)
    return name.lower() != "dockerfile" and ctx.build.exists(f"{name}.dockerignore")


def _file_name(ctx: Context) -> str:
    return ctx.path.replace("\\", "/").rsplit("/", 1)[-1]


def _sharing(tree: Dockerfile, ctx: Context, listing: tuple[str, ...]) -> list[tuple[str, Dockerfile]]:
    """This Dockerfile and the others that read ``.dockerignore`` too: those on the context's top folder and those a
    compose file there names (not those with a ``<name>.dockerignore`` of their own, nor files that do not parse:
    BuildKit could not build them), by name. All of them propose the same edit, so one run writes what the whole
    folder needs."""
    build = ctx.build
    own = _file_name(ctx)
    members = {own: tree}
    for name in [*listing, *_below(build, listing).compose]:
        if name == own or name.endswith("/") or name in members or ("/" not in name and not _maybe_dockerfile(name)):
            continue
        if build.exists(f"{name}.dockerignore"):
            continue
        text = build.read_text(name)
        other = _parsed(text) if text is not None else None
        if other is not None:
            members[name] = other
    return sorted(members.items())


@functools.lru_cache(maxsize=4096)
def _maybe_dockerfile(name: str) -> bool:
    """A file that may be a Dockerfile built from this folder: the names discovery knows, and looser ones people use
    (`Dockerfile-dev`, `Dockerfile_dev`, `dev.containerfile`: a real build of such a sibling lost the `.env` it
    copies). Counting too many only leaves more out of the file."""
    low = name.lower()
    if is_dockerfile_name(name):
        return True
    return ("dockerfile" in low or "containerfile" in low) and not low.endswith(_NOT_DOCKERFILES)


_NOT_DOCKERFILES: Final = (".md", ".txt", ".rst", ".yml", ".yaml", ".json", ".toml", ".sh", ".py", ".dockerignore")
_NOT_PROJECT_FOLDERS: Final = frozenset({"node_modules", "vendor", "target", "dist", "build", "venv", "__pycache__"})
_COMPOSE_FILE: Final = re.compile(r"(?:docker-)?compose[\w.-]*\.ya?ml")
_COMPOSE_DOCKERFILE: Final = re.compile(r"\bdockerfile:\s*[\"']?([^\"'\s,}#]+)")


@dataclass(frozen=True, slots=True)
class _Below:
    """What the folders below the context's top hold that matters here: Dockerfiles a compose file names, and
    Dockerfiles (parsed) that may be built with this folder as their context."""

    compose: list[str]
    dockerfiles: list[tuple[str, Dockerfile]]


# The answer per build context on disk: every pass of every Dockerfile there asks, and a run changes no compose file
# or Dockerfile below (it writes .dockerignore only), so it is read once (the folders it lists cost a fifth of this
# transform's time).
_BELOW_CACHE: weakref.WeakKeyDictionary[DirectoryContext, _Below] = weakref.WeakKeyDictionary()


def _below(build: BuildContext, listing: tuple[str, ...]) -> _Below:
    disk: object = build
    while not isinstance(disk, DirectoryContext) and hasattr(disk, "base"):
        disk = disk.base
    if isinstance(disk, DirectoryContext):
        found = _BELOW_CACHE.get(disk)
        if found is None:
            found = _BELOW_CACHE[disk] = _find_below(disk, disk.listdir())
        return found
    return _find_below(build, listing)


def _find_below(build: BuildContext, listing: tuple[str, ...]) -> _Below:
    files = _files_below(build, listing)
    nested = []
    for name in files:
        if _maybe_dockerfile(name.rsplit("/", 1)[-1]):
            text = build.read_text(name)
            tree = _parsed(text) if text is not None else None
            if tree is not None:
                nested.append((name, tree))
    return _Below(_find_compose_dockerfiles(build, listing, files), nested)


def _files_below(build: BuildContext, listing: tuple[str, ...]) -> list[str]:
    """The files of the folders one and two levels below the top (not dot folders nor installed dependencies)."""
    folders = [n.rstrip("/") for n in listing if n.endswith("/") and not n.startswith(".")]
    files: list[str] = []
    for depth in range(2):
        below: list[str] = []
        for folder in (f for f in folders if f.rsplit("/", 1)[-1] not in _NOT_PROJECT_FOLDERS):
            entries = build.listdir(folder)
            files += [f"{folder}/{n}" for n in entries if not n.endswith("/")]
            below += [f"{folder}/{n.rstrip('/')}" for n in entries if n.endswith("/") and not n.startswith(".")]
        folders = below if depth == 0 else []
    return files


def _find_compose_dockerfiles(build: BuildContext, listing: tuple[str, ...], below: list[str]) -> list[str]:
    """Dockerfiles elsewhere in the context that a compose file names (`dockerfile: docker/worker.Dockerfile`), built
    from this context they read this .dockerignore too (a real build of such a worker lost the `.env` it copies).
    Compose files on top and up to two folders down count (`deploy/docker-compose.yml` with `context: ..`,
    `services/worker/compose.yaml` with `context: ../..`, what a top file `include`s). The path is relative to the
    service's build context, which a pattern cannot pair with it: it is taken from the top and from the compose
    file's folder and each folder above it, whichever exists; that over-counts, which only leaves more out."""
    files = [name for name in listing if _COMPOSE_FILE.fullmatch(name)]
    files += [name for name in below if _COMPOSE_FILE.fullmatch(name.rsplit("/", 1)[-1])]
    out: set[str] = set()
    for name in files:
        bases = [""]
        here = posixpath.dirname(name)
        while here:
            bases.append(here)
            here = posixpath.dirname(here)
        for m in _COMPOSE_DOCKERFILE.finditer(build.read_text(name) or ""):
            for base in bases:
                path = posixpath.normpath(posixpath.join(base, m.group(1))).removeprefix("./")
                if not path.startswith(("..", "/")) and build.exists(path) and not build.is_dir(path):
                    out.add(path)
    return sorted(out)


@functools.lru_cache(maxsize=256)
def _parsed(text: str) -> Dockerfile | None:
    try:
        return parse(text)
    except ParseError:
        return None


def _shared_candidates(uses: list[_Uses], names: frozenset[str]) -> list[tuple[str, str, bool]]:
    """Every Dockerfile's candidates, in order; a build output only when every one of them builds it (to
    another, it may be what it copies)."""
    per_file = [_candidates(u, names) for u in uses]
    out: dict[tuple[str, str, bool], None] = {}
    for candidates in per_file:
        for candidate in candidates:
            if candidate[1] != _BUILT or all(candidate in others for others in per_file):
                out[candidate] = None
    return list(out)


@dataclass(frozen=True, slots=True)
class _Uses:
    """What a Dockerfile's own text says about its context: the tools it runs, which of them build, what it
    copies or bind-mounts by name, whether it may copy everything, and the sources its RUN lines bind-mount."""

    managers: frozenset[str]
    builds: frozenset[str]
    copied: tuple[str, ...]
    whole: bool
    mounted: tuple[str, ...] = ()


def _uses(tree: Dockerfile) -> _Uses:
    # Once per tree: the other Dockerfiles of a folder are parsed once (``_parsed``) and asked by each file.
    return tree.memo("dockerignore-uses", lambda: _find_uses(tree))


def _find_uses(tree: Dockerfile) -> _Uses:
    managers = _managers_used(tree)
    builds = frozenset(m for m in managers if m in _BUILD_OUTPUTS and _builds(tree, m))
    mounted = tuple(src for ins, src in _context_sources(tree) if _mounts(tree, ins))
    return _Uses(frozenset(managers), builds, tuple(_copied_sources(tree)), _copies_whole_context(tree), mounted)


def _candidates(uses: _Uses, names: frozenset[str]) -> list[tuple[str, str, bool]]:
    managers = uses.managers
    ecosystems = set()
    if "package.json" in names or managers & {"npm", "yarn", "pnpm"}:
        ecosystems.add("node")
    if names & {"requirements.txt", "pyproject.toml", "setup.py", "Pipfile"} or managers & {
        "pip",
        "poetry",
        "uv",
        "pipenv",
    }:
        ecosystems.add("python")
    if "Gemfile" in names or "bundler" in managers:
        ecosystems.add("ruby")
    if names & {"build.gradle", "build.gradle.kts", "settings.gradle"} or "gradle" in managers:
        ecosystems.add("java")
    out = list(_COMMON)
    for ecosystem in sorted(ecosystems):
        out += _ECOSYSTEMS[ecosystem]
    for manager in sorted(managers):
        if manager in uses.builds:
            out += [(folder, _BUILT, False) for folder in _BUILD_OUTPUTS[manager]]
        for folder in _DEPENDENCY_FOLDERS.get(manager, ()):
            out.append((folder, "installed by the build", True))
    return list(dict.fromkeys(out))


def _managers_used(tree: Dockerfile) -> set[str]:
    found: set[str] = set()
    for ins in tree.instructions:
        if isinstance(ins, Run):
            script = _managers.run_script(tree, ins)
            if script is not None:
                found |= {i.manager for i in script.invocations}
    return found


def _builds(tree: Dockerfile, manager: str) -> bool:
    for ins in tree.instructions:
        if isinstance(ins, Run):
            script = _managers.run_script(tree, ins)
            if script is not None and any(i.manager == manager and i.role == "build" for i in script.invocations):
                return True
    return False


def _context_sources(tree: Dockerfile) -> tuple[tuple[Copy | Add | Run | Onbuild, str], ...]:
    """Each build-context source an instruction reads, as written: those of a COPY or ADD, and that of a RUN's bind
    mount (`--mount=type=bind,source=.git,target=/tmp/git`; without a source, the whole context), which BuildKit
    reads through .dockerignore too (moby/buildkit#940: a left-out .git is "not found"). Not those taken `from=`
    another stage or image. An ONBUILD trigger's too: a stage built FROM the one that has it runs it with this
    context (a real build's `ONBUILD COPY . .` lost the .env the app read)."""
    return tree.memo("dockerignore-sources", functools.partial(tuple, _find_context_sources(tree)))


def _find_context_sources(tree: Dockerfile) -> Iterator[tuple[Copy | Add | Run | Onbuild, str]]:
    for ins in tree.instructions:
        if not isinstance(ins, Copy | Add | Run | Onbuild) or (isinstance(ins, Run) and not ins.flags):
            continue
        view = tree.view(ins)
        if isinstance(ins, Onbuild):
            if view.onbuild is None:
                continue
            view = view.onbuild
        if view.keyword in ("COPY", "ADD"):
            if view.flag("from") is None:
                for src in view.args[:-1]:
                    yield ins, src
        elif view.keyword == "RUN":
            for flag in view.flags:
                if flag.name != "mount":
                    continue
                options = flag.options  # BuildKit's default type is bind
                if options.get("type", "bind").lower() == "bind" and "from" not in options:
                    yield ins, options.get("source", options.get("src", "")) or "."


def _mounts(tree: Dockerfile, ins: Instruction) -> bool:
    """Whether ``ins`` (one of `_context_sources`) reads its source through a RUN's bind mount."""
    view = tree.view(ins)
    return (view.onbuild.keyword if view.onbuild is not None else view.keyword) == "RUN"


def _copied_sources(tree: Dockerfile) -> list[str]:
    """Context paths COPY/ADD and RUN bind mounts name explicitly (not the whole context)."""
    return _named_paths(src for _ins, src in _context_sources(tree))


def _named_paths(sources: Iterable[str]) -> list[str]:
    out = []
    for src in sources:
        path = src.strip("/").removeprefix("./")
        if path and path != ".":
            out.append(path)
    return out


def _lost(build: BuildContext, names: list[str], present: list[str], mounted: list[str]) -> str:
    """Why leaving out the entries ``present`` today is unsafe: the image no longer contains what the COPY lines
    copy, and a RUN bind mount (of the sources ``mounted``) no longer sees what it reads, although what the RUN
    makes of it may be all the image keeps (a revision read from .git, settings from .env)."""
    whole, folders = any(_whole(src) for src in mounted), _named_paths(mounted)
    seen = [p for p in present if _reaches(build, names, p, whole, folders)]
    copied = [p for p in present if p not in seen]
    reasons = []
    if copied:
        reasons.append(f"the image will no longer contain {', '.join(copied)}, which the COPY lines copy today")
    if seen:
        reasons.append(f"the build will no longer see {', '.join(seen)}, which RUN bind mounts read today")
    return "; unsafe: " + "; ".join(reasons)


def _copies_whole_context(tree: Dockerfile) -> bool:
    """Whether a COPY/ADD (or a RUN bind mount) may read any top entry of the context: ``.`` (``./.``), a wildcard
    on top (``*``, which matches `.env` too: a real build lost it), or a variable (``COPY ${SRC} /app`` with ``ARG
    SRC=.``)."""
    return any(_whole(src) for _ins, src in _context_sources(tree))


def _whole(source: str) -> bool:
    path = posixpath.normpath(source.strip("/") or ".")
    top = path.split("/", 1)[0]
    # `..` climbs no higher than the context: `COPY .. /app` copies all of it (a real build lost its .env).
    return path == "." or top == ".." or "$" in source or any(c in top for c in "*?[")


def _kept_for_link(tree: Dockerfile, pattern: str, why: str, link: str, target: str) -> Fix:
    """The advice that ``pattern`` is not proposed because a copied symlink, ``link``, points into it."""
    message = f"{pattern} ({why}) is not left out: the copied {link} is a link to {target}, so the image gets it"
    copying = next((ins for ins, src in _context_sources(tree) if src.strip("/") == link), None)
    return Fix(message=message, safety=Safety.DISPLAY_ONLY, replace={copying: (copying,)} if copying else {})


def _matched(build: BuildContext, sources: list[str]) -> tuple[list[str], dict[str, str]]:
    """``sources`` with their wildcards matched against the context: `COPY package*.json .env* ./` copies
    `.env.production`, which an `.env.*` entry would take out (a real build then failed: no items matching).
    Also the targets of copied symlinks, and by each target the link that brings it."""
    out = []
    for source in sources:
        out.append(source)
        if any(c in source for c in "*?["):
            folder, _, pattern = source.rpartition("/")
            if not any(c in folder for c in "*?["):
                match = _glob(pattern)
                out += [
                    posixpath.join(folder, e.rstrip("/")) for e in build.listdir(folder) if match.match(e.rstrip("/"))
                ]
    # A copied symlink brings its target: `docker/app.env -> ../.env` (real builds failed with "copied no items"
    # once the target was left out: the link itself is sent, what it points to is not).
    links: dict[str, str] = {}
    for source in list(out):
        target = build.link(source.strip("/")) if "$" not in source and not any(c in source for c in "*?[") else None
        if target is not None and not target.startswith(("/", "..")):
            out.append(target)
            links.setdefault(target, source.strip("/"))
    return out, links


def _reaches(build: BuildContext, names: list[str], pattern: str, whole: bool, copied: list[str]) -> bool:
    """Whether files ``pattern`` matches reach the image today: anywhere in the context when the whole context is
    copied, or below a folder a COPY names (a real build lost `app/samples/access.log` to `**/*.log`)."""
    if whole and _present(build, names, pattern):
        return True
    if not pattern.startswith("**/"):
        return False
    roots = [""] if whole else [c for c in copied if build.is_dir(c)]
    return any(_found_below(build, root, _glob(pattern.removeprefix("**/"))) for root in roots)


_WALK_LIMIT: Final = 5000  # entries looked at below one folder; past it, a match is assumed


def _found_below(build: BuildContext, root: str, match: re.Pattern[str]) -> bool:
    """Whether a file or folder below ``root`` has a name ``match`` matches (bounded: assumed past the limit)."""
    queue = [root]
    seen = 0
    while queue:
        folder = queue.pop()
        for entry in build.listdir(folder):
            seen += 1
            if seen > _WALK_LIMIT:
                return True
            name = entry.rstrip("/")
            if match.match(name):
                return True
            if entry.endswith("/"):
                queue.append(f"{folder}/{name}" if folder else name)
    return False


def _present(build: BuildContext, names: list[str], pattern: str) -> bool:
    """Whether an entry of the context's top folder (``names``) matches ``pattern`` (``**/``: on top)."""
    if "*" in pattern or "[" in pattern or "?" in pattern:
        return any(map(_glob(pattern.removeprefix("**/")).match, names))
    # A name without a folder in it is on top, where ``names`` already says: ask the context only about paths.
    name = pattern.strip("/")
    return name in names or ("/" in name and build.exists(name))


@functools.lru_cache(maxsize=128)
def _glob(pattern: str) -> re.Pattern[str]:
    return re.compile(fnmatch.translate(pattern))

"""Proof by building: build the original and the refactored Dockerfile, compare the images, measure.

``dockmod verify`` calls :func:`verify` with both texts (the engine has already refactored the file) and a
build context. It builds both with the builder found on the machine (:func:`find_builder`: ``docker buildx``
where a Docker daemon answers, else buildah), then reports, as a frozen :class:`VerifyReport`:

- whether both build (with the log, the duration and the image id);
- the final image's config (CMD, ENTRYPOINT, ENV, EXPOSE, WORKDIR, USER): every difference, marked intended
  when the caller said that field may change (``USER`` when a non-root transform ran);
- the image sizes;
- a smoke check run in a container of each image (:class:`CommandSmoke`: a command, by default the image's
  own ENTRYPOINT + CMD, with a timeout; :class:`HttpSmoke`: start the server and GET a path once the port
  answers), whose observable results must be equal;
- the rebuild after a source-only change: a copy of the context with one source file changed is built again
  with both Dockerfiles; the report has both durations and whether the dependency-install step came from the
  layer cache (read from the build log: buildah prints ``--> Using cache`` and BuildKit ``#N CACHED`` for
  such a step).

Nothing here prints (the CLI does) and nothing reads configuration files; failures of a build or of a smoke
check are values in the report, and :class:`VerifyError` is raised only when the builder itself misbehaves
(an ``inspect`` that fails, a container that cannot be created).

buildah runs with chroot isolation: no daemon, no user namespace, no network namespace. A server started by
:class:`HttpSmoke` therefore listens on the host's own network; the smoke checks run one after the other and
refuse to start when the port is already taken.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from http.client import HTTPException
from pathlib import Path, PurePosixPath
from typing import IO, ClassVar, Final, Literal, Protocol

__all__ = [
    "CONFIG_FIELDS",
    "INSTALL_STEP",
    "BuildOutcome",
    "BuildStep",
    "Buildah",
    "Builder",
    "BuilderChoice",
    "CommandSmoke",
    "ConfigChange",
    "ConfigField",
    "DockerBuildx",
    "HttpSmoke",
    "ImageConfig",
    "ImageInfo",
    "ImageReport",
    "NoBuilder",
    "RebuildReport",
    "Smoke",
    "SmokeResult",
    "VerifyError",
    "VerifyOptions",
    "VerifyReport",
    "compare_configs",
    "find_builder",
    "install_steps",
    "intended_changes",
    "parse_build_steps",
    "pick_source_file",
    "verify",
]

ConfigField = Literal["Cmd", "Entrypoint", "Env", "ExposedPorts", "WorkingDir", "User"]
CONFIG_FIELDS: Final[tuple[ConfigField, ...]] = (
    "Cmd",
    "Entrypoint",
    "Env",
    "ExposedPorts",
    "WorkingDir",
    "User",
)

BuilderChoice = Literal["auto", "buildah", "docker"]

# A RUN step that installs dependencies from manifests/lock files (REFERENCE.md §2's install commands). Build
# steps that also download (`mvn package`, `go build`) are deliberately absent: after a lockfile-first
# refactoring they follow the source copy and must re-run, while the install step before it must not.
INSTALL_STEP: Final[re.Pattern[str]] = re.compile(
    r"""
    \b(?:
        npm \s+ (?:ci|install|i)\b
      | yarn(?:pkg)? (?:\s+install\b | (?=\s*(?:$|&&|;|\|\||--)))
      | pnpm \s+ (?:install|i|fetch)\b
      | (?:pip3?|python3?\s+-m\s+pip) \s+ (?:install|wheel|download)\b
      | poetry \s+ install\b
      | pipenv \s+ (?:install|sync)\b
      | uv \s+ (?:sync|pip\s+(?:install|sync))\b
      | go \s+ mod \s+ download\b
      | (?:mvn|mvnw) \b [^&;|]* \b dependency:(?:go-offline|resolve|resolve-plugins)\b
      | (?:gradle|gradlew) \b [^&;|]* \b dependencies\b
      | bundler? (?:\s+install\b | (?=\s*(?:$|&&|;|\|\||-)))  # `bundle` alone, or with options, installs
      | composer \s+ install\b
      | cargo \s+ fetch\b
      | dotnet \s+ restore\b
    )
    """,
    re.VERBOSE,
)

# Output kept in reports: whole build logs can be megabytes (apt, npm); the end is where errors are.
_LOG_LIMIT = 200_000
_OUTPUT_LIMIT = 64_000
_STDERR_TAIL = 4_000
_HTTP_BODY_LIMIT = 64_000
# Grace period between SIGTERM and SIGKILL for a process group we started.
_KILL_GRACE_S = 10.0
# Timeout for short builder commands (inspect, from, rm, version).
_QUICK_TIMEOUT_S = 120.0


class VerifyError(Exception):
    """The builder failed outside a build or smoke check (inspect, container creation): names the command."""


# -- values -------


@dataclass(frozen=True, slots=True, kw_only=True)
class BuildStep:
    """One step of a build as the builder logged it."""

    stage: str | None  # buildah: "2/3" (stage index / count) in multi-stage builds; BuildKit: the stage name
    number: int  # position within the stage, from 1
    total: int
    instruction: str  # as logged, e.g. "RUN npm ci"
    cached: bool | None  # None: not a cacheable step (FROM)

    @property
    def is_run(self) -> bool:
        return self.instruction[:4].upper() == "RUN "


@dataclass(frozen=True, slots=True, kw_only=True)
class BuildOutcome:
    """The result of one build."""

    ok: bool
    tag: str
    image_id: str | None
    duration_s: float
    log: str  # combined stdout and stderr; the last 200 kB
    steps: tuple[BuildStep, ...]
    error: str | None  # why it failed: exit status and the log's last lines, or the timeout

    @property
    def rerun_steps(self) -> tuple[BuildStep, ...]:
        """Steps that were executed rather than taken from the layer cache."""
        return tuple(s for s in self.steps if s.cached is False)


@dataclass(frozen=True, slots=True, kw_only=True)
class ImageConfig:
    """The parts of an image's config that a refactoring must keep (or change on purpose)."""

    cmd: tuple[str, ...] | None
    entrypoint: tuple[str, ...] | None
    env: tuple[tuple[str, str], ...]  # in image order
    exposed_ports: tuple[str, ...]  # sorted, e.g. ("3000/tcp",)
    working_dir: str
    user: str  # "" means the image's default: root

    @classmethod
    def from_json(cls, config: Mapping[str, object]) -> ImageConfig:
        """Read an OCI/Docker image config's ``config`` object (keys as in the image spec)."""

        def argv(key: str) -> tuple[str, ...] | None:
            value = config.get(key)
            return tuple(str(v) for v in value) if isinstance(value, list) else None

        env: list[tuple[str, str]] = []
        raw_env = config.get("Env")
        for entry in raw_env if isinstance(raw_env, list) else []:
            key, _, value = str(entry).partition("=")
            env.append((key, value))
        ports = config.get("ExposedPorts")
        return cls(
            cmd=argv("Cmd"),
            entrypoint=argv("Entrypoint"),
            env=tuple(env),
            exposed_ports=tuple(sorted(ports)) if isinstance(ports, dict) else (),
            working_dir=str(config.get("WorkingDir") or ""),
            user=str(config.get("User") or ""),
        )

    @property
    def env_map(self) -> dict[str, str]:
        return dict(self.env)

    @property
    def default_argv(self) -> tuple[str, ...]:
        """What ``docker run IMAGE`` executes: ENTRYPOINT followed by CMD."""
        return (self.entrypoint or ()) + (self.cmd or ())


@dataclass(frozen=True, slots=True, kw_only=True)
class ImageInfo:
    config: ImageConfig
    size_bytes: int | None  # uncompressed: the sum of the layers, as `docker image ls` shows; None: unknown


@dataclass(frozen=True, slots=True, kw_only=True)
class ConfigChange:
    """One difference between the original and the refactored image's config."""

    field: ConfigField
    key: str | None  # the variable for Env; None for whole-value fields
    before: str | None  # None: absent
    after: str | None
    intended: bool

    def describe(self) -> str:
        name = f"{self.field} {self.key}" if self.key is not None else self.field
        return f"{name}: {_show(self.before)} -> {_show(self.after)}"


@dataclass(frozen=True, slots=True, kw_only=True)
class CommandSmoke:
    """Run a command in a container of the image and capture its exit status and stdout.

    ``argv=None`` runs the image's own ENTRYPOINT + CMD. A command still running after ``timeout_s`` is
    stopped and recorded as ``timed_out`` (for a server that is the expected outcome: it stayed up).
    """

    argv: tuple[str, ...] | None = None
    env: tuple[tuple[str, str], ...] = ()
    timeout_s: float = 30.0


@dataclass(frozen=True, slots=True, kw_only=True)
class HttpSmoke:
    """Start a server in a container and GET ``path`` on ``port`` once it answers; then stop it.

    ``argv=None`` starts the image's own ENTRYPOINT + CMD. ``env`` is added to the container's environment
    (e.g. ``PORT``), identically for both images.
    """

    port: int
    path: str = "/"
    argv: tuple[str, ...] | None = None
    env: tuple[tuple[str, str], ...] = ()
    ready_timeout_s: float = 60.0
    request_timeout_s: float = 10.0


Smoke = CommandSmoke | HttpSmoke


@dataclass(frozen=True, slots=True, kw_only=True)
class SmokeResult:
    argv: tuple[str, ...]
    exit_code: int | None  # None: still running when stopped
    timed_out: bool
    stdout: str
    stderr: str  # the last 4 kB
    http_status: int | None
    http_body: str | None
    duration_s: float
    error: str | None  # the check could not be carried out: no command, port taken, no answer

    @property
    def observable(self) -> tuple[object, ...]:
        """What must be equal between the original and the refactored image."""
        if self.http_status is not None or self.http_body is not None:
            return (self.error is None, self.http_status, self.http_body)
        return (self.error is None, self.exit_code, self.timed_out, self.stdout)


@dataclass(frozen=True, slots=True, kw_only=True)
class ImageReport:
    build: BuildOutcome
    info: ImageInfo | None  # None when the build failed
    smoke: SmokeResult | None  # None when not run


@dataclass(frozen=True, slots=True, kw_only=True)
class RebuildReport:
    """Both Dockerfiles rebuilt after ``changed_file`` changed in a copy of the context."""

    changed_file: str
    before: BuildOutcome
    after: BuildOutcome
    before_install_cached: bool | None  # None: no dependency-install step found in that Dockerfile
    after_install_cached: bool | None

    @property
    def speedup(self) -> float | None:
        """Rebuild time of the original divided by that of the refactored file (> 1: faster)."""
        if not (self.before.ok and self.after.ok) or self.after.duration_s <= 0:
            return None
        return self.before.duration_s / self.after.duration_s


@dataclass(frozen=True, slots=True, kw_only=True)
class VerifyOptions:
    smoke: Smoke | None = field(default_factory=CommandSmoke)  # None: no smoke check
    intended: frozenset[ConfigField] = frozenset()  # config fields the refactoring may change (e.g. User)
    intended_env: frozenset[str] = frozenset()  # environment variables it may change (see intended_changes)
    rebuild: bool = True  # measure the rebuild after a source-only change
    source_file: str | None = None  # context-relative POSIX path to change; None: pick_source_file()
    build_timeout_s: float = 1800.0
    build_args: tuple[tuple[str, str], ...] = ()
    tag_prefix: str = "localhost/dockmod-verify"
    keep_images: bool = False  # keep the tagged images (layers stay in the builder's cache either way)
    install_step: re.Pattern[str] = INSTALL_STEP


@dataclass(frozen=True, slots=True, kw_only=True)
class VerifyReport:
    builder: str
    before: ImageReport
    after: ImageReport
    config_changes: tuple[ConfigChange, ...]
    smoke_matches: bool | None  # None: no smoke check ran
    rebuild: RebuildReport | None
    problems: tuple[str, ...]  # empty: the refactoring is proven as far as these checks go
    notes: tuple[str, ...]  # informational: what was skipped and why

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def unexpected_changes(self) -> tuple[ConfigChange, ...]:
        return tuple(c for c in self.config_changes if not c.intended)


@dataclass(frozen=True, slots=True, kw_only=True)
class NoBuilder:
    """No usable image builder on this machine; ``reasons`` says what was tried."""

    reasons: tuple[str, ...]

    @property
    def message(self) -> str:
        tried = "; ".join(self.reasons)
        return (
            f"no image builder available ({tried}). Install buildah (Debian/Ubuntu: apt-get install buildah) "
            "or start a Docker daemon with the buildx plugin."
        )


# -- running commands -------


@dataclass(frozen=True, slots=True, kw_only=True)
class _Completed:
    returncode: int | None  # None: killed at the timeout
    stdout: str
    stderr: str
    duration_s: float


def _run(
    argv: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    timeout_s: float,
    merge_stderr: bool = False,
) -> _Completed:
    """Run ``argv`` in its own process group; on timeout the whole group is killed.

    Builders start helpers (buildah re-executes itself, RUN steps fork shells); killing only the direct
    child, as ``subprocess.run`` does, would leave them running.
    """
    start = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        try:
            process = subprocess.Popen(
                list(argv),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=out if merge_stderr else err,
                env=dict(env) if env is not None else None,
                start_new_session=True,
            )
        except OSError as exc:
            raise VerifyError(f"cannot run {_quote(argv)}: {exc}") from exc
        returncode: int | None
        try:
            returncode = process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            _stop_group(process)
            returncode = None
        duration = time.monotonic() - start
        return _Completed(
            returncode=returncode,
            stdout=_read_back(out),
            stderr=_read_back(err),
            duration_s=duration,
        )


def _checked(argv: Sequence[str], *, env: Mapping[str, str] | None, timeout_s: float = _QUICK_TIMEOUT_S) -> str:
    """Run a builder command that must succeed; its stdout, or a :class:`VerifyError` naming it."""
    done = _run(argv, env=env, timeout_s=timeout_s)
    if done.returncode is None:
        raise VerifyError(f"{_quote(argv)} did not finish within {timeout_s:.0f} s")
    if done.returncode != 0:
        raise VerifyError(
            f"{_quote(argv)} failed with exit status {done.returncode}: {_tail(done.stderr, 1500).strip()}"
        )
    return done.stdout


def _stop_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=_KILL_GRACE_S)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=_KILL_GRACE_S)


def _read_back(stream: IO[bytes]) -> str:
    stream.seek(0)
    return stream.read().decode("utf-8", "replace")


def _tail(text: str, limit: int) -> str:
    return text if len(text) <= limit else "…" + text[-limit:]


def _quote(argv: Sequence[str]) -> str:
    return " ".join(a if a and not re.search(r"[\s'\"\\$]", a) else json.dumps(a) for a in argv)


def _show(value: str | None) -> str:
    return "(absent)" if value is None else json.dumps(value)


def _env_flags(flag: str, pairs: Sequence[tuple[str, str]]) -> list[str]:
    return [arg for key, value in pairs for arg in (flag, f"{key}={value}")]


def _failure(done: _Completed, what: str, timeout_s: float) -> str | None:
    if done.returncode is None:
        return f"{what} did not finish within {timeout_s:.0f} s"
    if done.returncode != 0:
        last = "\n".join(done.stdout.rstrip().splitlines()[-15:])
        return f"{what} failed with exit status {done.returncode}:\n{last}"
    return None


# -- build logs -------

# buildah: "STEP 3/5: RUN npm ci", or "[2/2] STEP 1/7: FROM node:18" in multi-stage builds; a step taken from
# the cache is followed by "--> Using cache <id>" before the next step starts. A RUN step's output need not
# end with a newline (Maven leaves a colour reset behind), so buildah's own line can follow it on the same
# line: the step marker is searched, not matched at the start, after removing terminal escape sequences.
_BUILDAH_STEP = re.compile(r"(?:\[(?P<stage>\d+/\d+)\] )?STEP (?P<n>\d+)/(?P<total>\d+): (?P<instruction>.*)$")
_BUILDAH_CACHED = re.compile(r"--> Using cache [0-9a-f]{12,}")
# BuildKit's plain progress: "#8 [builder 3/6] RUN npm ci" ... "#8 CACHED".
_BUILDKIT_STEP = re.compile(
    r"^#(?P<vertex>\d+) \[(?:(?P<stage>[^\]\s]+) )?(?P<n>\d+)/(?P<total>\d+)\] (?P<instruction>.*)$"
)
_BUILDKIT_CACHED = re.compile(r"^#(?P<vertex>\d+) CACHED\s*$")
_ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def parse_build_steps(log: str) -> tuple[BuildStep, ...]:
    """The steps of a build log (buildah ``bud`` or BuildKit ``--progress=plain``), with cache hits."""
    lines = [_ANSI_ESCAPE.sub("", line) for line in log.splitlines()]
    if any(_BUILDKIT_STEP.match(line) for line in lines):
        return _parse_buildkit(lines)
    return _parse_buildah(lines)


def _parse_buildah(lines: Sequence[str]) -> tuple[BuildStep, ...]:
    steps: list[BuildStep] = []
    current: dict[str, str] | None = None
    cached = False

    def flush() -> None:
        if current is not None:
            steps.append(_step(current, cached))

    for line in lines:
        match = _BUILDAH_STEP.search(line)
        if match:
            flush()
            current, cached = match.groupdict(), False
        elif current is not None and _BUILDAH_CACHED.search(line):
            cached = True
    flush()
    return tuple(steps)


def _parse_buildkit(lines: Sequence[str]) -> tuple[BuildStep, ...]:
    found: dict[str, dict[str, str]] = {}
    cached: set[str] = set()
    for line in lines:
        match = _BUILDKIT_STEP.match(line)
        if match and match["stage"] != "internal":
            found.setdefault(match["vertex"], match.groupdict())
            continue
        hit = _BUILDKIT_CACHED.match(line)
        if hit:
            cached.add(hit["vertex"])
    return tuple(_step(groups, vertex in cached) for vertex, groups in found.items())


def _step(groups: Mapping[str, str | None], cached: bool) -> BuildStep:
    instruction = (groups["instruction"] or "").strip()
    is_from = instruction[:5].upper() == "FROM "
    return BuildStep(
        stage=groups.get("stage"),
        number=int(groups["n"] or 0),
        total=int(groups["total"] or 0),
        instruction=instruction,
        cached=None if is_from else cached,
    )


def install_steps(steps: Sequence[BuildStep], pattern: re.Pattern[str] = INSTALL_STEP) -> tuple[BuildStep, ...]:
    """The RUN steps that install dependencies (``npm ci``, ``pip install``, ``go mod download``, ...)."""
    return tuple(s for s in steps if s.is_run and pattern.search(s.instruction))


# Two-phase installs: the first phase installs the dependencies before the source copy, the second installs the
# project itself after it, so the second must run again whenever the sources change. (command, first-phase flag)
_TWO_PHASE: Final = (
    (re.compile(r"\bpoetry\s+install\b"), "--no-root"),
    (re.compile(r"\buv\s+sync\b"), "--no-install-project"),
    (re.compile(r"\bcomposer\s+install\b"), "--no-autoloader"),  # lockfile-first's Composer move
)


def _install_cached(outcome: BuildOutcome, pattern: re.Pattern[str]) -> bool | None:
    found = install_steps(outcome.steps, pattern)
    if not found or not outcome.ok:
        return None
    first_phase_seen: set[re.Pattern[str]] = set()
    dependencies = []
    for step in found:
        phase = next(((command, flag) for command, flag in _TWO_PHASE if command.search(step.instruction)), None)
        if phase is not None:
            command, flag = phase
            if flag in step.instruction:
                first_phase_seen.add(command)
            elif command in first_phase_seen:
                continue  # the project's own phase, after the source copy
        dependencies.append(step)
    return all(s.cached for s in dependencies)


# -- comparing configs -------


def compare_configs(
    before: ImageConfig,
    after: ImageConfig,
    intended: frozenset[ConfigField] = frozenset(),
    intended_env: frozenset[str] = frozenset(),
) -> tuple[ConfigChange, ...]:
    """Every difference in the config fields a refactoring must keep; Env is compared per variable."""
    changes: list[ConfigChange] = []

    def add(name: ConfigField, key: str | None, old: str | None, new: str | None) -> None:
        if old != new:
            meant = name in intended or (name == "Env" and key in intended_env)
            changes.append(ConfigChange(field=name, key=key, before=old, after=new, intended=meant))

    def argv(value: tuple[str, ...] | None) -> str | None:
        return None if value is None else json.dumps(list(value))

    add("Cmd", None, argv(before.cmd), argv(after.cmd))
    add("Entrypoint", None, argv(before.entrypoint), argv(after.entrypoint))
    old_env, new_env = before.env_map, after.env_map
    for key in [*old_env, *(k for k in new_env if k not in old_env)]:
        add("Env", key, old_env.get(key), new_env.get(key))
    add("ExposedPorts", None, " ".join(before.exposed_ports) or None, " ".join(after.exposed_ports) or None)
    add("WorkingDir", None, before.working_dir or None, after.working_dir or None)
    add("User", None, before.user or None, after.user or None)
    return tuple(changes)


def intended_changes(
    before: str, after: str, applied: Collection[str]
) -> tuple[frozenset[ConfigField], frozenset[str]]:
    """The config fields and environment variables a refactoring means to change: the user when add-user applied,
    and every variable an ENV line sets in ``after`` but not, to the same value, in ``before`` (split-stages'
    virtual environment sets VIRTUAL_ENV and PATH). Whatever else differs in the image is a problem."""
    from dockmod.cst import Env, parse

    def assignments(text: str) -> set[tuple[str, str]]:
        tree = parse(text)
        return {(p.key, p.value) for i in tree.instructions if isinstance(i, Env) for p in tree.view(i).pairs}

    fields: frozenset[ConfigField] = frozenset({"User"}) if "add-user" in applied else frozenset()
    return fields, frozenset(key for key, _ in assignments(after) - assignments(before))


# -- choosing the source file to change -------

_C_STYLE = ".js .mjs .cjs .jsx .ts .tsx .go .java .kt .scala .groovy .c .h .cc .cpp .hpp .cs .rs .swift .php .dart"
_HASH_STYLE = ".py .rb .sh .pl .r .ex .exs"
_LINE_COMMENT: Final[Mapping[str, str]] = {
    **dict.fromkeys(_C_STYLE.split(), "// {}"),
    **dict.fromkeys(_HASH_STYLE.split(), "# {}"),
    ".css": "/* {} */",
    ".scss": "/* {} */",
}
# Folders that hold dependencies, build output or tool state rather than the project's own sources.
_NOT_SOURCE_DIRS: Final = frozenset(
    [
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        "vendor",
        "target",
        "build",
        "dist",
        "out",
        "__pycache__",
        ".venv",
        "venv",
        ".tox",
        ".mypy_cache",
        ".pytest_cache",
        ".gradle",
        ".idea",
        ".vscode",
        "bin",
        "obj",
    ]
)
# Manifests and lock files: changing them is a dependency change, not a source change.
_MANIFESTS: Final = frozenset(
    [
        "package.json",
        "package-lock.json",
        "npm-shrinkwrap.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "pyproject.toml",
        "poetry.lock",
        "Pipfile",
        "Pipfile.lock",
        "uv.lock",
        "setup.py",
        "setup.cfg",
        "go.mod",
        "go.sum",
        "Cargo.toml",
        "Cargo.lock",
        "pom.xml",
        "build.gradle",
        "build.gradle.kts",
        "settings.gradle",
        "settings.gradle.kts",
        "gradlew",
        "mvnw",
        "Gemfile",
        "Gemfile.lock",
        "composer.json",
        "composer.lock",
        "Dockerfile",
        ".dockerignore",
        "conftest.py",
    ]
)


def pick_source_file(context: Path) -> str | None:
    """A source file whose change must not re-run a dependency install: the shallowest code file.

    Code files (by extension) come before stylesheets; manifests, lock files and dependency folders are
    never chosen. Returns a context-relative POSIX path, or None when the context has no such file.
    """
    best: tuple[int, int, str] | None = None
    for directory, dirs, files in os.walk(context):
        dirs[:] = sorted(d for d in dirs if d not in _NOT_SOURCE_DIRS and not d.startswith("."))
        rel_dir = Path(directory).relative_to(context)
        for name in files:
            suffix = PurePosixPath(name).suffix.lower()
            if suffix not in _LINE_COMMENT or name in _MANIFESTS or name.startswith("."):
                continue
            rel = (rel_dir / name).as_posix()
            rank = (1 if suffix in (".css", ".scss") else 0, len(PurePosixPath(rel).parts), rel)
            if best is None or rank < best:
                best = rank
    return best[2] if best else None


def _change_source(root: Path, relative: str, nonce: str) -> str | None:
    """Append a comment carrying ``nonce`` to ``root/relative``; an error message when that is impossible.

    The nonce makes every run's change unique: a change repeated verbatim would hit the layer cache of the
    previous run and the rebuild would measure nothing.
    """
    path = root / PurePosixPath(relative)
    template = _LINE_COMMENT.get(path.suffix.lower())
    if template is None:
        kind = path.suffix or "files without a suffix"
        return f"cannot change {relative}: no known comment syntax for {kind}"
    if not path.is_file():
        return f"cannot change {relative}: not a file in the build context"
    data = path.read_bytes()
    newline = b"\r\n" if b"\r\n" in data else b"\n"
    prefix = b"" if not data or data.endswith(newline) else newline
    comment = template.format(f"dockmod verify: source-only change {nonce}").encode()
    path.write_bytes(data + prefix + comment + newline)
    return None


# -- builders -------


class Builder(Protocol):
    """Builds images from a Dockerfile and inspects and runs them."""

    @property
    def name(self) -> str: ...

    def build(
        self,
        dockerfile: Path,
        context: Path,
        *,
        tag: str,
        timeout_s: float,
        build_args: Sequence[tuple[str, str]] = (),
    ) -> BuildOutcome: ...

    def inspect(self, image: str) -> ImageInfo: ...

    def smoke(self, image: str, smoke: Smoke, config: ImageConfig) -> SmokeResult: ...

    def remove(self, images: Sequence[str]) -> None: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class Buildah:
    """buildah without a daemon: ``bud --layers`` with chroot isolation, containers run with chroot too.

    ``root``/``runroot``/``storage_driver`` select a storage other than the user's (the test suite keeps its
    own); ``registries_conf`` replaces the system registries.conf (``CONTAINERS_REGISTRIES_CONF``), e.g. to
    serve ``docker.io`` from a local registry. ``format="docker"`` keeps HEALTHCHECK and SHELL, which the OCI
    image format cannot hold (buildah drops them with a warning), so the image matches what Docker builds.
    """

    name: ClassVar[str] = "buildah"

    executable: str = "buildah"
    root: Path | None = None
    runroot: Path | None = None
    storage_driver: str | None = None
    storage_opts: tuple[str, ...] = ()
    isolation: Literal["chroot", "oci", "rootless"] = "chroot"
    registries_conf: Path | None = None
    format: Literal["docker", "oci"] = "docker"
    # Extra environment for every buildah command, e.g. TMPDIR: buildah keeps RUN --mount=type=cache
    # directories and large temporary files under $TMPDIR (default /var/tmp), outside its storage root.
    env: tuple[tuple[str, str], ...] = ()

    def command(self, *args: str) -> list[str]:
        """``buildah`` with this storage's global options, then ``args``."""
        argv = [self.executable]
        if self.root is not None:
            argv += ["--root", str(self.root)]
        if self.runroot is not None:
            argv += ["--runroot", str(self.runroot)]
        if self.storage_driver is not None:
            argv += ["--storage-driver", self.storage_driver]
        for option in self.storage_opts:
            argv += ["--storage-opt", option]
        return [*argv, *args]

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(self.env)
        if self.registries_conf is not None:
            env["CONTAINERS_REGISTRIES_CONF"] = str(self.registries_conf)
        return env

    def check(self, *args: str, timeout_s: float = _QUICK_TIMEOUT_S) -> str:
        """Run a buildah command that must succeed and return its stdout (:class:`VerifyError` otherwise)."""
        return _checked(self.command(*args), env=self.environment(), timeout_s=timeout_s)

    def build(
        self,
        dockerfile: Path,
        context: Path,
        *,
        tag: str,
        timeout_s: float,
        build_args: Sequence[tuple[str, str]] = (),
        extra: Sequence[str] = (),
    ) -> BuildOutcome:
        """``buildah bud --layers``; proxy variables reach RUN steps through buildah's ``--http-proxy``
        (on by default) without being stored in the image. ``extra`` adds ``bud`` options."""
        options = [
            "--layers",
            # A failed step leaves its working container behind unless asked; verify expects failures.
            "--force-rm",
            "--isolation",
            self.isolation,
            "--format",
            self.format,
            *_env_flags("--build-arg", build_args),
            *extra,
        ]
        return _build(self.command("bud", *options), dockerfile, context, tag, self.environment(), timeout_s)

    def inspect(self, image: str) -> ImageInfo:
        data = json.loads(self.check("inspect", "--type", "image", image))
        config = data.get("OCIv1", {}).get("config") or {}
        return ImageInfo(config=ImageConfig.from_json(config), size_bytes=self._size(str(data.get("FromImageID", ""))))

    def _size(self, image_id: str) -> int | None:
        """The image's uncompressed size, as ``buildah images`` computes it: the sum of its layers' sizes.

        buildah prints sizes only rounded to three digits, and an image's manifest lists compressed sizes
        once it has been pushed or pulled; containers/storage's own records (``images.json`` and
        ``layers.json``, a format stable since 2017) hold the exact uncompressed size of every layer.
        """
        store = json.loads(self.check("info")).get("store", {})
        graph_root, run_root = Path(store.get("GraphRoot", "")), Path(store.get("RunRoot", ""))
        driver = str(store.get("GraphDriverName", ""))
        try:
            images = json.loads((graph_root / f"{driver}-images" / "images.json").read_text())
            layers: dict[str, Mapping[str, object]] = {}
            for path in (
                graph_root / f"{driver}-layers" / "layers.json",
                run_root / f"{driver}-layers" / "volatile-layers.json",
            ):
                if path.is_file():
                    layers.update({str(entry["id"]): entry for entry in json.loads(path.read_text())})
        except (OSError, ValueError, KeyError):
            return None
        top = next((entry.get("layer") for entry in images if entry.get("id") == image_id), None)
        size, seen = 0, set()
        while isinstance(top, str) and top in layers and top not in seen:
            seen.add(top)
            diff_size = layers[top].get("diff-size")
            if not isinstance(diff_size, int):
                return None
            size += diff_size
            top = layers[top].get("parent")
        return size if seen else None

    def smoke(self, image: str, smoke: Smoke, config: ImageConfig) -> SmokeResult:
        argv = smoke.argv if smoke.argv is not None else config.default_argv
        if not argv:
            return _not_run(argv, _NO_COMMAND)
        if isinstance(smoke, HttpSmoke) and _port_answers(smoke.port):
            return _not_run(
                argv,
                f"port {smoke.port} is already in use on this machine (containers run with buildah's chroot "
                "isolation share the host's network): stop what listens there or choose another port",
            )
        container = f"dockmod-smoke-{uuid.uuid4().hex[:12]}"
        self.check("from", "--pull-never", "--name", container, image)
        try:
            run = self.command(
                "run", "--isolation", self.isolation, *_env_flags("--env", smoke.env), container, "--", *argv
            )
            if isinstance(smoke, CommandSmoke):
                return _command_smoke(run, self.environment(), argv, smoke)
            return _http_smoke(run, self.environment(), argv, smoke)
        finally:
            _run(self.command("rm", container), env=self.environment(), timeout_s=_QUICK_TIMEOUT_S)

    def remove(self, images: Sequence[str]) -> None:
        # Best effort: a failed build leaves no tag to remove; the layers stay in the cache either way.
        for image in images:
            _run(self.command("rmi", image), env=self.environment(), timeout_s=_QUICK_TIMEOUT_S)

    def probe(self) -> str | None:
        """None when buildah works with this storage, else why not (``buildah info`` initialises it)."""
        if shutil.which(self.executable) is None:
            return f"buildah: {self.executable} not found on PATH"
        try:
            self.check("info")
        except VerifyError as exc:
            return f"buildah: {exc}"
        return None


@dataclass(frozen=True, slots=True, kw_only=True)
class DockerBuildx:
    """``docker buildx build --load`` against a running Docker daemon; smoke checks use ``docker run``."""

    name: ClassVar[str] = "docker-buildx"

    executable: str = "docker"

    def command(self, *args: str) -> list[str]:
        return [self.executable, *args]

    def check(self, *args: str, timeout_s: float = _QUICK_TIMEOUT_S) -> str:
        return _checked(self.command(*args), env=None, timeout_s=timeout_s)

    def build(
        self,
        dockerfile: Path,
        context: Path,
        *,
        tag: str,
        timeout_s: float,
        build_args: Sequence[tuple[str, str]] = (),
    ) -> BuildOutcome:
        # Unlike buildah, the Docker CLI passes the caller's proxy variables only when asked; BuildKit
        # treats them as predefined build arguments and keeps them out of the image's history.
        proxies = [(k, v) for k, v in os.environ.items() if k.lower() in _PROXY_VARIABLES]
        options = ["--load", "--progress=plain", *_env_flags("--build-arg", [*proxies, *build_args])]
        return _build(self.command("buildx", "build", *options), dockerfile, context, tag, None, timeout_s)

    def inspect(self, image: str) -> ImageInfo:
        data = json.loads(self.check("image", "inspect", image))
        entry = data[0] if isinstance(data, list) and data else {}
        return ImageInfo(config=ImageConfig.from_json(entry.get("Config") or {}), size_bytes=int(entry.get("Size", 0)))

    def smoke(self, image: str, smoke: Smoke, config: ImageConfig) -> SmokeResult:
        argv = smoke.argv if smoke.argv is not None else config.default_argv
        if not argv:
            return _not_run(argv, _NO_COMMAND)
        container = f"dockmod-smoke-{uuid.uuid4().hex[:12]}"
        # `--entrypoint ""` clears the image's ENTRYPOINT so that argv runs exactly as given (it already
        # starts with the ENTRYPOINT when it is the image's default).
        common = ["--name", container, *_env_flags("--env", smoke.env), "--entrypoint", "", image, *argv]
        try:
            if isinstance(smoke, CommandSmoke):
                return _command_smoke(self.command("run", *common), None, argv, smoke)
            self.check("run", "--detach", "--publish", f"127.0.0.1::{smoke.port}", *common)
            published = self.check("port", container, f"{smoke.port}/tcp").split()
            host_port = int(published[0].rsplit(":", 1)[1]) if published else smoke.port
            return _http_probe_detached(self, container, argv, smoke, host_port)
        finally:
            _run(self.command("rm", "--force", container), env=None, timeout_s=_QUICK_TIMEOUT_S)

    def remove(self, images: Sequence[str]) -> None:
        for image in images:
            _run(self.command("image", "rm", image), env=None, timeout_s=_QUICK_TIMEOUT_S)

    def probe(self) -> str | None:
        """None when a daemon answers and buildx is installed, else why not."""
        if shutil.which(self.executable) is None:
            return f"docker: {self.executable} not found on PATH"
        for args, what in (
            (("version", "--format", "{{.Server.Version}}"), "the Docker daemon did not answer"),
            (("buildx", "version"), "the buildx plugin is missing"),
        ):
            done = _run(self.command(*args), env=None, timeout_s=30.0)
            if done.returncode != 0:
                return f"docker: {what} ({_tail(done.stderr.strip(), 300) or 'timed out'})"
        return None


_PROXY_VARIABLES: Final = frozenset({"http_proxy", "https_proxy", "ftp_proxy", "no_proxy", "all_proxy"})


# Failures of the builder's own machinery rather than of the Dockerfile, worth one more try: buildah runs RUN
# steps by re-executing itself from a sealed memfd copy of its binary (runc's cloned-binary protection), and
# sealing that copy now and then fails with EBUSY.
_TRANSIENT: Final = re.compile(r"sealing memfd copy: Device or resource busy")


def _build(
    argv: Sequence[str], dockerfile: Path, context: Path, tag: str, env: Mapping[str, str] | None, timeout_s: float
) -> BuildOutcome:
    """Run a builder's build command (``argv``: up to its options) for ``dockerfile`` in ``context``; both
    builders write the image ID to an ``--iidfile``. A build that failed in the builder's machinery
    (``_TRANSIENT``) runs once more."""

    def attempt() -> BuildOutcome:
        with tempfile.TemporaryDirectory(prefix="dockmod-build-") as scratch:
            iidfile = Path(scratch) / "iid"
            full = [*argv, "-f", str(dockerfile), "-t", tag, "--iidfile", str(iidfile), str(context)]
            done = _run(full, env=env, timeout_s=timeout_s, merge_stderr=True)
            image_id = iidfile.read_text().strip() if iidfile.is_file() else None
        return _outcome(done, tag=tag, image_id=image_id, timeout_s=timeout_s)

    outcome = attempt()
    if not outcome.ok and _TRANSIENT.search(outcome.log):
        outcome = attempt()
    return outcome


_NO_COMMAND: Final = "the image has neither ENTRYPOINT nor CMD: configure a smoke command"


def _outcome(done: _Completed, *, tag: str, image_id: str | None, timeout_s: float) -> BuildOutcome:
    error = _failure(done, "the build", timeout_s)
    return BuildOutcome(
        ok=error is None and image_id is not None,
        tag=tag,
        image_id=image_id if error is None else None,
        duration_s=done.duration_s,
        log=_tail(done.stdout, _LOG_LIMIT),
        steps=parse_build_steps(done.stdout),
        error=error if error is not None or image_id is not None else "the builder wrote no image id",
    )


def _not_run(argv: Sequence[str], error: str) -> SmokeResult:
    return SmokeResult(
        argv=tuple(argv),
        exit_code=None,
        timed_out=False,
        stdout="",
        stderr="",
        http_status=None,
        http_body=None,
        duration_s=0.0,
        error=error,
    )


def _command_smoke(
    run: Sequence[str], env: Mapping[str, str] | None, argv: Sequence[str], smoke: CommandSmoke
) -> SmokeResult:
    done = _run(run, env=env, timeout_s=smoke.timeout_s)
    return SmokeResult(
        argv=tuple(argv),
        exit_code=done.returncode,
        timed_out=done.returncode is None,
        stdout=_tail(done.stdout, _OUTPUT_LIMIT),
        stderr=_tail(done.stderr, _STDERR_TAIL),
        http_status=None,
        http_body=None,
        duration_s=done.duration_s,
        error=None,
    )


def _http_smoke(
    run: Sequence[str], env: Mapping[str, str] | None, argv: Sequence[str], smoke: HttpSmoke
) -> SmokeResult:
    """Start the server in the background, poll the port from the host, GET the path, stop the server."""
    start = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(
            list(run),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            env=dict(env) if env is not None else None,
            start_new_session=True,
        )
        try:
            answer = _wait_and_get(smoke, smoke.port, alive=lambda: process.poll() is None)
        finally:
            exit_code = process.poll()
            if exit_code is None:
                _stop_group(process)
        status, body, error = answer
        if error is not None and exit_code is not None:
            error = f"the server exited with status {exit_code} before answering on port {smoke.port}"
        return SmokeResult(
            argv=tuple(argv),
            exit_code=exit_code,
            timed_out=False,
            stdout=_tail(_read_back(out), _OUTPUT_LIMIT),
            stderr=_tail(_read_back(err), _STDERR_TAIL),
            http_status=status,
            http_body=body,
            duration_s=time.monotonic() - start,
            error=error,
        )


def _http_probe_detached(
    docker: DockerBuildx, container: str, argv: Sequence[str], smoke: HttpSmoke, host_port: int
) -> SmokeResult:
    start = time.monotonic()

    def alive() -> bool:
        done = _run(docker.command("inspect", "--format", "{{.State.Running}}", container), timeout_s=30.0)
        return done.stdout.strip() == "true"

    status, body, error = _wait_and_get(smoke, host_port, alive=alive)
    logs = _run(docker.command("logs", container), timeout_s=60.0)
    return SmokeResult(
        argv=tuple(argv),
        exit_code=None,
        timed_out=False,
        stdout=_tail(logs.stdout, _OUTPUT_LIMIT),
        stderr=_tail(logs.stderr, _STDERR_TAIL),
        http_status=status,
        http_body=body,
        duration_s=time.monotonic() - start,
        error=error,
    )


# Requests to the smoke server must not go through a proxy taken from the environment.
_DIRECT: Final = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _wait_and_get(
    smoke: HttpSmoke, port: int, *, alive: Callable[[], bool]
) -> tuple[int | None, str | None, str | None]:
    """(status, body, error): poll until the server answers ``GET path`` with any HTTP status."""
    url = f"http://127.0.0.1:{port}{smoke.path if smoke.path.startswith('/') else '/' + smoke.path}"
    deadline = time.monotonic() + smoke.ready_timeout_s
    last = "no attempt"
    while time.monotonic() < deadline:
        if not alive():
            return None, None, "the server stopped before answering"
        try:
            with _DIRECT.open(url, timeout=smoke.request_timeout_s) as response:
                return response.status, _body(response.read()), None
        except urllib.error.HTTPError as exc:  # an answer, with an error status: still the server's answer
            return exc.code, _body(exc.read()), None
        except (urllib.error.URLError, HTTPException, OSError) as exc:
            last = str(getattr(exc, "reason", exc))
            time.sleep(0.2)
    return None, None, f"no answer from {url} within {smoke.ready_timeout_s:.0f} s ({last})"


def _body(raw: bytes) -> str:
    return raw[:_HTTP_BODY_LIMIT].decode("utf-8", "replace")


def _port_answers(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1.0)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def find_builder(
    prefer: BuilderChoice = "auto", *, buildah: Buildah | None = None, docker: DockerBuildx | None = None
) -> Builder | NoBuilder:
    """The builder to use, or :class:`NoBuilder` saying what was tried.

    ``auto`` prefers ``docker buildx`` when a Docker daemon answers (the user's own builder and cache, and
    the engine the Dockerfile was written for), then buildah, which needs no daemon.
    """
    candidates: list[Buildah | DockerBuildx] = []
    if prefer in ("auto", "docker"):
        candidates.append(docker or DockerBuildx())
    if prefer in ("auto", "buildah"):
        candidates.append(buildah or Buildah())
    reasons: list[str] = []
    for candidate in candidates:
        reason = candidate.probe()
        if reason is None:
            return candidate
        reasons.append(reason)
    return NoBuilder(reasons=tuple(reasons))


# -- the whole check -------


def verify(
    before: str,
    after: str,
    context: Path,
    *,
    builder: Builder,
    options: VerifyOptions | None = None,
    progress: Callable[[str], None] | None = None,
    after_files: Mapping[str, str] | None = None,
) -> VerifyReport:
    """Build ``before`` and ``after`` (Dockerfile texts) against ``context``; compare and measure.

    ``after_files`` are build-context files the refactoring creates or rewrites (a new ``.dockerignore``,
    paths relative to the context): the refactored image is built from a copy of the context that has them.
    ``progress`` receives a short line before each long step (for the CLI's status display).
    """
    opts = options or VerifyOptions()
    say = progress or (lambda _message: None)
    if not context.is_dir():
        raise VerifyError(f"build context {context} is not a directory")
    nonce = uuid.uuid4().hex[:12]
    tags = {role: f"{opts.tag_prefix}:{role}-{nonce}" for role in ("before", "after", "before-re", "after-re")}
    problems: list[str] = []
    notes: list[str] = []
    try:
        with tempfile.TemporaryDirectory(prefix="dockmod-verify-") as scratch:
            files = {
                "before": Path(scratch) / "before.Dockerfile",
                "after": Path(scratch) / "after.Dockerfile",
            }
            files["before"].write_text(before, encoding="utf-8")
            files["after"].write_text(after, encoding="utf-8")

            def build(role: str, dockerfile: Path, ctx: Path) -> BuildOutcome:
                return builder.build(
                    dockerfile,
                    ctx,
                    tag=tags[role],
                    timeout_s=opts.build_timeout_s,
                    build_args=opts.build_args,
                )

            after_context = _with_files(context, Path(scratch) / "after-context", after_files)
            say("building the original Dockerfile")
            built_before = build("before", files["before"], context)
            say("building the refactored Dockerfile")
            built_after = build("after", files["after"], after_context)
            for label, outcome in (("original", built_before), ("refactored", built_after)):
                if not outcome.ok:
                    problems.append(f"the {label} Dockerfile does not build: {outcome.error}")

            info_before = builder.inspect(built_before.tag) if built_before.ok else None
            info_after = builder.inspect(built_after.tag) if built_after.ok else None
            changes: tuple[ConfigChange, ...] = ()
            if info_before and info_after:
                changes = compare_configs(info_before.config, info_after.config, opts.intended, opts.intended_env)
                problems += [f"unexpected config change: {c.describe()}" for c in changes if not c.intended]

            smoke_before = smoke_after = None
            smoke_matches: bool | None = None
            if opts.smoke is not None and info_before and info_after:
                say("running the smoke check in the original image")
                smoke_before = builder.smoke(built_before.tag, opts.smoke, info_before.config)
                say("running the smoke check in the refactored image")
                smoke_after = builder.smoke(built_after.tag, opts.smoke, info_after.config)
                smoke_matches = smoke_before.observable == smoke_after.observable
                problems += _smoke_problems(smoke_before, smoke_after, smoke_matches)

            rebuild = None
            if opts.rebuild and built_before.ok and built_after.ok:
                rebuild = _rebuild(
                    context,
                    files=files,
                    nonce=nonce,
                    opts=opts,
                    build=build,
                    say=say,
                    notes=notes,
                    after_files=after_files,
                )
    finally:
        if not opts.keep_images:
            builder.remove(list(tags.values()))

    return VerifyReport(
        builder=builder.name,
        before=ImageReport(build=built_before, info=info_before, smoke=smoke_before),
        after=ImageReport(build=built_after, info=info_after, smoke=smoke_after),
        config_changes=changes,
        smoke_matches=smoke_matches,
        rebuild=rebuild,
        problems=tuple(problems),
        notes=tuple(notes),
    )


def _with_files(context: Path, scratch: Path, files: Mapping[str, str] | None) -> Path:
    """``context`` itself, or a copy of it at ``scratch`` with ``files`` written into it."""
    if not files:
        return context
    shutil.copytree(context, scratch, symlinks=True)
    for relative, text in files.items():
        target = scratch / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return scratch


def _smoke_problems(before: SmokeResult, after: SmokeResult, matches: bool) -> list[str]:
    problems = [
        f"the smoke check could not run in the {label} image: {result.error}"
        for label, result in (("original", before), ("refactored", after))
        if result.error is not None
    ]
    if not matches and not problems:
        problems.append(f"the smoke check differs: {_describe_smoke(before)} vs {_describe_smoke(after)}")
    return problems


def _describe_smoke(result: SmokeResult) -> str:
    if result.http_status is not None:
        return f"HTTP {result.http_status} ({len(result.http_body or '')} characters)"
    if result.timed_out:
        return f"still running after {result.duration_s:.0f} s, stdout {_show(_tail(result.stdout, 200))}"
    return f"exit status {result.exit_code}, stdout {_show(_tail(result.stdout, 200))}"


def _rebuild(
    context: Path,
    *,
    files: Mapping[str, Path],
    nonce: str,
    opts: VerifyOptions,
    build: Callable[[str, Path, Path], BuildOutcome],
    say: Callable[[str], None],
    notes: list[str],
    after_files: Mapping[str, str] | None = None,
) -> RebuildReport | None:
    relative = opts.source_file or pick_source_file(context)
    if relative is None:
        notes.append("rebuild not measured: no source file found in the build context (set source_file)")
        return None
    with tempfile.TemporaryDirectory(prefix="dockmod-verify-context-") as scratch:
        # A copy, so the user's tree is never touched; symlinks stay links, as the builder sees them.
        copy = Path(scratch) / "context"
        shutil.copytree(context, copy, symlinks=True)
        error = _change_source(copy, relative, nonce)
        if error is not None:
            notes.append(f"rebuild not measured: {error}")
            return None
        after_copy = _with_files(copy, Path(scratch) / "after-context", after_files)
        say(f"rebuilding both after a change to {relative}")
        again_before = build("before-re", files["before"], copy)
        again_after = build("after-re", files["after"], after_copy)
    for label, outcome in (("original", again_before), ("refactored", again_after)):
        if outcome.ok and not outcome.rerun_steps:
            notes.append(
                f"the change to {relative} did not reach the {label} image (every step came from the cache): "
                "choose a file the build copies (source_file)"
            )
    return RebuildReport(
        changed_file=relative,
        before=again_before,
        after=again_after,
        before_install_cached=_install_cached(again_before, opts.install_step),
        after_install_cached=_install_cached(again_after, opts.install_step),
    )

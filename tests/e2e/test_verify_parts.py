"""The parts of :mod:`dockmod.verify` that need no builder: log parsing, config comparison, the source change,
and builder discovery (with stand-in executables). These run in the ordinary suite, without the e2e mark.
"""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from dockmod.verify import (
    INSTALL_STEP,
    Buildah,
    BuildOutcome,
    DockerBuildx,
    ImageConfig,
    NoBuilder,
    _install_cached,
    compare_configs,
    find_builder,
    intended_changes,
    parse_build_steps,
    pick_source_file,
)
from dockmod.verify import _change_source as change_source

# Abridged from a real `buildah bud --layers` run: Maven's output ends with a colour reset and no newline,
# so buildah's next STEP line is glued to it.
BUILDAH_LOG = (
    "STEP 1/5: FROM maven:3-jdk17\n"
    "STEP 2/5: COPY pom.xml ./\n"
    "--> Using cache 5f5d93d12fb60977286f3c0497f9fed9cdc2ed548eff91354a1ce66a9c686ae\n"
    "--> f5f5d93d12f\n"
    "STEP 3/5: RUN mvn -B dependency:go-offline\n"
    "--> Using cache 1c2d93d12fb60977286f3c0497f9fed9cdc2ed548eff91354a1ce66a9c686ae\n"
    "STEP 4/5: RUN mvn -B package\n"
    "[INFO] BUILD SUCCESS\n"
    "\x1b[0m\x1b[0mSTEP 5/5: USER app\n"
    "COMMIT localhost/app:1\n"
)

BUILDAH_MULTI_STAGE_LOG = (
    "[1/2] STEP 1/2: FROM golang:1.19 AS build\n"
    "[1/2] STEP 2/2: RUN go mod download\n"
    "--> Using cache c06a6d00dbf7ab3d6c06a6d00dbf7ab3d6c06a6d00dbf7ab3d6\n"
    "[2/2] STEP 1/2: FROM debian:bookworm-slim\n"
    "[2/2] STEP 2/2: COPY --from=build /out/hello /usr/local/bin/hello\n"
    "--> 5269e9e7a7b\n"
)

BUILDKIT_LOG = (
    "#1 [internal] load build definition from Dockerfile\n"
    "#1 DONE 0.0s\n"
    "#5 [builder 1/4] FROM docker.io/library/node:18@sha256:abc\n"
    "#6 [builder 2/4] COPY package.json package-lock.json ./\n"
    "#6 CACHED\n"
    "#7 [builder 3/4] RUN npm ci\n"
    "#7 CACHED\n"
    "#8 [builder 4/4] COPY . .\n"
    "#8 DONE 0.1s\n"
)


def test_buildah_log_steps_and_cache_hits() -> None:
    steps = parse_build_steps(BUILDAH_LOG)

    assert [(s.number, s.instruction, s.cached) for s in steps] == [
        (1, "FROM maven:3-jdk17", None),
        (2, "COPY pom.xml ./", True),
        (3, "RUN mvn -B dependency:go-offline", True),
        (4, "RUN mvn -B package", False),
        (5, "USER app", False),
    ]


def test_buildah_multi_stage_log_keeps_stages() -> None:
    steps = parse_build_steps(BUILDAH_MULTI_STAGE_LOG)

    assert [(s.stage, s.number, s.cached) for s in steps] == [
        ("1/2", 1, None),
        ("1/2", 2, True),
        ("2/2", 1, None),
        ("2/2", 2, False),
    ]


def test_buildkit_plain_log_steps_and_cache_hits() -> None:
    steps = parse_build_steps(BUILDKIT_LOG)

    assert [(s.stage, s.instruction, s.cached) for s in steps] == [
        ("builder", "FROM docker.io/library/node:18@sha256:abc", None),
        ("builder", "COPY package.json package-lock.json ./", True),
        ("builder", "RUN npm ci", True),
        ("builder", "COPY . .", False),
    ]


@pytest.mark.parametrize(
    ("command", "installs"),
    [
        ("npm ci", True),
        ("npm install --omit=dev", True),
        ("--mount=type=cache,target=/root/.npm npm install", True),
        ("yarn install --frozen-lockfile", True),
        ("yarn", True),
        ("yarn build", False),
        ("pip install -r requirements.txt", True),
        ("python3 -m pip install --no-cache-dir -r requirements.txt", True),
        ("go mod download", True),
        ("go build -o /out/app .", False),
        ("mvn -B dependency:go-offline", True),
        ("mvn -B package", False),
        ("npm run build", False),
        ("apt-get update && apt-get install -y curl", False),
        ("bundle install --jobs 4", True),
        ("bundle -j4", True),
        ("bundle", True),
        ("bundler install", True),
        ("bundle exec rake assets:precompile", False),
        ("pip wheel --wheel-dir /wheels -r requirements.txt", True),
        ("uv pip sync requirements.txt", True),
        ("uv pip compile requirements.in", False),
    ],
    ids=str,
)
def test_install_step_pattern(command: str, installs: bool) -> None:
    assert bool(INSTALL_STEP.search(command)) is installs


def _rebuild(runs: list[tuple[str, bool]]) -> BuildOutcome:
    """A rebuild's log: FROM, then each RUN as cached (``--> Using cache``) or run again."""
    log = "STEP 1/9: FROM python:3.11\n"
    for k, (command, cached) in enumerate(runs, start=2):
        log += f"STEP {k}/9: RUN {command}\n" + (f"--> Using cache {'c' * 64}\n" if cached else "")
    return BuildOutcome(
        ok=True, tag="t", image_id="i", duration_s=1.0, log=log, steps=parse_build_steps(log), error=None
    )


@pytest.mark.parametrize(
    ("runs", "cached"),
    [
        # After a source change the project's own phase runs again; the dependencies' phase came from the cache.
        ([("poetry install --only main --no-root", True), ("poetry install --only main", False)], True),
        ([("uv sync --locked --no-install-project", True), ("uv sync --locked", False)], True),
        (
            [("composer install --no-dev --no-scripts --no-autoloader", True), ("composer install --no-dev", False)],
            True,
        ),
        # The dependencies' phase itself ran again: not cached.
        ([("poetry install --no-root", False), ("poetry install", False)], False),
        # Without a first phase, an install that runs again is the dependency install.
        ([("pip install poetry", True), ("poetry install --only main", False)], False),
    ],
    ids=["poetry", "uv", "composer", "poetry-deps-rerun", "one-phase"],
)
def test_install_cached_leaves_out_the_projects_own_phase(runs: list[tuple[str, bool]], cached: bool) -> None:
    assert _install_cached(_rebuild(runs), INSTALL_STEP) is cached


def _config(**changes: object) -> ImageConfig:
    base: dict[str, object] = {
        "Cmd": ["npm", "start"],
        "Env": ["PATH=/usr/bin", "NODE_ENV=production"],
        "ExposedPorts": {"3000/tcp": {}},
        "WorkingDir": "/app",
    }
    base.update(changes)
    return ImageConfig.from_json(base)


def test_compare_configs_marks_intended_and_unexpected_changes() -> None:
    before = _config()
    after = _config(User="node", Env=["PATH=/usr/bin", "HOME=/home/node"], Cmd=["node", "app.js"])

    changes = compare_configs(before, after, intended=frozenset({"User"}))

    assert [(c.field, c.key, c.before, c.after, c.intended) for c in changes] == [
        ("Cmd", None, '["npm", "start"]', '["node", "app.js"]', False),
        ("Env", "NODE_ENV", "production", None, False),
        ("Env", "HOME", None, "/home/node", False),
        ("User", None, None, "node", True),
    ]


def test_compare_configs_of_equal_configs_is_empty() -> None:
    assert compare_configs(_config(), _config()) == ()


def test_default_argv_is_entrypoint_then_cmd() -> None:
    config = _config(Entrypoint=["docker-entrypoint.sh"])

    assert config.default_argv == ("docker-entrypoint.sh", "npm", "start")


def _tree(root: Path, *files: str) -> Path:
    for name in files:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x = 1\n")
    return root


def test_pick_source_file_prefers_shallow_code_over_dependencies_and_manifests(tmp_path: Path) -> None:
    _tree(tmp_path, "node_modules/a.js", "package.json", "setup.py", "public/style.css", "src/deep/b.js", "app.js")

    assert pick_source_file(tmp_path) == "app.js"


def test_pick_source_file_falls_back_to_stylesheets_and_then_none(tmp_path: Path) -> None:
    _tree(tmp_path, "public/style.css", "README.md")
    assert pick_source_file(tmp_path) == "public/style.css"

    (tmp_path / "public" / "style.css").unlink()
    assert pick_source_file(tmp_path) is None


def test_source_change_is_a_unique_comment_that_keeps_line_endings(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_bytes(b"print(1)\r\nprint(2)")

    assert change_source(tmp_path, "app.py", "nonce-1") is None

    assert (tmp_path / "app.py").read_bytes() == (
        b"print(1)\r\nprint(2)\r\n# dockmod verify: source-only change nonce-1\r\n"
    )


def test_source_change_refuses_unknown_syntax(tmp_path: Path) -> None:
    (tmp_path / "data.json").write_text("{}")

    error = change_source(tmp_path, "data.json", "n")

    assert error is not None
    assert "no known comment syntax" in error
    assert (tmp_path / "data.json").read_text() == "{}"


def _stand_in(path: Path, script: str) -> str:
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def test_find_builder_says_what_it_tried(tmp_path: Path) -> None:
    docker = _stand_in(tmp_path / "docker", 'echo "Cannot connect to the Docker daemon" >&2; exit 1\n')

    found = find_builder(
        "auto",
        docker=DockerBuildx(executable=docker),
        buildah=Buildah(executable=str(tmp_path / "no-buildah")),
    )

    assert isinstance(found, NoBuilder)
    assert len(found.reasons) == 2
    assert "the Docker daemon did not answer (Cannot connect to the Docker daemon)" in found.reasons[0]
    assert "not found on PATH" in found.reasons[1]
    assert "install buildah" in found.message.lower()


def test_find_builder_prefers_an_answering_docker_daemon(tmp_path: Path) -> None:
    docker = _stand_in(tmp_path / "docker", 'echo "28.2.2"\n')

    found = find_builder("auto", docker=DockerBuildx(executable=docker))

    assert found == DockerBuildx(executable=docker)


def test_intended_changes_are_the_users_and_the_env_lines_the_refactoring_wrote() -> None:
    before = "FROM python:3.11\nENV A=1\nRUN pip install -r requirements.txt\n"
    after = (
        "FROM python:3.11 AS builder\nENV A=1\nRUN python -m venv /opt/venv\n"
        "ENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH\nRUN pip install -r requirements.txt\n"
        "FROM python:3.11\nENV A=1\nCOPY --from=builder /opt/venv /opt/venv\n"
        "ENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH\nUSER 10001:10001\n"
    )
    fields, env = intended_changes(before, after, {"split-stages", "add-user"})
    assert fields == {"User"}
    assert env == {"VIRTUAL_ENV", "PATH"}
    # An ENV line the refactoring kept as it was changes nothing; without add-user the user is not meant to change.
    assert intended_changes(before, before, set()) == (frozenset(), frozenset())
    config_before = _config(Env=["PATH=/usr/bin", "A=1"])
    config_after = _config(Env=["PATH=/opt/venv/bin:/usr/bin", "A=2", "VIRTUAL_ENV=/opt/venv"])
    changes = compare_configs(config_before, config_after, intended_env=env)
    assert [(c.key, c.intended) for c in changes] == [("PATH", True), ("A", False), ("VIRTUAL_ENV", True)]


def test_a_build_that_fails_in_the_builders_machinery_runs_once_more(tmp_path: Path) -> None:
    """buildah sometimes fails to seal the memfd copy of itself it runs RUN steps from (EBUSY): not the
    Dockerfile's fault, so the build is tried again; any other failure is reported at once."""
    attempts = tmp_path / "attempts"
    fake = tmp_path / "buildah"
    fake.write_text(
        "#!/bin/sh\n"
        f"echo x >> {attempts}\n"
        f"if [ $(wc -l < {attempts}) -eq 1 ]; then\n"
        "  echo 'Close_Fd sealing memfd copy: Device or resource busy'; exit 1\n"
        "fi\n"
        'while [ $# -gt 0 ]; do [ "$1" = --iidfile ] && echo sha256:abc > "$2"; shift; done\n'
        "echo STEP 1/1: FROM scratch\n"
    )
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    built = Buildah(executable=str(fake)).build(tmp_path / "Dockerfile", tmp_path, tag="t", timeout_s=30)
    assert built.ok, built.error
    assert attempts.read_text().count("x") == 2
    # A real failure: one attempt only.
    attempts.write_text("")
    fake.write_text(f"#!/bin/sh\necho x >> {attempts}\necho 'RUN failed: exit status 2'; exit 1\n")
    failed = Buildah(executable=str(fake)).build(tmp_path / "Dockerfile", tmp_path, tag="t", timeout_s=30)
    assert not failed.ok
    assert attempts.read_text().count("x") == 1

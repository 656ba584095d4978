"""File modes a COPY keeps from the build context: git stores only the x bit, so these cases make their files here
instead of under golden/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dockmod import engine
from dockmod.context import Context, DirectoryContext
from dockmod.transforms import TransformConfig, build_transforms
from dockmod.transforms._base import Safety
from support.cli import run

CONFIG = (
    "FROM python:3.11-slim\nWORKDIR /app\nCOPY deploy/app.conf /etc/myapp/app.conf\nCOPY . .\n"
    'CMD ["python", "app.py"]\n'
)


def add_user(folder: Path) -> list[engine.FixReport]:
    text = (folder / "Dockerfile").read_text()
    ctx = Context(build=DirectoryContext(folder), path="Dockerfile")
    outcome = engine.refactor(text, build_transforms(TransformConfig(select=("add-user",))), ctx, threshold=Safety.SAFE)
    assert isinstance(outcome, engine.Changed | engine.Unchanged)
    return list(outcome.fixes)


def project(folder: Path, mode: int) -> Path:
    (folder / "deploy").mkdir(parents=True)
    (folder / "Dockerfile").write_text(CONFIG)
    (folder / "app.py").write_text("print(open('/etc/myapp/app.conf').read())\n")
    (folder / ".dockerignore").write_text(".git\n.env\n")
    conf = folder / "deploy" / "app.conf"
    conf.write_text("password = x\n")
    conf.chmod(mode)
    return conf


@pytest.mark.parametrize(("mode", "safety"), [(0o644, Safety.SAFE), (0o600, Safety.UNSAFE), (0o640, Safety.UNSAFE)])
def test_a_copied_file_others_cannot_read_stays_roots(tmp_path: Path, mode: int, safety: Safety) -> None:
    """A real image could not read /etc/myapp/app.conf, 0600 in the checkout, as the new user."""
    project(tmp_path, mode)
    [fix] = add_user(tmp_path)
    assert fix.safety == safety
    if safety == Safety.UNSAFE:
        assert f"leaves /etc/myapp/app.conf readable by its owner only (COPY of deploy/app.conf, mode {mode:o}" in (
            fix.message
        )


def test_an_entrypoint_without_its_x_bit_is_left_to_a_later_chmod(tmp_path: Path) -> None:
    (tmp_path / "start.sh").write_text("#!/bin/sh\nexec python app.py\n")
    (tmp_path / "start.sh").chmod(0o644)
    (tmp_path / "app.py").write_text("")
    (tmp_path / ".dockerignore").write_text(".git\n.env\n")
    (tmp_path / "Dockerfile").write_text(
        "FROM python:3.11-slim\nWORKDIR /app\nCOPY . .\nCOPY start.sh /usr/local/bin/start\n"
        'RUN chmod +x /usr/local/bin/start\nCMD ["start"]\n'
    )
    [fix] = add_user(tmp_path)
    assert fix.safety == Safety.SAFE, fix.message


def test_a_mode_change_is_noticed_by_the_result_cache(tmp_path: Path) -> None:
    conf = project(tmp_path / "svc", 0o644)
    assert "+USER" in run("refactor", "--select", "add-user", "svc", cwd=tmp_path)[1]
    conf.chmod(0o600)  # the content is the same; the ctime (in the stamp) is not
    os.utime(conf)
    assert run("refactor", "--select", "add-user", "svc", cwd=tmp_path)[1] == ""
    assert run("refactor", "--select", "add-user", "--no-cache", "svc", cwd=tmp_path)[1] == ""


@pytest.mark.parametrize(
    ("mode", "ignored", "safety"),
    [(0o644, False, Safety.SAFE), (0o600, False, Safety.UNSAFE), (0o600, True, Safety.SAFE)],
)
def test_a_copied_folder_keeps_its_files_modes(tmp_path: Path, mode: int, ignored: bool, safety: Safety) -> None:
    """`COPY deploy/ /etc/myapp/` copies app.conf with its mode, as the one-file COPY does (a file .dockerignore
    leaves out is not copied)."""
    project(tmp_path, 0o644)
    (tmp_path / "Dockerfile").write_text(
        CONFIG.replace("COPY deploy/app.conf /etc/myapp/app.conf", "COPY deploy/ /etc/myapp/")
    )
    (tmp_path / "deploy" / "keys").mkdir()
    secret = tmp_path / "deploy" / "keys" / "token"
    secret.write_text("x\n")
    secret.chmod(mode)
    if ignored:
        (tmp_path / ".dockerignore").write_text(".git\n.env\ndeploy/keys/token\n")
    [fix] = add_user(tmp_path)
    assert fix.safety == safety, fix.message
    if safety == Safety.UNSAFE:
        assert (
            "leaves /etc/myapp/keys/token readable by its owner only (COPY of deploy, whose keys/token is mode 600"
            in (fix.message)
        )


@pytest.mark.parametrize(("mode", "safety"), [(0o755, Safety.SAFE), (0o700, Safety.UNSAFE), (0o750, Safety.UNSAFE)])
def test_a_copied_folder_others_cannot_enter_stays_roots(tmp_path: Path, mode: int, safety: Safety) -> None:
    """`COPY deploy/ /etc/myapp/` with deploy/private mode 0700 in the checkout: a real image could not read
    /etc/myapp/private/key.txt as the new user, though the file itself was 0644."""
    project(tmp_path, 0o644)
    (tmp_path / "Dockerfile").write_text(
        CONFIG.replace("COPY deploy/app.conf /etc/myapp/app.conf", "COPY deploy/ /etc/myapp/")
    )
    private = tmp_path / "deploy" / "private"
    private.mkdir()
    (private / "key.txt").write_text("k\n")
    private.chmod(mode)
    [fix] = add_user(tmp_path)
    assert fix.safety == safety, fix.message
    if safety == Safety.UNSAFE:
        assert f"(COPY of deploy, whose private/ is mode {mode:o} in the build context)" in fix.message

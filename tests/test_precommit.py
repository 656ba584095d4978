"""The pre-commit hooks (``.pre-commit-hooks.yaml``): which files they take, and a real pre-commit running them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from dockmod.discover import is_dockerfile_name

ROOT = Path(__file__).resolve().parents[1]
HOOKS = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}

LEGACY = 'FROM node:18\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "server.js"]\n'


def hook_takes(hook: dict[str, str], path: str) -> bool:
    # pre-commit's filter: ``re.search`` of the hook's ``files`` on the path relative to the repository.
    return re.search(hook["files"], path) is not None


NAMES = [
    "Dockerfile",
    "dockerfile",
    "Dockerfile.prod",
    "Dockerfile.",
    "api.Dockerfile",
    ".dockerfile",
    "Containerfile",
    "Containerfile.dev",
    "containerfile-x",
    "Dockerfile-dev",
    "Dockerfiles",
    "dockerfile_utils.py",
    "DockerfileParser.java",
    "my.dockerfile.bak",
    "README.md",
]


@pytest.mark.parametrize("hook", sorted(HOOKS))
@pytest.mark.parametrize("name", NAMES)
def test_hooks_take_the_files_discovery_takes(hook: str, name: str) -> None:
    for path in (name, f"services/api/{name}"):
        assert hook_takes(HOOKS[hook], path) == is_dockerfile_name(name), path


@given(
    st.lists(
        st.sampled_from(["docker", "Docker", "DOCKER", "file", "FILE", "container", ".", "-", "_", "x", "/"]),
        max_size=8,
    ).map("".join)
)
def test_hooks_agree_with_discovery_on_any_name(path: str) -> None:
    name = path.rsplit("/", 1)[-1]
    if not name:
        return
    for hook in HOOKS.values():
        assert hook_takes(hook, path) == is_dockerfile_name(name)


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout


def snapshot(dest: Path) -> str:
    """This checkout as pre-commit sees a hook repository: a git repository at a commit (uncommitted work
    included, ignored files left out). Returns the commit."""
    listed = git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if not source.exists() and not source.is_symlink():
            continue  # deleted in the working tree
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            target.symlink_to(os.readlink(source))
        else:
            shutil.copy2(source, target)
    git(dest, "init", "-q")
    git(dest, "add", "-A")
    git(dest, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "snapshot")
    return git(dest, "rev-parse", "HEAD").strip()


@pytest.mark.network
@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_pre_commit_runs_the_hooks(tmp_path: Path) -> None:
    """A repository that uses both hooks, run by the real pre-commit: check fails on a legacy Dockerfile and
    shows the diff, apply rewrites it as ``dockmod refactor --apply`` does, and check then passes. Files that
    only look like Dockerfiles by name (``dockerfile_utils.py``) are left alone."""
    if not (ROOT / ".git").exists():
        pytest.skip("the hooks repository must be a git checkout")
    hooks_repo = tmp_path / "dockmod"
    rev = snapshot(hooks_repo)

    work = tmp_path / "work"
    (work / "svc").mkdir(parents=True)
    (work / "svc" / "Dockerfile").write_text(LEGACY)
    (work / "svc" / "package.json").write_text("{}\n")
    (work / "svc" / "package-lock.json").write_text("{}\n")
    (work / "dockerfile_utils.py").write_text("import os\n")
    (work / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hooks_repo}\n    rev: {rev}\n    hooks:\n      - id: dockmod-check\n"
        "      - id: dockmod-apply\n        stages: [manual]\n"
    )
    git(work, "init", "-q")
    git(work, "add", "-A")

    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),  # its hook environments: never the user's
        "DOCKMOD_COMPILE": "0",  # the hook environment's install need not compile the parser
    }

    def pre_commit(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", *args, "--all-files"],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )

    check = pre_commit("run", "dockmod-check")
    assert check.returncode == 1, check.stdout + check.stderr
    assert "+USER 1000:1000" in check.stdout
    assert "dockerfile_utils" not in check.stdout
    assert (work / "svc" / "Dockerfile").read_text() == LEGACY

    expected = tmp_path / "expected"
    shutil.copytree(work / "svc", expected)
    subprocess.run(
        [sys.executable, "-m", "dockmod", "refactor", "--apply", str(expected)], check=True, capture_output=True
    )

    apply = pre_commit("run", "--hook-stage", "manual", "dockmod-apply")
    assert apply.returncode == 1, apply.stdout + apply.stderr  # pre-commit fails a hook that changed files
    assert "files were modified by this hook" in apply.stdout
    assert (work / "svc" / "Dockerfile").read_text() == (expected / "Dockerfile").read_text() != LEGACY
    assert (work / "dockerfile_utils.py").read_text() == "import os\n"
    assert not (work / ".dockerignore").exists()

    git(work, "add", "-A")
    again = pre_commit("run", "dockmod-check")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Passed" in again.stdout

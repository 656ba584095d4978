"""The command line, on real temporary trees."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from dockmod import files
from support.cli import LEGACY, project, run


def test_dry_run_prints_a_diff_and_writes_nothing(tmp_path: Path) -> None:
    path = project(tmp_path / "svc")
    code, out, err = run("refactor", "--select", "lockfile-first", "svc", cwd=tmp_path)
    assert code == 0
    assert out.startswith("--- a/svc/Dockerfile\n+++ b/svc/Dockerfile\n")
    assert "+COPY package.json package-lock.json ./\n" in out
    assert path.read_text() == LEGACY
    assert "1 would change" in err


def test_the_diff_applies_with_patch(tmp_path: Path) -> None:
    path = project(tmp_path / "svc", LEGACY.replace("\n", "\r\n").rstrip("\r\n"))
    code, out, _ = run("refactor", "svc", cwd=tmp_path)
    assert code == 0
    subprocess.run(["patch", "-p1", "--binary", "-s"], input=out.encode(), cwd=tmp_path, check=True)
    code, out2, _ = run("refactor", "svc", "--check", cwd=tmp_path)
    assert code == 0, out2
    assert path.read_bytes().count(b"\r\n") == path.read_bytes().count(b"\n")


def test_apply_writes_and_check_then_passes(tmp_path: Path) -> None:
    path = project(tmp_path / "svc")
    path.chmod(0o640)
    code, _, err = run("refactor", "--apply", "svc", cwd=tmp_path)
    assert code == 0
    assert "wrote svc/Dockerfile" in err
    assert "package.json package-lock.json ./" in path.read_text()
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    code, out, _ = run("refactor", "--check", "svc", cwd=tmp_path)
    assert (code, out) == (0, "")


def test_check_exits_1_when_changes_are_pending(tmp_path: Path) -> None:
    project(tmp_path / "svc")
    code, out, _ = run("refactor", "--check", "svc", cwd=tmp_path)
    assert code == 1
    assert "package.json package-lock.json ./" in out


def test_crlf_bom_and_no_final_newline_are_kept(tmp_path: Path) -> None:
    text = "\ufeff" + LEGACY.replace("\n", "\r\n").rstrip("\r\n")
    path = project(tmp_path / "svc", text)
    assert run("refactor", "--apply", "svc", cwd=tmp_path)[0] == 0
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert not data.endswith(b"\n")


def test_a_broken_file_is_reported_and_the_rest_processed(tmp_path: Path) -> None:
    good = project(tmp_path / "a")
    project(tmp_path / "b", "FROM x\nENV ONLYKEY\n")
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "Dockerfile").write_bytes("FROM x\n".encode("utf-16"))
    code, _, err = run("refactor", "--apply", ".", cwd=tmp_path)
    assert code == 2
    assert "b/Dockerfile: line 2, column 1: ENV must have two arguments" in err
    assert "c/Dockerfile: not UTF-8 (UTF-16 (little-endian) byte-order mark)" in err
    assert "package.json package-lock.json ./" in good.read_text()
    assert (tmp_path / "c" / "Dockerfile").read_bytes() == "FROM x\n".encode("utf-16")


def test_select_ignore_and_unknown_names(tmp_path: Path) -> None:
    project(tmp_path / "svc")
    _, out, _ = run("refactor", "--select", "cache-mounts", "svc", cwd=tmp_path)
    assert "--mount=type=cache" in out
    assert "COPY package.json" not in out
    _, out, _ = run("refactor", "--ignore", "cache-mounts", "svc", cwd=tmp_path)
    assert "--mount" not in out
    code, _, err = run("refactor", "--select", "nope", "svc", cwd=tmp_path)
    assert code == 2
    assert "unknown transform 'nope'" in err


def test_unsafe_fixes_need_the_flag_and_show_fixes_says_what_they_would_change(tmp_path: Path) -> None:
    """The diff shows what is applied; --show-fixes says why, and what the unsafe fixes would change."""
    dockerfile = "FROM debian:bookworm\n# tools\nRUN apt-get update && apt-get install -y curl\n"
    project(tmp_path / "svc", dockerfile)
    code, out, err = run("refactor", "--select", "cache-mounts", "svc", cwd=tmp_path)
    assert (code, out) == (0, "")
    assert "1 unsafe fix available with --unsafe (--show-fixes says what each would change)" in err
    code, out, err = run("refactor", "--select", "cache-mounts", "--show-fixes", "svc", cwd=tmp_path)
    assert (code, out) == (0, "")
    [line] = [line for line in err.splitlines() if line.startswith("svc")]
    assert line.startswith(f"{Path('svc', 'Dockerfile')}:3: cache-mounts [unsafe, needs --unsafe] cache apt downloads")
    assert "(--show-fixes" not in err
    _, out, err = run("refactor", "--select", "cache-mounts", "--unsafe", "--show-fixes", "svc", cwd=tmp_path)
    assert "target=/var/lib/apt" in out
    assert f"{Path('svc', 'Dockerfile')}:3: cache-mounts [unsafe, applied] cache apt downloads" in err


def test_json_report(tmp_path: Path) -> None:
    project(tmp_path / "svc")
    code, out, _ = run("refactor", "--format", "json", "svc", cwd=tmp_path)
    assert code == 0
    report = json.loads(out)
    (entry,) = report["files"]
    assert entry["status"] == "changed"
    assert {f["transform"] for f in entry["fixes"]} >= {"lockfile-first", "cache-mounts"}
    assert all({"message", "safety", "applied", "start_line", "end_line"} <= set(f) for f in entry["fixes"])
    # cache-mounts' and add-user's fixes are found in the second pass, on lockfile-first's text (a line longer):
    # their lines, and the line add-user's message names, are the user's (`RUN npm ci` is line 4).
    lines = {f["transform"]: (f["start_line"], f["end_line"]) for f in entry["fixes"]}
    assert lines == {"lockfile-first": (3, 4), "cache-mounts": (4, 4), "add-user": (1, 4)}
    assert "USER 1000:1000 after line 4;" in next(f["message"] for f in entry["fixes"] if f["transform"] == "add-user")


def test_discovery_patterns_and_gitignore(tmp_path: Path) -> None:
    for name in ("Dockerfile", "Dockerfile.dev", "api.Dockerfile", "web.dockerfile", "Containerfile", "notes.txt"):
        project(tmp_path / "repo" / name.replace(".", "_"), name=name)
    project(tmp_path / "repo" / "vendor", name="Dockerfile")
    (tmp_path / "repo" / ".gitignore").write_text("vendor/\n")
    _, out, _ = run("refactor", "--ignore", "dockerignore", "repo", cwd=tmp_path)
    changed = sorted(line[6:] for line in out.splitlines() if line.startswith("+++ b/"))
    assert changed == [
        "repo/Containerfile/Containerfile",
        "repo/Dockerfile/Dockerfile",
        "repo/Dockerfile_dev/Dockerfile.dev",
        "repo/api_Dockerfile/api.Dockerfile",
        "repo/web_dockerfile/web.dockerfile",
    ]


def test_git_info_exclude_with_relative_paths(tmp_path: Path) -> None:
    """A clone has .git/info/exclude; its patterns are relative to the repository, the user's path to the cwd."""
    repo = tmp_path / "repo"
    project(repo / "apps" / "svc")
    project(repo / "apps" / "hidden")
    (repo / ".git" / "info").mkdir(parents=True)
    (repo / ".git" / "info" / "exclude").write_text("/apps/hidden/\n")
    for cwd, path in ((repo, "apps"), (repo / "apps", "."), (repo / "apps", "svc")):
        code, out, err = run("refactor", "--ignore", "dockerignore", path, cwd=cwd)
        assert code == 0, err
        changed = [line[6:] for line in out.splitlines() if line.startswith("+++ b/")]
        assert [c.rsplit("/", 2)[-2] for c in changed] == ["svc"], (cwd, path, changed)


def test_created_files_are_shown_counted_and_written(tmp_path: Path) -> None:
    project(tmp_path / "svc", ignore=False)
    code, out, _ = run("refactor", "--select", "dockerignore", "svc", cwd=tmp_path)
    assert code == 0
    assert "--- /dev/null\n+++ b/svc/.dockerignore\n" in out
    assert not (tmp_path / "svc" / ".dockerignore").exists()
    assert run("refactor", "--select", "dockerignore", "--check", "svc", cwd=tmp_path)[0] == 1
    code, _, err = run("refactor", "--select", "dockerignore", "--apply", "svc", cwd=tmp_path)
    assert code == 0
    assert "svc/.dockerignore" in err
    assert "node_modules\n" in (tmp_path / "svc" / ".dockerignore").read_text()
    assert (tmp_path / "svc" / "Dockerfile").read_text() == LEGACY
    assert run("refactor", "--select", "dockerignore", "--check", "svc", cwd=tmp_path)[0] == 0


def test_symlink_out_of_the_tree_is_never_written(tmp_path: Path) -> None:
    outside = project(tmp_path / "outside")
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "package.json").write_text("{}\n")
    (tmp_path / "repo" / "package-lock.json").write_text("{}\n")
    (tmp_path / "repo" / "Dockerfile").symlink_to(outside)
    code, _, _ = run("refactor", "--apply", "repo", cwd=tmp_path)
    assert code == 0
    assert outside.read_text() == LEGACY


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_apply_writes_what_the_dry_run_showed_whatever_the_jobs(tmp_path: Path) -> None:
    """Pairs of Dockerfiles sharing a folder (and the .dockerignore both propose), past the count where workers
    start: --apply works every file out from the tree as it was, so -j 1 and -j 2 write the same files and give
    the same reports, and what they write is the dry run's diff."""
    pristine = tmp_path / "pristine"
    for k in range(30):
        path = project(pristine / f"svc{k:02d}", ignore=False)
        (path.parent / "Dockerfile.dev").write_text(LEGACY.replace("node:18", "node:20"))
    patched = tmp_path / "patched"
    shutil.copytree(pristine, patched)
    code, diff, _ = run("refactor", "--no-cache", ".", cwd=patched)
    assert code == 0
    assert diff.count("+++ b/") == 90  # 60 Dockerfiles, 30 .dockerignore files (one per folder)
    subprocess.run(["patch", "-p1", "-s"], input=diff.encode(), cwd=patched, check=True)
    outputs = []
    for jobs in ("1", "2"):
        root = tmp_path / f"j{jobs}"
        shutil.copytree(pristine, root)
        code, out, err = run("refactor", "--apply", "--no-cache", "-j", jobs, "--format", "json", ".", cwd=root)
        assert code == 0, err
        assert _tree(root) == _tree(patched)
        outputs.append((out, err))
    assert outputs[0] == outputs[1]
    assert "60 files scanned, 60 changed" in outputs[0][1]


def test_a_file_changed_during_the_run_is_not_overwritten(tmp_path: Path) -> None:
    path = project(tmp_path)
    path.write_text(LEGACY + "EXPOSE 3000\n")  # saved by an editor after dockmod read LEGACY
    with pytest.raises(files.FileError, match="changed since dockmod read it; not written"):
        files.write_atomic(path, "FROM changed\n", root=tmp_path, before=LEGACY)
    assert path.read_text() == LEGACY + "EXPOSE 3000\n"
    created = tmp_path / ".dockerignore"  # dockmod would create it; someone else did first
    with pytest.raises(files.FileError, match="created since dockmod read it"):
        files.write_atomic(created, ".git\n", root=tmp_path, before=None)
    assert created.read_text() == ".git\n.env\nnode_modules\n"
    path.unlink()
    with pytest.raises(files.FileError, match="deleted since dockmod read it"):
        files.write_atomic(path, "FROM changed\n", root=tmp_path, before=LEGACY)
    assert not path.exists()


def test_interrupted_write_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = project(tmp_path)

    def fail(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(files.FileError, match="cannot write: No space left on device"):
        files.write_atomic(path, "FROM changed\n", root=tmp_path, before=LEGACY)
    assert path.read_text() == LEGACY
    assert [p.name for p in tmp_path.iterdir() if "dockmod-tmp" in p.name] == []


def test_missing_path_and_empty_tree(tmp_path: Path) -> None:
    code, _, err = run("refactor", "nowhere", cwd=tmp_path)
    assert code == 2
    assert "nowhere: no such file or folder" in err
    (tmp_path / "empty").mkdir()
    # Files stream from discovery to the workers, or (pin-images: the lookups need every file first) not.
    for selection in ((), ("--select", "pin-images")):
        code, out, err = run("refactor", *selection, "empty", cwd=tmp_path)
        assert (code, out) == (0, "")
        assert err == "dockmod: no Dockerfiles found\n"


def test_apply_and_check_exclude_each_other(tmp_path: Path) -> None:
    code, _, err = run("refactor", "--apply", "--check", cwd=tmp_path)
    assert code == 2
    assert "exclude each other" in err


def test_transforms_and_explain(tmp_path: Path) -> None:
    code, out, _ = run("transforms", cwd=tmp_path)
    assert code == 0
    assert "lockfile-first" in out
    assert "cache-mounts" in out
    code, out, _ = run("explain", "cache-mounts", cwd=tmp_path)
    assert code == 0
    assert out.startswith("# cache-mounts\n")
    code, _, err = run("explain", "nope", cwd=tmp_path)
    assert code == 2
    assert "unknown transform" in err


def test_parse_json_contract(tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text('# syntax=docker/dockerfile:1\nFROM a AS b\nENV K=v\nONBUILD RUN <<EOF\nx\nEOF\nCMD ["x"]\n')
    code, out, _ = run("parse", "--format", "json", "Dockerfile", cwd=tmp_path)
    assert code == 0
    data = json.loads(out)
    assert data["directives"] == [{"name": "syntax", "value": "docker/dockerfile:1"}]
    frm, env, onbuild, cmd = data["instructions"]
    assert frm == {
        "keyword": "FROM",
        "flags": [],
        "args": ["a", "AS", "b"],
        "json": False,
        "heredocs": [],
        "line": 2,
        "end_line": 2,
    }
    assert env["pairs"] == [{"key": "K", "value": "v", "equals": True}]
    assert onbuild["onbuild"]["keyword"] == "RUN"
    assert onbuild["onbuild"]["heredocs"] == [{"name": "EOF", "content": "x\n", "strip_tabs": False, "quoted": False}]
    assert (onbuild["line"], onbuild["end_line"]) == (4, 6)
    assert cmd["json"] is True
    code, out, _ = run("parse", "Dockerfile", cwd=tmp_path)
    assert code == 0
    assert "ONBUILD" in out


def test_parse_reports_errors(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("FROM a\nENV X\n")
    code, _, err = run("parse", "Dockerfile", cwd=tmp_path)
    assert code == 2
    assert "Dockerfile: line 2, column 1: ENV must have two arguments" in err


def test_module_entry_point_and_version() -> None:
    out = subprocess.run([sys.executable, "-m", "dockmod", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "dockmod, version 0.1.0"


def test_parallel_dry_run_prints_what_a_serial_one_prints(tmp_path: Path) -> None:
    # Enough files for the process pool (its workers work out the diffs), in two folders that share a
    # .dockerignore proposal, so the parent's "write a context file once" choice is exercised too.
    for k in range(60):
        project(tmp_path / f"svc{k:02d}", LEGACY.replace("server.js", f"server{k}.js"), ignore=False)
        if k % 2:
            project(tmp_path / f"svc{k - 1:02d}", LEGACY, name="Dockerfile.dev", ignore=False)
    serial = run("refactor", "-j", "1", ".", cwd=tmp_path)
    parallel = run("refactor", "-j", "2", ".", cwd=tmp_path)
    assert serial[0] == parallel[0] == 0
    assert serial[1] == parallel[1]
    assert serial[1].count("+++ b/svc") == 60 + 30 + 60  # Dockerfiles, Dockerfile.dev, one .dockerignore each
    assert "--- /dev/null\n+++ b/svc00/.dockerignore\n" in serial[1]


@pytest.mark.skipif(shutil.which("script") is None, reason="needs util-linux's script (a terminal for stderr)")
def test_diffs_go_to_a_redirected_stdout_while_the_progress_bar_shows(tmp_path: Path) -> None:
    # stderr on a terminal (the progress bar shows for 50 files or more), stdout into a file.
    for k in range(60):
        project(tmp_path / f"svc{k:02d}")
    command = f"{shlex.quote(sys.executable)} -m dockmod refactor --select lockfile-first . > changes.diff"
    subprocess.run(["script", "-qec", command, "/dev/null"], cwd=tmp_path, check=True, capture_output=True)
    diff = (tmp_path / "changes.diff").read_text()
    assert diff.count("+COPY package.json package-lock.json ./\n") == 60


def test_dockerfiles_sharing_a_context_get_one_dockerignore_that_suits_them_all(tmp_path: Path) -> None:
    svc = tmp_path / "svc"
    builds = LEGACY.replace("RUN npm ci\n", "RUN npm ci && npm run build\n")
    project(svc, builds, ignore=False)  # builds dist/ itself: dist is junk to it
    (svc / "prebuilt.Dockerfile").write_text('FROM node:18\nCOPY . /app\nCOPY .env /app/.env\nCMD ["node", "x"]\n')
    for junk in ("dist", "node_modules", ".git"):
        (svc / junk).mkdir()
    (svc / ".env").write_text("A=1\n")
    assert run("refactor", "--apply", "--unsafe", "--select", "dockerignore", ".", cwd=tmp_path)[0] == 0
    ignored = (svc / ".dockerignore").read_text().splitlines()
    assert {"node_modules", ".git"} <= set(ignored)
    assert ".env" not in ignored  # prebuilt.Dockerfile copies it by name
    assert "dist" not in ignored  # prebuilt.Dockerfile copies the whole context without building it
    # One run wrote what both need: nothing is pending for either.
    code, out, err = run("refactor", "--check", "--unsafe", "--select", "dockerignore", ".", cwd=tmp_path)
    assert (code, out) == (0, ""), err

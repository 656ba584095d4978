"""The result cache: a later run reuses a file's result only while nothing it was computed from has changed."""

from __future__ import annotations

import os
import pickle
import random
import shutil
from pathlib import Path

import pytest

import dockmod
from dockmod import cache, context, engine
from support.cli import LEGACY, project, run

NODE = 'FROM node:18\nWORKDIR /app\nCOPY . .\nRUN npm ci\nUSER node\nCMD ["node", "server.js"]\n'


def cache_files() -> list[Path]:
    return sorted(Path(os.environ["DOCKMOD_CACHE_DIR"]).glob("results/*.pickle"))


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The Dockerfiles the engine works out (not those whose results are reused)."""
    calls: list[str] = []
    real = engine.refactor

    def refactor(text: str, *args: object, **kwargs: object) -> engine.Outcome:
        ctx = args[1] if len(args) > 1 else kwargs["ctx"]
        calls.append(Path(ctx.path).as_posix())  # type: ignore[attr-defined]
        return real(text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "refactor", refactor)
    return calls


def test_an_unchanged_tree_is_not_worked_out_again(tmp_path: Path, counted: list[str]) -> None:
    project(tmp_path / "a")
    project(tmp_path / "b", NODE, ignore=False)
    first = run("refactor", ".", cwd=tmp_path)
    assert sorted(counted) == ["a/Dockerfile", "b/Dockerfile"]
    assert len(cache_files()) == 1
    counted.clear()
    assert run("refactor", ".", cwd=tmp_path) == first
    assert counted == []
    # --check and --format json read the same kept results.
    assert run("refactor", "--check", ".", cwd=tmp_path)[0] == 1
    assert run("refactor", "--format", "json", ".", cwd=tmp_path)[0] == 0
    assert counted == []


def test_a_changed_dockerfile_is_worked_out_again(tmp_path: Path, counted: list[str]) -> None:
    path = project(tmp_path / "a")
    project(tmp_path / "b")
    run("refactor", ".", cwd=tmp_path)
    counted.clear()
    path.write_text(LEGACY.replace("node:18", "node:20"))
    _, out, _ = run("refactor", ".", cwd=tmp_path)
    assert counted == ["a/Dockerfile"]
    assert "FROM node:20" in out
    assert run("refactor", ".", "--no-cache", cwd=tmp_path)[1] == out


def test_a_changed_build_context_is_worked_out_again(tmp_path: Path, counted: list[str]) -> None:
    path = project(tmp_path / "a", ignore=False)
    _, out, _ = run("refactor", "--select", "dockerignore", ".", cwd=tmp_path)
    assert "+++ b/a/.dockerignore" in out
    (path.parent / ".dockerignore").write_text(".git\n.env\nnode_modules\n")  # a new file: the folder changed
    counted.clear()
    assert run("refactor", "--select", "dockerignore", ".", cwd=tmp_path)[1] == ""
    assert counted == ["a/Dockerfile"]
    (path.parent / ".dockerignore").write_text(".git\n.env\n")  # the same file, another text
    _, out, _ = run("refactor", "--select", "dockerignore", ".", cwd=tmp_path)
    assert "+node_modules" in out


def test_stamps_stand_for_the_content_only_when_old_enough(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = project(tmp_path / "a", ignore=False)
    ignore = path.parent / ".dockerignore"
    ignore.write_text(".git\n.env\nnode_modules\n")
    old = 1_000_000_000 * 10**9  # 2001: long before the run, so the stamps are trusted
    for p in (ignore, path.parent):
        os.utime(p, ns=(old, old))
    monkeypatch.setattr(context, "_RACY_NS", 0)
    assert run("refactor", "--select", "dockerignore", ".", cwd=tmp_path)[1] == ""
    # The same size and mtime: the ctime (and the content) tell the change.
    ignore.write_text(".git\n.env\nnode_mod\n__\n")
    os.utime(ignore, ns=(old, old))
    assert "+node_modules" in run("refactor", "--select", "dockerignore", ".", cwd=tmp_path)[1]


def test_other_settings_are_other_results(tmp_path: Path, counted: list[str]) -> None:
    project(tmp_path / "a", NODE)
    safe = run("refactor", ".", cwd=tmp_path)
    unsafe = run("refactor", "--unsafe", ".", cwd=tmp_path)
    (tmp_path / "dockmod.toml").write_text("ignore = ['lockfile-first']\n")
    configured = run("refactor", ".", cwd=tmp_path)
    assert len(counted) == 3
    assert unsafe[1] == safe[1]  # (the same fixes, worked out again: --unsafe could have changed them)
    assert configured != safe
    assert run("refactor", ".", "--no-cache", cwd=tmp_path) == configured


def test_results_that_ask_a_registry_or_failed_are_never_kept(tmp_path: Path, counted: list[str]) -> None:
    project(tmp_path / "a", "FROM scratch\nCOPY app /app\n")
    project(tmp_path / "b", "FROM node:18\nRUN <<EOF\n")  # an unterminated heredoc: a parse error
    run("refactor", "--select", "pin-images", "--offline", "a", cwd=tmp_path)
    run("refactor", "--select", "pin-images", "--offline", "a", cwd=tmp_path)
    assert counted == ["a/Dockerfile", "a/Dockerfile"]
    counted.clear()
    assert run("refactor", "b", cwd=tmp_path)[0] == 2
    assert run("refactor", "b", cwd=tmp_path)[0] == 2
    assert counted == ["b/Dockerfile", "b/Dockerfile"]


def test_no_cache_neither_reads_nor_writes(tmp_path: Path, counted: list[str]) -> None:
    project(tmp_path / "a")
    run("refactor", "--no-cache", ".", cwd=tmp_path)
    assert cache_files() == []
    run("refactor", ".", cwd=tmp_path)
    run("refactor", "--no-cache", ".", cwd=tmp_path)
    assert len(counted) == 3


def test_a_new_dockmod_starts_afresh(tmp_path: Path, counted: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path / "a")
    run("refactor", ".", cwd=tmp_path)
    monkeypatch.setattr(cache, "code_fingerprint", lambda: b"another dockmod")
    run("refactor", ".", cwd=tmp_path)
    assert len(counted) == 2


def test_a_damaged_or_planted_cache_file_is_an_empty_cache(tmp_path: Path, counted: list[str]) -> None:
    project(tmp_path / "a")
    expected = run("refactor", ".", cwd=tmp_path)
    [file] = cache_files()
    file.write_bytes(file.read_bytes()[:100])
    assert run("refactor", ".", cwd=tmp_path) == expected
    # A pickle that would run code when loaded with pickle.load: refused, nothing runs.
    marker = tmp_path / "ran"

    class Exploit:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, (f"touch {marker}",))

    file.write_bytes(pickle.dumps((1, cache.code_fingerprint(), {"a/Dockerfile": Exploit()})))
    assert run("refactor", ".", cwd=tmp_path) == expected
    assert not marker.exists()
    assert len(counted) == 3


def test_an_unwritable_cache_folder_warns_and_changes_nothing_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path / "a")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("DOCKMOD_CACHE_DIR", str(blocker))
    code, out, err = run("refactor", ".", cwd=tmp_path)
    assert (code, out) == run("refactor", "--no-cache", ".", cwd=tmp_path)[:2]
    assert f"warning: could not write the cache {blocker}/results/" in err


@pytest.mark.parametrize("trusted_stamps", [False, True])
def test_random_edits_give_what_a_fresh_run_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, trusted_stamps: bool
) -> None:
    """After any sequence of edits to Dockerfiles and their contexts, a run with the cache prints what a run
    without it prints. With ``trusted_stamps`` the entries' stamps are trusted (every edit leaves a later
    mtime, as a clock would); without, every file is compared by content."""
    if trusted_stamps:
        monkeypatch.setattr(context, "_RACY_NS", 0)
    rng = random.Random(7)
    texts = {
        "Dockerfile": [LEGACY, NODE, "FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\n"],
        "package.json": ['{"name": "app"}\n', '{"name": "app", "scripts": {"build": "tsc"}}\n'],
        "package-lock.json": ["{}\n"],
        "requirements.txt": ["flask\n", "flask==3.0\n"],
        ".dockerignore": [".git\n", ".git\n.env\nnode_modules\n", "*\n!src\n"],
        "src/server.js": ["x\n"],
        "deploy/Dockerfile": ["FROM node:18\nCOPY dist /app\n"],
        "docker-compose.yml": ["services:\n  web:\n    build: .\n"],
    }
    folders = [tmp_path / "one", tmp_path / "two"]
    for folder in folders:
        project(folder)
    clock = 1_500_000_000 * 10**9
    for step in range(40):
        folder = rng.choice(folders)
        name = rng.choice(sorted(texts))
        target = folder / name
        if target.exists() and name != "Dockerfile" and rng.random() < 0.3:
            target.unlink()
        else:
            target.parent.mkdir(exist_ok=True)
            target.write_text(rng.choice(texts[name]))
        clock += 10**9
        for p in {target, target.parent, folder}:
            if p.exists():
                os.utime(p, ns=(clock, clock))
        args = ["refactor", *(["--unsafe"] if step % 3 == 0 else []), "."]
        assert run(*args, cwd=tmp_path) == run(*args, "--no-cache", cwd=tmp_path), f"after step {step}: {name}"


def test_scopes_unused_for_a_month_are_dropped(tmp_path: Path) -> None:
    project(tmp_path / "a")
    project(tmp_path / "b")
    run("refactor", "a", cwd=tmp_path)
    [old] = cache_files()
    month = 31 * 86400
    os.utime(old, (old.stat().st_atime - month, old.stat().st_mtime - month))
    run("refactor", "b", cwd=tmp_path)
    [new] = cache_files()
    assert new != old
    # A scope in use stays, though its runs find nothing to write.
    os.utime(new, (new.stat().st_atime - month + 60, new.stat().st_mtime - month + 60))
    run("refactor", "b", cwd=tmp_path)
    run("refactor", "a", cwd=tmp_path)
    assert len(cache_files()) == 2


def test_the_code_fingerprint_follows_the_code_not_its_timestamps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "dockmod"
    shutil.copytree(Path(dockmod.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(dockmod, "__file__", str(copy / "__init__.py"))
    first = cache.code_fingerprint()
    os.utime(copy / "engine.py", ns=(0, 0))  # a fresh install of the same code
    assert cache.code_fingerprint() == first
    with (copy / "transforms" / "add_user" / "transform.py").open("a") as f:
        f.write("# changed\n")
    assert cache.code_fingerprint() != first


def test_a_listing_with_symlinks_is_listed_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whether a symlinked entry is a folder depends on its target, which the folder's stamp does not show."""
    monkeypatch.setattr(context, "_RACY_NS", 0)
    root = tmp_path / "ctx"
    root.mkdir()
    (root / "deploy").symlink_to(tmp_path / "elsewhere")  # dangling for now
    os.utime(root, ns=(10**18, 10**18))
    build = context.DirectoryContext(root, record=True)
    assert build.listdir("") == ("deploy",)
    kept = (*cache.inputs("key", "FROM x\n", build), None)
    assert cache._still_valid(kept) is kept
    (tmp_path / "elsewhere").mkdir()  # the folder itself is untouched: the same stamp
    assert context.DirectoryContext(root).listdir("") == ("deploy/",)
    assert cache._still_valid(kept) is None


def test_where_a_symlink_points_is_asked_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A copied symlink's target stays out of a new .dockerignore; pointing the link elsewhere changes that, and
    neither the link's folder nor the Dockerfile shows it."""
    monkeypatch.setattr(context, "_RACY_NS", 0)
    root = tmp_path / "ctx"
    (root / "docker").mkdir(parents=True)
    (root / "docker" / "app.env").symlink_to("../.env")
    build = context.DirectoryContext(root, record=True)
    assert build.link("docker/app.env") == ".env"
    assert build.link("docker") is None
    kept = (*cache.inputs("key", "FROM x\n", build), None)
    assert cache._still_valid(kept) is not None
    (root / "docker" / "app.env").unlink()
    (root / "docker" / "app.env").symlink_to("../.env.production")
    assert cache._still_valid(kept) is None


def test_absent_folders_and_plain_files_are_checked_without_asking_in_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reads without a stamp (an absent folder's listing, whether a plain file is a symlink) are checked with one
    system call each; a folder that appears, or a file that becomes a symlink, still invalidates the entry."""
    monkeypatch.setattr(context, "_RACY_NS", 0)
    root = tmp_path / "ctx"
    root.mkdir()
    (root / "app.env").write_text("A=1\n")
    build = context.DirectoryContext(root, record=True)
    assert build.listdir("deploy") == ()
    assert build.link("app.env") is None
    assert build.link("missing/app.env") is None
    kept = (*cache.inputs("key", "FROM x\n", build), None)
    assert kept[3] == "lss"  # the three reads, none of them with a stamp
    asked: list[str] = []
    real = cache._ask

    def ask(build: context.DirectoryContext, kind: str, path: str) -> bytes:
        asked.append(path)
        return real(build, kind, path)

    monkeypatch.setattr(cache, "_ask", ask)
    assert cache._still_valid(kept) is kept
    assert asked == []
    (root / "deploy").mkdir()
    (root / "deploy" / "compose.yml").write_text("")
    assert cache._still_valid(kept) is None
    shutil.rmtree(root / "deploy")
    assert cache._still_valid(kept) is kept
    (root / "app.env").unlink()
    (root / "app.env").symlink_to(".env")
    assert cache._still_valid(kept) is None
    assert asked == ["deploy", "app.env"]  # what is there now is asked in full: the listing, where the link points


def test_a_copied_symlink_target_stays_in_the_context_across_runs(tmp_path: Path) -> None:
    dockerfile = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY docker/app.env /app/app.env\nCMD ["python"]\n'
    root = tmp_path / "svc"
    (root / "docker").mkdir(parents=True)
    (root / "Dockerfile").write_text(dockerfile)
    (root / ".env").write_text("A=1\n")
    (root / ".env.production").write_text("A=2\n")
    (root / "docker" / "app.env").symlink_to("../.env")
    first = run("refactor", "--select", "dockerignore", "svc", cwd=tmp_path)
    assert "+.env\n" not in first[1]
    (root / "docker" / "app.env").unlink()
    (root / "docker" / "app.env").symlink_to("../.env.production")
    again = run("refactor", "--select", "dockerignore", "svc", cwd=tmp_path)
    assert again == run("refactor", "--select", "dockerignore", "--no-cache", "svc", cwd=tmp_path)
    assert "+.env\n" in again[1]


def test_odd_entries_neither_hang_nor_fail(tmp_path: Path) -> None:
    project(tmp_path / "a", ignore=False)
    (tmp_path / "a" / "package.json").unlink()
    os.mkfifo(tmp_path / "a" / "package.json")  # a reader that opened it would wait for a writer forever
    (tmp_path / "a" / "notes").write_text("")
    (tmp_path / "a" / "docs").symlink_to("notes/x")  # through a file: ENOTDIR
    code, _, err = run("refactor", "a", cwd=tmp_path)
    assert code == 0, err
    assert (code, err) == run("refactor", "a", cwd=tmp_path)[::2]


def test_entries_of_the_wrong_shape_are_worked_out_again(tmp_path: Path, counted: list[str]) -> None:
    project(tmp_path / "a")
    expected = run("refactor", ".", cwd=tmp_path)
    [file] = cache_files()
    _, fingerprint, entries = pickle.loads(file.read_bytes())
    [(name, kept)] = entries.items()
    for bad in (None, (*kept[:3], "", ("x",), b"", kept[6]), (*kept[:6], ("unchanged",))):
        file.write_bytes(pickle.dumps((1, fingerprint, {name: bad})))
        assert run("refactor", ".", cwd=tmp_path) == expected
    assert len(counted) == 4


def test_apply_reuses_the_dry_runs_results_and_writes_what_a_fresh_run_writes(
    tmp_path: Path, counted: list[str]
) -> None:
    """--apply works every file out from the tree as it was before its writes, as the dry run did: the dry run's
    results serve it, and the files it writes are those a run without the cache writes."""
    for name in ("cached", "fresh"):
        project(tmp_path / name / "a", ignore=False)
        (tmp_path / name / "a" / "Dockerfile.dev").write_text(LEGACY)
    run("refactor", ".", cwd=tmp_path / "cached")
    counted.clear()
    applied = run("refactor", "--apply", ".", cwd=tmp_path / "cached")
    assert counted == []
    assert run("refactor", "--apply", "--no-cache", ".", cwd=tmp_path / "fresh") == applied
    assert counted == ["a/Dockerfile", "a/Dockerfile.dev"]
    for path in (tmp_path / "fresh").rglob("*"):
        if path.is_file():
            assert (tmp_path / "cached" / path.relative_to(tmp_path / "fresh")).read_bytes() == path.read_bytes()
    counted.clear()
    assert run("refactor", "--check", ".", cwd=tmp_path / "cached")[0] == 0  # the written files: worked out again
    assert counted == ["a/Dockerfile", "a/Dockerfile.dev"]

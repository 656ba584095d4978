"""Diffs, discovery, build contexts and .dockerignore, shell splitting, package-manager detection, which context
file a COPY puts where, and Yarn's and pnpm's settings."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dockmod import diff as diff_module
from dockmod import parse
from dockmod.context import Context, DirectoryContext, DockerIgnore, MemoryContext
from dockmod.cst import Run
from dockmod.diff import unified_diff
from dockmod.discover import discover, is_dockerfile_name
from dockmod.transforms import _managers, _pnpm, _shell, _stages, _yarn, cache_mounts
from dockmod.transforms.add_user import appcode, buildsteps, ownership
from dockmod.transforms.cache_mounts import prior
from dockmod.transforms.lockfile_first import common, projects


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("a\nb\nc\n", "a\nB\nc\n"),
        ("a\r\nb\r\n", "a\r\nx\r\nb\r\n"),
        ("a\nb", "a\nb\n"),
        ("a\nb\n", "a\nb"),
        ("", "new\n"),
        ("x\ry\n", "x\ry\nz\n"),
        ("".join(f"{i}\n" for i in range(40)), "".join(f"{i}\n" for i in range(40) if i not in (3, 30))),
    ],
    ids=["change", "crlf", "add-final-newline", "drop-final-newline", "from-empty", "bare-cr", "two-hunks"],
)
def test_diff_applies_with_patch(tmp_path: Path, before: str, after: str) -> None:
    path = tmp_path / "f"
    path.write_bytes(before.encode())
    diff = unified_diff(before, after, "f", created=not before)
    subprocess.run(["patch", "-p1", "--binary", "-s"], input=diff.encode(), cwd=tmp_path, check=True)
    assert path.read_bytes() == after.encode()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 12), max_size=40), st.lists(st.integers(0, 12), max_size=40))
def test_diff_opcodes_rebuild_the_new_text(a_numbers: list[int], b_numbers: list[int]) -> None:
    """The matcher that anchors on unique lines says, like difflib's, how to turn one list of lines into the
    other: equal stretches are equal, and the stretches cover both sides in order."""
    a, b = [f"{n}\n" for n in a_numbers], [f"{n}\n" for n in b_numbers]
    rebuilt: list[str] = []
    i = j = 0
    for tag, i1, i2, j1, j2 in diff_module._AnchoredMatcher(a, b).get_opcodes():
        assert (i1, j1) == (i, j)
        if tag == "equal":
            assert a[i1:i2] == b[j1:j2]
        rebuilt += b[j1:j2]
        i, j = i2, j2
    assert (i, j) == (len(a), len(b))
    assert rebuilt == b


def test_diff_of_many_repeated_lines_applies(tmp_path: Path) -> None:
    # A file made of repeated stages: the unique FROM lines anchor the diff (difflib alone was quadratic here).
    before = "".join(f"FROM base AS s{i}\nWORKDIR /app\nRUN make\n" for i in range(300))
    after = before.replace("RUN make\n", "RUN --mount=type=cache,target=/root/.cache make\n", 7)
    path = tmp_path / "f"
    path.write_bytes(before.encode())
    diff = unified_diff(before, after, "f")
    assert diff.count("\n+RUN") == 7
    subprocess.run(["patch", "-p1", "--binary", "-s"], input=diff.encode(), cwd=tmp_path, check=True)
    assert path.read_bytes() == after.encode()


def test_no_diff_for_equal_text() -> None:
    assert unified_diff("a\n", "a\n", "f") == ""


def test_dockerfile_names() -> None:
    yes = [
        "Dockerfile",
        "dockerfile",
        "Dockerfile.prod",
        "api.Dockerfile",
        "x.dockerfile",
        "Containerfile",
        "Containerfile.dev",
    ]
    no = ["Makefile", "docker-compose.yml", "README.md"]
    assert all(is_dockerfile_name(n) for n in yes)
    assert not any(is_dockerfile_name(n) for n in no)


def test_discovery_is_sorted_skips_git_and_honours_gitignore(tmp_path: Path) -> None:
    for rel in ("b/Dockerfile", "a/Dockerfile", ".git/Dockerfile", "ignored/Dockerfile", "a/node_modules/x/Dockerfile"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("FROM x\n")
    (tmp_path / ".gitignore").write_text("ignored/\nnode_modules/\n")
    found = [f.path.relative_to(tmp_path).as_posix() for f in discover([tmp_path])]
    assert found == ["a/Dockerfile", "b/Dockerfile"]
    unignored = [f.path.relative_to(tmp_path).as_posix() for f in discover([tmp_path], gitignore=False, exclude=["a/"])]
    assert unignored == ["b/Dockerfile", "ignored/Dockerfile"]
    only_b = [f.path.relative_to(tmp_path).as_posix() for f in discover([tmp_path], include=["b/*"])]
    assert only_b == ["b/Dockerfile"]


@pytest.mark.parametrize(
    ("pattern", "path", "ignored"),
    [
        ("node_modules", "node_modules/x/y.js", True),
        ("*.md", "README.md", True),
        ("*.md", "docs/README.md", False),
        ("**/*.md", "docs/README.md", True),
        ("/build", "build/out", True),
        ("docs/*\n!docs/keep.md", "docs/keep.md", False),
        ("docs/*\n!docs/keep.md", "docs/other.md", True),
        ("# comment\n\npackage-lock.json", "package-lock.json", True),
        ("[a-c].txt", "b.txt", True),
        ("?.txt", "ab.txt", False),
        # moby: `**` before more pattern is "any number of whole folders", not any text.
        ("**b", "b", True),
        ("**b", "src/b", True),
        ("**b", "a.b", False),
        ("a/**", "a", False),
        ("a/**", "a/x/y", True),
        # moby hands classes to Go's regexp: `[^a]` negates, `[!a]` is `!` or `a`.
        ("[^a]", "b", True),
        ("[!a]", "b", False),
        ("[!a]", "a", True),
        # A `!` pattern re-includes inside an excluded folder only if it starts with that folder's path.
        ("docs\n!docs/keep.md", "docs/keep.md", False),
        ("**\n!*/keep.md", "docs/keep.md", True),
        ("**\n!src*/[!a]*", "src/a", True),  # BuildKit skips src; buildah looks inside (below)
    ],
)
def test_dockerignore(pattern: str, path: str, ignored: bool) -> None:
    assert DockerIgnore.parse(pattern).ignored(path) is ignored


def test_dockerignore_buildah_looks_inside_more_folders() -> None:
    """buildah descends into an excluded folder whenever a `!` pattern's text starts with the folder's path (no
    `/` needed); BuildKit needs the `/`. dockmod's `ignored` takes the stricter of the two."""
    rules = DockerIgnore.parse("**\n!src*/[!a]*\n")
    assert rules.ignored_by_buildah("src/a") is False
    assert rules.ignored("src/a") is True


def test_contexts(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("hi")
    (tmp_path / ".dockerignore").write_text("sub/a.txt\n")
    disk = DirectoryContext(tmp_path)
    memory = MemoryContext({"sub/a.txt": "hi", ".dockerignore": "sub/a.txt\n"})
    for ctx in (disk, memory):
        assert ctx.exists("sub/a.txt")
        assert ctx.is_dir("sub")
        assert not ctx.exists("nope")
        assert ctx.read_text("sub/a.txt") == "hi"
        assert "sub/" in ctx.listdir()
        assert ctx.ignored("sub/a.txt")
        assert not ctx.ignored("sub")
    assert disk.read_text("../etc/passwd") is None


def test_shell_split() -> None:
    script = _shell.split("cd /app && FOO='a b' npm ci; echo \"x && y\" | tee $(echo f) || true # done")
    assert script is not None
    assert [c.words for c in script.commands] == [
        ("cd", "/app"),
        ("FOO=a b", "npm", "ci"),
        ("echo", "x && y"),
        ("tee", "$(echo f)"),
        ("true",),
    ]
    assert [c.op for c in script.commands] == ["", "&&", ";", "|", "||"]
    assert script.commands[1].argv == ("npm", "ci")
    assert script.commands[1].assignments == {"FOO": "a b"}
    assert _shell.split("echo 'unterminated") is None
    compound = _shell.split("if true; then npm ci; fi")
    assert compound is not None
    assert compound.compound
    assert _shell.shell_c_script(("/bin/sh", "-ec", "npm ci")) == "npm ci"


@pytest.mark.parametrize(
    "command",
    [
        # The forms real builds used (round 20: v01, v07, v09, v10), read as GNU env reads them.
        """env -S"PIP_CONSTRAINT=c.txt" pip install -r r.txt""",
        "env -u PIP_NO_CACHE_DIR -S 'PIP_CONSTRAINT=c.txt' pip install -r r.txt",
        "env -S 'PIP_CONSTRAINT=c.txt\\_PIP_FIND_LINKS=x' pip install -r r.txt",
        """env -S 'PIP_CONSTRAINT="c.txt"' pip install -r r.txt""",
        "env --split-string='PIP_CONSTRAINT=c.txt pip' install -r r.txt",
        "env -iS 'PIP_CONSTRAINT=c.txt' pip install -r r.txt",
        "env -S 'PIP_CONSTRAINT=c.txt # a comment' pip install -r r.txt",
    ],
)
def test_env_split_string(command: str) -> None:
    script = _shell.split(command)
    assert script is not None
    [cmd] = script.commands
    assert cmd.assignments["PIP_CONSTRAINT"] == "c.txt"
    assert cmd.argv == ("pip", "install", "-r", "r.txt")


def test_env_split_string_words() -> None:
    assert _shell.split_string("""A="x\\_y" 'b c'\\_d \\c e""") == ["A=x y", "b c", "d"]
    assert _shell.split_string("a ''") == ["a", ""]


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("npm ci", [("npm", "install", ".")]),
        ("npm install -g pm2", [("npm", "add", ".")]),
        ("npm --prefix web install", [("npm", "install", "web")]),
        ("cd web && yarn", [("yarn", "install", "web")]),
        ("yarn --cwd web install --frozen-lockfile", [("yarn", "install", "web")]),
        ("node .yarn/releases/yarn-4.5.3.cjs install --immutable", [("yarn", "install", ".")]),
        ("node /app/.yarn/releases/yarn-berry.js", [("yarn", "install", ".")]),
        ("corepack yarn install", [("yarn", "install", ".")]),
        ("corepack pnpm install --frozen-lockfile", [("pnpm", "install", ".")]),
        ("node server.js", []),
        ("corepack enable", []),
        ("pnpm -C app install", [("pnpm", "install", "app")]),
        ("python3 -m pip install -r req.txt", [("pip", "install", ".")]),
        ("pip3 install flask", [("pip", "add", ".")]),
        ("poetry install --no-root", [("poetry", "install", ".")]),
        ("uv sync --locked", [("uv", "install", ".")]),
        ("go mod download && go build -o /x .", [("go", "fetch", "."), ("go", "build", ".")]),
        ("cargo build --release", [("cargo", "build", ".")]),
        ("bundle install", [("bundler", "install", ".")]),
        ("bundle -j4", [("bundler", "install", ".")]),  # `bundle` alone installs
        ("bundle exec rake", [("bundler", "other", ".")]),
        ("bundle --version", []),
        ("php composer.phar install", [("composer", "install", ".")]),
        ("./mvnw -B dependency:go-offline", [("maven", "fetch", ".")]),
        ("./gradlew build", [("gradle", "build", ".")]),
        ("apt-get update && apt-get install -y curl", [("apt", "update", "."), ("apt", "add", ".")]),
        ("apk add --no-cache git", [("apk", "add", ".")]),
        ("sh -c 'cd api && npm ci'", [("npm", "install", "api")]),
        ("echo npm ci", []),
    ],
)
def test_manager_detection(command: str, expected: list[tuple[str, str, str]]) -> None:
    tree = parse(f"FROM x\nRUN {command}\n")
    run = tree.instructions[1]
    assert isinstance(run, Run)
    script = _managers.run_script(tree, run)
    assert script is not None
    assert [(i.manager, i.role, i.cwd) for i in script.invocations] == expected


def test_manager_detection_exec_form_and_pip_files() -> None:
    tree = parse('FROM x\nRUN ["pip", "install", "-r", "a.txt", "--requirement=b.txt"]\n')
    run = tree.instructions[1]
    assert isinstance(run, Run)
    script = _managers.run_script(tree, run)
    assert script is not None
    assert script.exec_form
    (inv,) = script.invocations
    assert inv.files == ("a.txt", "b.txt")


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("export PIP_CONSTRAINT=/app/c.txt && pip install -r r.txt", "/app/c.txt"),
        ("export PIP_CONSTRAINT=c.txt; pip install -r r.txt", "c.txt"),
        ("DIR=/app; export PIP_CONSTRAINT=$DIR/c.txt && pip install -r r.txt", "/app/c.txt"),
        ("PIP_CONSTRAINT=c.txt pip install -r r.txt", "c.txt"),
        ("env PIP_CONSTRAINT=c.txt pip install -r r.txt", "c.txt"),
        ("sudo -E env PIP_CONSTRAINT=c.txt pip install -r r.txt", "c.txt"),
        ("sh -c 'export PIP_CONSTRAINT=c.txt && pip install -r r.txt'", "c.txt"),
        ("pip install -r r.txt && export PIP_CONSTRAINT=c.txt", "/stage/c.txt"),  # set after the install: the stage's
    ],
)
def test_the_variables_an_install_runs_with(command: str, expected: str) -> None:
    tree = parse(f"FROM x\nRUN {command}\n")
    run = tree.instructions[1]
    assert isinstance(run, Run)
    script = _managers.run_script(tree, run)
    assert script is not None
    (inv,) = [i for i in script.invocations if i.manager == "pip"]
    assert _managers.environment(script, inv, {"PIP_CONSTRAINT": "/stage/c.txt"})["PIP_CONSTRAINT"] == expected


@pytest.mark.parametrize(
    ("value", "fetched", "expected"),
    [
        ("constraints.txt", False, "constraints.txt"),
        ("file:///app/reqs/base.txt", True, "/app/reqs/base.txt"),
        ("file://localhost/app/reqs/base.txt", False, "/app/reqs/base.txt"),
        ("file:wheels", False, "wheels"),  # --find-links: pip's url_to_path, from the install's folder
        ("file:reqs/base.txt", True, "/reqs/base.txt"),  # -r: pip's session roots it at /
        ("file:///app/my%20reqs.txt", True, "/app/my reqs.txt"),
        ("file://host/reqs.txt", True, None),
        ("https://example.com/reqs.txt", True, None),
    ],
)
def test_paths_pip_reads_from_file_urls(value: str, fetched: bool, expected: str | None) -> None:
    assert common.url_path(value, fetched=fetched) == expected


_COPIED = MemoryContext(
    {
        ".dockerignore": "secret.yml\n",
        ".yarnrc.yml": "nodeLinker: node-modules\n",
        "package.json": "{}",
        "yarn.lock": "",
        "secret.yml": "",
        "settings.tar.gz": "",
        "web/package.json": "{}",
    }
)
_UNREADABLE = "unreadable"


@pytest.mark.parametrize(
    ("copies", "path", "expected"),
    [
        (["COPY . /app"], "/app/.yarnrc.yml", ".yarnrc.yml"),
        (["COPY . /app"], "/app/absent.yml", None),
        (["COPY . /app"], "/app/secret.yml", None),  # .dockerignore keeps it out of the context
        (["COPY . /app"], "/srv/.yarnrc.yml", None),
        (["COPY web/ /srv/"], "/srv/package.json", "web/package.json"),
        (["COPY package.json yarn.lock /app/"], "/app/yarn.lock", "yarn.lock"),
        (["COPY package.json /app/manifest.json"], "/app/manifest.json", "package.json"),
        (["COPY *.json /app/"], "/app/package.json", "package.json"),
        (["COPY *.json /app/"], "/app/yarn.lock", None),
        (["COPY . /app", "COPY web/package.json /app/"], "/app/package.json", "web/package.json"),  # the last wins
        (["COPY web/package.json /app/", "COPY . /app"], "/app/package.json", "package.json"),
        (["COPY . /app", "COPY --from=deps /app /app"], "/app/.yarnrc.yml", _UNREADABLE),
        (["COPY . /app", "COPY --from=deps /app/x /app/x"], "/app/.yarnrc.yml", ".yarnrc.yml"),
        (["ADD settings.tar.gz /app/"], "/app/.yarnrc.yml", _UNREADABLE),  # ADD unpacks it
        (["COPY $CONFIG /app/"], "/app/.yarnrc.yml", _UNREADABLE),
    ],
)
def test_context_file(copies: list[str], path: str, expected: str | None) -> None:
    tree = parse("FROM x\n" + "".join(f"{c}\n" for c in copies))
    walked = tuple(_stages.walk(tree, tree.stages[0]))
    found = _stages.context_file(tree, walked, path, _COPIED)
    assert (_UNREADABLE if isinstance(found, _stages.Unreadable) else found) == expected


_COPY_LINES = ["COPY . /app", "COPY . .", "COPY . /", "COPY web /app/web", "COPY web/ ./", "COPY package.json .",
               "COPY package.json yarn.lock ./", "COPY package.json /app/manifest.json", "COPY *.json ./",
               "COPY --from=deps /app /app", "COPY $SRC ./", "COPY x $DEST", "ADD settings.tar.gz ./",
               "ADD web /srv", "COPY secret.yml /app/", "COPY .yarnrc.yml /app/", "WORKDIR /app", "WORKDIR web",
               "WORKDIR /", "WORKDIR /srv", "RUN true"]  # fmt: skip
_QUERIES = ["/app/package.json", "/app/.yarnrc.yml", "/app/web/package.json", "/app/manifest.json",
            "/package.json", "/srv/package.json", "/app", "/", "/app/yarn.lock", "/srv/web/package.json",
            "?/package.json", "?/app"]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_COPY_LINES), max_size=12), st.sampled_from(_QUERIES), st.data())
def test_context_file_index_finds_what_a_full_scan_finds(lines: list[str], path: str, data: st.DataObject) -> None:
    """The copy index only narrows the copies ``context_file`` examines: with every copy examined (the scan it
    replaced), each answer is the same."""
    tree = parse("FROM x\n" + "".join(f"{line}\n" for line in lines))
    walked = tuple(_stages.walk(tree, tree.stages[0]))
    end = data.draw(st.integers(0, len(walked)))

    def everything(index: _stages._CopyIndex, path: str, end: int) -> list[int]:
        return sorted(index.destinations.keys() & set(range(end)), reverse=True)

    def answer(found: str | _stages.Unreadable | None) -> object:
        return ("unreadable", found.node) if isinstance(found, _stages.Unreadable) else found

    indexed = answer(_stages.context_file(tree, walked, path, _COPIED, end=end))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_stages._CopyIndex, "candidates", everything)
        scanned = answer(_stages.context_file(tree, walked, path, _COPIED, end=end))
    assert indexed == scanned


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nodeLinker: node-modules\n", {"nodeLinker": "node-modules"}),
        ('nodeLinker: "pnpm" # copies out of the cache\n', {"nodeLinker": "pnpm"}),
        ("enableGlobalCache: false  # keep it in the project\n", {"enableGlobalCache": "false"}),
        ("yarnPath: '.yarn/releases/yarn-4.5.3.cjs'\r\n", {"yarnPath": ".yarn/releases/yarn-4.5.3.cjs"}),
        ("npmScopes:\n  acme:\n    npmRegistryServer: https://npm.acme.test\n", {}),
        ("# nodeLinker: pnp\n", {}),
    ],
)
def test_yarnrc_settings(text: str, expected: dict[str, str]) -> None:
    assert _yarn.settings_of(text) == expected


def test_yarn_version_from_yarn_path_before_package_manager() -> None:
    files = {
        "/srv/.yarnrc.yml": "yarnPath: .yarn/releases/yarn-3.8.7.cjs\n",
        "/srv/package.json": '{"packageManager": "yarn@4.5.3"}',
        "/srv/web/package.json": '{"name": "web"}',
    }
    assert _yarn.find(files.get, "/srv/web").major == 3  # yarnPath wins, from the folder above
    del files["/srv/.yarnrc.yml"]
    assert _yarn.find(files.get, "/srv/web") == _yarn.YarnProject(4, {})  # the nearest packageManager
    assert _yarn.find(files.get, "/elsewhere") == _yarn.UNKNOWN


def test_pnpm_settings_from_the_files_pnpm_reads() -> None:
    """As pnpm 10.34 reads them: the project's .npmrc, the workspace root's pnpm-workspace.yaml (camelCase) and
    .npmrc, the user's, pnpm's and npm's global files (and pnpm 11's config.yaml); not a .npmrc above the project
    that is no workspace root."""
    files = {
        "/srv/.npmrc": "enable-global-virtual-store=true\n",  # no workspace root: not read
        "/srv/repo/pnpm-workspace.yaml": "packages:\n  - 'apps/*'\nvirtualStoreDir: .vs # shared\n",
        "/srv/repo/.npmrc": '; a comment\nnode-linker = "hoisted"\n',
        "/srv/repo/apps/web/.npmrc": "# a comment\n//registry.test/:_authToken=x\n",
        "/root/.npmrc": "store-dir=/pnpm\n",
        "/root/.config/pnpm/rc": "package-import-method=copy\n",
        "/etc/npmrc": "modules-dir=deps\n",
        "/root/.config/pnpm/config.yaml": "virtualStoreType: global\n",  # pnpm 11
    }
    found = _pnpm.settings(files.get, "/srv/repo/apps/web", "/root", "/root/.config")
    assert [(s.name, s.value, s.file, s.base) for s in found] == [
        ("//registry.test/:_authToken", "x", "/srv/repo/apps/web/.npmrc", "/srv/repo/apps/web"),
        ("virtual-store-dir", ".vs", "/srv/repo/pnpm-workspace.yaml", "/srv/repo"),
        ("node-linker", "hoisted", "/srv/repo/.npmrc", "/srv/repo"),
        ("store-dir", "/pnpm", "/root/.npmrc", "/srv/repo/apps/web"),
        ("package-import-method", "copy", "/root/.config/pnpm/rc", "/srv/repo/apps/web"),
        ("modules-dir", "deps", "/etc/npmrc", "/srv/repo/apps/web"),
        ("virtual-store-type", "global", "/root/.config/pnpm/config.yaml", "/srv/repo/apps/web"),
    ]
    assert [s.name for s in _pnpm.settings(files.get, None, "/root", "/root/.config")] == [
        "store-dir", "package-import-method", "modules-dir", "virtual-store-type",
    ]  # fmt: skip


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git (the oracle)")
def test_discovery_ignores_what_git_ignores(tmp_path: Path) -> None:
    """Nested .gitignore files (anchored, folder-only and negated patterns) and .git/info/exclude, with git
    itself as the judge, from the repository's top and from a subfolder."""
    repo = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    for rel in (
        "Dockerfile", "build/Dockerfile", "sub/build/Dockerfile", "sub/deep/build/Dockerfile", "sub/Dockerfile.dev",
        "sub/keep/Dockerfile", "sub/skip/Dockerfile", "sub/skip/again/Dockerfile", "other/app.Dockerfile",
        "other/logs/Containerfile", "other/x/y/z/Dockerfile", "vendor/Dockerfile", "vendor/keep/Dockerfile",
        "docs/Dockerfile.example", "tmp1/Dockerfile",
    ):  # fmt: skip
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text("FROM x\n")
    (repo / ".gitignore").write_text("/build\nvendor/\n!vendor/keep/\n*.example\ntmp*\n")
    (repo / "sub" / ".gitignore").write_text("/build\nskip/\n!skip/again/\n")
    (repo / "other" / ".gitignore").write_text("logs\nx/y\n")
    (repo / ".git" / "info" / "exclude").write_text("sub/deep/\n")
    for folder in (repo, repo / "sub"):
        listed = subprocess.run(
            ["git", "ls-files", "--others", "--exclude-standard", "."],
            cwd=folder, check=True, capture_output=True, text=True,
        ).stdout.split()  # fmt: skip
        expected = sorted(p for p in listed if is_dockerfile_name(p.rsplit("/", 1)[-1]))
        old = Path.cwd()
        os.chdir(folder)
        try:
            found = sorted(f.path.as_posix() for f in discover([Path(".")]))
        finally:
            os.chdir(old)
        assert found == expected
        assert expected  # the layout leaves something to find


def test_stage_environment_expands_values_as_buildkit_does() -> None:
    """ENV and ARG values are expanded with what was set before the instruction; `ARG NAME` in a stage takes the
    global ARG's default (`ARG PORT=80` ... `ARG PORT` ... `ENV PORT=${PORT}`: a real image bound port 80)."""
    tree = parse(
        "ARG PORT=80\nARG BARE\nFROM debian:12\nARG PORT\nARG BARE\nENV PORT=${PORT} HOME_BIN=$HOME/bin\n"
        "ENV A=1\nENV A=2 B=$A C='$A' D=${MISSING:-d}\nARG A=9\nRUN true\n"
    )
    env = _stages.final_state(tree, tree.stages[0]).env
    assert env["PORT"] == "80"
    assert "BARE" not in env  # declared without a value anywhere
    assert env["HOME_BIN"] == "$HOME/bin"  # an unknown variable: kept as written
    assert (env["A"], env["B"], env["C"], env["D"]) == ("2", "1", "$A", "d")  # ENV wins over a later ARG


def test_a_chain_of_stages_is_read_once_per_stage(monkeypatch: pytest.MonkeyPatch) -> None:
    """A generated chain of stages (each `FROM` the one before): what the stages above a RUN copied and named was
    read again for each stage, so a 4,000-stage chain took seconds (quadratic). Each COPY and RUN is read once,
    and what the first stage copied into the npm cache still keeps the mount off the last stage's install."""
    calls = {"copy": 0, "run": 0}
    real_copy, real_run = prior._copy_destination, prior._run_paths

    def copy(*args: Any, **kwargs: Any) -> str | None:
        calls["copy"] += 1
        return real_copy(*args, **kwargs)

    def run(*args: Any, **kwargs: Any) -> list[str]:
        calls["run"] += 1
        return real_run(*args, **kwargs)

    monkeypatch.setattr(prior, "_copy_destination", copy)
    monkeypatch.setattr(prior, "_run_paths", run)
    lines = ["FROM node:20 AS s0", "COPY npmrc-cache/ /root/.npm/", "RUN echo x > /root/.npm/_note"]
    for k in range(1, 300):
        lines += [f"FROM s{k - 1} AS s{k}", f"COPY p{k}.json ./", "RUN npm ci"]
    fixes = list(cache_mounts.CacheMounts().check(parse("\n".join(lines) + "\n"), Context()))
    assert len(fixes) == 299
    assert all("an earlier RUN names /root/.npm/_note" in f.message for f in fixes)
    assert calls["copy"] <= 2 * 300
    assert calls["run"] <= 2 * 300
    del lines[2]
    fixes = list(cache_mounts.CacheMounts().check(parse("\n".join(lines) + "\n"), Context()))
    assert all("an earlier COPY writes into /root/.npm" in f.message for f in fixes)
    assert len(fixes) == 299


def test_stage_environment_matches_a_dict_and_stays_small() -> None:
    """Each state's environment is what copying a dict at every ENV/ARG line gives, without the copies: a stage
    with thousands of ENV lines used to keep one whole environment per line (4,000 lines: 0.5 GB)."""
    lines = ["FROM debian:bookworm", "ARG EARLY=1"]
    for i in range(3000):
        lines.append(f"ENV K{i % 700}=v{i} SHARED_{i}=x" if i % 5 else f"ARG K{i % 700}=arg{i}")
    lines.append("ARG LATE=2")
    tree = parse("\n".join(lines) + "\n")
    stage = tree.stages[0]
    tracemalloc.start()
    walked = list(_stages.walk(tree, stage))
    end = _stages.final_state(tree, stage)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 40 << 20  # the copies took 150 MB
    model: dict[str, str] = {}
    for (ins, state), line in zip(walked, lines[1:], strict=True):
        assert dict(state.env) == model
        assert len(state.env) == len(model)
        for probe in ("EARLY", "K3", "SHARED_1", "MISSING"):
            assert state.env.get(probe) == model.get(probe)
            assert (probe in state.env) == (probe in model)
        for word in line.split()[1:]:
            name, _, value = word.partition("=")
            if ins.name == "ENV":
                model[name] = value
            else:
                model.setdefault(name, value)
    model.setdefault("LATE", "2")
    assert dict(end.env.items()) == model
    assert sorted(end.env) == sorted(model)


@pytest.mark.parametrize(
    ("line", "local"),
    [
        ("flask==3.0.3", False),
        ("flask==3.0.3 --hash=sha256:0123abcd", False),
        ('pywin32>=306; sys_platform == "win32"', False),
        ("-i https://pypi.org/simple", False),
        ("--extra-index-url=https://download.pytorch.org/whl/cpu", False),
        ("-f https://download.pytorch.org/whl/torch_stable.html", False),
        ("git+https://github.com/psf/requests.git@v2.32.3#egg=requests", False),
        ("requests @ https://files.example.test/requests-2.32.3-py3-none-any.whl", False),
        ("--no-binary :all:", False),
        ("-e .", True),
        ("./libs/greet", True),
        ("libs/greet", True),
        ("/opt/wheels/greet-1.0.0-py3-none-any.whl", True),
        ("greet-1.0.0-py3-none-any.whl", True),
        ("greet @ file:///app/libs/greet", True),
        ("file:libs/greet#egg=greet", True),
        ("--find-links ./wheels", True),
        ("-f wheels/", True),
        ("-f./wheels", True),
        ("--find-links=/app/wheels", True),
        ("-f file:///app/wheels", True),
    ],
)
def test_requirement_lines_that_install_from_the_file_system(line: str, local: bool) -> None:
    assert projects._local_requirement(line) is local


@pytest.mark.parametrize(
    ("mode", "started", "expected"),
    [
        ("600", False, "readable"),
        ("0640", False, "readable"),
        ("750", False, "readable"),
        ("644", False, None),
        ("744", True, "runnable"),
        ("744", False, None),
        ("755", True, None),
        ("1777", False, None),
        ("+x", True, None),
        ("a+x", True, None),
        ("u+x", True, "runnable"),
        ("ug+x", True, "runnable"),
        ("u+x", False, None),
        ("go-rwx", False, "readable"),
        ("o-r", False, "readable"),
        ("u=rw,go=", False, "readable"),
        ("u=rwx,go=rx", False, None),
        ("o+w", False, None),
        ("g+s", False, None),
    ],
)
def test_chmod_modes_that_leave_the_owner_alone(mode: str, started: bool, expected: str | None) -> None:
    """add-user reads what a root chmod takes from other users: reading (any file), running (the start program)."""
    assert ownership._lost_access(mode, started) == expected


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("python -m unittest -v", "unittest"),
        ("python3 -m pytest tests/", "pytest"),
        ("pytest -q", "pytest"),
        ("poetry run pytest", "pytest"),
        ("python manage.py test", "manage.py test"),
        ("bundle exec rspec", "rspec"),
        ("php artisan test", "artisan test"),
        ("npm test", "npm test"),
        ("npm t", "npm t"),
        ("npm run test:unit", "npm test:unit"),
        ("yarn test", "yarn test"),
        ("npx jest --ci", "npx jest"),
        ("npm ci", None),
        ("npm run build", None),
        ("python manage.py migrate", None),
        ("pip install pytest", None),
        ("python app.py", None),
    ],
)
def test_test_runners_add_user_reads(command: str, expected: str | None) -> None:
    words = [w for w in command.split() if not w.startswith("-")]
    assert buildsteps._test_runner(words) == expected


@pytest.mark.parametrize(
    ("command", "into"),
    [
        ("tar -xf vendor/licence.tar -C /opt/vendor", "/opt/vendor"),
        ("tar xzf app.tgz", "."),
        ("tar -zxvf app.tgz --directory=/srv/app", "/srv/app"),
        ("tar --extract --file app.tar --directory /srv", "/srv"),
        ("tar -C /srv -xf app.tar", "/srv"),
        ("tar -czf backup.tgz /app", None),
        ("tar -tvf app.tar", None),
        ("tar --exclude=x -cf out.tar .", None),
        ("unzip -q data.zip -d /app/data", "/app/data"),
        ("unzip data.zip", "."),
        ("unzip -l data.zip", None),
        ("python3 -m zipfile -e data.zip /app/data", "/app/data"),
        ("python -m tarfile -e app.tar", "."),
        ("python3 -m zipfile -c out.zip src", None),
        ("7z x seed.7z -o/srv/seed", "/srv/seed"),
        ("cp -r seed /srv", None),
    ],
)
def test_where_archives_unpack(command: str, into: str | None) -> None:
    assert _shell.unpacks_into(command.split()) == into


@pytest.mark.parametrize(
    ("command", "scripts"),
    [
        ("sh run.sh", ["./run.sh"]),
        ("sh -e docker/setup.sh", ["docker/setup.sh"]),
        ("bash -eu -o pipefail scripts/start.sh arg", ["scripts/start.sh"]),
        ("bash --norc -x start.sh", ["./start.sh"]),
        ("sh -c ./start.sh", []),
        ("sh -ec 'exec node x.js'", []),
        ("sh", []),
        ("./entrypoint.sh serve", ["./entrypoint.sh"]),
    ],
)
def test_the_scripts_a_start_command_runs(command: str, scripts: list[str]) -> None:
    """Options before the script are skipped (real images ran `sh -e docker/setup.sh`, `bash -e docker/start.sh`)."""
    assert _stages.start_scripts(shlex.split(command)) == scripts


@pytest.mark.parametrize(
    ("script", "argvs"),
    [
        # A function's name is no command; its body's commands are the script's.
        (
            "clean() { rm -rf /root/.npm; }; npm ci && clean",
            [("rm", "-rf", "/root/.npm"), ("}",), ("npm", "ci"), ("clean",)],
        ),
        ("(cd /x && make) && echo $(date)", [("cd", "/x"), ("make",), ("echo", "$(date)")]),
        # Wrappers' option values and timeout's duration are not the program.
        ("timeout 300 sh scripts/tools.sh", [("sh", "scripts/tools.sh")]),
        ("timeout -s KILL 5m node x.js", [("node", "x.js")]),
        ("nice -n 10 make", [("make",)]),
        ("env -u X FOO=1 pip install x", [("pip", "install", "x")]),
        ("sudo -u app npm ci", [("app", "npm", "ci")]),  # another user's install: not read as root's
    ],
)
def test_commands_of_a_script(script: str, argvs: list[tuple[str, ...]]) -> None:
    parsed = _shell.split(script)
    assert parsed is not None
    assert [c.runs for c in parsed.commands] == argvs


def test_compiled_sources_are_read_within_bounds() -> None:
    """add-user reads the sources of a program a RUN compiles (all of a package's files, below the top folder),
    but lists at most a bounded number of folders: a context of thousands of folders and few sources stays cheap."""
    files = {"go.mod": "module x\n", "main.go": 'package main\nconst dataDir = "/srv/data"\n'}
    files |= {f"internal/store/{k}.go": f"package store\nvar f{k} = 1\n" for k in range(3)}
    files |= {f"assets/d{k:04d}/x.txt": "" for k in range(2000)}
    listed: list[str] = []

    class Counting(MemoryContext):
        def listdir(self, path: str = "") -> tuple[str, ...]:
            listed.append(path)
            return super().listdir(path)

    tree = parse('FROM golang:1.19\nWORKDIR /src\nCOPY . .\nRUN go build -o /server .\nCMD ["/server"]\n')
    sources = appcode._compiled_sources(tree, Context(build=Counting(files)))
    assert list(sources) == ["the Go code (main.go, internal/store/0.go, internal/store/1.go, internal/store/2.go)"]
    assert len(listed) <= appcode._FOLDERS_LISTED < 2000

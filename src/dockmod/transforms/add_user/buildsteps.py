"""Root build steps whose results the app rewrites at run time: databases migrated or seeded at build, tests run
at build, build tools started again, and files the start-up touches that a root RUN made."""

from __future__ import annotations

import itertools
import posixpath
import re
from collections.abc import Sequence
from typing import Final

from dockmod.context import Context
from dockmod.cst import Dockerfile, Run
from dockmod.transforms import _managers, _shell, _stages
from dockmod.transforms._stages import State
from dockmod.transforms.add_user import common

# Build steps that create data the app rewrites at run time: database migrations and seeds (an SQLite file in
# the app's folder). Run as root, the files stay root's, and the app fails as the new user ("attempt to write a
# readonly database": a real build of `RUN python manage.py migrate` showed it). Build outputs such as
# `collectstatic` or `npm run build` are only read, and stay out of this list.
_DJANGO_STATE: Final = frozenset({"migrate", "loaddata", "createsuperuser", "createcachetable", "syncdb"})
_RAILS_STATE: Final = re.compile(r"db:(?:migrate|setup|create|prepare|reset|seed|schema:load)\b")
_STATE_TOOLS: Final = {
    "alembic": ("upgrade", "stamp"),
    "prisma": ("migrate", "db"),
    "knex": ("migrate:latest", "migrate:up", "seed:run"),
    "sequelize": ("db:migrate", "db:seed:all", "db:seed"),
    "sequelize-cli": ("db:migrate", "db:seed:all", "db:seed"),
    "typeorm": ("migration:run", "schema:sync"),
    "flask": ("db", "init-db", "init_db", "initdb"),
}
_STATE_RUNNERS: Final = frozenset({"php", "ruby", "node", "sh", "bash", "bundle", "exec", "npx", "bunx", "npm", "pnpm",
                                   "yarn", "dlx", "run", "uv", "poetry", "pipenv", "env"})  # fmt: skip


def run_time_state(tree: Dockerfile, walked: common.Walk, findings: common.Findings) -> None:
    """A root RUN that creates data the app writes later (a migrated SQLite database) leaves it root's."""
    for ins, _state in walked:
        if not isinstance(ins, Run):
            continue
        view = tree.view(ins)
        if not any(_STATE_HINT.search(t) for t in (view.args_text, *(h.content for h in view.heredocs))):
            continue  # every command _state_writer knows names one of these words: most RUN lines stop here
        script = _managers.run_script(tree, ins)
        for command in script.script.commands if script is not None else ():
            words = [w for w in command.argv if not w.startswith("-")]
            what = _state_writer(words)
            if what is not None:
                findings.unsafe.append(
                    f"line {common.line_number(tree, ins)} runs {what} as root: a database it creates in the app's "
                    "folder (SQLite) stays root's and the app cannot write it; give it to the user or migrate at "
                    "start-up"
                )
                return


def framework_tasks_at_build(tree: Dockerfile, walked: common.Walk, findings: common.Findings) -> None:
    """A root RUN that boots a Rails or Symfony app (`rails assets:precompile`, `bundle exec rake sandbox`, `bootsnap
    precompile`, `php bin/console cache:warmup`) makes its caches (Rails' tmp/, Symfony's var/cache and var/log) and
    whatever the task generates in the app's folder as root's; the app writes there when it starts (a Rails server
    creates tmp/pids, Symfony writes var/cache and var/log), and as the user it cannot."""
    for ins, _state, command in common.root_commands(tree, walked, _FRAMEWORK_HINT):
        words = [w for w in command.runs if not w.startswith("-")]
        if words[:2] == ["bundle", "exec"] or (words[:1] and re.fullmatch(r"php[\d.]*", words[0].rsplit("/", 1)[-1])):
            words = words[2:] if words[0] == "bundle" else words[1:]
        name = words[0].rsplit("/", 1)[-1] if words else ""
        if len(words) > 1 and (name in ("rails", "rake", "bootsnap") or words[0].endswith("bin/console")):
            made = "var/cache and var/log" if name == "console" else "tmp/ caches"
            writes = "writes var/ there" if name == "console" else "writes tmp/ and log/ there"
            findings.unsafe.append(
                f"line {common.line_number(tree, ins)} runs {'bin/console' if name == 'console' else name} {words[1]} "
                "as root: what it makes in the app's "
                f"folder ({made}, generated files) stays root's, and the app {writes} when it starts"
            )
            return


_FRAMEWORK_HINT: Final = re.compile(r"\b(?:rails|rake|bootsnap)\b|\bbin/console\b")


def root_run(tree: Dockerfile, walked: common.Walk, program: str) -> Run | None:
    """The first RUN that runs ``program`` as root, if any."""
    commands = common.root_commands(tree, walked, re.compile(rf"\b{re.escape(program)}\b"))
    return next((ins for ins, _state, c in commands if c.argv and c.argv[0].rsplit("/", 1)[-1] == program), None)


def program_at_build(
    tree: Dockerfile, ctx: Context, walked: common.Walk, end: State, programs: set[str], findings: common.Findings
) -> None:
    """A root RUN that runs the program the image starts, one the file copied in (a binary built in another stage,
    a script of the context): what it makes in its folder stays root's, and the same program writes it at start (a
    real Go program's `RUN server --init` made state.db, which it then could not open as the new user)."""
    for program in sorted(programs):
        if _stages.program_file(tree, walked, program, end.workdir, ctx.build) is None:
            continue  # a program of the base image or a package: not the app's own
        name = program.rsplit("/", 1)[-1]
        run = root_run(tree, walked, name)
        if run is not None:
            findings.unsafe.append(
                f"line {common.line_number(tree, run)} runs {name}, the program the image starts, as root: files it "
                "makes stay root's"
            )
            return


def tests_at_build(tree: Dockerfile, ctx: Context, walked: common.Walk, findings: common.Findings) -> None:
    """A root RUN that runs the test suite runs the app's own code in its folder: the logs and SQLite databases it
    creates there stay root's (real builds: `python -m unittest` made app.log and visits.db, and the app then
    failed with "Permission denied" and "attempt to write a readonly database"; also `npm cit`, `node --test` and a
    `sh scripts/test.sh` that runs `python -m unittest`)."""
    # Every runner _test_runner knows names one of _TEST_HINT's words; a script may name any.
    for ins, state, command in common.root_commands(tree, walked, _TEST_OR_SCRIPT_HINT):
        # Also what it runs in turn: `sh -c 'npm test'`, `sh scripts/test.sh`.
        for argv in [command.argv, *_stages.commands_run(tree, walked, command.argv, state.workdir, ctx.build)]:
            what = _test_runner([w for w in argv if not w.startswith("-")])
            if what is None and argv[:1] and argv[0].rsplit("/", 1)[-1] == "node" and "--test" in argv:
                what = "node --test"  # Node's own test runner: the test files below the working folder
            if what is not None:
                findings.unsafe.append(
                    f"line {common.line_number(tree, ins)} runs the tests ({what}) as root: files the app's code "
                    "creates in its folder (logs, SQLite databases) stay root's"
                )
                return


_TEST_HINT: Final = re.compile(r"test|pytest|unittest|tox|nox|rspec|phpunit|jest|vitest|mocha|\bt\b|\bc?it\b|\btst\b")
_TEST_OR_SCRIPT_HINT: Final = re.compile(rf"{_TEST_HINT.pattern}|\.sh\b|\b(?:ba|da)?sh\b")
# npm's names for its test command: `npm t`, `npm tst`, and the install-then-test ones (`npm it`, `npm cit`).
_NPM_TESTS: Final = frozenset({"test", "t", "tst", "it", "cit", "install-test", "install-ci-test"})
_TEST_COMMANDS: Final = frozenset({"pytest", "py.test", "tox", "nox", "rspec", "phpunit", "jest", "vitest", "mocha"})
_TEST_SUBCOMMANDS: Final = {
    "unittest": None, "pytest": None, "manage.py": "test", "artisan": "test", "rake": "test", "rails": "test",
    "npm": "test", "yarn": "test", "pnpm": "test", "bun": "test", "npx": None,
}  # fmt: skip


def _test_runner(words: list[str]) -> str | None:
    """``pytest``, ``python -m unittest``, ``npm test``... in a command's words (options dropped)."""
    names = [w.rsplit("/", 1)[-1] for w in words]
    while names and (names[0] in _STATE_RUNNERS or names[0].startswith("python")) and names[0] not in _TEST_SUBCOMMANDS:
        names = names[1:]  # python -m, bundle exec, poetry run, uv run...
    if not names:
        return None
    if names[0] in _TEST_COMMANDS:
        return names[0]
    if names[0] == "npx":
        return f"npx {names[1]}" if names[1:2] and names[1] in _TEST_COMMANDS else None
    if names[0] in _TEST_SUBCOMMANDS:
        sub = _TEST_SUBCOMMANDS[names[0]]
        if sub is None:
            return names[0]
        rest = names[1:]
        if rest[:1] == ["run"] and names[0] in ("npm", "yarn", "pnpm", "bun"):
            rest = rest[1:]  # npm run test, npm run test:unit
        if rest and (rest[0] == sub or rest[0].startswith(f"{sub}:") or (names[0] == "npm" and rest[0] in _NPM_TESTS)):
            return f"{names[0]} {rest[0]}"
    return None


# Build tools that, started again at run time, write into what a root RUN built with them: cargo's lock in target/
# (a real build: "failed to open: target/release/.cargo-lock: Permission denied"), Gradle's project cache .gradle/
# (a real build: "Could not create service of type FileHasher"), Maven's target/, make's outputs.
_REBUILDERS: Final = frozenset({"cargo", "gradle", "gradlew", "mvn", "mvnw", "make", "dotnet"})


def build_tool_at_start(tree: Dockerfile, walked: common.Walk, programs: set[str], findings: common.Findings) -> None:
    started = programs & _REBUILDERS
    if not started:
        return
    for ins, _state in walked:
        script = _managers.run_script(tree, ins) if isinstance(ins, Run) else None
        for command in script.script.commands if script is not None else ():
            tool = command.argv[0].rsplit("/", 1)[-1] if command.argv else ""
            if tool in started:
                findings.unsafe.append(
                    f"the start command runs {tool} again, which writes into what line {common.line_number(tree, ins)} "
                    "built with it as root"
                )
                return


def touched_files(tree: Dockerfile, ctx: Context, walked: common.Walk, findings: common.Findings) -> None:
    """An empty file a root RUN makes with ``touch`` in the app's folders (a log, a counter, a database the app
    fills) is there to be written at run time, and stays root's: the folder is given to the user, not the file.
    So is a file inline code writes (`python -c "open('/srv/media/x', 'w')..."`: a real image could not append
    to it). The project's shell scripts the RUN runs (`sh scripts/setup.sh`, `./bin/setup`) are read the same
    way (a real image could not write the counter such a script made)."""
    for ins, state in walked:
        text = tree.view(ins).args_text if isinstance(ins, Run) else ""
        script = _managers.run_script(tree, ins) if isinstance(ins, Run) and _MAKES_FILES.search(text) else None
        commands = [(c, "") for c in script.script.commands] if script is not None else []
        for command, _ in list(commands):
            # The commands of a `sh -c` string (`sh -c 'echo 0 > state.txt'`: a real image could not rewrite it).
            inner = _shell.split(code) if (code := _shell.shell_c_script(command.argv)) is not None else None
            commands += [(c, " in its sh -c string") for c in inner.commands] if inner is not None else []
        if isinstance(ins, Run) and _RUNS_SCRIPT.search(text):
            commands += _script_commands(tree, ctx, walked, ins, state)
        for command, where in commands:
            argv = command.argv
            tool = argv[0].rsplit("/", 1)[-1] if argv else ""
            words, how = [], ""
            if tool == "touch":
                words, how = [w for w in argv[1:] if not w.startswith("-")], "with touch"
            elif tool == "gunzip" or (tool == "gzip" and "-d" in argv) or argv[1:4] == ("-m", "gzip", "-d"):
                # `python3 -m gzip -d state.txt.gz`, `gunzip seed.gz`: the file without .gz is root's (a real image).
                words, how = [w[:-3] for w in argv[1:] if w.endswith(".gz")], "with gzip -d"
            elif tool == "truncate":
                # `truncate -s 0 /app/app.log` creates the file when it is missing (a real image could not append).
                sized = {v for k, v in itertools.pairwise(argv) if k in ("-s", "--size", "-r", "--reference")}
                words, how = [w for w in argv[1:] if not w.startswith("-") and w not in sized], "with truncate"
            elif tool.startswith("python") and argv[1:3] == ("-m", "json.tool"):
                # `python -m json.tool defaults.json state.json` writes its second file (a real image could not
                # rewrite state.json).
                words, how = [w for w in argv[3:] if not w.startswith("-")][1:2], "with python -m json.tool"
            elif (code := _inline_code(tool, argv)) is not None:
                # Absolute or relative to the working folder (`open('state.json', 'w')`, Perl's `open(F,
                # ">state.txt")`: real images).
                words = [next(g for g in m.groups() if g) for m in _INLINE_WRITE.finditer(code)]
                how = "with inline code"
            elif tool == "dd" or (tool == "sort" and any(w.startswith(("-o", "--output")) for w in argv)):
                # `dd of=/app/state.txt`, `sort -o /app/state.txt seed.txt` (real images could not rewrite them).
                words = [w.partition("=")[2] for w in argv if w.startswith(("of=", "--output="))]
                words += [b for a, b in itertools.pairwise(argv) if a == "-o"]
                words += [w[2:] for w in argv if w.startswith("-o") and len(w) > 2 and tool == "sort"]
                how = f"with {tool}"
            elif tool == "mv" and _moves_from_scratch(argv[1:-1], state):
                # A file root made in /tmp, moved into place (`cp seed.txt /tmp/state.txt && mv /tmp/state.txt
                # /app/`: a real image could not rewrite it); a moved file of the app's keeps its owner.
                words, how = list(argv[-1:]), "with mv"
            elif tool in ("cp", "install", "tee") and "-d" not in argv and "--directory" not in argv:
                # `cp defaults/state.json /app/state.json`, `cp -r seed/ /var/lib/app/`, `echo 0 | tee counter.txt`
                # (real images could not rewrite them).
                operands = [w for w in argv[1:] if not w.startswith("-")]
                words, how = operands if tool == "tee" else operands[-1:], f"with {tool}"
            # `echo '{"visits": 0}' > /app/state.json`, `echo '[]' > queue.json` (real images).
            words += _shell.redirection_targets(command.words)
            how = (how or "with a redirection") + where
            recursive = tool == "cp" and any(w in ("-r", "-R", "-a") or w.startswith("--recursive") for w in argv)
            for word in words:
                path = common.resolve(word, state)
                # A recursive copy puts its files inside the folder it names (`cp -r seed/. /var/lib/app/`).
                into = recursive or (tool in ("cp", "mv") and word.endswith("/"))
                if path is not None and common.ownable(path if into else posixpath.dirname(path)):
                    made = (
                        f"fills {path} {how} as root: its files stay root's, so the app cannot write them"
                        if into
                        else f"makes {path} {how} as root: the file stays root's, so the app cannot write it"
                    )
                    findings.unsafe.append(f"line {common.line_number(tree, ins)} {made}")
                    return


def _inline_code(tool: str, argv: Sequence[str]) -> str | None:
    """The code `python -c`, `node -e`, `perl -e` (`-le`, `-E`) or `ruby -e` runs, or None."""
    if (tool.startswith("python") and argv[1:2] == ("-c",)) or (tool == "node" and argv[1:2] == ("-e",)):
        return argv[2] if len(argv) > 2 else None
    if tool in ("perl", "ruby"):
        at = next((k for k, w in enumerate(argv[1:], 1) if re.fullmatch(r"-\w*[eE]", w)), None)
        return argv[at + 1] if at is not None and at + 1 < len(argv) else None
    return None


def _moves_from_scratch(sources: Sequence[str], state: State) -> bool:
    """Whether an ``mv`` moves a file from a temporary folder, where root made it."""
    paths = [common.resolve(w, state) for w in sources if not w.startswith("-")]
    return any(p is not None and any(common.inside(p, t) for t in common.SCRATCH) for p in paths)


_MAKES_FILES: Final = re.compile(
    r"\btouch\b|\btruncate\b|\s-[ce]\s|\bjson\.tool\b|\bcp\b|\bmv\b|\binstall\b|\btee\b|\bdd\b|\bsort\b"
    r"|\bg(?:un)?zip\b|>|\bperl\b|\bruby\b"
)
_RUNS_SCRIPT: Final = re.compile(r"\b(?:ba|da|z)?sh\s+\S|(?:^|[\s;&|(])\.{0,2}/|\.sh\b")


def _script_commands(
    tree: Dockerfile, ctx: Context, walked: common.Walk, run: Run, state: State
) -> list[tuple[_shell.Command, str]]:
    """The commands of the project's shell scripts ``run`` runs by path or through a shell, and of those they run
    in turn (`sh scripts/setup.sh` running `sh scripts/db/init.sh`: a real image could not write the database the
    second one made), two levels down, each with where it is (" in scripts/setup.sh")."""
    script = _managers.run_script(tree, run)
    queue = [(c, "", 0) for c in script.script.commands] if script is not None else []
    out: list[tuple[_shell.Command, str]] = []
    while queue:
        command, _where, depth = queue.pop(0)
        for name in _stages.start_scripts(command.argv) if depth < 2 else ():
            found = _stages.script_text(tree, walked, name, state.workdir, ctx.build)
            inner = _shell.split(found) if isinstance(found, str) else None
            where = f" in {name.removeprefix('./')}"
            out += [(c, where) for c in inner.commands] if inner is not None else []
            queue += [(c, where, depth + 1) for c in inner.commands] if inner is not None else []
    return out


# A file inline Python or JavaScript writes: open('/x', 'w'), writeFileSync("/x", ...), appendFileSync, a copy or
# move's destination (`shutil.copy("seed.txt", "state.txt")`: a real image could not rewrite it).
_INLINE_WRITE: Final = re.compile(
    r"""\bopen\(\s*['"]([^'"]+)['"]\s*,\s*['"][wax]|\b(?:write|append)FileSync\(\s*['"]([^'"]+)['"]"""
    r"""|\b(?:shutil\.(?:copy2?|copyfile|move)|os\.(?:replace|rename)|copyFileSync|renameSync)\(\s*[^,()]+,\s*['"]([^'"]+)['"]"""
    r"""|\bsqlite3\.connect\(\s*['"]([^'":]+)['"]"""  # creates the database (a real image: "readonly database")
    r"""|\bPath\(\s*['"]([^'"]+)['"]\s*\)\.(?:mkdir|write_text|write_bytes|touch)\("""
    # Perl's open for writing, two or three arguments (`open(F, ">state.txt")`, `open(my $f, '>>', 'log')`), and
    # Ruby's File.write / File.open(..., 'w').
    r"""|\bopen\s*\(?\s*(?:my\s+)?[\w$]+\s*,\s*['"]\+?>{1,2}\s*([^'"\s]+)['"]"""
    r"""|\bopen\s*\(?\s*(?:my\s+)?[\w$]+\s*,\s*['"]\+?>{1,2}['"]\s*,\s*['"]([^'"]+)['"]"""
    r"""|\bFile\.write\(\s*['"]([^'"]+)['"]|\bFile\.open\(\s*['"]([^'"]+)['"]\s*,\s*['"][wa]"""
)


def _state_writer(words: list[str]) -> str | None:
    """``manage.py migrate`` and the like in a command's words (options dropped); None for other commands."""
    names = [w.rsplit("/", 1)[-1] for w in words]
    for i, name in enumerate(names):
        if i and not (names[i - 1] in _STATE_RUNNERS or names[i - 1].startswith("python")):
            return None  # the tool must be the command, or what a runner runs (not `apt-get install sqlite3`)
        rest = names[i + 1 :]
        if name in ("manage.py", "django-admin", "django") and rest and rest[0] in _DJANGO_STATE:
            return f"{name} {rest[0]}"  # (`django` as `python -m django migrate` runs it)
        if name in ("rails", "rake", "artisan") and rest and (_RAILS_STATE.match(rest[0]) or rest[0] == "migrate"):
            return f"{name} {rest[0]}"
        # The subcommand may follow one option's value (`flask --app flaskr init-db`).
        found = next((r for r in rest[:2] if r in _STATE_TOOLS.get(name, ())), None)
        if found is not None:
            return f"{name} {found}"
        if name == "sqlite3" and rest and not rest[0].startswith(":memory:"):
            return f"sqlite3 {rest[0]}"
        # The project's own set-up script, run by an interpreter or by path: `python init_db.py`, `./seed.sh`,
        # `node db/migrate.js`, `python -c "db.create_all()"` (a real build of a Flask app's init_db.py failed with
        # "attempt to write a readonly database").
        if (i or "/" in words[0]) and _STATE_SCRIPT.search(name):
            return common.shorten(name)
    return None


_STATE_HINT: Final = re.compile(
    r"manage\.py|django-admin|rails|rake|artisan|alembic|prisma|knex|sequelize|typeorm|flask|sqlite3|db|database"
    r"|migrat|seed|create_all|tables?\b|schema",
    re.IGNORECASE,
)
_STATE_SCRIPT: Final = re.compile(
    r"^(?:init|create|setup|reset|seed|make)[_:-]?(?:db|database|schema|tables?)\b|^(?:db|database)[_:-]?(?:init|create|"
    r"setup|seed|upgrade|migrate)\b|^migrat(?:e|ions?)\b|^seeds?(?:[_.-]|$)|create_all\(",
    re.IGNORECASE,
)

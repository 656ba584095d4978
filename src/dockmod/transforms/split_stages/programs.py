"""The plan for Go, Rust and Java builds: the runtime stage gets the program the build produced (``go build -o``,
``go install``, ``cargo build --release``, Maven's ``target/``, Gradle's ``build/``, followed through ``cp`` and
``mv``), as the start command runs it, with the files of the sources it names or reads where the build placed
them; and the checks for a distroless or scratch runtime. Apart from ``interpreted`` because what these builds
leave is read from each toolchain's options and project files (go.mod, Cargo.toml, pom.xml), not from a
dependency install."""

from __future__ import annotations

import fnmatch
import posixpath
import re
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Final

from dockmod.cst import Run
from dockmod.transforms import _stages
from dockmod.transforms._managers import Invocation, RunScript
from dockmod.transforms._stages import State
from dockmod.transforms.split_stages import common, facts

CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"
ZONEINFO = "/usr/share/zoneinfo"
_STATIC_PROVIDED: Final = frozenset({"ca-certificates", "tzdata"})
# Folders whose files are temporary: what the build part puts there is not copied to the runtime stage.
_SCRATCH: Final = ("/tmp", "/var/tmp", "/dev", "/proc")
_TOOLCHAIN: Final[dict[common.Ecosystem, str]] = {"go": "Go", "rust": "Cargo", "java": "Maven/Gradle", "node": "Node",
                                                  "python": "Python"}  # fmt: skip


class Compiled(facts.StageFacts):
    """The Go, Rust and Java plan."""

    # -- Go, Rust, Java -------------------------------------------------------------------------------

    def _compiled(self, ecosystem: common.Ecosystem, entry: common.Entry) -> common.Plan:
        produced = self._produced(ecosystem)
        last_build = max(s for s, _ in produced.values()) if produced else None
        if last_build is None:
            raise common.Refusal(f"dockmod cannot tell where the {_TOOLCHAIN[ecosystem]} build writes its output")
        build_end = self._build_end(last_build)
        produced = self._follow_copies(produced, build_end)
        step = self.steps[last_build]
        chown = self._output_owner(step)
        artifacts: list[common.Artifact] = []
        summary = ""
        user = self._user_artifacts(_stages.join(step.state.workdir, "."))
        if user is not None:
            artifacts = [replace(a, chown=chown) for a in user]
            summary = ", ".join(a.source for a in artifacts)
        else:
            found = self._entry_artifacts(ecosystem, entry, produced)
            if isinstance(found, str):
                raise common.Refusal(found)
            artifacts += [common.Artifact(path, path + "/" if is_dir else path, chown) for path, is_dir in found]
            summary = " and ".join(path for path, _ in found)
            artifacts += self._entry_files(entry, produced, chown, build_end)
            artifacts += self._data_dirs(entry, chown, build_end)
            artifacts += self._placed_files(produced, build_end, {a.source for a in artifacts})
        plan = common.Plan(
            ecosystem,
            build_end,
            tuple(artifacts),
            summary,
            unsafe=(
                "the final image no longer has the sources, the toolchain's caches or the build's other outputs"
                + ("; files the program reads at run time must be copied too" if not self.options.artifacts else ""),
            ),
            base=self._runtime_base(ecosystem),
            packages=self._packages(ecosystem, build_end),
        )
        if plan.base in ("scratch", common.DISTROLESS_STATIC) or self.options.static_runtime:
            plan = self._static_checks(plan, entry, step)
        if plan.base is not None:
            plan = self._onto_default_path(plan, entry)
        return replace(plan, unsafe=(*plan.unsafe, *self._notes))

    def _onto_default_path(self, plan: common.Plan, entry: common.Entry) -> common.Plan:
        """On another base, a program the start command finds through the builder's PATH (``/go/bin``) goes
        to /usr/local/bin, which every image's PATH has: the start command stays as written."""
        program = common.unwrap((entry.commands() or ((),))[0])
        if not program or "/" in program[0]:
            return plan
        default = _stages.DEFAULT_PATH.split(":")
        artifacts = []
        summary = plan.summary
        for art in plan.artifacts:
            folder, name = posixpath.split(art.dest)
            if name == program[0] and folder not in default:
                summary = summary.replace(art.source, f"{art.source} (as /usr/local/bin/{name})")
                art = replace(art, dest=posixpath.join("/usr/local/bin", name))  # noqa: PLW2901
            artifacts.append(art)
        return replace(plan, artifacts=tuple(artifacts), summary=summary)

    def _produced(self, ecosystem: common.Ecosystem) -> dict[str, tuple[int, bool]]:
        """Paths the build writes (absolute path -> (body index, is a folder)); globs allowed."""
        out: dict[str, tuple[int, bool]] = {}
        for step in self.steps:
            if step.script is None:
                continue
            for inv in step.script.invocations:
                if common.build_kind(inv) != ecosystem and not (ecosystem == "go" and inv.manager == "go"):
                    continue
                cwd = _stages.join(step.state.workdir, inv.cwd) if inv.cwd != "?" else _stages.UNKNOWN_DIR
                env = self._env(step.state) | inv.command.assignments
                for path, is_dir in self._outputs_of(ecosystem, inv, cwd, env, step.state):
                    out[path] = (step.index, is_dir)
        return out

    def _outputs_of(
        self, ecosystem: common.Ecosystem, inv: Invocation, cwd: str, env: Mapping[str, str], state: State
    ) -> list[tuple[str, bool]]:
        if cwd.startswith(_stages.UNKNOWN_DIR) or "$" in cwd:
            expanded = self._expand(cwd, state) if not cwd.startswith(_stages.UNKNOWN_DIR) else None
            # A folder the Dockerfile does not show: only tools fetched by name (go install x@v) have a path.
            cwd = expanded if expanded is not None and expanded.startswith("/") else _stages.UNKNOWN_DIR
        if cwd == _stages.UNKNOWN_DIR and not (inv.manager == "go" and inv.sub in ("get", "install")):
            return []
        if ecosystem == "go":
            return self._go_outputs(inv, cwd, env)
        if ecosystem == "rust":
            return self._cargo_outputs(inv, cwd, env)
        return self._java_outputs(inv, cwd)

    def _go_outputs(self, inv: Invocation, cwd: str, env: Mapping[str, str]) -> list[tuple[str, bool]]:
        flags, packages = _go_args(inv.args)
        gobin = env.get("GOBIN") or posixpath.join(env.get("GOPATH", "/go"), "bin")
        if inv.sub == "get" or (inv.sub == "install" and any("@" in p for p in packages)):
            # A tool: ``go install example.com/cmd/tool@v1`` writes $GOBIN/tool.
            return [(posixpath.join(gobin, _go_binary_name(p.split("@", 1)[0])), False) for p in packages
                    if not p.startswith(".")]  # fmt: skip
        if inv.sub == "install" and packages and not any(p.startswith((".", "/")) for p in packages):
            # ``go install example.com/x/cmd/y``: named by import path, wherever it runs.
            return [(posixpath.join(gobin, _go_binary_name(p)), False) for p in packages if "..." not in p]
        if inv.sub not in ("build", "install") or cwd.startswith(_stages.UNKNOWN_DIR):
            return []
        output = flags.get("-o")
        if inv.sub == "build" and output is not None:
            path = _stages.join(cwd, output)
            if output.endswith("/"):
                names = [self._go_name(cwd, p) for p in packages or ["."]]
                return [(posixpath.join(path, n), False) for n in names if n]
            return [(path, False)]
        names = [self._go_name(cwd, p) for p in packages or ["."]]
        if "./..." in packages or any(p.endswith("/...") for p in packages):
            # Every main package below: the names are read from the start command (glob).
            names = ["*"]
        folder = cwd if inv.sub == "build" else gobin
        return [(posixpath.join(folder, n), False) for n in names if n]

    def _go_name(self, cwd: str, package: str) -> str | None:
        """The executable ``go build``/``go install`` names after the package (``go help build``)."""
        if package.endswith(".go"):
            return posixpath.basename(package)[:-3]
        if package.startswith((".", "/")):
            folder = _stages.join(cwd, package)
            module = self._go_module(folder)
            if module is not None:
                return _go_binary_name(module)
            if "/src/" in folder:
                return posixpath.basename(folder)  # GOPATH mode: named after the folder
            return None
        return _go_binary_name(package)

    def _go_module(self, folder: str) -> str | None:
        """The import path of the package in ``folder``, from the nearest go.mod above it."""
        rel = ""
        current = folder
        while True:
            if current in self.go_inits:
                module = self.go_inits[current]
                return posixpath.join(module, rel) if rel else module
            text = self._read(current, "go.mod")
            if text is not None:
                m = re.search(r"^\s*module\s+\"?([^\s\"]+)", text, re.MULTILINE)
                return None if m is None else posixpath.join(m.group(1), rel) if rel else m.group(1)
            if current in ("/", "") or self._context_path(current) in (None, ""):
                return None
            rel = posixpath.join(posixpath.basename(current), rel) if rel else posixpath.basename(current)
            current = posixpath.dirname(current)

    def _cargo_outputs(self, inv: Invocation, cwd: str, env: Mapping[str, str]) -> list[tuple[str, bool]]:
        args = inv.args
        names: list[str] = []
        bins = common.option_all(args, "--bin")
        if bins:
            names = bins
        else:
            manifest = self._read(cwd, "Cargo.toml")
            if manifest is None:
                return []
            try:
                data = tomllib.loads(manifest)
            except tomllib.TOMLDecodeError:
                return []
            package = data.get("package")
            declared = [b.get("name") for b in data.get("bin", []) if isinstance(b, dict)]
            names = [n for n in declared if isinstance(n, str)]
            if not names and isinstance(package, dict) and isinstance(package.get("name"), str):
                names = [package["name"]]
        if not names:
            return []
        if inv.sub == "install":
            if common.option(args, "--path") is None:
                return []
            root = (
                common.option(args, "--root") or env.get("CARGO_INSTALL_ROOT") or env.get("CARGO_HOME", "/root/.cargo")
            )
            return [(posixpath.join(root, "bin", n), False) for n in names]
        if inv.sub != "build":
            return []
        target_dir = common.option(args, "--target-dir") or env.get("CARGO_TARGET_DIR") or "target"
        profile = common.option(args, "--profile") or ("release" if "--release" in args or "-r" in args else "debug")
        profile = {"dev": "debug", "test": "debug", "bench": "release"}.get(profile, profile)
        triple = common.option(args, "--target")
        folder = _stages.join(cwd, posixpath.join(target_dir, triple, profile) if triple else
                              posixpath.join(target_dir, profile))  # fmt: skip
        return [(posixpath.join(folder, n), False) for n in names]

    def _java_outputs(self, inv: Invocation, cwd: str) -> list[tuple[str, bool]]:
        if inv.manager == "maven":
            if any(a in ("-f", "--file", "-pl", "--projects") for a in inv.args):
                return []
            pom = self._read(cwd, "pom.xml")
            name = _maven_artifact(pom) if pom is not None else None
            if name is None:
                return [(posixpath.join(cwd, "target", "*.jar"), False)]
            return [(posixpath.join(cwd, "target", name), False)]
        goals = inv.sub.split()
        out: list[tuple[str, bool]] = [(posixpath.join(cwd, "build", "libs", "*.jar"), False)]
        if "installDist" in goals:
            out.append((posixpath.join(cwd, "build", "install", "*"), True))
        return out

    def _placed_files(
        self, produced: Mapping[str, tuple[int, bool]], upto: int, taken: set[str]
    ) -> list[common.Artifact]:
        """Files of the sources that the build part's ``cp``/``install`` put outside the project, for the program to
        read there (``cp conf/greeting.txt /etc/hello/``): the runtime stage gets them from the builder too (a real
        build of the split without them: "open /etc/hello/greeting.txt: no such file or directory")."""
        out: list[common.Artifact] = []
        for _step, cwd, tool, sources, dest, named_folder in self._copy_commands(upto):
            dest_abs = _stages.join(cwd, dest)
            if tool not in ("cp", "install") or not dest.startswith("/") or common.inside(dest_abs, cwd):
                continue  # inside the project: the runtime gets what it needs from there
            if any(common.inside(dest_abs, t) for t in _SCRATCH):
                continue  # temporary
            into = named_folder or dest.endswith("/") or len(sources) > 1
            for src in sources:
                src_abs = _stages.join(cwd, src)
                if _match_produced(src_abs, produced) is not None or self._context_path(src_abs) is None:
                    continue  # a built file (followed elsewhere), or not a file of the sources
                target = posixpath.join(dest_abs, posixpath.basename(src_abs)) if into else dest_abs
                if target not in taken:
                    taken.add(target)
                    out.append(common.Artifact(target, target))
        return out

    def _copy_commands(self, upto: int) -> Iterator[tuple[common.Step, str, str, list[str], str, bool]]:
        """(step, folder it runs in, tool, sources, destination, destination is a folder) of every ``cp``, ``mv``,
        ``install`` and ``ln`` of the steps up to ``upto``, following ``cd``."""
        for step in self.steps[: upto + 1]:
            if step.script is None:
                continue
            cwd = step.state.workdir
            for command in step.script.script.commands:
                argv = command.argv
                if not argv:
                    continue
                tool = argv[0].rsplit("/", 1)[-1]
                if tool == "cd" and len(argv) == 2:
                    cwd = _stages.join(cwd, argv[1]) if not argv[1].startswith(("$", "~", "-")) else "?"
                    continue
                parsed = common.copy_operands(argv) if tool in ("cp", "mv", "install", "ln") else None
                if parsed is not None and not cwd.startswith(_stages.UNKNOWN_DIR):
                    yield step, cwd, tool, *parsed

    def _follow_copies(self, produced: dict[str, tuple[int, bool]], upto: int) -> dict[str, tuple[int, bool]]:
        """Add where ``cp``/``mv``/``install`` commands put built files (``cp target/release/app /usr/local/bin/``)."""
        out = dict(produced)
        for step, cwd, tool, sources, dest, named_folder in self._copy_commands(upto):
            dest_abs = _stages.join(cwd, dest)
            into = named_folder or dest.endswith("/") or len(sources) > 1 or self._is_folder(dest_abs, out)
            for src in sources:
                src_abs = _stages.join(cwd, src)
                hit = _match_produced(src_abs, out)
                if hit is None:
                    continue
                source_path, is_dir = hit
                if into:
                    name = posixpath.basename(src_abs)
                    target = posixpath.join(dest_abs, name)
                else:
                    target = dest_abs
                out[target] = (step.index, is_dir)
                if tool == "mv":
                    out.pop(source_path, None)
        return out

    def _is_folder(self, path: str, produced: Mapping[str, tuple[int, bool]]) -> bool:
        if path in ("/", "/usr/local/bin", "/usr/bin", "/bin", "/usr/local/sbin", "/opt", "/app", "/srv"):
            return True
        if path in {s.state.workdir for s in self.steps}:
            return True
        return produced.get(path, (0, False))[1]

    def _entry_artifacts(
        self, ecosystem: common.Ecosystem, entry: common.Entry, produced: Mapping[str, tuple[int, bool]]
    ) -> list[tuple[str, bool]] | str:
        """The built files the start command runs or names (program first), or why there are none."""
        commands = entry.commands()
        if commands is None:
            return "dockmod cannot read the start command"
        workdir = entry.state.workdir
        env = self._env(entry.state)
        found: list[tuple[str, bool]] = []
        for command in commands:
            argv = common.unwrap(command)
            if not argv:
                continue
            if ecosystem == "java" and argv[0].rsplit("/", 1)[-1] == "java":
                jar = _java_jar(argv)
                if jar is None:
                    return "the start command runs java without -jar, so its class path is unknown"
                if self._manifest_class_path():
                    # A thin jar: its dependencies sit beside it (target/lib/), where copy-dependencies put them (a
                    # real build of the split without them: NoClassDefFoundError).
                    return (
                        "the jar's manifest names a class path (maven-jar-plugin addClasspath) the split would not copy"
                    )
                words = [jar]
            else:
                program = self._resolve_program(argv[0], workdir, env, produced, entry.state)
                words = [program] if program is not None else []
                words += [w.split("=", 1)[1] if w.startswith("-") and "=" in w else w for w in argv[1:]]
            for word in words:
                if "/" not in word and word != argv[0]:
                    continue
                path = self._resolve(word, workdir, entry.state)
                hit = _match_produced(path, produced) if path is not None else None
                if path is None or hit is None:
                    continue
                produced_path, is_dir = hit
                if is_dir or produced_path.endswith("/*"):
                    # installDist: the start script sits in build/install/<name>/bin; the folder goes along.
                    path, is_dir = _dist_root(path, produced_path), True
                if (path, is_dir) not in found:
                    found.append((path, is_dir))
        if not found:
            names = ", ".join(sorted(p for p in produced if "*" not in p)) or "nothing dockmod can name"
            return f"the start command does not run what the build produces ({names}); set the `artifacts` option"
        return found

    def _manifest_class_path(self) -> bool:
        """Whether a Maven build of the stage writes a Class-Path into its jar's manifest."""
        walked = self.walked
        for k, step in enumerate(self.steps):
            for inv in step.script.invocations if step.script is not None else ():
                if inv.manager == "maven":
                    # The pom.xml the copies above the build put where it runs (`COPY pom.xml .` copies one file).
                    path = posixpath.join(_stages.join(step.state.workdir, inv.cwd), "pom.xml")
                    source = _stages.context_file(self.tree, walked, path, self.build, end=k)
                    pom = self.build.read_text(source) if isinstance(source, str) else None
                    if re.search(r"<addClasspath>\s*true\s*</addClasspath>|<Class-Path>", pom or ""):
                        return True
        return False

    def _resolve(self, word: str, workdir: str, state: State) -> str | None:
        expanded = self._expand(word, state)
        if expanded is None:
            return None
        path = _stages.join(workdir, expanded)
        return None if path.startswith(_stages.UNKNOWN_DIR) else path

    def _resolve_program(
        self, program: str, workdir: str, env: Mapping[str, str], produced: Mapping[str, tuple[int, bool]],
        state: State,
    ) -> str | None:  # fmt: skip
        if "/" in program:
            return self._resolve(program, workdir, state)
        path_var = self._expand(env.get("PATH", _stages.DEFAULT_PATH), state) or _stages.DEFAULT_PATH
        for folder in path_var.split(":"):
            candidate = posixpath.join(folder, program)
            if _match_produced(candidate, produced) is not None:
                return candidate
        return None

    def _entry_files(
        self, entry: common.Entry, produced: Mapping[str, tuple[int, bool]], chown: str | None, build_end: int
    ) -> list[common.Artifact]:
        """Files of the sources the start command names (``--config config.yml``), or the final stage's environment
        does (``ENV HELLO_CONFIG=/src/config.yml``: a real build of a split without it could not open the file)."""
        out: list[common.Artifact] = []
        commands: list[Sequence[str]] = [common.unwrap(command)[1:] for command in entry.commands() or ()]
        commands.append([v for v in entry.state.env.values() if v.startswith(("/", "./"))])
        for words in commands:
            for word in words:
                value = word.split("=", 1)[1] if word.startswith("-") and "=" in word else word
                if value.startswith("-") or ("/" not in value and "." not in value.strip(".")):
                    continue
                path = self._resolve(value, entry.state.workdir, entry.state)
                if path is None or _match_produced(path, produced) is not None:
                    continue
                if self._from_tail_copy(path, build_end):
                    continue
                source = self._context_path(path)
                if source is not None and self.build.exists(source) and source != "":
                    is_dir = self.build.is_dir(source)
                    out.append(common.Artifact(path, path + ("/" if is_dir else ""), chown))
        return out

    def _from_tail_copy(self, path: str, build_end: int) -> bool:
        """Whether a COPY after the build (which the runtime runs itself) puts ``path`` in place."""
        return any(
            c.step.index > build_end and any(path == d or common.inside(path, d) for _, d in c.entries)
            for c in self.copies
        )

    def _data_dirs(self, entry: common.Entry, chown: str | None, build_end: int) -> list[common.Artifact]:
        """Well-known data folders of the sources in the folder the program runs in."""
        out = []
        workdir = entry.state.workdir
        for name in common.DATA_DIRS:
            path = posixpath.join(workdir, name)
            if self._from_tail_copy(path, build_end):
                continue
            source = self._context_path(path)
            if source and self.build.is_dir(source) and not self.build.ignored(source):
                out.append(common.Artifact(path, path + "/", chown))
        return out

    def _static_checks(self, plan: common.Plan, entry: common.Entry, step: common.Step) -> common.Plan:
        """A distroless or scratch runtime has no shell, no package manager and (scratch) no users."""
        wanted = self.options.static_runtime
        reasons = []
        if plan.ecosystem != "go":
            reasons.append("only Go binaries are known to be static")
        elif not self._cgo_disabled(step):
            reasons.append("the Go build does not set CGO_ENABLED=0, so the binary may link libc")
        if entry.shell:
            reasons.append("the start command is in shell form and needs /bin/sh")
        # CA certificates and time zone data are what static Go programs read from the system: distroless
        # ships both, and scratch gets the builder's copies below. Any other package needs a shell to install.
        provided: set[str] = set()
        if plan.packages is not None:
            provided |= {common.bare(p) for p in plan.packages.keep} & _STATIC_PROVIDED
            extra = [p for p in plan.packages.keep if common.bare(p) not in _STATIC_PROVIDED]
        else:
            extra = []
        runs = []
        dropped: set[int] = set()
        for s in self.steps:
            if not isinstance(s.node, Run):
                continue
            if s.index <= plan.build_end and self._runtime_run(s, plan) != "copy":
                continue
            packages = _static_packages(s.script)
            if packages is not None and s.index <= plan.build_end:
                provided |= packages
                dropped.add(s.index)
            else:
                runs.append(s)
        if runs or extra:
            reasons.append("the runtime stage would run commands, and there is no shell")
        user = entry.state.user
        named = user is not None and not re.fullmatch(r"\d+(:\d+)?", user)
        if named and (wanted == "scratch" or (user or "").split(":", 1)[0] not in ("nonroot", "root")):
            reasons.append(f"{wanted} has no user {user}")
        if reasons:
            self._notes.append(f"kept {self.stage.base} as the runtime base instead of {wanted}: " + "; ".join(reasons))
            return replace(plan, base=self.options.runtime_base or None)
        extra_files: list[common.Artifact] = []
        if wanted == "scratch":
            # Without a CA bundle every TLS connection fails; the builder's bundle is the one the binary saw.
            extra_files.append(common.Artifact(CA_BUNDLE, CA_BUNDLE))
            if "tzdata" in provided:
                extra_files.append(common.Artifact(ZONEINFO, ZONEINFO + "/"))
            else:
                self._notes.append("scratch has no time zone data: build with -tags timetzdata if the program needs it")
        return replace(
            plan,
            artifacts=(*plan.artifacts, *extra_files),
            packages=replace(plan.packages, keep=()) if plan.packages is not None else None,
            dropped=frozenset(dropped),
        )

    def _cgo_disabled(self, step: common.Step) -> bool:
        if step.state.env.get("CGO_ENABLED") == "0":
            return True
        if step.script is None:
            return False
        return any(
            i.manager == "go" and i.command.assignments.get("CGO_ENABLED") == "0" for i in step.script.invocations
        )


# ---------------------------------------------------------------------------------------------------------
# Commands


def _static_packages(script: RunScript | None) -> set[str] | None:
    """The packages a RUN installs when it only installs CA certificates or time zone data."""
    if script is None or script.script.compound:
        return None
    found: set[str] = set()
    for command in script.script.commands:
        if common.command_kind(command) != "packages":
            return None
    for inv in script.invocations:
        if inv.manager in ("apt", "apk") and inv.sub in ("install", "add"):
            names = {common.bare(p) for p in common.package_words(inv)}
            if not names <= _STATIC_PROVIDED:
                return None
            found |= names
    return found


def _go_args(args: tuple[str, ...]) -> tuple[dict[str, str], list[str]]:
    """Go build flags (``-o``...) with values and the package arguments. Boolean flags take no value."""
    value_flags = {
        "-o", "-tags", "-ldflags", "-gcflags", "-asmflags", "-mod", "-C", "-p", "-modfile", "-pkgdir", "-buildmode",
        "-compiler", "-installsuffix", "-overlay", "-pgo", "-toolexec", "-buildvcs",
    }  # fmt: skip
    flags: dict[str, str] = {}
    packages: list[str] = []
    k = 0
    while k < len(args):
        a = args[k]
        if a.startswith("-"):
            name, eq, value = a.partition("=")
            name = "-" + name.lstrip("-")
            if eq:
                flags[name] = value
            elif name in value_flags and k + 1 < len(args):
                flags[name] = args[k + 1]
                k += 1
            else:
                flags[name] = ""
        else:
            packages.append(a)
        k += 1
    return flags, packages


def _go_binary_name(import_path: str) -> str:
    """``example.com/cmd/hello`` → ``hello``; a major-version suffix is skipped (``example.com/x/v2`` → ``x``)."""
    parts = [p for p in import_path.rstrip("/").split("/") if p]
    if len(parts) > 1 and re.fullmatch(r"v[2-9]\d*", parts[-1]):
        return parts[-2]
    return parts[-1] if parts else ""


def _maven_artifact(pom: str) -> str | None:
    """``<finalName or artifactId-version>.<packaging>`` of a single-module pom.xml."""
    try:
        root = ET.fromstring(pom)
    except ET.ParseError:
        return None
    ns = root.tag[: root.tag.index("}") + 1] if root.tag.startswith("{") else ""

    def text(path: str) -> str | None:
        node = root.find("/".join(ns + p for p in path.split("/")))
        return node.text.strip() if node is not None and node.text else None

    if root.find(ns + "modules") is not None:
        return None
    artifact = text("artifactId")
    version = text("version") or text("parent/version")
    packaging = text("packaging") or "jar"
    if packaging not in ("jar", "war"):
        return None
    final = text("build/finalName")
    props = {"project.artifactId": artifact, "project.version": version, "artifactId": artifact}
    properties = root.find(ns + "properties")
    if properties is not None:
        for child in properties:
            props[child.tag.removeprefix(ns)] = (child.text or "").strip()
    name = final or (f"{artifact}-{version}" if artifact and version else None)
    if name is None:
        return None
    for _ in range(5):
        name = re.sub(r"\$\{([^}]+)\}", lambda m: props.get(m.group(1)) or m.group(0), name)
    if "${" in name:
        return None
    return f"{name}.{packaging}"


def _java_jar(argv: tuple[str, ...]) -> str | None:
    for k, word in enumerate(argv):
        if word == "-jar" and k + 1 < len(argv):
            return argv[k + 1]
    return None


def _dist_root(path: str, produced: str) -> str:
    """``/app/build/install/app/bin/app`` under ``/app/build/install/*`` → ``/app/build/install/app``."""
    prefix = produced.rstrip("*").rstrip("/")
    rest = path[len(prefix) + 1 :]
    return posixpath.join(prefix, rest.split("/", 1)[0])


def _match_produced(path: str, produced: Mapping[str, tuple[int, bool]]) -> tuple[str, bool] | None:
    """The produced entry that ``path`` is (or lies in, for folders and globs)."""
    for candidate, (_, is_dir) in produced.items():
        if path == candidate or fnmatch.fnmatchcase(path, candidate) or fnmatch.fnmatchcase(candidate, path):
            return candidate, is_dir
        if (is_dir or candidate.endswith("/*")) and (common.inside(path, candidate.rstrip("*").rstrip("/"))):
            return candidate, True
    return None

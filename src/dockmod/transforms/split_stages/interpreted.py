"""The plans for builds whose runtime runs an interpreter, Node and Python: the runtime stage gets the
dependencies again (Node: the manifests and a production install from the lockfile; Python: the virtual
environment the builder installed into) and the application's files (Node: the folders the build script writes,
read from package.json's scripts and the build tools' settings; Python: the application folder). What the start
command runs must be among them, without a devDependency or a program the build part put on PATH. Apart from the
compiled builds (``programs``), which copy one program instead."""

from __future__ import annotations

import fnmatch
import json
import posixpath
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Final

from dockmod import imageref
from dockmod.cst import Copy, Env, Run
from dockmod.transforms import _shell, _stages
from dockmod.transforms._managers import Manager
from dockmod.transforms.lockfile_first.common import LOCKFILES, OPTIONAL
from dockmod.transforms.split_stages import common, facts

VENV = "/opt/venv"

# -- Node ----------------------------------------------------------------------------------------------------

# Executables that package.json scripts run, and the npm package that provides each.
_BIN_PACKAGE: Final[dict[str, str]] = {
    "next": "next", "nest": "@nestjs/cli", "ts-node": "ts-node", "ts-node-dev": "ts-node-dev",
    "nodemon": "nodemon", "tsx": "tsx", "vite": "vite", "react-scripts": "react-scripts", "serve": "serve",
    "pm2": "pm2", "pm2-runtime": "pm2", "cross-env": "cross-env", "npm-run-all": "npm-run-all",
    "run-s": "npm-run-all", "run-p": "npm-run-all", "concurrently": "concurrently", "prisma": "prisma",
    "tsc": "typescript", "babel-node": "@babel/node", "ng": "@angular/cli", "nuxt": "nuxt", "gatsby": "gatsby",
    "remix-serve": "@remix-run/serve", "dotenv": "dotenv-cli", "rimraf": "rimraf", "tsup": "tsup",
    "esbuild": "esbuild", "http-server": "http-server", "babel": "@babel/cli", "webpack": "webpack-cli",
    "node-dev": "node-dev", "supervisor": "supervisor", "forever": "forever",
}  # fmt: skip
# Commands a build script may run besides the build tool without writing anything the runtime needs.
_HARMLESS_SCRIPT_TOOLS: Final = frozenset({"rimraf", "rm", "echo", "mkdir", "true", "del-cli"})


class Interpreted(facts.StageFacts):
    """The Node and Python plans."""

    # -- Node -----------------------------------------------------------------------------------------

    def _node(self, entry: common.Entry) -> common.Plan:
        builds = [
            (step, inv)
            for step in self.steps
            for inv in (step.script.invocations if step.script else ())
            if common.build_kind(inv) == "node"
        ]
        step, inv = builds[-1]
        project = _stages.join(step.state.workdir, inv.cwd)
        if project.startswith(_stages.UNKNOWN_DIR):
            raise common.Refusal("the build runs in the base image's WORKDIR, which the Dockerfile does not show")
        for other in self.steps:
            for i in other.script.invocations if other.script else ():
                if i.manager in ("pip", "poetry", "pipenv", "uv", "bundler", "composer", "go", "cargo", "maven"):
                    raise common.Refusal(f"the image also installs {i.manager} dependencies, which the runtime needs")
        text = self._read(project, "package.json")
        if text is None:
            raise common.Refusal(f"no package.json for {project} in the build context")
        pkg = _json_object(text)
        if pkg is None:
            raise common.Refusal("package.json is not a JSON object")
        scripts = _str_dict(pkg.get("scripts"))
        installs = [
            i for s in self.steps for i in (s.script.invocations if s.script else ())
            if i.manager in ("npm", "yarn", "pnpm") and i.role == "install"
        ]  # fmt: skip
        if not installs:
            raise common.Refusal("no dependency install (npm ci, yarn install, pnpm install) before the build")
        manager = installs[-1].manager
        lockfiles = [f for f in LOCKFILES[manager] if self._exists(project, f)]
        if not lockfiles:
            raise common.Refusal(
                f"no {' or '.join(LOCKFILES[manager])} in the build context: the runtime's production install "
                "could resolve other versions than the build used"
            )
        if manager == "yarn" and (
            self._exists(project, ".yarnrc.yml") or "__metadata:" in (self._read(project, "yarn.lock") or "")
        ):
            raise common.Refusal(
                "Yarn Berry installs production dependencies with `yarn workspaces focus --production`"
            )
        if pkg.get("workspaces") or self._exists(project, "pnpm-workspace.yaml"):
            raise common.Refusal("a workspace's production install needs every member's manifest")
        if self._exists(project, "node_modules") and not self.build.ignored(
            posixpath.join(self._context_path(project) or "", "node_modules").lstrip("/")
        ):
            raise common.Refusal("the build context has a node_modules folder that .dockerignore does not exclude")

        user_outputs = self._user_artifacts(project)
        if user_outputs is None:
            outputs, problems = _node_outputs(common.script_name(inv), scripts, manager, self, project)
            if problems:
                raise common.Refusal("; ".join(problems))
        else:
            outputs = [posixpath.relpath(a.source, project) for a in user_outputs]
        deps = _str_dict(pkg.get("dependencies"))
        dev = _str_dict(pkg.get("devDependencies"))
        start = _node_start(entry, scripts, deps, dev, project)
        if start.problems:
            raise common.Refusal("; ".join(start.problems))

        build_end = self._build_end(step.index)
        chown = self._output_owner(step)
        # Lean: the start command runs only build output, so the sources stay behind. Otherwise the runtime
        # copies the sources again, as the original image had them, and the build output over them.
        lean = start.known and all(any(f == o or common.inside(f, o) for o in outputs) for f in start.files)
        if user_outputs is not None:
            artifacts = [replace(a, chown=chown) for a in user_outputs]
        else:
            if start.next_start:
                outputs += [o for o in ("public", "next.config.js", "next.config.mjs", "next.config.ts")
                            if self._exists(project, o)]  # fmt: skip
            if lean:
                outputs += [d for d in common.DATA_DIRS if self._exists(project, d) and d not in outputs]
            artifacts = []
            for out in dict.fromkeys(outputs):
                path = posixpath.join(project, out)
                artifacts.append(common.Artifact(path, path + ("/" if self._is_dir(project, out) else ""), chown))
        copy_flags = self._source_flags()
        files = ["package.json", *lockfiles]
        files += [f for f in OPTIONAL[manager] if not f.endswith("/") and self._exists(project, f)]
        install_dir = common.dest_in(project, self._state_at(build_end).workdir)
        prod_install = _prod_install(manager, self.ref)
        replay = frozenset(
            c.step.index for c in self.copies if c.step.index <= build_end and not self._manifest_copy(c)
        )
        outs = ", ".join(a.source for a in artifacts)
        unsafe = [
            "the final image no longer has devDependencies"
            + (" or the sources" if lean else "")
            + "; files the app reads at run time must be in "
            + (outs if lean else "the sources or the build output")
        ]
        hooks = [s for s in ("preinstall", "install", "postinstall", "prepare") if s in scripts]
        if hooks:
            unsafe.append(f"the production install runs package.json {', '.join(hooks)} without devDependencies")
        return common.Plan(
            "node",
            build_end,
            tuple(artifacts),
            f"production dependencies ({prod_install}) and {outs} from the builder"
            + ("" if lean else ", with the sources copied again"),
            unsafe=(*unsafe, *self._notes),
            install=((Copy, " ".join([*copy_flags, *files, install_dir])), (Run, prod_install)),
            replay=frozenset() if lean else replay,
            tools=frozenset({manager} | start.tools),
            base=self._runtime_base("node"),
        )

    def _manifest_copy(self, copy: common.ContextCopy) -> bool:
        names = {"package.json", *(f for m in ("npm", "yarn", "pnpm") for f in LOCKFILES[m])}
        return not copy.wide and all(
            posixpath.basename(src) in names or fnmatch.fnmatch("package.json", posixpath.basename(src))
            for src, _ in copy.entries
        )

    def _is_dir(self, image_dir: str, name: str) -> bool:
        folder = self._context_path(image_dir)
        if folder is None:
            return not posixpath.splitext(name)[1] or name.startswith(".")
        path = posixpath.join(folder, name) if folder else name
        return self.build.is_dir(path) or not self.build.exists(path)

    # -- Python ---------------------------------------------------------------------------------------

    def _python_build_packages(self) -> bool:
        installs_deps = False
        build_tools = False
        for step in self.steps:
            for inv in step.script.invocations if step.script else ():
                if inv.manager in ("apt", "apk") and inv.sub in ("install", "add"):
                    build_tools = build_tools or any(
                        common.is_build_package(p, "python") for p in common.package_words(inv)
                    )
                elif inv.manager in ("pip", "poetry", "pipenv", "uv") and build_tools:
                    installs_deps = True
        return installs_deps

    def _python(self, entry: common.Entry) -> common.Plan:
        if self.image != "python":
            raise common.Refusal("a virtual environment needs an official python base image (python -m venv)")
        if self.ref is not None and (self.ref.tag or "").startswith("2"):
            raise common.Refusal("Python 2 has no venv module")
        python_managers = ("pip", "poetry", "pipenv", "uv")
        pip_steps = [
            s for s in self.steps
            if s.script is not None and any(i.manager in python_managers for i in s.script.invocations)
        ]  # fmt: skip
        for s in pip_steps:
            assert s.script is not None
            for inv in s.script.invocations:
                if inv.manager in ("pipenv", "uv"):
                    raise common.Refusal(
                        f"{inv.manager} decides itself where packages go; dockmod only moves pip and Poetry"
                    )
                if inv.manager == "pip" and (
                    "--user" in inv.options
                    or "--target" in inv.options
                    or "-t" in inv.options
                    or "--prefix" in inv.options
                ):
                    raise common.Refusal("pip installs outside the environment (--user, --target or --prefix)")
                if inv.command.argv[0].startswith("/"):
                    raise common.Refusal(f"`{inv.command.argv[0]}` bypasses a virtual environment on PATH")
        first = pip_steps[0]
        if first.state.user not in (None, "root", "0", "0:0", "root:root"):
            raise common.Refusal("the installs run as a non-root user, who could not create /opt/venv")
        build_end = self._build_end(pip_steps[-1].index, python=True)
        if not self._build_packages_left(build_end):
            raise common.Refusal("the RUN that installs the build packages removes them again: nothing is left behind")
        packages = self._packages("python", build_end)
        for argv in entry.commands() or ():
            program = common.unwrap(argv)[0] if common.unwrap(argv) else ""
            if program.startswith("/usr/local/bin/") and not posixpath.basename(program).startswith("python"):
                raise common.Refusal(f"the start command runs {program}, which moves into {VENV}/bin")
            installed = self._installed_on_path(program, build_end)
            if installed is not None:
                # The runtime stage runs none of the build part (a real build: "entrypoint.sh: executable file not
                # found in $PATH").
                raise common.Refusal(f"the start command runs {program}, which a RUN of the build puts in {installed}")
        chown = self._source_chown()
        artifacts = [common.Artifact(VENV, VENV + "/")]
        # A project install (pip install ., -e ., poetry install) builds into the source tree (egg-info,
        # compiled extensions, editable links): every copy the build saw comes from the builder. Otherwise the
        # folders come from the builder and single files are copied from the context again.
        project = any(
            inv.local or (inv.manager == "poetry" and inv.role == "install" and "--no-root" not in inv.options)
            for st in pip_steps
            for inv in (st.script.invocations if st.script else ())
            if inv.manager in ("pip", "poetry")
        )  # fmt: skip
        chosen = [c for c in self.copies if c.step.index <= build_end and (c.wide or project)]
        for copy in chosen:
            if any(d == "/" or d.startswith(_stages.UNKNOWN_DIR) for _, d in copy.entries):
                raise common.Refusal("the sources are copied into / or a folder the Dockerfile does not show")
        trees = list(dict.fromkeys(d for c in chosen for d in sorted(c.folders)))
        trees = [t for t in trees if not any(common.inside(t, other) for other in trees)]
        seen: set[str] = set()
        for copy in chosen:
            # Each path once, and nothing a copied folder already holds (whichever COPY came first).
            dests = [d for _, d in copy.entries if d not in seen and not any(common.inside(d, t) for t in trees)]
            seen.update(dests)
            owner = copy.chown or chown
            folders = [d for d in dests if d in copy.folders]
            files = [d for d in dests if d not in copy.folders]
            artifacts += [common.Artifact(d, d + "/", owner) for d in folders]
            if len(files) > 1:
                # Several files into one folder, as the original COPY put them.
                artifacts.append(common.Artifact(files[0], posixpath.dirname(files[0]) + "/", owner, tuple(files[1:])))
            artifacts += [common.Artifact(f, f, owner) for f in files[:1] if len(files) == 1]
        replay = frozenset(
            c.step.index for c in self.copies
            if c.step.index <= build_end and not c.wide and not project
            and not all(any(common.inside(d, t) or d == t for t in trees) for _, d in c.entries)
            and not all(_python_manifest(s) for s, _ in c.entries)
        )  # fmt: skip
        env = f"VIRTUAL_ENV={VENV} PATH={VENV}/bin:$PATH"
        copied = ", ".join(a.source for a in artifacts[1:] if not a.more)
        copied += " and files" if any(a.more for a in artifacts) else ""
        base = self._runtime_base("python")
        unsafe = [
            f"pip now installs into {VENV} instead of the system site-packages, and the final image no longer has "
            "compilers and -dev packages; files the build writes outside the application folder are not copied",
            *self._notes,
        ]
        if base is not None:
            unsafe.append(f"{base} must have Python at the same path as {self.stage.base} for the venv")
        return common.Plan(
            "python",
            build_end,
            tuple(artifacts),
            f"the virtual environment {VENV}" + (f" and {copied}" if copied else "") + " from the builder",
            unsafe=tuple(unsafe),
            replay=replay,
            env_after=env,
            builder_prelude=(first.index, ((Run, f"python -m venv {VENV}"), (Env, env))),
            base=base,
            packages=packages,
        )

    def _installed_on_path(self, program: str, upto: int) -> str | None:
        """The PATH folder where a ``cp``/``mv``/``install``/``ln`` of the build part (up to step ``upto``) puts
        ``program``, a name the start command runs through PATH."""
        if not program or "/" in program:
            return None
        for step in self.steps[: upto + 1]:
            for command in step.script.script.commands if step.script is not None else ():
                argv = command.argv
                if not argv or argv[0].rsplit("/", 1)[-1] not in ("cp", "mv", "install", "ln"):
                    continue
                parsed = common.copy_operands(argv)
                if parsed is None:
                    continue
                sources, dest, into = parsed
                path_dirs = _stages.DEFAULT_PATH.split(":")
                whole = into or dest.endswith("/") or posixpath.normpath(dest) in path_dirs
                folder, name = (dest, None) if whole else posixpath.split(dest)
                folder = posixpath.normpath(folder)
                if folder not in path_dirs:
                    continue
                names = [name] if name else [posixpath.basename(src.rstrip("/")) for src in sources]
                if program in names:
                    return folder
        return None

    def _source_chown(self) -> str | None:
        for copy in self.copies:
            if copy.wide and copy.chown:
                return copy.chown
        return None


# ---------------------------------------------------------------------------------------------------------
# Node details


@dataclass(frozen=True, slots=True)
class _Start:
    """What a Node start command runs."""

    files: tuple[str, ...]  # files it runs with node, relative to the project
    tools: frozenset[str]  # package managers it calls (npm, yarn, pnpm)
    problems: tuple[str, ...]  # why the runtime could not run it
    next_start: bool  # ``next start``: it serves .next, public/ and next.config.*
    known: bool  # every command was understood


def _node_start(
    entry: common.Entry, scripts: Mapping[str, str], deps: Mapping[str, str], dev: Mapping[str, str], project: str
) -> _Start:
    """What the start command runs (following package.json scripts), and whether it needs a devDependency."""
    files: list[str] = []
    tools: set[str] = set()
    problems: list[str] = []
    next_start = False
    known = True

    def walk(argv: tuple[str, ...], depth: int, rel_base: str | None) -> None:
        nonlocal next_start, known
        if not argv or depth > 5:
            return
        tool = argv[0].rsplit("/", 1)[-1]
        if tool in ("cd", "export", "echo", "set", "true", "sleep", "printenv", "env"):
            return
        if tool in ("npm", "yarn", "pnpm"):
            tools.add(tool)
            name = _run_target(tool, argv[1:])
            body = scripts.get(name) if name is not None else None
            if name is None:
                known = False
            elif body is None and name == "start" and tool == "npm":
                files.append("server.js")  # npm start without a start script runs `node server.js`
            elif body is None:
                problems.append(f"the start command runs `{tool} {name}`, which package.json does not define")
            elif (script := _shell.split(body)) is None:
                problems.append(f"dockmod cannot read the {name} script")
            else:
                for c in script.commands:
                    walk(common.unwrap(c.argv), depth + 1, ".")  # scripts run in the project folder
            return
        if tool in ("npx", "pnpx"):
            argv = tuple(a for a in argv[1:] if not a.startswith("-"))
            if not argv:
                return
            tool = argv[0]
        if tool in ("node", "nodejs"):
            script_file = next((w for w in argv[1:] if not w.startswith("-")), None)
            if script_file is not None and rel_base is None:
                known = False  # run from a folder outside the project
            elif script_file is not None and rel_base is not None:
                files.append(posixpath.normpath(posixpath.join(rel_base, script_file)))
            return
        package = _BIN_PACKAGE.get(tool, tool)
        if package in dev and package not in deps:
            problems.append(
                f"the start command runs {tool}, a devDependency ({package}) the production install leaves out"
            )
        elif package not in deps:
            problems.append(f"the start command runs {tool}, which no dependency of package.json provides")
        elif tool == "next" and argv[1:2] == ("start",):
            next_start = True
            files.append(".next")
        elif tool in ("cross-env", "dotenv"):
            rest = tuple(a for a in argv[1:] if "=" not in a and a != "--" and not a.startswith("-"))
            walk(rest, depth + 1, rel_base)
        else:
            known = False  # a dependency's program: what files it reads is its own business

    commands = entry.commands()
    if commands is None:
        problems.append("dockmod cannot read the start command")
    else:
        workdir = entry.state.workdir
        base = posixpath.relpath(workdir, project) if workdir == project or common.inside(workdir, project) else None
        for argv in commands:
            walk(common.unwrap(argv), 0, base)
    return _Start(tuple(files), frozenset(tools), tuple(problems), next_start, known)


def _run_target(tool: str, args: tuple[str, ...]) -> str | None:
    words = [a for a in args if not a.startswith("-")]
    if not words:
        return "install" if tool == "yarn" else None
    if words[0] in ("run", "run-script"):
        return words[1] if len(words) > 1 else None
    if words[0] in ("start", "test"):
        return words[0]
    if tool in ("yarn", "pnpm"):
        return words[0]
    return None


def _node_outputs(
    name: str, scripts: Mapping[str, str], manager: Manager, splitter: facts.StageFacts, project: str
) -> tuple[list[str], list[str]]:
    """Folders the build script writes (relative to the project), and what stops dockmod from knowing."""
    outputs: list[str] = []
    problems: list[str] = []
    seen: set[str] = set()

    def run(script_name: str, depth: int) -> None:
        if script_name in seen or depth > 6:
            return
        seen.add(script_name)
        # npm and Yarn 1 run pre<name> and post<name> around a script.
        names = [f"pre{script_name}", script_name, f"post{script_name}"] if manager != "pnpm" else [script_name]
        for n in names:
            body = scripts.get(n)
            if body is None:
                if n == script_name:
                    problems.append(f"package.json has no {script_name} script")
                continue
            script = _shell.split(body)
            if script is None or script.compound:
                problems.append(f"dockmod cannot read the {n} script")
                continue
            for c in script.commands:
                command(common.unwrap(c.argv), depth)

    def command(argv: tuple[str, ...], depth: int) -> None:
        if not argv:
            return
        tool = argv[0].rsplit("/", 1)[-1]
        if tool in ("npx", "pnpx") or (tool in ("yarn", "pnpm") and len(argv) > 1 and argv[1] == "exec"):
            argv = tuple(a for a in argv[(2 if tool in ("yarn", "pnpm") else 1) :] if not a.startswith("-"))
            if not argv:
                return
            tool = argv[0]
        if tool in ("npm", "yarn", "pnpm"):
            target = _run_target(tool, argv[1:])
            if target is not None and target in scripts:
                run(target, depth + 1)
                return
            problems.append(f"`{' '.join(argv)}` in the build script")
            return
        if tool in ("run-s", "run-p", "npm-run-all"):
            for pattern in (a for a in argv[1:] if not a.startswith("-")):
                for n in [k for k in scripts if fnmatch.fnmatch(k, pattern.replace(":*", ":*"))]:
                    run(n, depth + 1)
            return
        if tool in _HARMLESS_SCRIPT_TOOLS or tool in ("cd",):
            return
        out = _tool_output(tool, argv, splitter, project)
        if isinstance(out, str):
            problems.append(out)
            return
        for o in (posixpath.normpath(o) for o in out):
            if o.startswith(("..", "/")) or o == ".":
                problems.append(f"`{' '.join(argv)}` writes outside the project folder")
            elif o not in outputs:
                outputs.append(o)

    run(name, 0)
    if not outputs and not problems:
        problems.append(f"the {name} script writes no output folder dockmod knows")
    return outputs, problems


def _tool_output(tool: str, argv: tuple[str, ...], splitter: facts.StageFacts, project: str) -> list[str] | str:
    """The output folder of a known build tool (relative to the project), or why it is unknown."""
    args = argv[1:]
    sub = next((a for a in args if not a.startswith("-")), "")
    if tool == "tsc":
        if "--noEmit" in args or "--build" in args or "-b" in args:
            return [] if "--noEmit" in args else "tsc --build follows project references dockmod does not read"
        out_dir = common.option(args, "--outDir")
        if out_dir is None:
            config = common.option(args, "-p") or common.option(args, "--project") or "tsconfig.json"
            out_dir = _tsconfig_out_dir(splitter, project, config)
        if out_dir is None:
            return "tsc writes its JavaScript next to the sources (no outDir)"
        return [posixpath.normpath(out_dir)]
    if tool == "nest" and sub == "build":
        out_dir = _tsconfig_out_dir(splitter, project, "tsconfig.build.json") or _tsconfig_out_dir(
            splitter, project, "tsconfig.json"
        )
        return [posixpath.normpath(out_dir or "dist")]
    if tool == "vite" and sub == "build":
        if any("outDir" in (splitter._read(project, f) or "") for f in _configs("vite.config")):
            return "vite.config sets build.outDir, which dockmod does not evaluate"
        # ``vite build [root]``: outDir is relative to the root.
        positional = _positional(args[1:], {"--outDir", "--base", "--mode", "-m", "--config", "-c"})
        root = positional[0] if positional else "."
        return [posixpath.join(root, common.option(args, "--outDir") or "dist")]
    if tool == "next" and sub == "build":
        config = "".join(splitter._read(project, f) or "" for f in _configs("next.config"))
        if "distDir" in config or re.search(r"output\s*:\s*['\"]export['\"]", config):
            return "next.config changes where next build writes (distDir or output: 'export')"
        folder = next((a for a in args[1:] if not a.startswith("-")), ".")
        if folder != ".":
            return "next build of another folder"
        return [".next"]
    if tool == "react-scripts" and sub == "build":
        return ["build"]
    if tool == "ng" and sub == "build":
        return ["dist"]
    if tool == "tsup":
        return [common.option(args, "--out-dir") or common.option(args, "-d") or "dist"]
    if tool == "babel":
        out = common.option(args, "-d") or common.option(args, "--out-dir")
        return [out] if out else "babel without --out-dir"
    if tool == "esbuild":
        for a in args:
            if a.startswith("--outdir="):
                return [a.split("=", 1)[1]]
            if a.startswith("--outfile="):
                return [a.split("=", 1)[1]]
        return "esbuild without --outdir or --outfile"
    return f"`{' '.join(argv)}` in the build script writes outputs dockmod cannot tell"


def _configs(stem: str) -> tuple[str, ...]:
    return tuple(f"{stem}.{ext}" for ext in ("js", "mjs", "cjs", "ts", "mts"))


def _tsconfig_out_dir(splitter: facts.StageFacts, project: str, config: str) -> str | None:
    """``compilerOptions.outDir`` of a tsconfig (following relative ``extends``), relative to the project."""
    seen = set()
    current = posixpath.normpath(config)
    while current not in seen:
        seen.add(current)
        text = splitter._read(project, current)
        if text is None:
            return None
        data = _json_object(_strip_json_comments(text))
        if data is None:
            return None
        options = data.get("compilerOptions")
        if isinstance(options, dict) and isinstance(options.get("outDir"), str):
            return posixpath.normpath(posixpath.join(posixpath.dirname(current), options["outDir"]))
        parent = data.get("extends")
        if not isinstance(parent, str) or not parent.startswith("."):
            return None
        current = posixpath.normpath(posixpath.join(posixpath.dirname(current), parent))
        if not current.endswith(".json"):
            current += ".json"
    return None


def _strip_json_comments(text: str) -> str:
    """tsconfig.json allows comments and trailing commas (JSONC)."""
    out = []
    i = 0
    in_string = False
    while i < len(text):
        c = text[i]
        if in_string:
            out.append(c)
            if c == "\\" and i + 1 < len(text):
                out.append(text[i + 1])
                i += 2
                continue
            in_string = c != '"'
        elif c == '"':
            in_string = True
            out.append(c)
        elif text.startswith("//", i):
            nl = text.find("\n", i)
            i = len(text) if nl < 0 else nl
            continue
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = len(text) if end < 0 else end + 2
            continue
        else:
            out.append(c)
        i += 1
    return re.sub(r",(\s*[}\]])", r"\1", "".join(out))


def _prod_install(manager: Manager, ref: imageref.ImageRef | None) -> str:
    if manager == "yarn":
        return "yarn install --production --frozen-lockfile"
    if manager == "pnpm":
        return "pnpm install --prod --frozen-lockfile"
    # npm 6 (Node 14 and older) knows --production but not --omit=dev.
    major = _node_major(ref)
    return "npm ci --production" if major is not None and major < 15 else "npm ci --omit=dev"


def _node_major(ref: imageref.ImageRef | None) -> int | None:
    if ref is None or _stages.image_name(ref) != "node" or ref.tag is None:
        return None
    m = re.match(r"(\d+)", ref.tag)
    return int(m.group(1)) if m else None


# ---------------------------------------------------------------------------------------------------------
# Python details


def _python_manifest(path: str) -> bool:
    name = posixpath.basename(path)
    return (name.startswith("requirements") and name.endswith((".txt", ".in"))) or name in (
        "pyproject.toml", "poetry.lock", "setup.py", "setup.cfg", "Pipfile", "Pipfile.lock", "poetry.toml",
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------------------
# Small helpers


def _positional(args: Sequence[str], value_options: set[str]) -> list[str]:
    out = []
    skip = False
    for a in args:
        if skip:
            skip = False
        elif a.startswith("-"):
            skip = a in value_options
        else:
            out.append(a)
    return out


def _json_object(text: str) -> dict[str, object] | None:
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _str_dict(value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {str(k): v for k, v in value.items() if isinstance(v, str)}

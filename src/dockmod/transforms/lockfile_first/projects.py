"""What a project's own files make its install read: ``manifests`` gives, for one manager and project folder, the
manifests, lock files and optional settings to copy first, the files they name in turn (patches, Yarn's release,
plugins and cache, uv's indexes, the files pip's requirement files include), why the move is unsafe (install
scripts, local path dependencies, settings in the folders above the project, what the source copy would put over
the install) and why it cannot be made (a missing lock file, workspaces). One reader per format: package.json and
the lock files, pyproject.toml (Poetry, uv), uv.toml, Pipfile, go.mod, composer.json, Gemfile, pom.xml and pip's
requirements files. They read the build context's files, where ``reads`` and ``reorder`` read the Dockerfile."""

from __future__ import annotations

import json
import posixpath
import re
import tomllib
from typing import Any, Final

from dockmod.context import BuildContext
from dockmod.transforms._managers import Manager
from dockmod.transforms.lockfile_first import common

# Folders an install fills inside the project: once the install runs before the source copy, a copy of the
# context's own folder (a developer's node_modules, with other versions or binaries for another system) lands on
# top of it, where before `npm ci` replaced it (a real build served a local debugging copy of a package).
_INSTALLED_INTO: Final[dict[Manager, str]] = {"npm": "node_modules", "yarn": "node_modules", "pnpm": "node_modules",
                                              "composer": "vendor"}  # fmt: skip
# Other files an install writes in the project, flagged when the context has them and .dockerignore keeps them.
_INSTALL_OUTPUTS: Final[dict[Manager, tuple[str, ...]]] = {
    "yarn": (".pnp.cjs", ".pnp.loader.mjs", ".pnp.js", ".yarn/install-state.gz", ".yarn/unplugged"),
}
# Scripts `npm install`/`npm ci` run from the project's package.json (npm's lifecycle: the prepublish and prepare
# families, and `dependencies` after node_modules changes); Yarn and pnpm run a subset of them. A real build with
# `postprepare` reading scripts/ failed after the move.
# pnpm's `pnpm:devPreinstall` as well (a real build of one reading scripts/ failed after the move).
_INSTALL_SCRIPTS: Final = ("preinstall", "install", "postinstall", "prepublish", "preprepare", "prepare", "postprepare",
                           "dependencies", "pnpm:devPreinstall")  # fmt: skip
# Dependency specs npm installs from the file system: folders and tarballs (`./lib/x`, `../x`, `~/x`, `/x`), as
# `file:` does; Yarn's `link:`/`portal:` too. npm-package-arg also takes for a file a bare tarball name (its
# `isFileType`: `"ms": "ms-2.1.3.tgz"`) and a path with slashes that is not GitHub's `owner/repo` shorthand
# (`vendor/greet/`): real builds failed with ENOENT for both after the move.
_NPM_LOCAL_SPEC: Final = re.compile(
    r"(?:file|link|portal|git\+file):|\.{1,2}(?:/|$)|~/|/|[^:]*\.(?:tgz|tar\.gz|tar)$"
    r"|(?![\w.-]+/[\w.-]+(?:#.*)?$)[^:@]*/",
    re.IGNORECASE,
)


def manifests(
    manager: Manager, project: str, target: common.Target, source: common.Source, build: BuildContext
) -> tuple[list[str], list[str], list[str]]:
    """(files to copy, reasons the move is unsafe, reasons it cannot be made) for one project."""
    files: list[str] = []
    unsafe: list[str] = []
    missing: list[str] = []
    files += [common.path(project, name) for name in common.REQUIRED.get(manager, ())]
    locks = [
        common.path(project, f) for f in common.LOCKFILES.get(manager, ()) if build.exists(common.path(project, f))
    ]
    if common.LOCKFILES.get(manager) and not locks:
        missing.append(f"no {' or '.join(common.LOCKFILES[manager])} in the build context for {manager}")
    files += locks
    files += [
        common.path(project, f)
        for f in common.OPTIONAL.get(manager, ())
        if build.exists(common.path(project, f.rstrip("/")))
    ]
    if manager == "pip":
        for config in target.configs:
            if config.endswith((".conf", ".ini")):
                found = _PIP_CONFIG_SOURCE.search(common.read(build, config) or "")
                if found is not None and not re.match(r"https?://", found.group(2)):
                    unsafe.append(
                        f"{config} points pip at {found.group(2)} ({found.group(1)}), which may be in the sources"
                    )
        invs = [i for i in target.invocations if common.kind(i) == "pip"]
        named = [common.path(project, f) for i in invs for f in i.files] + list(target.pip_files)
        pip_files, local, unplaced = _requirements(build, source, named)
        unsafe += unplaced + list(target.unplaced)
        files += pip_files
        if any(i.manager == "uv" for i in invs):
            # `uv pip` reads uv.toml's [pip] table and pyproject.toml's [tool.uv.pip] (find-links: real builds).
            extra, absent = _uv_files(build, project)
            files += extra
            unsafe += absent
            if build.exists(common.path(project, "uv.toml")):
                files.append(common.path(project, "uv.toml"))
            if _uv_pip_settings(build, project):
                files.append(common.path(project, "pyproject.toml"))
        pip = "uv pip" if any(i.manager == "uv" for i in invs) else "pip"
        if local or target.pip_local:
            unsafe.append(f"{pip} installs a local path, which may read other sources")
        unsafe += [f"{pip} installs {u}, whose value dockmod cannot tell: a local path may read other sources"
                   for u in target.pip_unknown]  # fmt: skip
    if manager in ("npm", "yarn", "pnpm", "uv"):
        extra, absent = _uv_files(build, project) if manager == "uv" else _package_json_files(manager, build, project)
        files += extra
        unsafe += absent
    folders = [f for f in files if f.endswith("/")]
    files = [f for f in dict.fromkeys(files) if not any(f != d and f.startswith(d) for d in folders)]
    for f in list(files):
        if build.ignored(f.rstrip("/")):
            missing.append(f"{f} is excluded by .dockerignore")
    installed = _INSTALLED_INTO.get(manager)
    if installed is not None and not build.ignored(common.path(project, installed)):
        folder = common.path(project, installed)
        if build.exists(folder):
            unsafe.append(f"the build context has {folder}, which the source copy would put over the install")
        else:
            unsafe.append(f".dockerignore does not exclude {folder}: from a checkout that has one, the source copy "
                          "would put it over the install")  # fmt: skip
    for output in target.outputs:
        unsafe.append(f"the build context has {output}, which the source copy would put over the install")
    for output in _INSTALL_OUTPUTS.get(manager, ()):
        path = common.path(project, output)
        if build.exists(path) and not build.ignored(path):
            # Plug'n'Play's map of where packages are: a developer's points into their own cache (a real build
            # then failed: "Required package missing from disk").
            unsafe.append(f"the build context has {path}, which the source copy would put over the install")
    uv_pip = manager == "pip" and any(i.manager == "uv" for i in target.invocations)
    unsafe += _settings_above("uv" if uv_pip else manager, build, project)
    if manager in ("npm", "yarn", "pnpm"):
        unsafe += _package_json_hazards(build, project, missing)
        unsafe += _lockfile_local(manager, build, project)
        if manager == "pnpm" and build.exists(common.path(project, "pnpm-workspace.yaml")):
            missing.append("a pnpm workspace needs its members' manifests")
    elif manager in ("poetry", "uv"):
        unsafe += _pyproject_hazards(manager, build, project, missing)
    elif manager == "pipenv":
        if _PIPFILE_LOCAL.search(common.read(build, common.path(project, "Pipfile")) or ""):
            unsafe.append("the Pipfile has local path dependencies")
        dotenv = common.path(project, ".env")
        if build.exists(dotenv) and not build.ignored(dotenv):
            # pipenv loads the project's .env before it installs (PIPENV_VENV_IN_PROJECT=1 there: a real build made
            # its virtualenv elsewhere without it).
            files.append(dotenv)
    elif manager == "go":
        unsafe += _go_hazards(build, project, missing)
    elif manager == "composer":
        unsafe += _composer_hazards(build, project)
    elif manager == "bundler":
        gemfile = common.read(build, common.path(project, "Gemfile")) or ""
        if re.search(r"^\s*gemspec\b", gemfile, re.MULTILINE):
            missing.append("the Gemfile reads a .gemspec")
        if re.search(r"\bpath:", gemfile):
            unsafe.append("the Gemfile uses local path gems")
    elif manager == "maven":
        pom = common.read(build, common.path(project, "pom.xml")) or ""
        if "<modules>" in pom:
            missing.append("a multi-module Maven build needs every module's pom.xml")
        unsafe.append("mvn dependency:go-offline does not fetch every plugin some builds resolve later")
    return files, unsafe, missing


# Settings a manager also reads in the folders above the project (a monorepo's root): Yarn's release and
# configuration, uv's configuration, a Go workspace. Real builds of `cd web && yarn install` failed with the root's
# .yarnrc.yml and .yarn/releases left behind (Debian's Yarn 1 ran instead: "unknown option '--immutable'").
_READ_ABOVE: Final[dict[Manager, tuple[str, ...]]] = {
    # A workspace root above the project makes the install a workspace install (its lock file, its members).
    "npm": ("package.json",),
    "yarn": (".yarnrc.yml", ".yarnrc", ".yarn/releases", "package.json"),
    "pnpm": ("pnpm-workspace.yaml",),
    "uv": ("uv.toml", "pyproject.toml"),  # (`uv pip` too; a pyproject.toml only with a [tool.uv] table)
    "go": ("go.work",),
}


def _settings_above(manager: Manager, build: BuildContext, project: str) -> list[str]:
    """Why the move is unsafe when a folder above the project holds settings the install reads there."""
    names = _READ_ABOVE.get(manager, ())
    folder = project
    while folder:
        folder = posixpath.dirname(folder)
        for name in names:
            path = common.path(folder, name)
            if not build.exists(path) or build.ignored(path):
                continue
            if name == "pyproject.toml" and "[tool.uv" not in (common.read(build, path) or ""):
                continue
            if name == "package.json" and '"workspaces"' not in (common.read(build, path) or ""):
                continue
            return [f"{path}, in a folder above the project, may set how the install runs"]
    return []


def _json_manifest(build: BuildContext, project: str, name: str) -> dict[str, Any] | str | None:
    """The project's JSON manifest ``name`` as an object; a hazard when it is not valid JSON; None when absent or
    not an object."""
    text = common.read(build, common.path(project, name))
    if text is None:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return f"{name} is not valid JSON"
    return data if isinstance(data, dict) else None


def _package_json_hazards(build: BuildContext, project: str, missing: list[str]) -> list[str]:
    data = _json_manifest(build, project, "package.json")
    if not isinstance(data, dict):
        return [data] if isinstance(data, str) else []
    unsafe = []
    scripts = data.get("scripts")
    if isinstance(scripts, dict):
        found = [s for s in _INSTALL_SCRIPTS if s in scripts]
        if found:
            unsafe.append(f"package.json runs {', '.join(found)} scripts during the install, which may read sources")
    gyp = data.get("gypfile") is not False and build.exists(common.path(project, "binding.gyp"))
    if gyp and not (isinstance(scripts, dict) and ("install" in scripts or "preinstall" in scripts)):
        # npm and Yarn 1 run `node-gyp rebuild` for a package with a binding.gyp and no install script of its own:
        # installed before the sources, the project's addon is never built (a real build: "Cannot find module
        # './build/Release/hello.node'").
        unsafe.append("the project has a binding.gyp: the install builds it with node-gyp, from the sources")
    if data.get("workspaces"):
        missing.append("npm/yarn workspaces need their members' manifests")
    pnpm = data.get("pnpm")
    sections = [data.get(k) for k in ("dependencies", "devDependencies", "optionalDependencies", "overrides",
                                       "resolutions")]  # fmt: skip
    sections.append(pnpm.get("overrides") if isinstance(pnpm, dict) else None)
    for deps in sections:
        local = [
            f"{k}: {v}" for k, v in (deps.items() if isinstance(deps, dict) else ()) if _NPM_LOCAL_SPEC.match(str(v))
        ]
        if local:
            unsafe.append(f"package.json has local path dependencies ({local[0]})")
            break
    return unsafe


def _lockfile_local(manager: Manager, build: BuildContext, project: str) -> list[str]:
    """Why the move is unsafe when the lock file installs a package from a path of the context (package-lock's
    `"resolved": "file:vendor/ms-2.1.3.tgz"`, yarn.lock's `resolved "file:..."`, pnpm's `tarball: file:` or
    `link:`), whatever package.json says: real builds failed after the move (ENOENT, "Tarball is not in network")."""
    for name in common.LOCKFILES.get(manager, ()):
        text = common.read(build, common.path(project, name)) or ""
        found = _LOCK_LOCAL.search(text) if "file:" in text or "link:" in text else None
        if found is not None:
            return [f"{name} installs a local path ({found.group(1)}), which the manifests' copy leaves behind"]
    return []


_LOCK_LOCAL: Final = re.compile(
    r"""(?:"resolved"\s*:\s*"|\bresolved\s+"|\btarball:\s*|\bversion:\s*)((?:file|link):[^"\s,]+)"""
)


def _package_json_files(manager: Manager, build: BuildContext, project: str) -> tuple[list[str], list[str]]:
    """(files and folders of the context the install reads besides the manifests, reasons it may miss one): patch
    files (Yarn's `patch:` protocol, pnpm's `patchedDependencies`) and Yarn 1's offline mirror. Real builds failed
    without each after the move (ENOENT for the patch; "Can't make a request in offline mode")."""
    named: list[str] = []
    text = common.read(build, common.path(project, "package.json")) or ""
    try:
        data = json.loads(text) if text else {}
    except ValueError:
        data = {}
    if isinstance(data, dict):
        for section in ("dependencies", "devDependencies", "optionalDependencies", "resolutions"):
            deps = data.get(section)
            for spec in deps.values() if isinstance(deps, dict) else ():
                if isinstance(spec, str) and spec.startswith("patch:") and "#" in spec:
                    named += [p.split("::", 1)[0] for p in spec.split("#", 1)[1].split("&")]
        pnpm = data.get("pnpm")
        patched = pnpm.get("patchedDependencies") if isinstance(pnpm, dict) else None
        named += [v for v in patched.values() if isinstance(v, str)] if isinstance(patched, dict) else []
    if manager == "yarn":
        # The Yarn release and plugins .yarnrc.yml names (`yarnPath: tools/yarn-4.18.1.cjs`, `- path:
        # tools/plugin.cjs`) and Yarn 1's `yarn-path`: Yarn hands the install to them (real builds failed without).
        berry = common.read(build, common.path(project, ".yarnrc.yml")) or ""
        named += re.findall(r"^\s*(?:yarnPath:|-?\s*path:)\s*[\"']?([^\"'\s#]+)", berry, re.MULTILINE)
        # Its cache in the project (`cacheFolder: ./vendor/yarn-cache`), which `--immutable-cache` and offline
        # installs read (a real build failed without it).
        cache = re.findall(r"^\s*cacheFolder:\s*[\"']?([^\"'\s#]+)", berry, re.MULTILINE)
        named += [c.rstrip("/") + "/" for c in _in_project(cache)]
        classic = common.read(build, common.path(project, ".yarnrc")) or ""
        named += re.findall(r'^\s*yarn-path\s+"?([^"\s]+)"?', classic, re.MULTILINE)
        mirror = re.search(r'^\s*yarn-offline-mirror\s+"?([^"\s]+)"?', classic, re.MULTILINE)
        if mirror is not None:
            named.append(mirror.group(1).rstrip("/") + "/")
        named += _in_project(re.findall(r'^\s*cache-folder\s+"?([^"\s]+)"?', classic, re.MULTILINE))
    # A cache or store in the project that .npmrc names (`cache=.npm-cache`, pnpm's `store-dir=.pnpm-store`): an
    # offline install reads its packages there (real builds failed without it: "ENOTCACHED", "offline").
    npmrc = common.read(build, common.path(project, ".npmrc")) or ""
    named += _in_project(re.findall(r"^\s*(?:cache|store-dir)\s*=\s*([^\s#;]+)", npmrc, re.MULTILINE))
    return _named_files(build, project, named)


def _uv_files(build: BuildContext, project: str) -> tuple[list[str], list[str]]:
    """The folders uv's configuration points it at in the project: `find-links`, `index-url`, `extra-index-url` and
    `[[index]]` urls (`./wheels`, `./simple`, `file:///app/simple`) in uv.toml, or in pyproject.toml's [tool.uv] or
    [tool.uv.pip]: the install reads them (real builds failed without them)."""
    named: list[str] = []
    for name, keys in (("uv.toml", ((), ("pip",))), ("pyproject.toml", (("tool", "uv"), ("tool", "uv", "pip")))):
        try:
            data: object = tomllib.loads(common.read(build, common.path(project, name)) or "")
        except tomllib.TOMLDecodeError:
            continue  # reported by the pyproject check, or uv's own error
        for key in keys:
            table = data
            for part in key:
                table = table.get(part) if isinstance(table, dict) else None
            if not isinstance(table, dict):
                continue
            values: list[object] = []
            for option in ("find-links", "index-url", "extra-index-url"):
                found = table.get(option)
                values += found if isinstance(found, list) else [found] if isinstance(found, str) else []
            indexes = table.get("index")
            values += [i.get("url") for i in indexes if isinstance(i, dict)] if isinstance(indexes, list) else []
            named += _in_project([p for v in values if isinstance(v, str) and (p := common.url_path(v)) is not None])
    return _named_files(build, project, [n.rstrip("/") + "/" for n in named])


def _uv_pip_settings(build: BuildContext, project: str) -> bool:
    """Whether pyproject.toml has a [tool.uv] table, whose settings `uv pip` reads too (`[tool.uv.pip]`, indexes)."""
    try:
        data = tomllib.loads(common.read(build, common.path(project, "pyproject.toml")) or "")
    except tomllib.TOMLDecodeError:
        return False
    tool = data.get("tool")
    return isinstance(tool, dict) and isinstance(tool.get("uv"), dict)


def _in_project(names: list[str]) -> list[str]:
    """The paths among ``names`` that are inside the project (not absolute, home, variable or address)."""
    return [n for n in names if not n.startswith(("/", "~", "$")) and "://" not in n]


def _named_files(build: BuildContext, project: str, named: list[str]) -> tuple[list[str], list[str]]:
    """(the files and folders ``named`` finds in the project, reasons the move may miss one)."""
    wanted: list[str] = []
    unsafe: list[str] = []
    for name in named:
        rel = posixpath.normpath(name.removeprefix("~/").removeprefix("./"))
        path = common.path(project, rel.rstrip("/"))
        if rel.startswith("..") or name.startswith("/"):
            unsafe.append(f"the install reads {name}, outside the project")
        elif build.exists(path):
            wanted.append(path + "/" if build.is_dir(path) else path)
        elif "builtin<" not in name:
            unsafe.append(f"the install reads {name}, which is not in the build context")
    return wanted, unsafe


def _pyproject_hazards(manager: Manager, build: BuildContext, project: str, missing: list[str]) -> list[str]:
    """Poetry's and uv's dependencies on folders of the project: the install reads them, so they must be copied
    first (a real build of each failed after the move: "Path /app/libs/greet for greet does not exist",
    "Distribution not found at: file:///app/libs/greet"). ``--no-install-project`` and ``--no-root`` skip only the
    project itself."""
    text = common.read(build, common.path(project, "pyproject.toml"))
    if text is None:
        return []
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return ["pyproject.toml is not valid TOML"]
    unsafe: list[str] = []
    project_table = data.get("project")
    requirements = project_table.get("dependencies", []) if isinstance(project_table, dict) else []
    optional = project_table.get("optional-dependencies", {}) if isinstance(project_table, dict) else {}
    groups = data.get("dependency-groups", {})
    for group in [requirements, *(optional.values() if isinstance(optional, dict) else ()),
                  *(groups.values() if isinstance(groups, dict) else ())]:  # fmt: skip
        if isinstance(group, list) and any(isinstance(r, str) and _PEP508_FILE.search(r) for r in group):
            unsafe.append("pyproject.toml depends on a local path (name @ file:...)")
            break
    tool = data.get("tool", {})
    if manager == "poetry" and isinstance(tool, dict):
        poetry = tool.get("poetry", {})
        tables = [poetry.get("dependencies"), poetry.get("dev-dependencies")] if isinstance(poetry, dict) else []
        group_tables = poetry.get("group", {}) if isinstance(poetry, dict) else {}
        if isinstance(group_tables, dict):
            tables += [g.get("dependencies") for g in group_tables.values() if isinstance(g, dict)]
        if any(_has_path_entry(t) for t in tables):
            unsafe.append("pyproject.toml has Poetry path dependencies")
    if manager == "uv" and isinstance(tool, dict):
        uv = tool.get("uv", {})
        sources = uv.get("sources") if isinstance(uv, dict) else None
        if _has_path_entry(sources):
            unsafe.append("pyproject.toml has uv path sources ([tool.uv.sources])")
        if isinstance(uv, dict) and isinstance(uv.get("workspace"), dict):
            missing.append("a uv workspace needs its members' manifests")
    return unsafe


# Pipfile entries that install from the file system: `path = "."`, `file = "wheels/x.whl"` (not a URL), or a git or
# file URL of the file system (a real build of a `file =` wheel failed after the move: No such file or directory).
_PIPFILE_LOCAL: Final = re.compile(
    r"\bpath\s*=|\bfile\s*=\s*[\"'](?![a-z+]+://)|=\s*[\"'](?:git\+)?file:", re.IGNORECASE
)
# A PEP 508 direct reference to the file system: `greet @ file:///app/libs/greet` (what `pip freeze` writes for a
# local install).
_PEP508_FILE: Final = re.compile(r"@\s*file:", re.IGNORECASE)


def _has_path_entry(table: object) -> bool:
    """Whether a dependency table names a folder: ``{ path = "libs/x" }`` or ``{ workspace = true }``, also in a list
    of alternatives."""
    if not isinstance(table, dict):
        return False
    for spec in table.values():
        for one in spec if isinstance(spec, list) else [spec]:
            if isinstance(one, dict) and ("path" in one or one.get("workspace") is True):
                return True
    return False


def _go_hazards(build: BuildContext, project: str, missing: list[str]) -> list[str]:
    """``replace`` directives to folders: `go mod download` reads their go.mod (a real build failed after the move:
    "reading greet/go.mod: no such file or directory"). A go.work makes every module of the workspace needed."""
    if build.exists(common.path(project, "go.work")):
        missing.append("a Go workspace (go.work) needs its modules' go.mod files")
    text = common.read(build, common.path(project, "go.mod")) or ""
    for m in _GO_REPLACE.finditer(text):
        return [f"go.mod replaces a module with the folder {m.group(1)}"]
    return []


# `replace example.com/x => ./x` (or `../x`, `/x`), alone or in a `replace ( ... )` block: a folder, not a module.
_GO_REPLACE: Final = re.compile(r"=>\s*((?:\.{1,2}/|/)\S*|\.{1,2})\s*$", re.MULTILINE)


def _composer_hazards(build: BuildContext, project: str) -> list[str]:
    data = _json_manifest(build, project, "composer.json")
    if not isinstance(data, dict):
        return [data] if isinstance(data, str) else []
    unsafe = []
    repos = data.get("repositories")
    if isinstance(repos, list) and any(isinstance(r, dict) and r.get("type") == "path" for r in repos):
        unsafe.append("composer.json has path repositories")
    return unsafe


def _requirements(build: BuildContext, source: common.Source, files: list[str]) -> tuple[list[str], bool, list[str]]:
    """The requirement files (context paths) and those they include with -r/-c; whether any line installs a local
    path; why the install may read an include dockmod cannot place (written with a variable, or outside the
    sources)."""
    seen: list[str] = []
    local = False
    unplaced: list[str] = []
    queue = [(f, False) for f in files]  # (context path, opened through a `file:` URL)
    while queue:
        path, by_url = queue.pop(0)
        path = posixpath.normpath(path)
        if path in seen:
            continue
        seen.append(path)
        text = common.read(build, path) or ""
        for raw in _pip_lines(text):
            line = raw.split(" #", 1)[0].strip()
            m = re.match(r"(?:-r|-c)\s*(\S+)|(?:--requirement|--constraint)[\s=]+(\S+)", line)
            value = (m.group(1) or m.group(2)) if m else ""
            if m and "$" in value:
                # `-r requirements/${APP_ENV}.txt`: pip expands the variable, which the RUN may set; the whole folder
                # goes first (a real build lost requirements/prod.txt), or the move is unsafe when there is none.
                folder = posixpath.dirname(value.split("$", 1)[0])
                found = posixpath.normpath(posixpath.join(posixpath.dirname(path), folder)) if folder else ""
                if found and build.is_dir(found):
                    seen.append(found + "/")
                else:
                    unplaced.append(f"a requirements file includes {value}, whose variable may name any file")
            elif m and common.url_path(value) is None:
                continue  # a file of the network: nothing to copy
            elif m:
                included = _include(value, path, by_url, source)
                if included is None:
                    unplaced.append(f"{path} includes {value}, which the source copy does not bring")
                else:
                    queue.append((included, by_url or value.lower().startswith("file:")))
                    seen += [f"{folder}/" for folder in _passed_through(value, path, by_url) if build.is_dir(folder)]
            elif _local_requirement(line):
                local = True
    return seen, local, unplaced


def _pip_lines(text: str) -> list[str]:
    """A requirements file's lines as pip reads them: one ending in a backslash goes on with the next (`-r \\` then
    `    base.txt` is `-r base.txt`: dockmod once copied a file named `\\` and missed base.txt), except a comment."""
    out: list[str] = []
    pending = ""
    for raw in text.splitlines():
        if raw.endswith("\\") and not raw.lstrip().startswith("#"):
            pending += raw[:-1] + " "
            continue
        out.append(pending + raw)
        pending = ""
    return [*out, pending] if pending else out


def _include(value: str, including: str, by_url: bool, source: common.Source) -> str | None:
    """The context file pip opens for `-r value` or `-c value` written in the context file ``including`` (``by_url``:
    one pip opened through a `file:` URL); None when the source copy does not bring it. A relative path starts from
    the including file's folder, as does a `file:` URL's in a file opened through one (pip joins them as URLs); an
    absolute path, or a `file:` URL's in a file opened by path (`file:///app/reqs/base.txt`), is where the source
    copy puts it. A real build of `-r file:///app/reqs/base.txt` failed after a COPY of `file:/app/reqs/base.txt`."""
    path = common.url_path(value, fetched=not by_url)
    if path is None:
        return None
    if path.startswith("/"):
        return source.context_path(posixpath.normpath(path))
    found = posixpath.normpath(posixpath.join(posixpath.dirname(including), path))
    outside = (
        found == ".." or found.startswith("../") if not source.root else common.relative(found, source.root) is None
    )
    return None if outside else found


def _passed_through(value: str, including: str, by_url: bool) -> list[str]:
    """The context folders a relative include walks into and out of again (`-r ./sub/../base.txt` passes through
    sub/): pip opens the path as written, so each must exist (a real build failed when only base.txt was copied)."""
    path = common.url_path(value, fetched=not by_url)
    if path is None or path.startswith("/") or "/.." not in f"/{path}":
        return []
    out: list[str] = []
    parts = posixpath.dirname(including).split("/") if posixpath.dirname(including) else []
    known = len(parts)  # the including file's own folders exist: the copy of the file makes them
    for part in path.split("/")[:-1]:
        if part == "..":
            if len(parts) > known and posixpath.join(*parts) not in out:
                out.append(posixpath.join(*parts))  # a folder the path went into by name, and out of again
            parts = parts[:-1]
            known = min(known, len(parts))
        elif part not in ("", "."):
            parts.append(part)
    return out


# Options of a requirements file that name where packages come from: a folder there is read by the install.
_PIP_SOURCES: Final = re.compile(r"(?:-f|--find-links|-i|--index-url|--extra-index-url)(?:\s*=\s*|\s+|(?<=-f))(\S+)")
# Settings of a pip configuration file that name where packages or pins come from (a real build: pip.conf's
# `find-links = /app/wheels` and `constraint = /app/constraints.txt` were not there for the moved install).
_PIP_CONFIG_SOURCE: Final = re.compile(
    r"^\s*(find[-_]links|constraint|requirement|index[-_]url|extra[-_]index[-_]url)\s*[=:]\s*(\S+)", re.MULTILINE
)
_ARCHIVE: Final = re.compile(r"\.(?:whl|zip|tar\.gz|tgz|tar\.bz2|tar)$", re.IGNORECASE)


# An editable install (`-e x`, `-e.`, `--editable=.`) or a path: the project itself with extras (`.[web]`, a real
# build failed), `./x`, `..`, `/x`, `file:`.
_LOCAL_LINE: Final = re.compile(r"-e|--editable[\s=]|\.{1,2}(?:[/\[\s;]|$)|/|file:")


def _local_requirement(line: str) -> bool:
    """Whether a line of a requirements file installs from the file system: an editable or a path (`./x`, `libs/x`,
    `/x`, `x.whl`), `file:` or `name @ file:...`, or packages found in a folder (`--find-links ./wheels`)."""
    if _LOCAL_LINE.match(line) or _PEP508_FILE.search(line):
        return True
    source = _PIP_SOURCES.match(line)
    if source is not None:
        return "://" not in source.group(1) or source.group(1).startswith("file:")
    if line.startswith("-") or "://" in line or " @ " in line:
        return False
    # pip takes a requirement with a path separator, or an archive's name, for a path.
    requirement = re.split(r"[;\s]", line, maxsplit=1)[0]
    return "/" in requirement or bool(_ARCHIVE.search(requirement))

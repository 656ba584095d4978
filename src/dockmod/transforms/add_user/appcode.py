"""The application's own code and settings files, as copied from the build context: paths it writes, ports it
binds, system paths it keeps state in, code that needs root, and files the project's build scripts make private."""

from __future__ import annotations

import itertools
import json
import posixpath
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Final, NamedTuple

from dockmod.context import Context
from dockmod.cst import Dockerfile, Run, Stage
from dockmod.transforms import _shell, _stages
from dockmod.transforms._stages import State
from dockmod.transforms.add_user import common, startup


def code_writes(
    code_files: list[tuple[str, str]],
    folders: list[common.Folder],
    findings: common.Findings,
    env: Mapping[str, str] | None = None,
    workdir: str = "",
) -> None:
    """The code files the start command runs (`node server.js`, `python app.py`, and those npm's scripts run:
    `"prestart": "node gen-config.js"`) that write, by an absolute path the code spells out, where the user gets
    no folder (a real image: EACCES writing /usr/share/app/public/config.js as the new user); also by a path an
    environment variable of ``env`` holds (`appendFileSync(process.env.LOG, ...)` with LOG=/var/log/app.log, which
    a file the start command sources exported: a real image)."""
    # Names given absolute paths anywhere in the app's code: a module may name what another writes (`from settings
    # import EXPORT_DIR`, `const { OUT } = require("./config")`).
    held = {name: path for _, code in code_files for name, path in _held_names(code)}
    for name, code in code_files:
        for m in _ENV_WRITE.finditer(code) if env else ():
            variable = next(g for g in m.groups() if g)
            value = (env or {}).get(variable, "")
            path = posixpath.normpath(value) if value.startswith("/") else None
            if path is None or any(common.inside(path, t) for t in common.SCRATCH):
                continue
            if not any(common.inside(path, f.path) for f in folders):
                findings.unsafe.append(
                    f"{name} writes ${variable} ({path}) when the app runs, where the user gets no folder"
                )
                return
        for m in _CODE_WRITE.finditer(code):
            path = posixpath.normpath(next(g for g in m.groups() if g))
            if any(common.inside(path, t) for t in common.SCRATCH) or any(common.inside(path, f.path) for f in folders):
                continue
            if m.lastindex == _CODE_WRITE.groups:  # the SQLite group, the last one
                how = f"opens the SQLite database {path}, beside which SQLite writes its journal even to read,"
            else:
                how = f"writes in {path}" if re.search(r"(?:join|resolve)\(", m.group(0)) else f"writes {path}"
            findings.unsafe.append(f"{name} {how} when the app runs, where the user gets no folder")
            return
        media = _DJANGO_MEDIA.search(code)
        uploads = posixpath.normpath(media[1]) if media is not None else None
        if uploads is not None and not any(
            common.inside(uploads, f) for f in [*(f.path for f in folders), *common.SCRATCH]
        ):
            findings.unsafe.append(
                f"{name} keeps Django's uploads in {uploads} (MEDIA_ROOT), where the user gets no folder"
            )
            return
        writes = _CODE_WRITES_ANY.search(code) is not None
        outside = _writes_outside(name, code, workdir, folders) if writes else None
        if outside is not None:
            findings.unsafe.append(f"{name} {outside} and writes by paths it builds; the user owns its folder only")
            return
        # A constant of any name holding an absolute path, which a write call is given (`OUT = "/srv/exports"`, then
        # `FileUtils.mkdir_p(OUT)` or `File.open(File.join(OUT, "out.csv"), "a")`).
        for m in _WRITE_OF_NAME.finditer(code) if held else ():
            variable = next(g for g in m.groups() if g)
            path = posixpath.normpath(held.get(variable, "/"))
            given = any(common.inside(path, f.path) for f in folders)
            if given or path.split("/")[1] in _SYSTEM_TREES or any(common.inside(path, t) for t in common.SCRATCH):
                continue
            findings.unsafe.append(f"{name} writes {path}, which {variable} holds, where the user gets no folder")
            return
        # A folder outside the system's trees kept in a variable or given as a default, in code that writes by paths
        # it does not spell out (`const dir = process.env.UPLOAD_DIR || '/srv/uploads'` then `mkdirSync(dir)`,
        # `BASE = Path('/srv')`): the app writes there, and only root may.
        if writes:
            for m in _HELD_PATH.finditer(code):
                variable = next(g for g in (m[1], m[3], m[5]) if g is not None)
                path = posixpath.normpath(next(g for g in (m[2], m[4], m[6]) if g))
                if _NOT_A_FOLDER_NAME.search(variable):
                    continue
                given = any(common.inside(path, f.path) or common.inside(f.path, path) for f in folders)
                if given or path.split("/")[1] in _SYSTEM_TREES or any(common.inside(path, t) for t in common.SCRATCH):
                    continue
                findings.unsafe.append(
                    f"{name} keeps {path} in a variable and writes by paths it builds, where the user gets no folder"
                )
                return


def _held_names(code: str) -> list[tuple[str, str]]:
    """(name, absolute path) of the constants ``code`` gives an absolute path: assignments (`OUT = "/srv/exports"`,
    `$dir = '/srv/x';`), C's `#define STATE_DIR "/srv/state"`, PHP's `define('LOG_FILE', '/srv/app.log')`, and keys
    of an object or settings named for a folder or file (`module.exports = { OUT_DIR: "/srv/reports" }`)."""
    out = [(m[1], m[2]) for m in _ASSIGNED_PATH.finditer(code)]
    out += [(m[1] or m[3] or m[5], m[2] or m[4] or m[6]) for m in _DEFINED_PATH.finditer(code)]
    out += [(m[1], m[2]) for m in _KEYED_PATH.finditer(code) if not _NOT_A_FOLDER_NAME.search(m[1])]
    return out


def _writes_outside(name: str, code: str, workdir: str, folders: list[common.Folder]) -> str | None:
    """How ``code`` (the file ``name``, relative to the working folder ``workdir``) points its writes out of the
    folders the user is given, if it does: by climbing out of its folder, by changing into another folder, or into
    the interpreter's own folders."""
    # Folders between the working folder and the file (a module's name ends `(through lib/cache.js)`); for a project's
    # sources read as one text (`the PHP code (src/bootstrap.php, public/index.php)`), its deepest file's: each file
    # may climb back to the project's top (`__DIR__ . "/../storage"` in public/index.php).
    project = _PROJECT_TEXT.fullmatch(name)
    files = project[1].split(", ") if project is not None else [name.rsplit("(through ", 1)[-1].split(" (", 1)[0]]
    depth = max(file.rstrip(")").count("/") for file in files)

    def given(path: str) -> bool:
        return workdir.startswith("/") and any(common.inside(posixpath.normpath(path), f.path) for f in folders)

    for m in _CLIMBS.finditer(code):
        if _IMPORTS_BEFORE.search(code, max(0, m.start() - 24), m.start()):
            continue  # a module `require('../lib')` loads, not a path it writes
        if m["chain"] is not None or m["dirnames"] is not None:
            # `Path(__file__).resolve().parent.parent`, `dirname(dirname(__file__))`: the first step is the file's own
            # folder; from the working folder, every step climbs.
            steps = m["chain"].count(".parent") if m["chain"] is not None else m["dirnames"].count("dirname")
            from_file = m["dirnames"] is not None or m["base"] == "__file__"
            climbs = steps - (1 if from_file else 0)
            if climbs <= (depth if from_file else 0) or given(posixpath.join(workdir, *[".."] * climbs)):
                continue
        elif m.group(0).startswith("dirname") and "__dirname" in m.group(0):
            if depth or given(posixpath.dirname(workdir)):
                continue  # `path.dirname(__dirname)` in a file below the working folder: back in it
        elif m["path"] is not None:
            if (depth and m["cwd"] is None) or given(posixpath.join(workdir, m["path"])):
                continue  # a file below the working folder may climb back to it; a folder the user is given
        elif m.group(0) == "os.pardir" and (depth or given(posixpath.dirname(workdir))):
            continue
        elif (
            m["up"] is not None
            and m["up"].count("/..") <= depth
            and _FILE_FOLDER.search(code, max(0, m.start() - 40), m.start())
        ):
            continue  # `__DIR__ . "/../storage"` in public/index.php: back in the project's top folder
        return f"builds a path above its folder (`{m.group(0).strip()}`)"
    moved = _CHDIR.search(code)
    scratch = moved is not None and any(common.inside(posixpath.normpath(moved[1]), t) for t in common.SCRATCH)
    if moved is not None and not scratch and not given(moved[1]):
        return f"changes into {posixpath.normpath(moved[1])}"
    installed = _INSTALLED_FOLDERS.search(code)
    if installed is not None:
        return f"names an installed program's or package's folder (`{installed.group(0).strip()}`)"
    for formatted in _ABSOLUTE_FORMAT.finditer(code):
        # A literal head names the folder (`format!("/data/{}", name)`): fine when the user is given it, or scratch.
        head = posixpath.normpath(formatted["go"] or formatted["rust"] or "/")
        if head != "/" and (given(head) or any(common.inside(head, t) for t in common.SCRATCH)):
            continue
        return f"formats an absolute path from parts (`{formatted.group(0)}`)"
    return None


# The file's own folder, which a path climbs from (PHP's `__DIR__`, Ruby's `__dir__`, Node's `__dirname`).
_FILE_FOLDER: Final = re.compile(r"\b(?:__DIR__|__dir__|__dirname|__FILE__|__file__)\b")
_PROJECT_TEXT: Final = re.compile(r"the [\w/#+]+ code \((.+)\)")
# A path that climbs out of a folder: a `..` part (`'..'`, `'../data'`, `'/../'` inside a path, `os.pardir`), also
# after the working folder (`os.getcwd(), '..'`, `abspath('../x')`, `Path.cwd().parent`), or a chain of `.parent`
# after the file's own path or the working folder. Real images' apps so wrote /data, /logs, /run/myapp and /srv.
_CLIMBS: Final = re.compile(
    r"""(?P<cwd>(?:getcwd|cwd)\(\)\s*,\s*|abspath\(\s*)?['"`](?P<path>\.\.(?:[/\\][^'"`\n]*)?)['"`]"""
    r"""|(?P<up>(?:/\.\.)+)(?=[/'"`])|\bos\.pardir\b"""
    r"""|\b(?P<base>__file__|cwd\(\))[^\n]{0,24}?(?P<chain>(?:\.parent\b)+)"""
    # The working folder's parent: `os.path.dirname(os.getcwd())`, `path.dirname(process.cwd())`,
    # `Path.cwd().parents[0]`, `Path().resolve().parent`.
    r"""|\bdirname\(\s*(?:os\.getcwd|process\.cwd)\(\)\s*\)|\bcwd\(\)\.parents\b"""
    r"""|\bPath\(\s*(?:['"]\.?/?['"])?\s*\)\.(?:resolve|absolute)\(\)\.parents?\b"""
    r"""|\bPath\(\s*os\.getcwd\(\)\s*\)\.parents?\b|\bsplit\(\s*os\.getcwd\(\)\s*\)\s*\[\s*0\s*\]"""
    # The folder above the file's own: `dirname(dirname(abspath(__file__)))`, Node's `path.dirname(__dirname)`.
    r"""|(?P<dirnames>\bdirname\(\s*(?:(?:os\.path\.|path\.)?dirname\(\s*)+)(?:os\.path\.(?:abspath|realpath)\(\s*)?__file__"""
    r"""|\bdirname\(\s*__dirname\s*\)|\bparse\(\s*process\.cwd\(\)\s*\)\.dir\b"""
    # Java's: `Paths.get(System.getProperty("user.dir")).getParent()`, `Paths.get("").toAbsolutePath().getParent()`,
    # `new File(".").getAbsoluteFile().getParentFile()`.
    r"""|\bgetProperty\(\s*"user\.dir"\s*\)\s*\)?\s*\.getParent(?:File)?\(\)"""
    r"""|\b(?:Paths\.get|Path\.of)\(\s*"\.?/?"\s*\)\s*\.toAbsolutePath\(\)\s*\.getParent\(\)"""
    r"""|\bnew\s+File\(\s*"\.?"\s*\)\s*\.get(?:Absolute|Canonical)File\(\)\s*\.getParentFile\(\)"""
)
_IMPORTS_BEFORE: Final = re.compile(r"""(?:\brequire|\bimport)\s*\(\s*$|\bfrom\s*$|\bimport\s*$""")
# `os.chdir('/srv')`, `process.chdir('/srv')`: relative writes then go there.
_CHDIR: Final = re.compile(
    r"""\b(?:(?:os|process)\.(?:chdir|Chdir)|env::set_current_dir|Directory\.SetCurrentDirectory)\("""
    r"""\s*(?:Path::new\(\s*)?['"`](/[^'"`$]*)['"`]"""
)
# The interpreter's and its packages' folders, which root's install made: `sys.prefix`, `site.getsitepackages()`,
# beside an installed module (`os.path.dirname(six.__file__)`).
_INSTALLED_FOLDERS: Final = re.compile(
    r"""\bsys\.(?:base_|exec_)?prefix\b|\bsite\.(?:getsitepackages|getusersitepackages)\b|\bsysconfig\.get_path"""
    r"""|(?<![\w.])(?!__file__\b)[A-Za-z_][\w.]*\.__file__\b|\bfind_spec\(|\.__path__\b"""
    # Node's: where a package resolves (`require.resolve('ms')`, not a file of the app's `./`), module search paths.
    r"""|\brequire\.resolve\(\s*['"`](?!\.)|\brequire\.resolve\.paths\(|\b(?:require\.main|module)\.paths\b"""
    r"""|\.__spec__\.origin\b|\binspect\.getfile\("""
    # The program's own folder: `os.Executable()` (Go), `process.execPath`, `sys.executable`.
    r"""|\bos\.Executable\(\)|\bprocess\.execPath\b|\bsys\.executable\b|\benv::current_exe\(\)|\bgetCodeSource\(\)"""
    r"""|\bAppContext\.BaseDirectory\b|\bAppDomain\.CurrentDomain\.BaseDirectory\b"""
)
# A path made absolute by formatting parts into it (`fmt.Sprintf("/%s/%s", ...)`, `f"/{base}/data"`, `"/%s" % x`,
# `` `/${base}/data` ``): dockmod cannot tell where it points (a real Go program so made /srv/data).
_ABSOLUTE_FORMAT: Final = re.compile(
    # Go's and Rust's formats: the placeholder inside the path (`"/srv/%s"`), not after it (an error message,
    # `format!("/tmp/state: {}", e)`).
    r"""\b(?:Sprintf\(\s*"(?P<go>/(?:[\w.-]+/)*)%|format!\(\s*"(?P<rust>/(?:[\w.-]+/)*)\{)"""
    r"""|\bf['"]/\{|['"]/%[sd]|['"]/\{\}['"]\.format|`/\$\{|\$@?"/\{|"/\$\{?[A-Za-z_]"""
)


def code_needs_root(code_files: list[tuple[str, str]], findings: common.Findings) -> None:
    """The app's code switching user or changing owners itself (`os.setuid`, `process.setgid`, `os.chown`), or
    reading what only root may read (`/etc/ssl/private/ssl-cert-snakeoil.key`, files in /root): as the new user it
    fails (real images: "Operation not permitted", EPERM, "Permission denied")."""
    for name, code in code_files:
        call = _PRIVILEGED_CALL.search(code)
        # Code that asks first whether it runs as root (`if os.getuid() != 0: return`) copes without it (a real
        # image of such code worked as the new user).
        if call is not None and not _ROOT_CHECK.search(code):
            findings.unsafe.append(f"{name} calls {call.group(1)}, which needs root")
            return
        read = _ROOT_ONLY_PATH.search(code)
        if read is not None:
            findings.unsafe.append(f"{name} names {read.group(1)}, which only root may read")
            return


def code_system_paths(
    ctx: Context, code_files: list[tuple[str, str]], folders: list[common.Folder], findings: common.Findings
) -> None:
    """A path in a system folder programs write their state, logs and pid files in (`/var/log`, `/var/lib`,
    `/run`...) that the app's code, a module it imports or a settings file it names spells out, however it is
    used: as a logging file (`basicConfig(filename='/var/log/app.log')`, `args=('/var/log/app.log', 'a')` in
    logging.ini), a constant, a default (`os.environ.get('DATA_DIR', '/var/lib/myapp')`), a base joined later
    (`os.path.join('/var/lib', ...)`, f-strings). Only root writes there (real images failed with "Permission
    denied"); a folder the user is given (a VOLUME, the file's own mkdir) is fine."""
    for name, code in code_files:
        named = _read_settings(ctx, [m.group(1) for m in _SETTINGS_FILE.finditer(code)])
        texts = [(name, code), *((f"{settings} (read by {name})", text) for settings, text in named if text)]
        for where, text in texts:
            if where != name or name.endswith(_BUNDLED_SETTINGS):  # a folder it names for data, logs or caches
                for m in _SETTINGS_FOLDER.finditer(text):
                    path = posixpath.normpath(m.group(2))
                    if not any(common.inside(path, f.path) for f in folders) and not any(
                        common.inside(path, t) for t in common.SCRATCH
                    ):
                        findings.unsafe.append(
                            f"{where} names {path} ({m.group(1)}), where the user gets no folder: the app writes there"
                        )
                        return
            for m in _SYSTEM_STATE_PATH.finditer(text):
                path = posixpath.normpath(m.group(1))
                if any(common.inside(path, s) for s in _READ_ONLY_MOUNTS):
                    continue  # secrets the runtime mounts for any user to read
                if not any(common.inside(path, f.path) or common.inside(f.path, path) for f in folders):
                    findings.unsafe.append(f"{where} names {path}, where only root may write")
                    return


def _read_settings(ctx: Context, names: list[str]) -> list[tuple[str, str | None]]:
    """The settings files of the build context the code names (`open('config.json')`), each with its text."""
    out: list[tuple[str, str | None]] = []
    for settings in dict.fromkeys(posixpath.normpath(n.removeprefix("./")) for n in names):
        out.append((settings, ctx.build.read_text(settings) if not settings.startswith(("/", "..")) else None))
    return out


def start_arguments(
    tree: Dockerfile, chain: tuple[Stage, ...], folders: list[common.Folder], findings: common.Findings
) -> None:
    """A folder the start command hands the app by absolute path, where the user gets none: after an option for
    data, logs, uploads or caches (`--data-dir /srv/data`, `--upload-folder=/srv/uploads`), or as a bare argument
    (`python app.py /srv/data`). The app writes there (real images failed to create them as the new user)."""
    for words in startup.start_words(tree, chain):
        for k, word in enumerate(words[1:], start=1):
            option, value = word.split("=", 1) if word.startswith("-") and "=" in word else (words[k - 1], word)
            if not value.startswith("/") or value == "/":
                continue
            path = posixpath.normpath(value)
            # (an option naming a folder for data or logs, or any option's log, database or pid file, or a path where
            # programs keep state: `-Dlogging.file.name=/var/log/app.log`)
            named = option.startswith("-") and (
                _WRITE_OPTION.search(option) is not None or _STATE_FILE.search(path) is not None
            )
            # (a bare path only after the code an interpreter runs: `dlv exec /app` names a program)
            after_code = _interpreter(words[0]) and any(_CODE_FILE.fullmatch(w) for w in words[1:k])
            # (a file only where programs keep state, or named like a database or log: `python3 app.py
            # /var/lib/app.db` could not open its database as the new user; `/etc/app.json` is read)
            stateful = "." not in posixpath.basename(path) or _STATE_FILE.search(path) is not None
            bare = after_code and not option.startswith("-") and stateful
            if not (named or bare) or any(common.inside(path, d) for d in (*common.SCRATCH, *_SYSTEM_READ)):
                continue
            if not any(common.inside(path, f.path) for f in folders):
                how = f"after {option}" if named else "as an argument"
                findings.unsafe.append(
                    f"the start command passes {path} {how}, where the user gets no folder: the app writes there"
                )
                return


_STATE_FILE: Final = re.compile(r"^/var/(?:log|lib|run|cache|spool)/|\.(?:db|sqlite3?|log|pid)$")
_WRITE_OPTION: Final = re.compile(r"dir|folder|path|upload|data|logs?\b|log-?file|cache|output|store|storage|db\b")
_SYSTEM_READ: Final = ("/usr", "/bin", "/sbin", "/lib", "/etc", "/proc", "/dev", "/sys")
_READ_ONLY_MOUNTS: Final = ("/run/secrets", "/var/run/secrets")
# A settings key naming where the app keeps data, logs or caches, with an absolute path (`"data_dir": "/srv/data"`,
# `log_file = /srv/logs/app.log`, `cache_dir = "/opt/myapp/cache"`: real images failed to create them).
_SETTINGS_FOLDER: Final = re.compile(
    r"""(?im)["']?(\w*(?:dir|folder|log_?file|logs|cache|upload|storage|data_?path)\w*)["']?\s*[:=]\s*["']?(/[^"'\s,}\]]+)"""
)
# A quoted path in the folders where programs keep state, logs, pid files and caches (or the folder itself, as a
# base the code joins onto).
_SYSTEM_STATE_PATH: Final = re.compile(
    # Also inside a string, after a space or `=` (`execSync('mkdir -p /var/spool/myapp')`: a real image's).
    r"""(?:['"`]|(?<=[\s=:]))((?:/var/(?:log|lib|run|cache|spool|backups)|/run)(?:/[^'"`\s{}$;&|)]*)?)(?![\w.-])"""
)
_PRIVILEGED_CALL: Final = re.compile(
    r"\b((?:os\.(?:set(?:e|res)?[ug]id|setgroups|initgroups|chroot|[lf]?chown)|shutil\.chown"
    r"|process\.(?:set(?:e)?[ug]id|setgroups|initgroups)|fs\.[lf]?chown(?:Sync)?"
    r"|syscall\.(?:Set(?:e|res)?[ug]id|Setgroups|Chroot|L?[Cc]hown)|os\.L?Chown|unistd::(?:set(?:e|res)?[ug]id|chown|chroot)"
    r"|unix::fs::[lf]?chown|Files\.setOwner))"
    # (Rust imports the call and then calls it bare: `use std::os::unix::fs::chown;`.)
    r"\s*[(;,}]"
)
_ROOT_CHECK: Final = re.compile(
    r"\b(?:os|process)\.[gG]ete?uid\(\s*\)\s*(?:[!=]==?|[<>]=?)\s*0\b|\bgete?uid\(\)\.is_root\(\)"
)
_ROOT_ONLY_PATH: Final = re.compile(
    r"""['"`]((?:/etc/ssl/private|/etc/shadow|/etc/gshadow)(?:/[^'"`\s]*)?|/root/[^'"`\s]+)['"`]"""
)


def build_outputs_written(
    tree: Dockerfile, walked: common.Walk, end: State, code_files: list[tuple[str, str]], findings: common.Findings
) -> None:
    """The program writing inside what a root RUN of a build tool made in the final stage (cargo's and Maven's
    `target/`, Gradle's `build/`): those folders stay root's though the folder around them is given, and the write
    fails as the new user (round 22's real builds: a Rust program's target/run-state.txt, a Java program's
    target/cache.txt and build/tally.txt)."""
    outputs: dict[str, int] = {}
    for ins, state, command in common.root_commands(tree, walked, _BUILD_TOOLS):
        tool = command.argv[0].rsplit("/", 1)[-1] if command.argv else ""
        for folder in _BUILD_OUTPUTS.get(tool, ()):
            outputs.setdefault(_stages.join(state.workdir, folder), common.line_number(tree, ins))
    if not outputs:
        return
    for name, code in code_files:
        if _CODE_WRITES_ANY.search(code) is None:
            continue
        for m in _QUOTED_PATH.finditer(code):
            path = posixpath.normpath(_stages.join(end.workdir, m.group(1)))
            made = next((folder for folder in outputs if common.inside(path, folder)), None)
            if made is not None:
                findings.unsafe.append(
                    f"{name} writes {path}, in {made}, which line {outputs[made]} built as root: it stays root's"
                )
                return


# What build tools make in the folder they run in: cargo's and Maven's target/, Gradle's build/ and .gradle/,
# dotnet's bin/ and obj/.
_BUILD_OUTPUTS: Final = {
    "cargo": ("target",),
    "mvn": ("target",),
    "mvnw": ("target",),
    "gradle": ("build", ".gradle"),
    "gradlew": ("build", ".gradle"),
    "dotnet": ("bin", "obj"),
}
_BUILD_TOOLS: Final = re.compile(r"\b(?:cargo|mvnw?|gradlew?|dotnet)\b")
# A path the code spells out, relative or absolute (`"target/cache.txt"`, and the `"target"` of `Path.of("target",
# "cache.txt")`).
_QUOTED_PATH: Final = re.compile(r"""['"`]((?:\.?/)?[\w.-]+(?:/[\w.-]+)*/?)['"`]""")


def build_scripts(
    tree: Dockerfile,
    ctx: Context,
    walked: common.Walk,
    end: State,
    start_code: list[tuple[str, str]],
    findings: common.Findings,
) -> None:
    """What a root RUN makes that the app then writes, which stays root's (real images failed with PermissionError
    and EACCES): the project's own code a root RUN runs (`python gen_secret.py`, `python -m tools.bootstrap`, `node
    -e "require('./db').seed()"`, `npm run build`, a Makefile recipe `make seed` runs, inline `python -c` code)
    making a file readable by its owner only (`os.open(..., 0o600)`, a `mkstemp` file moved into place), or a folder
    or file the app's code or start scripts write (`os.makedirs('data')`, then `open('data/visits.json', 'w')` at
    start; `sqlite3.connect('app.db')` in both; `www/index.html` a start script edits with `sed -i`); and the
    node_modules a root install makes, where the app's code writes at start (`node_modules/.cache/app`).
    ``start_code``: the start command's code files and the modules they import."""
    start_code = _with_settings(ctx, start_code)
    written = " ".join(code for _, code in start_code if _CODE_WRITES_ANY.search(code))
    # What the app writes at start, as absolute paths: its code's relative writes (`mkdirSync('node_modules/.cache')`)
    # from the working folder, and what its start scripts write.
    at_start = [
        (name, _stages.join(end.workdir, m))
        for name, code in start_code
        for m in _made_by(code)
        if end.workdir.startswith("/")
    ]
    # A path into node_modules the code joins (`path.join(__dirname, 'node_modules', '.cache', 'app')`): the folder a
    # root install made (a real image's app could not make its cache there).
    at_start += [
        (name, _stages.join(end.workdir, "node_modules"))
        for name, code in start_code
        if end.workdir.startswith("/") and _CODE_WRITES_ANY.search(code) and _NODE_MODULES_PART.search(code)
    ]
    at_start += findings.start_writes
    for ins, state, command in common.root_commands(tree, walked, _BUILD_RUNNERS):
        line = common.line_number(tree, ins)
        for made in _installed_into(command.argv):
            writer = _writes_into(at_start, _stages.join(state.workdir, made))
            if writer is not None:
                findings.unsafe.append(
                    f"line {line} installs {made} as root, and {writer} writes into it when the app runs: it stays "
                    "root's"
                )
                return
        # The code the command runs and the project's modules it imports (`node scripts/check.js` requiring
        # ../index.js, `python -m myapp.initdb` importing myapp.db: real images' modules so reached made app.log and
        # instance/app.sqlite as root).
        run = _run_code(tree, ctx, walked, state, command.argv)
        for name, code in _with_settings(ctx, with_modules(ctx, run, module_search(state))) if run else ():
            private = _PRIVATE_CODE.search(code)
            if private is not None and (not private.group(0).startswith(("mkstemp", "NamedTemporaryFile")) or
                                        _MOVES_INTO_PLACE.search(code)):  # fmt: skip
                findings.unsafe.append(
                    f"line {line} runs {name} as root, which makes a file readable by its owner only "
                    f"(`{private.group(0)}`): it stays root's"
                )
                return
            for made in _made_by(code):
                writer = _writes_into(at_start, _stages.join(state.workdir, made))
                if re.search(rf"""['"`](?:\./)?{re.escape(made)}\b""", written) or writer is not None:
                    findings.unsafe.append(
                        f"line {line} runs {name} as root, which makes {made}, and {writer or 'the app'} writes there "
                        "when it starts: it stays root's"
                    )
                    return


_NODE_MODULES_PART: Final = re.compile(r"""['"`](?:\./)?node_modules(?:/[^'"`]*)?['"`]""")


def _with_settings(ctx: Context, code_files: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``code_files`` and the settings files of the build context they name (`logging.config.fileConfig('logging.ini')`:
    the log file its handler opens is the code's to make)."""
    out = list(code_files)
    for name, code in code_files:
        names = [m.group(1) for m in _SETTINGS_FILE.finditer(code)]
        out += [(f"{name} (with {settings})", text) for settings, text in _read_settings(ctx, names) if text]
    return out


def _made_by(code: str) -> list[str]:
    """The folders and files ``code`` makes or writes by a path it spells out (relative ones start in the working
    folder)."""
    out = []
    for m in _CODE_MAKES.finditer(code):
        made = next(g for g in m.groups() if g).rstrip("/")
        if made:
            out.append(made.removeprefix("./"))
    return out


def _writes_into(at_start: list[tuple[str, str]], path: str) -> str | None:
    """Who of ``at_start`` (who, path written at start) writes ``path`` or inside it."""
    return next((who for who, written in at_start if common.inside(written, path)), None)


def _installed_into(argv: Sequence[str]) -> list[str]:
    """The folder a package install makes where it runs: `npm ci`, `npm install`, `yarn`, `pnpm install` make
    node_modules (root's, when a root RUN installs)."""
    if not argv:
        return []
    tool = argv[0].rsplit("/", 1)[-1]
    args = [w for w in argv[1:] if not w.startswith("-")]
    if "-g" in argv or "--global" in argv or args[:1] == ["global"]:
        return []  # into the system's folders, not the project's
    if (tool == "npm" and args[:1] and args[0] in _INSTALLS) or (
        tool in ("yarn", "pnpm") and (not args or args[0] in _INSTALLS)
    ):
        return ["node_modules"]
    return []


_INSTALLS: Final = frozenset({"ci", "install", "i", "add"})


def _run_code(
    tree: Dockerfile, ctx: Context, walked: common.Walk, state: State, argv: Sequence[str], depth: int = 0
) -> list[tuple[str, str]]:
    """(name, text) of the project's code a build command runs: `python x.py`, `node x.js`, `python -m a.b`, inline
    code (`python -c "..."`, `node -e "..."`) and the local modules it imports (`python -c "import store;
    store.init()"`), the files the package scripts `npm run build` runs name (`node build.js`), and what the recipes
    of the Makefile `make` runs run in turn."""
    argv = _shell.program_words(argv)  # `env NODE_ENV=production node server.js` runs node (a real image)
    # What a package runner runs (`npx --yes tsx@4.7.2 server.ts`: a real image's server.ts wrote /var/log).
    run = _shell.runner_command(argv)
    argv = run if isinstance(run, tuple) else argv
    if not argv:
        return []
    names: list[str] = []
    out: list[tuple[str, str]] = []
    if argv[0].rsplit("/", 1)[-1] in _NODE_MANAGERS and depth < 3:
        # What a process manager runs, as the command it stands for (`pm2-runtime start server.js` runs `node
        # server.js`, `pm2-runtime start npm -- start` runs `npm start`).
        for managed in _managed(argv, lambda path: _stages.script_text(tree, walked, path, state.workdir, ctx.build)):
            out += _run_code(tree, ctx, walked, state, managed, depth + 1)
        return out
    if _interpreter(argv[0]):
        files, module, inline = _interpreter_operands(argv)
        names += files
        if module is not None:
            package = module.replace(".", "/")
            names += [f"{package}.py", f"{package}/__init__.py", f"{package}/__main__.py"]
        if inline is not None:
            program = argv[0].rsplit("/", 1)[-1]
            out.append((f"{program} {'-c' if program.startswith('python') else '-e'}", inline))
            names += _local_modules(inline)
        # Modules Node preloads for every process (`ENV NODE_OPTIONS="--require /app/preload.js"`: a real image's
        # preload wrote /etc as the new user).
        if argv[0].rsplit("/", 1)[-1] == "node":
            names += _interpreter_operands(["node", *state.env.get("NODE_OPTIONS", "").split()])[0]
    if depth < 2:
        # The package scripts `npm start` or `npm run build` runs, read as shell commands (`"start": "node -r
        # ./preload server"`: a real image's preload wrote /var/log), and the commands of a shell script it runs
        # (`sh scripts/seed.sh`).
        lines = common.npm_start_scripts(ctx, list(argv)).splitlines()
        parsed = [_shell.split(line) for line in lines]
        commands = [c.argv for script in parsed if script is not None for c in script.commands]
        # `sh -c 'python -c "import app"'`, `sh scripts/seed.sh`
        for run in [*commands, *_stages.commands_run(tree, walked, argv, state.workdir, ctx.build)]:
            out += _run_code(tree, ctx, walked, state, run, depth + 1)
    node = not argv[0].rsplit("/", 1)[-1].startswith("python")

    def read(path: str) -> str | None:
        found = _stages.script_text(tree, walked, common.from_cwd(path), state.workdir, ctx.build)
        return found if isinstance(found, str) else None

    # Ruby, PHP and Perl run the script they are given (`ruby app.rb`, `bundle exec ruby app.rb`, `php server.php`):
    # its code is read as Node's and Python's is (official ruby and php images are Debian's).
    words = _unbundled(argv)
    suffix = _SCRIPTS.get(re.sub(r"[\d.]+$", "", words[0].rsplit("/", 1)[-1])) if words else None
    run_file = next((w for w in words[1:] if suffix is not None and w.endswith(suffix)), None)
    if run_file is not None:
        code = read(run_file)
        out += [(run_file, code)] if code is not None else []

    # The modules a Python app server or worker imports by name (`gunicorn app:app`, `celery -A proj worker`).
    # (Imported, not run: their `if __name__ == "__main__":` block does not run.)
    for module in _app_modules(argv, state.env, read):
        code = read(module)
        out += [(module, _MAIN_BLOCK.split(code, 1)[0])] if code is not None else []

    # A zip application the build made (`python3 -m zipapp src -o app.pyz`) runs its source folder's __main__.py (a
    # real image's src/__main__.py imported a module that wrote /var/log).
    names += [f"{src}/__main__.py" for name in names if name.endswith(".pyz") for src in _zipapp_sources(tree, name)]
    for name in dict.fromkeys(names):
        for candidate in _module_files(name, node=node, read=read):
            code = read(candidate)
            if code is not None:
                out.append((candidate, code))
                break
    if argv[0].rsplit("/", 1)[-1] == "make" and depth == 0:
        # A recipe line is a shell command line (`@`, `-` and `+` before it only change how make runs it).
        makefile = _stages.script_text(tree, walked, "./Makefile", state.workdir, ctx.build)
        recipes = [line.strip().lstrip("@-+") for line in (makefile if isinstance(makefile, str) else "").splitlines()
                   if line.startswith("\t")]  # fmt: skip
        for recipe in recipes:
            script = _shell.split(recipe)
            for command in script.commands if script is not None else ():
                out += [(f"{name} from the Makefile", code) for name, code in _run_code(
                    tree, ctx, walked, state, command.argv, depth + 1)]  # fmt: skip
    return out


def _managed(argv: Sequence[str], text: Callable[[str], str | _stages.Unreadable | None]) -> list[list[str]]:
    """The commands a Node process manager runs: `pm2-runtime start server.js`, `pm2 start --name web server.js`,
    `nodemon --watch src src/server.js` (the code file among its operands), the scripts a pm2 ecosystem file names
    (`script: "server.js"`), `pm2-runtime start npm -- start` (npm's start script), and bare `nodemon` (the package's
    main). ``text``: the text of a file copied from the context."""
    words = list(argv[1:])
    if "--" in words and any(w in ("npm", "yarn", "pnpm") for w in words[: words.index("--")]):
        tool = next(w for w in words if w in ("npm", "yarn", "pnpm"))
        return [[tool, *words[words.index("--") + 1 :]]]  # `pm2-runtime start npm -- start`
    operands = [w for w in words if not w.startswith("-") and w not in ("start", "run")]
    configs = [w for w in operands if _PM2_CONFIG.search(w)]
    if configs:
        found = text(common.from_cwd(configs[0]))
        return [["node", script] for script in _PM2_SCRIPT.findall(found if isinstance(found, str) else "")]
    code = [w for w in operands if _CODE_FILE.fullmatch(w)]
    if code:
        return [["node", code[0]]]
    return [["node", "."]] if argv[0].rsplit("/", 1)[-1] == "nodemon" and not operands else []


_PM2_CONFIG: Final = re.compile(r"(?:ecosystem|pm2|process)[\w.-]*\.(?:config\.[cm]?js|json|ya?ml)$")
_PM2_SCRIPT: Final = re.compile(r"""\bscript['"]?\s*:\s*['"]([^'"]+)['"]""")


def _app_modules(argv: Sequence[str], env: Mapping[str, str], read: Callable[[str], str | None]) -> list[str]:
    """The files of the modules a Python app server or task worker imports by name, which run when it starts as a
    script's code does: `gunicorn app:app`, `uvicorn main:app --app-dir src`, `python -m gunicorn mysite.wsgi`,
    `celery -A proj worker` (proj, and proj.celery), `flask run` (--app, else FLASK_APP, also from .flaskenv or .env,
    else app.py or wsgi.py), `streamlit run app.py`, `fastapi run main.py`; gunicorn's configuration file, which is
    Python run at start (`-c`, else gunicorn.conf.py), and the `wsgi_app` it names. ``read``: a file's text."""
    words = [_stages.substitute(word, env) for word in argv]  # `gunicorn "$APP_MODULE"`
    if words and re.fullmatch(r"python[\d.]*", words[0].rsplit("/", 1)[-1]) and "-m" in words[:-1]:
        words = words[words.index("-m") + 1 :]  # `python -m gunicorn app:app`
    program = words[0].rsplit("/", 1)[-1] if words else ""
    if program not in _PY_APP_SERVERS:
        return []
    base = ""
    specs: list[str] = []
    named_by = _APP_OPTIONS.get(program, frozenset())
    for prev, word in itertools.pairwise(words):
        option, eq, value = word.partition("=")
        if word.startswith("-"):
            base = value if eq and option in _APP_FOLDER_OPTIONS else base
            specs += [value] if eq and option in named_by else []
        elif prev in _APP_FOLDER_OPTIONS:
            base = word
        elif prev in named_by or (word.endswith(".py") and program in _PY_FILE_SERVERS):
            specs.append(word)
        elif program in _PY_SPEC_SERVERS and prev not in _CLASS_OPTIONS and _APP_SPEC.fullmatch(word):
            specs.append(word)  # `gunicorn -w 4 mysite.wsgi`, `uvicorn main:app` (a bare word: any may be the app)
    # Django's settings module, when the environment names it (`ENV DJANGO_SETTINGS_MODULE=mysite.settings.prod`).
    specs += [env["DJANGO_SETTINGS_MODULE"]] if env.get("DJANGO_SETTINGS_MODULE") and program != "celery" else []
    out: list[str] = []
    if program == "gunicorn":
        config = startup.gunicorn_config_file(words)
        text = read(config) if config is not None else None
        out += [config] if config is not None and text is not None else []
        specs += _WSGI_APP.findall(text or "")
    if program == "uwsgi":
        # Its ini file (`--ini uwsgi.ini`, or named alone) names the app: `module = mysite.wsgi:application`,
        # `wsgi-file = app.py`.
        ini = next((v for o, v in itertools.pairwise(words) if o == "--ini"), None)
        ini = ini or next((w.split("=", 1)[1] for w in words if w.startswith("--ini=")), None)
        ini = ini or next((w for w in words[1:] if w.endswith(".ini")), None)
        specs += _UWSGI_APP.findall((read(ini) or "") if ini else "")
    if program == "flask" and not specs:
        dotenv = "\n".join(read(name) or "" for name in (".flaskenv", ".env"))
        named = env.get("FLASK_APP") or next(iter(_FLASK_APP.findall(dotenv)), None)
        specs = [named] if named else ["app", "wsgi"]
    for spec in specs:
        module = spec.split(":", 1)[0]
        if module.endswith(".py"):
            out.append(posixpath.normpath(posixpath.join(base, module)))
        elif _APP_SPEC.fullmatch(module):
            out += _python_module(module, base)
            out += _python_module(f"{module}.celery", base) if program == "celery" else []
    return out


# Python's app servers and workers, which import the app's module by name or run its file.
_PY_SPEC_SERVERS: Final = frozenset({"gunicorn", "uvicorn", "hypercorn", "daphne", "granian", "waitress-serve",
                                     "dramatiq"})  # fmt: skip
_PY_FILE_SERVERS: Final = frozenset({"streamlit", "fastapi", "panel", "chainlit"})
_PY_APP_SERVERS: Final = _PY_SPEC_SERVERS | _PY_FILE_SERVERS | {"celery", "flask", "uwsgi"}
# The options that name the app, per server (`celery -A proj`, `uwsgi --wsgi-file app.py`, `uwsgi -w mysite.wsgi`).
_APP_OPTIONS: Final[Mapping[str, frozenset[str]]] = {
    "celery": frozenset({"-A", "--app"}),
    "flask": frozenset({"-A", "--app"}),
    "uwsgi": frozenset({"--wsgi-file", "--file", "-w", "--module", "--wsgi"}),
}
_UWSGI_APP: Final = re.compile(r"""^\s*(?:module|wsgi-file|wsgi|file)\s*=\s*([\w./:-]+)""", re.MULTILINE)
_APP_FOLDER_OPTIONS: Final = frozenset({"--chdir", "--app-dir", "--pythonpath", "--workdir"})
# Options whose values name other classes or files than the app (`-k uvicorn.workers.UvicornWorker`).
_CLASS_OPTIONS: Final = frozenset({"-k", "--worker-class", "--logger-class", "-c", "--config", "--log-config",
                                   "--env-file", "--log-level", "--interface", "--loop", "--http", "--ws"})  # fmt: skip
_WSGI_APP: Final = re.compile(r"""^wsgi_app\s*=\s*['"]([\w.:()]+)['"]""", re.MULTILINE)
_FLASK_APP: Final = re.compile(r"""^\s*(?:export\s+)?FLASK_APP\s*=\s*['"]?([\w.:/()-]+)""", re.MULTILINE)
_MAIN_BLOCK: Final = re.compile(r"""^if\s+__name__\s*==\s*['"]__main__['"]\s*:""", re.MULTILINE)
_APP_SPEC: Final = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*(?::[\w.]+(?:\(.*\))?)?")


def _zipapp_sources(tree: Dockerfile, archive: str) -> list[str]:
    """The source folders of the RUN lines that build ``archive`` with `python -m zipapp SRC -o ARCHIVE`."""
    out = []
    for stage in tree.stages:
        for ins in stage.body:
            text = tree.view(ins).args_text if isinstance(ins, Run) else ""
            for m in _ZIPAPP.finditer(text):
                if posixpath.basename(m[2]) == posixpath.basename(archive):
                    out.append(posixpath.normpath(m[1]))
    return out


_ZIPAPP: Final = re.compile(r"-m\s+zipapp\s+([\w./-]+)\s+(?:-\w+\s+)*(?:-o|--output)[\s=]+([\w./-]+)")


def _interpreter_operands(argv: Sequence[str]) -> tuple[list[str], str | None, str | None]:
    """What an interpreter command runs, past its options (``_shell.run_operand``): the code files (the script,
    and the modules Node preloads with `-r`/`--require`/`--import`), the module `python -m` runs, and the inline
    code of `python -c`/`node -e`. Real images ran `node -r ./tracing.js server.js` and `python3 -X utf8 app.py`."""
    operand = _shell.run_operand(argv)
    if operand is None and argv[0].rsplit("/", 1)[-1] in _TS_RUNNERS:
        # TypeScript runners and other runtimes run their first operand (`tsx server.ts`, `deno run main.ts`).
        rest = [w for w in argv[1:] if not w.startswith("-")]
        rest = rest[1:] if rest[:1] == ["run"] else rest
        operand = ("file", rest[0]) if rest else None
    words = list(argv[1:])
    files = [b for a, b in itertools.pairwise(words) if a in _PRELOADS]
    files += [w.partition("=")[2] for w in words if w.partition("=")[0] in _PRELOADS and "=" in w]
    if operand is None:
        return files, None, None
    kind, value = operand
    if kind == "file":
        return [*files, value], None, None
    return (files, value, None) if kind == "module" else (files, None, value)


# Node's options that name a module to load before the script.
_PRELOADS: Final = frozenset({"-r", "--require", "--import", "--loader", "--experimental-loader"})


def _module_files(name: str, *, node: bool, read: Callable[[str], str | None]) -> list[str]:
    """The files an interpreter may run for ``name``, as it resolves them: a file as named; for Node, with `.js`,
    `.mjs` or `.cjs` added, a folder's `index.js`, the `main` of the package.json in the folder (`node .`), and
    the TypeScript source of a compiled file (`dist/server.js` from `src/server.ts`, by tsconfig.json's outDir and
    rootDir: the file is not in the build context); for Python, a folder's `__main__.py` (`python svc`). Real
    images ran `node .`, `node server`, `node dist` and `python3 svc`."""
    name = name.rstrip("/") or "."
    if not node:
        # A compiled file runs its source's code (`compileall -b` and `rm app.py`, then `python3 app.pyc`: a real
        # image's app.py, in the context, wrote /var/log).
        return (
            [name, name[:-1]]
            if name.endswith(".pyc")
            else [name]
            if name.endswith(".py")
            else [name, f"{name}/__main__.py"]
        )
    out = [name] if _CODE_FILE.fullmatch(name) else []
    if not re.search(r"\.[cm]?[jt]s$", name):
        out += [f"{name}.js", f"{name}.mjs", f"{name}.cjs"] if name not in (".", "..") else []
        try:
            main = json.loads(read(posixpath.join(name, "package.json")) or "{}").get("main")
        except (ValueError, AttributeError):
            main = None
        if isinstance(main, str) and main:
            out += _module_files(posixpath.normpath(posixpath.join(name, main)), node=True, read=read)
        out.append(posixpath.normpath(posixpath.join(name, "index.js")))
    return [*out, *(ts for path in out if path.endswith(".js") for ts in _typescript_sources(path, read))]


def _typescript_sources(compiled: str, read: Callable[[str], str | None]) -> list[str]:
    """The TypeScript files tsc may compile to ``compiled``: its outDir replaced by its rootDir (or `src`, its usual
    home), `.js` by `.ts`; by the settings of tsconfig.json or tsconfig.build.json and those they extend, and, as
    tsc's command line may set both (`tsc --outDir build --rootDir src`), the file's top folder replaced by `src` or
    dropped (real images' compiled code was not read either way)."""
    path = posixpath.normpath(compiled.removeprefix("./"))
    stem = path[: -len(".js")]
    out: list[str] = []
    for config in ("tsconfig.json", "tsconfig.build.json"):
        options = _tsconfig_options(config, read)
        out_dir = posixpath.normpath(str(options.get("outDir", "dist"))).removeprefix("./")
        root_dir = posixpath.normpath(str(options.get("rootDir", "src"))).removeprefix("./")
        if path.startswith(out_dir + "/"):
            out.append(posixpath.join(root_dir, path[len(out_dir) + 1 :])[: -len(".js")] + ".ts")
    top, _, rest = stem.partition("/")
    out += [f"src/{rest}.ts", f"{rest}.ts"] if rest and top != "src" else []
    return list(dict.fromkeys([*out, stem + ".ts"]))


def _tsconfig_options(config: str, read: Callable[[str], str | None], depth: int = 0) -> dict[str, object]:
    """The compilerOptions of a tsconfig file, over those of the file it `extends` (a local one, a few levels)."""
    try:
        data = json.loads(read(config) or "{}")
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    options = data.get("compilerOptions", {})
    base = data.get("extends")
    inherited = (
        _tsconfig_options(posixpath.normpath(posixpath.join(posixpath.dirname(config), base)), read, depth + 1)
        if isinstance(base, str) and base.startswith(".") and depth < 3
        else {}
    )
    return {**inherited, **(options if isinstance(options, dict) else {})}


def _local_modules(code: str, folder: str = "", search: ModuleSearch = ((), ())) -> list[str]:
    """The files of the project's own modules ``code`` (a file in ``folder`` of the context) imports, as paths from
    the context's top folder, each with the spellings the interpreter tries: `import store`, `from app.db import x`
    (`store.py`, `app/db.py`, `app/db/__init__.py`, `app/db/x.py`), relative imports (`from . import log`, `from
    .log import setup`), `importlib.import_module('x')`, `__import__('x')`, `runpy.run_path('boot.py')`; Node's
    `require('./db')`, `require(path.join(__dirname, 'log'))`, `import './x.mjs'`, `export * from './x'` and
    `import('./x')`, as `db.js`, `db/index.js`... Real images ran modules reached each way that wrote /var/log.
    Modules named bare (`require('logsetup')`, `import logsetup`) are looked for in ``search``'s folders too."""
    node_path, python_path = search
    names: list[str] = []
    for m in _PY_IMPORT.finditer(code):
        module, imported, plain = m[1], m[2], m[3]
        if plain:
            # (also beside the importing file: Python puts the script's folder first on sys.path, `python3 src/app.py`
            # imports src/log.py, as a zip application's __main__.py does its neighbours)
            names += [n for base in dict.fromkeys(("", folder, *python_path)) for n in _python_module(plain, base)]
            continue
        dots = len(module) - len(module.lstrip("."))
        up = folder
        for _ in range(max(dots - 1, 0)):
            up = posixpath.dirname(up)
        rest = module.lstrip(".")
        for base in [up] if dots else list(dict.fromkeys(["", folder, *python_path])):
            if rest:
                names += _python_module(rest, base)
            prefix = posixpath.join(base, rest.replace(".", "/")) if rest else base
            names += [
                posixpath.join(prefix, f"{n.strip()}.py") for n in imported.split(",") if n.strip().isidentifier()
            ]
    names += [n for m in _PY_DYNAMIC.finditer(code) for base in ("", *python_path) for n in _python_module(m[1], base)]
    for m in _PY_DYNAMIC_RELATIVE.finditer(code):
        package = m[2].split(".")
        levels = len(m[1]) - len(m[1].lstrip("."))
        parts = [*package[: len(package) - levels + 1], *filter(None, m[1].lstrip(".").split("."))]
        names += _python_module(".".join(parts), "") if parts else []
    names += [posixpath.normpath(posixpath.join(folder, m)) for m in _PY_RUN_PATH.findall(code)]
    # Ruby's `require_relative "lib/store"` (beside the file) and PHP's `require __DIR__ . "/lib/store.php"`,
    # `include "lib/store.php"`.
    for m in _SCRIPT_INCLUDE.finditer(code):
        if m["ruby"] is not None:
            names.append(posixpath.normpath(posixpath.join(folder, m["ruby"].removesuffix(".rb") + ".rb")))
        elif m["cwd"] is not None:
            names.append(posixpath.normpath(m["cwd"].removesuffix(".rb") + ".rb"))
        else:
            names.append(posixpath.normpath(posixpath.join(folder if m["dir"] else "", m["php"].lstrip("/"))))
    imported_js = [m[1] or m[2] for m in _IMPORT_LOCAL.finditer(code)]
    joined = [next(g for g in m.groups() if g) for m in _JOINED_LOCAL.finditer(code)]
    relative = [*_REQUIRE_LOCAL.findall(code), *imported_js, *joined]
    paths = [posixpath.join(folder, r) for r in relative]
    if node_path:
        bare = [m[1] or m[2] for m in _REQUIRE_BARE.finditer(code)]
        paths += [posixpath.join(base, name) for name in bare for base in node_path]
    for path in map(posixpath.normpath, paths):
        names += _module_files(path, node=True, read=lambda _: None) if not path.endswith(".json") else [path]
    return names


# The context's folders where Node (NODE_PATH) and Python (PYTHONPATH) find modules named bare.
ModuleSearch = tuple[tuple[str, ...], tuple[str, ...]]


def module_search(end: State) -> ModuleSearch:
    """The folders of the build context, as a `COPY . .` into the working folder puts them, where the final
    stage's NODE_PATH and PYTHONPATH have Node and Python look for modules named bare (`ENV NODE_PATH=/app/lib`
    and `require('logsetup')`: a real image's lib/logsetup.js wrote /var/log). Entries outside the working folder
    are not followed."""

    def folders(name: str) -> tuple[str, ...]:
        out = []
        for entry in end.env.get(name, "").split(":"):
            path = _stages.join(end.workdir, entry) if entry and "$" not in entry else None
            if path is not None and common.inside(path, end.workdir):
                out.append(posixpath.relpath(path, end.workdir) if path != end.workdir else "")
        return tuple(f for f in dict.fromkeys(out) if f not in ("", "."))

    return folders("NODE_PATH"), folders("PYTHONPATH")


def _python_module(module: str, base: str) -> list[str]:
    """The files Python may load for the dotted ``module`` below ``base``: a module file or a package's
    ``__init__.py``."""
    path = posixpath.join(base, module.replace(".", "/"))
    return [f"{path}.py", f"{path}/__init__.py"]


def with_modules(
    ctx: Context, code_files: list[tuple[str, str]], search: ModuleSearch = ((), ())
) -> list[tuple[str, str]]:
    """``code_files`` and the project's own modules they import, and those these import in turn (`from settings
    import PORT`; `pkg/__init__.py` doing `from .log import *`; a real image's logger three requires down wrote
    /var/log), up to ``_MODULES_READ`` files, read from the build context (where a `COPY . .` puts them beside the
    start code); bare names also in ``search``'s folders (NODE_PATH, PYTHONPATH)."""
    out = list(code_files)
    seen = {name for name, _ in code_files}
    queue = [(name, name, code, 0) for name, code in code_files]
    aliases = _package_aliases(ctx)
    while queue:
        shown, path, code, depth = queue.pop(0)
        named = [aliases[m[1] or m[2]] for m in _REQUIRE_BARE.finditer(code) if (m[1] or m[2]) in aliases]
        named += _computed_modules(ctx, code, posixpath.dirname(path.split(" (", 1)[0]))
        for name in [*_local_modules(code, posixpath.dirname(path.split(" (", 1)[0]), search), *named]:
            clean = posixpath.normpath(name.removeprefix("./"))
            if clean in seen or clean.startswith(("..", "/")) or len(seen) >= _MODULES_READ:
                continue
            text = ctx.build.read_text(clean)
            if text is None:
                continue
            seen.add(clean)
            entry = (f"{shown} (through {name})", text)
            out.append(entry)
            if depth < _MODULE_DEPTH:
                queue.append((entry[0], clean, text, depth + 1))
    return out


def _computed_modules(ctx: Context, code: str, folder: str) -> list[str]:
    """The code files of the folder a computed require or import loads from (`require('./plugins/' + f)`,
    `require('./' + m)`, `importlib.import_module('plugins.' + name)`, `import_module(f"plugins.{name}")`): any of
    them may run (real images' plugins so loaded wrote /var/log)."""
    out: list[str] = []
    for m in _COMPUTED_MODULE.finditer(code):
        extensions: tuple[str, ...] = _NODE_CODE if m[1] is not None else (".py",)
        if m[1] is not None:
            base = posixpath.normpath(posixpath.join(folder, m[1].rpartition("/")[0] or "."))
        else:
            base = m[2].rstrip(".").replace(".", "/")
        base = "" if base == "." else base
        for entry in ctx.build.listdir(base)[:_MODULES_READ]:
            if entry.endswith(extensions):
                out.append(posixpath.join(base, entry))
            elif entry.endswith("/"):
                out += [posixpath.join(base, entry, f"index{e}" if e != ".py" else "__init__.py") for e in extensions]
    return out


_COMPUTED_MODULE: Final = re.compile(
    r"""\b(?:require|import)\(\s*(?:__dirname\s*\+\s*)?['"`](\.{0,2}/?[^'"`$]*/)[^'"`$]*['"`]\s*\+"""
    r"""|import_module\(\s*f?['"]([\w.]+\.)(?:['"]\s*\+|\{)"""
)
_NODE_CODE: Final = (".js", ".mjs", ".cjs")


def _package_aliases(ctx: Context) -> dict[str, str]:
    """The module names the project's package.json maps to its own files: subpath imports (`"imports": {"#log":
    "./lib/log.js"}`, `require('#log')`) and its exports under its own name (`"exports": {"./log": "./lib/log.js"}`,
    `require('app/log')`). Real images' modules reached so wrote /var/log."""
    try:
        package = json.loads(ctx.build.read_text("package.json") or "{}")
    except ValueError:
        return {}
    if not isinstance(package, dict):
        return {}
    out: dict[str, str] = {}
    name = package.get("name")
    exports = package.get("exports")
    tables = [(package.get("imports"), ""), (exports if isinstance(name, str) else None, str(name))]
    for table, prefix in tables:
        for key, target in table.items() if isinstance(table, dict) else ():
            # A condition map (`{"require": "./lib/log.cjs", "default": ...}`): its first file.
            found = (
                next((t for t in target.values() if isinstance(t, str)), None) if isinstance(target, dict) else target
            )
            if isinstance(found, str) and "*" not in key and found.startswith("./"):
                spec = key if not prefix else prefix + key[1:] if key.startswith(".") else ""
                out[spec] = posixpath.normpath(found)
    return {k: v for k, v in out.items() if k}


# How far the app's own imports are followed: an app's modules are few, and each is read once.
_MODULES_READ: Final = 64
_MODULE_DEPTH: Final = 6


_BUILD_RUNNERS: Final = re.compile(r"\b(?:node|npm|yarn|pnpm|python[\d.]*|make)\b")
# `from MODULE import NAMES` (module, maybe relative: `.log`, names) or `import MODULE` (third group).
_PY_IMPORT: Final = re.compile(
    r"(?:^|[;\n]|\bthen\b)\s*(?:from\s+(\.*[\w.]*)\s+import\s+\(?([\w ,*]*)|import\s+([\w.]+))"
)
# (and Django's settings module, which `os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")` names)
_PY_DYNAMIC: Final = re.compile(
    r"""(?:(?:import_module|__import__|run_module)\(|DJANGO_SETTINGS_MODULE['"]\s*,)\s*['"]([\w.]+)['"]"""
)
# `importlib.import_module('.log', 'pkg')`: a relative name and its package.
_PY_DYNAMIC_RELATIVE: Final = re.compile(
    r"""import_module\(\s*['"](\.+[\w.]*)['"]\s*,\s*(?:package\s*=\s*)?['"]([\w.]+)['"]"""
)
# A file run or loaded by its path: `runpy.run_path('boot.py')`, `exec(open('boot.py').read())`,
# `importlib.util.spec_from_file_location('boot', 'boot.py')` (real images' boot.py wrote /var/log).
_PY_RUN_PATH: Final = re.compile(
    r"""(?:run_path\(|exec\(\s*open\(|spec_from_file_location\(\s*['"][\w.]+['"]\s*,)\s*['"]([^'"]+\.py)['"]"""
)
# Template literals without placeholders count too (``require(`./log.js`)``: a real image's module wrote /var/log).
_SCRIPT_INCLUDE: Final = re.compile(
    r"""\brequire_relative\s*\(?\s*['"](?P<ruby>[^'"#{}]+)['"]"""
    # Ruby's `require "./lib/store"`, from the working folder
    r"""|\brequire\s*\(?\s*['"](?P<cwd>\.\.?/[^'"#{}]+)['"]"""
    r"""|\b(?:require|include)(?:_once)?\s*\(?\s*(?P<dir>__DIR__\s*\.\s*)?['"](?P<php>[\w./-]+\.php)['"]"""
)
_REQUIRE_LOCAL: Final = re.compile(r"""require\(\s*['"`](\.{1,2}/[^'"`$]+)['"`]\s*\)""")
# A module required or imported by a bare name (`require('logsetup')`), which NODE_PATH's folders may hold.
_REQUIRE_BARE: Final = re.compile(
    r"""require\(\s*['"`]([\w@#][\w@./-]*)['"`]\s*\)|^\s*(?:import|export)\s+(?:[^'";]*?\sfrom\s+)?['"]([\w@#][\w@./-]*)['"]""",
    re.MULTILINE,
)
# An ES module's static imports of the project's own files (`import './lib/log.mjs'`, `import x from './db.js'`:
# a real image's imported module wrote /var/log).
_IMPORT_LOCAL: Final = re.compile(
    r"""^\s*(?:import|export)\s+(?:[^'";]*?\sfrom\s+)?['"](\.{1,2}/[^'"]+)['"]|\bimport\(\s*['"`](\.{1,2}/[^'"`$]+)['"`]""",
    re.MULTILINE,
)
# `require(path.join(__dirname, 'log'))`, `path.resolve(__dirname, 'lib/log')`.
# `require(path.join(__dirname, 'log'))`, `require(__dirname + '/log')`, ``require(`${__dirname}/log.js`)``, and an
# ES module's `import(new URL('./log.mjs', import.meta.url))` (real images' modules reached so wrote /var/log).
_JOINED_LOCAL: Final = re.compile(
    r"""(?:join|resolve)\(\s*__dirname\s*,\s*['"`]([^'"`$]+)['"`]\s*\)"""
    r"""|__dirname\s*\+\s*['"`]/([^'"`$]+)['"`]|`\$\{__dirname\}/([^`$]+)`"""
    r"""|new\s+URL\(\s*['"`](\.{1,2}/[^'"`$]+)['"`]\s*,\s*import\.meta\.url"""
)


# Code that leaves a file private: an explicit owner-only mode, or a temporary file (0600) moved into place.
_PRIVATE_CODE: Final = re.compile(
    r"""\bos\.open\([^)]*\b0o?[0-7]?[0-7]{2}[0-3]\b|\bchmod(?:Sync)?\([^)]*\b0o?[0-7]?[0-7]{2}[0-3]\b"""
    r"""|\bumask\(\s*0o?0?[0-7][4-7]\s*\)|\bmode:\s*0o?[0-7]?[0-7]{2}[0-3]\b|mkstemp\(|NamedTemporaryFile\("""
)
_MOVES_INTO_PLACE: Final = re.compile(r"\b(?:os\.replace|os\.rename|shutil\.move|renameSync)\(")
# Folders and files code makes by a path it spells out (relative ones too: they start in the working folder).
_CODE_MAKES: Final = re.compile(
    r"""\b(?:makedirs|mkdir|mkdirSync)\(\s*['"`]([^'"`$]+)['"`]"""
    r"""|\bopen\(\s*['"]([^'"]+)['"]\s*,\s*['"][wax]"""
    r"""|\b(?:writeFileSync|appendFileSync|writeFile|appendFile|createWriteStream|openSync)\(\s*['"`]([^'"`$]+)['"`]"""
    # Python's logging opens its file when configured (`basicConfig(filename='app.log')`, `FileHandler('x.log')`).
    r"""|\bbasicConfig\([^)]*?\bfilename\s*=\s*['"]([^'"]+)['"]|\b(?:Rotating|TimedRotating|Watched)?FileHandler\("""
    r"""\s*(?:filename\s*=\s*)?['"]([^'"]+)['"]"""
    # A logging configuration's handler file (`dictConfig({... 'filename': 'app.log'})`, winston's `{ filename:
    # 'app.log' }`, also in a logging.ini's `args=('app.log', 'a')`, which build_scripts reads).
    r"""|['"]?\bfilename['"]?\s*:\s*(?:os\.path\.join\([^)'"]*,\s*)?['"`]([^'"`$]+)['"`]"""
    r"""|^args\s*=\s*\(\s*['"]([^'"]+)['"]"""
    r"""|\bsqlite3\.connect\(\s*['"]([^'":]+)['"]|\bPath\(\s*['"]([^'"]+)['"]\s*\)\.(?:mkdir|write_text|write_bytes|touch)\(""",
    re.MULTILINE,
)
# An absolute path a variable named for a folder or file holds, directly or as a default (`UPLOAD_DIR = '/srv/x'`,
# `const dir = process.env.UPLOAD_DIR || '/srv/uploads'`, `??`, `or`, `data_root: str = '/srv'`), a default an
# environment variable of such a name gets (`os.environ.get('DATA_DIR', '/srv/data')`, `getenv("DATA_DIR") ?:
# "/srv/data"`, `ENV["DATA_DIR"] || "/srv/data"`), or a path object made from
# it (`Path('/srv')`, Java's `Paths.get("/srv", "data")`, Rust's `PathBuf::from("/srv")`). Names of URLs and routes
# (`BASE_URL = '/api'`, `url_prefix='/api'`) are left out after matching.
_HELD_PATH: Final = re.compile(
    r"""(?i:\b(\w*(?:dir|path|folder|root|home|base|data|upload|media|storage|cache|log|file|db|store|state)\w*))"""
    r"""\s*(?::\s*[\w\[\]|. &']+)?\s*(?<![=!<>]):?=(?!=)\s*"""
    r"""(?:[^'"`\n;]*?(?:\|\||\?\?|\?:|\bor\b|\bunwrap_or(?:_else)?\((?:\s*\|_\|)?)\s*)?"""
    r"""['"`](/[\w.-]+(?:/[\w.-]+)*)/?['"`]"""
    r"""|(?:(?:getenv|environ\.get|getOrDefault|getProperty|ENV\.fetch)\(|\bENV\[)\s*['"]([\w.]+)['"]"""
    r"""\s*(?:,|[)\]]\s*(?:\?:|\?\?|\|\||\bor\b))\s*['"](/[\w.-]+(?:/[\w.-]+)*)/?['"]"""
    r"""|\b(?:Path(?:\.of)?|Paths\.get|File|Path::new|PathBuf::from)\(\s*()['"](/[\w.-]+(?:/[\w.-]+)*)/?['"]\s*[,)]"""
)
# A name given an absolute path (`OUT = "/srv/exports"`, `$dir = '/srv/x';`, `const out = "/srv"`).
# Also as the default after the environment (`process.env.OUT_DIR || "/srv/reports"`, `os.environ.get("OUT",
# "/srv/out")`).
_ASSIGNED_PATH: Final = re.compile(
    r"""(?:^|[\s;(])(?:(?:const|let|var|my|final|static|private|public)\s+)*\$?([A-Za-z_]\w*)\s*(?::\s*\w+\s*)?=\s*"""
    r"""(?:[^'"`\n;=]*?(?:\|\||\?\?|\?:|\bor\b)\s*|(?:os\.environ\.get|os\.getenv|getenv|ENV\.fetch)\(\s*['"]\w+['"]\s*,\s*)?"""
    r"""['"](/[\w.-]+(?:/[\w.-]+)*)/?['"]\s*\)?\s*;?\s*$""",
    re.MULTILINE,
)
_DEFINED_PATH: Final = re.compile(
    r"""^\s*#\s*define\s+(\w+)\s+"(/[\w.-]+(?:/[\w.-]+)*)/?"|\bdefine\(\s*['"](\w+)['"]\s*,\s*['"](/[\w.-]+(?:/[\w.-]+)*)/?['"]"""
    r"""|\buse\s+constant\s+(\w+)\s*=>\s*['"](/[\w.-]+(?:/[\w.-]+)*)/?['"]""",  # Perl's `use constant LOG => '/srv/x'`
    re.MULTILINE,
)
# (an upper-case key, or one named for a folder or file: not `path: "/api"`)
_KEYED_PATH: Final = re.compile(
    r"""(?:[{,]|^)\s*((?:[A-Z][A-Z0-9]*_)*[A-Z][A-Z0-9]*|(?i:\w*(?:dir|folder|root|file|log|data|store|cache|upload)\w*))"""
    r"""\s*:\s*['"](/[\w.-]+(?:/[\w.-]+)*)/?['"]""",
    re.MULTILINE,
)
# A call that makes or writes what a name holds: its first argument, or the first part joined into it.
_WRITE_OF_NAME: Final = re.compile(
    r"""\b(?:mkdir_p|makedirs|mkdir|mkdirSync|MkdirAll|create_dir_all|createDirectories|make_path|mkpath"""
    r"""|writeFileSync|appendFileSync|createWriteStream|file_put_contents|File\.write|WriteFile|touch)"""
    r"""\(\s*(?:(?:[\w.]+\.)?(?:join|Join)\(\s*)?\$?([A-Za-z_]\w*)\s*[,)]"""
    r"""|\b(?:File\.open|fopen|open)\(\s*(?:(?:[\w.]+\.)?(?:join|Join)\(\s*)?\$?([A-Za-z_]\w*)\b[^()\n]*(?:\([^()\n]*\))?"""
    r"""[^()\n]*,\s*['"][wa]"""
    r"""|\bopen\s*\(?\s*(?:my\s+)?\$?\w+\s*,\s*['"]\+?>>?['"]\s*,\s*\$?([A-Za-z_]\w*)\s*\)"""  # Perl's 3-argument open
)
_NOT_A_FOLDER_NAME: Final = re.compile(
    r"url|uri|route|prefix|endpoint|api|href|link|mount|login|redirect", re.IGNORECASE
)
# Top folders whose paths code names to read (`/etc/hosts`, `/usr/share/zoneinfo`) or scratch: not the app's data.
_SYSTEM_TREES: Final = frozenset(
    {"", "etc", "usr", "proc", "sys", "dev", "tmp", "bin", "sbin", "lib", "lib64", "run", "root", "boot"}
)
# Django's upload folder, an absolute path in the settings (`MEDIA_ROOT = "/srv/media"`): the app writes there.
_DJANGO_MEDIA: Final = re.compile(
    r"""^MEDIA_ROOT\s*=\s*(?:Path\()?(?:os\.(?:environ\.get|getenv)\(\s*['"]\w+['"]\s*,\s*)?['"](/[^'"]+)['"]""",
    re.MULTILINE,
)
_CODE_WRITES_ANY: Final = re.compile(
    r"""\bopen\([^\n]*?,\s*['"][wax]|\b(?:write|append)File(?:Sync)?\(|\bmakedirs\(|\bsqlite3\.connect\(|\.write_text\("""
    r"""|\bmkdirSync\(|\bcreateWriteStream\(|\.mkdir\(|\bos\.(?:WriteFile|MkdirAll|Mkdir|Create|OpenFile)\("""
    # Ruby's and PHP's.
    r"""|\bFile\.(?:write|open\([^)\n]*,\s*['"][wa])|\bFileUtils\.(?:mkdir_p|makedirs|touch|cp|mv)\(|\bDir\.mkdir\("""
    r"""|\bLogger\.new\(\s*['"]|\bfile_put_contents\(|\bfopen\([^)\n]*,\s*['"][waxc]|(?<![\w.$>])mkdir\("""
    r"""|\bopen\s*\(?\s*(?:my\s+)?\$?\w+\s*,\s*['"]\+?>|\b(?:make_path|mkpath)\("""
    # Other languages' (their sources are read when the file builds or runs them): Elixir's, C's and C++'s, R's,
    # Clojure's, Haskell's and Swift's.
    r"""|\bFile\.(?:write|mkdir_p|touch)!?\(|\b(?:std::)?(?:ofstream|fstream)\s+\w+\s*[({]|\bcreate_director(?:y|ies)\("""
    r"""|\bopen\([^()\n]*O_(?:WRONLY|RDWR|CREAT)|\bdir\.create\(|\b(?:writeLines|write\.csv|saveRDS)\("""
    r"""|\((?:spit|io/make-parents)\s|\b(?:writeFile|appendFile|createDirectoryIfMissing)\s"""
    r"""|\b(?:createDirectory|createFile)\(\s*atPath\s*:|\.write\(\s*toFile\s*:"""
    # Compiled programs': Go's ioutil, Rust's std::fs, java.nio and java.io (Kotlin's extensions), C#'s System.IO.
    r"""|\bioutil\.WriteFile\(|\bfs::(?:write|create_dir(?:_all)?|copy|rename|hard_link)\(|\bFile::create\("""
    r"""|\b(?:OpenOptions::new|File::options)\(|\bFiles\.(?:write\w*|create\w*|copy|move|newBufferedWriter|newOutputStream)\("""
    r"""|\bnew\s+(?:FileOutputStream|FileWriter|PrintWriter|StreamWriter|FileStream|RandomAccessFile)\("""
    r"""|\.(?:mkdirs|createNewFile|writeText|appendText|writeBytes)\(|\bDirectory\.CreateDirectory\("""
    r"""|\bFile\.(?:WriteAll\w+|AppendAll\w+|Create|OpenWrite|AppendText|CreateText|Copy|Move)\("""
    # Logging libraries writing files: winston's File transport, pino's destination, Python's file handlers.
    r"""|\btransports\.File\(|\bpino\.destination\(|\bFileHandler\b|\bbasicConfig\([^)]*filename"""
)


# A path the code assembles from literal parts: `['', 'var', 'log'].join('/')`, `'/'.join(['', 'var', 'log'])`,
# `os.sep.join(...)`, `path.join('/', 'var', 'log')`, `os.path.join(os.sep, 'srv', 'data')`, Go's `filepath.Join("/",
# "var", "cache")`. The checks for paths the code
# spells out read it as the quoted path it makes (a real image's `['', 'var', 'log'].join('/')` wrote /var/log,
# where only root may).
_LITERAL: Final = r"""(?:'[^'\\\n]*'|"[^"\\\n]*"|`[^`\\$\n]*`|\b(?:os|path)\.sep\b)"""
_LITERALS: Final = rf"{_LITERAL}(?:\s*,\s*{_LITERAL})*\s*,?"
_LITERAL_JOIN: Final = re.compile(
    rf"""\[\s*(?P<array>{_LITERALS})\s*\]\s*\.join\(\s*['"`]/['"`]\s*\)"""
    rf"""|(?:['"]/['"]|\bos\.sep)\s*\.join\(\s*[\[(]\s*(?P<joined>{_LITERALS})\s*[\])]\s*\)"""
    rf"""|\bstrings\.Join\(\s*\[\]string\{{\s*(?P<go>{_LITERALS})\s*\}}\s*,\s*"/"\s*\)"""
    rf"""|\b(?:(?:path(?:\.posix)?|filepath)\.(?P<appends>join|Join)|(?:os\.path|posixpath|path(?:\.posix)?)\."""
    rf"""(?:join|resolve))\(\s*(?P<args>{_LITERALS})\s*\)"""
)


def fold_joins(code: str) -> str:
    """``code`` with each path it joins from literal parts written as the quoted absolute path it makes, and the
    literal parts a join starts with as one (`path.Join("/var", "log", name)` reads `path.Join("/var/log", name)`)."""
    if ".join(" not in code and ".resolve(" not in code and ".Join(" not in code:
        return code
    return _LITERAL_PREFIX.sub(_prefix_joined, _LITERAL_JOIN.sub(_joined, code))


def _prefix_joined(m: re.Match[str]) -> str:
    parts = ["/" if p.endswith(".sep") else p[1:-1] for p in re.findall(_LITERAL, m["parts"])]
    path = "/".join(parts)
    if not path.startswith("/") or len(parts) < 2:
        return m[0]
    return f"{m['call']}'/{posixpath.normpath(path).lstrip('/')}',"


_LITERAL_PREFIX: Final = re.compile(
    rf"""(?P<call>\b(?:(?:path(?:\.posix)?|filepath)\.(?:join|Join)|(?:os\.path|posixpath)\.join)\(\s*)"""
    rf"""(?P<parts>{_LITERAL}(?:\s*,\s*{_LITERAL})+)\s*,(?=\s*[^\s'"`])"""
)


def _joined(m: re.Match[str]) -> str:
    found = m["array"] or m["joined"] or m["go"] or m["args"]
    parts = ["/" if p.endswith(".sep") else p[1:-1] for p in re.findall(_LITERAL, found)]
    # A string join, Node's path.join or Go's appends every part (`path.join('/a', '/b')` is /a/b); with os.path.join
    # and path.resolve an absolute part starts again.
    appends = m["args"] is None or m["appends"] is not None
    path = "/".join(parts) if appends else posixpath.join(*parts) if parts else ""
    return f"'/{posixpath.normpath(path).lstrip('/')}'" if path.startswith("/") else m[0]


def start_code_files(
    tree: Dockerfile, ctx: Context, chain: tuple[Stage, ...], walked: common.Walk, end: State
) -> list[tuple[str, str]]:
    """(name, text) of the code files the start command runs: `node server.js`, `python app.py`, `python -m app`,
    those npm's scripts run (`"prestart": "node gen-config.js"`) and those its start scripts run, as copied from the
    build context; and the project an app server or build tool it runs loads as a whole (`bundle exec puma`, `php
    -S`, `next start`, `go run .`) or a script loads by pattern (Ruby's `Dir[...]` requires, PHP's autoloaders), with
    the configuration file the server is given."""
    out: dict[str, str] = {}
    served: dict[_Language, None] = {}  # the languages whose app server the start command runs, in order
    configs: list[str] = []  # the configuration files the start commands name (`thin -C config/thin.yml`)
    for words in startup.start_words(tree, chain):
        configs += [words[k + 1] for k in range(len(words) - 1) if words[k] in ("-C", "-c", "--config")][:1]
        commands = [list(words)]
        # And the code the start scripts run (`python3 scripts/prep.py` in start.sh: a real image's prep.py wrote
        # /var/log as the new user).
        for script in _stages.start_scripts(words):
            text = _stages.script_text(tree, walked, script, end.workdir, ctx.build)
            parsed = _shell.split(text) if isinstance(text, str) else None
            commands += [list(c.argv) for c in parsed.commands] if parsed is not None else []
        for argv in commands:
            for name, code in _run_code(tree, ctx, walked, end, argv):
                out.setdefault(name, code)
                # A script that loads the project's files by pattern (`Dir[File.join(__dir__, "app", "**", "*.rb")]
                # .each { |f| require f }`, PHP's `spl_autoload_register`, Composer's autoloader): all of them.
                served.update({lang: None for lang in _LANGUAGES if lang.loads is not None and lang.loads.search(code)})
            # (also what npm's start script runs: `"start": "next start"`)
            scripts = [_shell.split(line) for line in common.npm_start_scripts(ctx, argv).splitlines()]
            for run in [argv, *(c.argv for script in scripts if script is not None for c in script.commands)]:
                language = _served_language(run)
                served.update({language: None} if language is not None else {})
    for language in served:
        out.update(_project_sources(ctx, language))
    # The configuration file a server of the project is given (`thin -C config/thin.yml`: `port: 80`).
    for config in configs if served else ():
        text = _stages.script_text(tree, walked, common.from_cwd(config), end.workdir, ctx.build)
        out.update({config: text} if isinstance(text, str) else {})
    if not out:
        out.update(_compiled_sources(tree, ctx, lambda: _starts_a_context_file(tree, ctx, chain, walked, end)))
    return list(out.items())


def _unbundled(words: Sequence[str]) -> list[str]:
    """``words`` past `bundle exec` (`bundle exec ruby app.rb` runs ruby, `bundle exec puma` puma)."""
    bundled = bool(words) and words[0].rsplit("/", 1)[-1] == "bundle" and list(words[1:2]) == ["exec"]
    return list(words[2:] if bundled else words)


def _served_language(argv: Sequence[str]) -> _Language | None:
    """The language of the project the command runs from its sources as a whole, if it does: Ruby's Rails, Rack and
    job servers (`bundle exec rails server`, `bin/rails s`, `puma -C config/puma.rb`, `rackup`, `sidekiq`), PHP's
    built-in server and framework consoles (`php -S 0.0.0.0:8000 -t public`, `php artisan serve`), and build tools
    that compile and run the project at start (`go run .`, `cargo run`, `mix phx.server`, `lein run`). They load the
    app's files by convention, not by a file named on the command line."""
    words = list(_shell.program_words(argv))
    run = _shell.runner_command(words)  # `npx next start`
    words = _unbundled(run if isinstance(run, tuple) else words)
    command = " ".join([words[0].rsplit("/", 1)[-1], *words[1:]]) if words else ""
    return next((lang for lang in _LANGUAGES if lang.serve is not None and lang.serve.match(command)), None)


def _starts_a_context_file(
    tree: Dockerfile, ctx: Context, chain: tuple[Stage, ...], walked: common.Walk, end: State
) -> bool:
    """Whether the start command runs a program, or a jar (`java -jar app.jar`), the file copies in from the build
    context: one built outside the file, whose sources the context may hold beside it."""
    for words in startup.start_words(tree, chain):
        # (a jar is a file from the working folder, not a program found in PATH: `java -jar app.jar`)
        jars = [words[k + 1] for k in range(len(words) - 1) if words[k] == "-jar"]
        files = [*words[:1], *map(common.from_cwd, jars)]
        if any(isinstance(_stages.program_file(tree, walked, file, end.workdir, ctx.build), str) for file in files):
            return True
    return False


def _compiled_sources(tree: Dockerfile, ctx: Context, prebuilt: Callable[[], bool] = lambda: False) -> dict[str, str]:
    """The sources of the programs a RUN of the file compiles from the build context (`go build`, `cargo build`,
    `mvn package`, `gradle build`, `dotnet publish`), and, when the image starts a program copied from the context
    (``prebuilt()``), those whose project file the context holds (go.mod, Cargo.toml, pom.xml...); only when the
    start command runs no interpreter's code. What the program writes, binds and needs is spelled there (real
    images' Go programs failed to make /var/lib/myapp, `filepath.Join("/", "var", "cache", ...)`, a `const dataDir =
    "/srv/data"` and internal/store's paths as the new user; round 22's Rust and Java programs failed to write
    /var/lib, /srv and /opt and to bind ports 80 and 443, also by a jar's application.properties). One text per
    language: a package's files share their names (a constant in config.go, the write in main.go). A JVM program's
    bundled settings (`src/main/resources/application.properties`: `server.port=80`) are read as settings files."""
    runs = [tree.view(ins).args_text for ins in tree.instructions if isinstance(ins, Run)]
    built = [lang for lang in _LANGUAGES if lang.build is not None and any(lang.build.search(text) for text in runs)]
    if prebuilt():
        # (and a program of another language than the one a RUN builds: a Go tool built beside a prebuilt jar)
        top = ctx.build.listdir("")
        built += [
            lang
            for lang in _LANGUAGES
            if lang.build is not None and lang not in built and any(lang.project.fullmatch(n) for n in top)
        ]
    out: dict[str, str] = {}
    for language in built:
        out.update(_project_sources(ctx, language))
    return out


def _project_sources(ctx: Context, language: _Language) -> dict[str, str]:
    """The build context's sources of ``language`` as one text named for their files, and the settings files
    bundled with them, each on its own. Breadth first: the main package, then internal/, cmd/, src/main/java/...
    (in a context of many folders and few sources, at most _FOLDERS_LISTED of them)."""
    texts: dict[str, str] = {}
    settings: dict[str, str] = {}
    folders = [""]
    listed = 0
    while folders and len(texts) < _MODULES_READ and listed < _FOLDERS_LISTED:
        folder = folders.pop(0)
        listed += 1
        # (folders where sources usually sit first, before others' many folders: assets/, docs/...)
        for name in sorted(ctx.build.listdir(folder), key=lambda n: n not in _SOURCE_FOLDERS):
            if name.endswith("/"):
                skipped = name.startswith((".", "_")) or name in language.skipped
                if not skipped and folder.count("/") < language.depth:
                    folders.append(folder + name)
                continue
            wanted = name.endswith(language.suffixes) and not name.endswith(language.tests)
            bundled = language.settings is not None and language.settings.fullmatch(name) is not None
            if (wanted and len(texts) < _MODULES_READ) or (bundled and len(settings) < _MODULES_READ):
                text = ctx.build.read_text(folder + name)
                if text is not None:
                    (texts if wanted else settings)[folder + name] = text
    out = {f"the {language.name} code ({', '.join(texts)})": "\n".join(texts.values())} if texts else {}
    out.update((f"{path}{_BUNDLED_SETTINGS}", text) for path, text in settings.items())
    return out


class _Language(NamedTuple):
    name: str
    build: re.Pattern[str] | None  # a RUN that compiles the program (None: an interpreter runs the sources)
    suffixes: tuple[str, ...]  # its source files
    tests: tuple[str, ...]  # test files among them, not read
    skipped: frozenset[str]  # folders not read: dependencies, build outputs, tests
    depth: int  # how deep sources sit (Java's packages are folders: src/main/java/com/example/app/)
    project: re.Pattern[str]  # the project file at the top of the sources
    settings: re.Pattern[str] | None = None  # settings files bundled with the program
    serve: re.Pattern[str] | None = None  # a start command (program name first) that runs the project's sources
    loads: re.Pattern[str] | None = None  # code that loads the project's files by pattern


_LANGUAGES: Final = (
    _Language(
        "Go",
        re.compile(r"\bgo\s+(?:build|install)\b"),
        (".go",),
        ("_test.go",),
        frozenset({"vendor/", "testdata/", "node_modules/"}),
        _MODULE_DEPTH,
        re.compile(r"go\.mod"),
        serve=re.compile(r"go\s+run\b"),
    ),
    _Language(
        "Rust",
        re.compile(r"\bcargo\s+(?:[-+]\S+\s+)*(?:build|install|b)\b"),
        (".rs",),
        (),
        frozenset({"target/", "tests/", "benches/", "examples/", "node_modules/"}),
        _MODULE_DEPTH,
        re.compile(r"Cargo\.toml"),
        serve=re.compile(r"cargo\s+(?:[-+]\S+\s+)*(?:run|r)\b"),
    ),
    _Language(
        "JVM",
        re.compile(r"""(?:^|[\s;&|(/"])(?:mvnw?|gradlew?|javac|kotlinc)(?:[\s"]|$)"""),
        (".java", ".kt"),
        (),
        frozenset({"target/", "build/", "test/", "node_modules/"}),
        _MODULE_DEPTH + 4,
        re.compile(r"pom\.xml|build\.gradle(?:\.kts)?"),
        re.compile(r"application[\w-]*\.(?:properties|ya?ml)"),
        re.compile(r"(?:mvnw?|gradlew?)\s.*\b(?:spring-boot:run|bootRun|run|exec:java|quarkus:dev|jetty:run)\b"),
    ),
    _Language(
        "C#",
        re.compile(r"""\bdotnet\s+(?:publish|build)\b|(?:^|[\s;&|(/"])(?:mcs|csc|msbuild|xbuild)(?:[\s"]|$)"""),
        (".cs",),
        (),
        frozenset({"bin/", "obj/", "node_modules/"}),
        _MODULE_DEPTH,
        re.compile(r"[\w.-]+\.csproj"),
        re.compile(r"appsettings(?:\.[\w-]+)?\.json"),
        re.compile(r"dotnet\s+(?:watch\s+)?run\b"),
    ),
    # C and C++: a compiler or build system a RUN runs on the context's sources (`gcc -o app main.c`, `make`,
    # `cmake --build build`).
    _Language(
        "C/C++",
        # (as a command, not a package `apt-get install gcc make` names)
        re.compile(
            r"""(?:^|[;&|(`]|\bthen|\bdo)\s*(?:\\\s*)*(?:[\w./-]*/)?(?:gcc|g\+\+|cc|c\+\+|clang|clang\+\+|make|cmake|meson"""
            r"""|ninja)(?=[\s";&|)]|$)""",
            re.MULTILINE,
        ),
        (".c", ".cc", ".cpp", ".cxx", ".h", ".hh", ".hpp"),
        ("_test.c", "_test.cc", "_test.cpp"),
        frozenset({"build/", "third_party/", "vendor/", "external/", "deps/", "test/", "tests/", "node_modules/"}),
        _MODULE_DEPTH,
        re.compile(r"Makefile|CMakeLists\.txt|meson\.build|configure"),
    ),
    _Language(
        "Elixir",
        re.compile(r"\bmix\s+(?:compile|release|escript\.build)\b"),
        (".ex", ".exs"),
        ("_test.exs",),
        frozenset({"deps/", "test/", "assets/", "node_modules/"}),
        _MODULE_DEPTH,
        re.compile(r"mix\.exs"),
        serve=re.compile(r"mix\b|(?:iex|elixir)\s.*-S\s+mix\b"),
    ),
    _Language(
        "Clojure",
        re.compile(r"\blein\s+(?:uberjar|jar|compile)\b|\bclojure\s+-T"),
        (".clj", ".cljc"),
        ("_test.clj",),
        frozenset({"target/", "test/", "node_modules/"}),
        _MODULE_DEPTH,
        re.compile(r"project\.clj|deps\.edn"),
        serve=re.compile(r"lein\s+(?:run|ring\s+server)\b|(?:clojure|clj)\s"),
    ),
    _Language(
        "Haskell",
        re.compile(r"\b(?:stack|cabal)\s+(?:[-\w=]+\s+)*?(?:build|install)\b|\bghc\s"),
        (".hs", ".lhs"),
        (),
        frozenset({"dist/", "dist-newstyle/", "test/", "tests/", "node_modules/"}),
        _MODULE_DEPTH,
        re.compile(r"[\w.-]+\.cabal|stack\.yaml|package\.yaml"),
        serve=re.compile(r"(?:stack|cabal)\s+(?:[-\w=]+\s+)*?(?:run|exec)\b|runghc\b|runhaskell\b"),
    ),
    _Language(
        "Swift",
        re.compile(r"\bswift\s+build\b"),
        (".swift",),
        (),
        frozenset({"Tests/", "node_modules/"}),
        _MODULE_DEPTH,
        re.compile(r"Package\.swift"),
        serve=re.compile(r"swift\s+run\b"),
    ),
    # Interpreted projects an app server loads as a whole, read as compiled ones are: JavaScript frameworks' servers
    # (`next start`: pages/, app/, src/, lib/; not their build outputs), Rails, Rack and job servers
    # (config.ru, config/, app/, lib/), PHP's built-in server and framework consoles.
    _Language(
        "JavaScript",
        None,
        (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".tsx"),
        (".test.js", ".test.ts", ".test.tsx", ".spec.js", ".spec.ts", ".d.ts"),
        frozenset({"node_modules/", "dist/", "build/", "out/", "public/", "coverage/", "test/", "tests/", "e2e/"}),
        _MODULE_DEPTH,
        re.compile(r"package\.json"),
        serve=re.compile(
            r"(?:next|nuxt|nuxi)\s+(?:start|dev)\b|(?:remix-serve|react-router-serve)\b|nest\s+start\b"
            r"|(?:astro|vite)\s+preview\b"
        ),
    ),
    _Language(
        "Ruby",
        None,
        (".rb", ".ru"),
        ("_spec.rb", "_test.rb"),
        frozenset({"vendor/", "spec/", "test/", "tmp/", "log/", "public/", "storage/", "db/", "node_modules/"}),
        _MODULE_DEPTH,
        re.compile(r"Gemfile|config\.ru"),
        serve=re.compile(
            r"(?:ruby\s+(?:-\S+\s+)*\S*/)?(?:rails|puma|rackup|unicorn|unicorn_rails|thin|falcon|hanami|sidekiq|iodine"
            r"|passenger|rake|good_job|resque)\b"
        ),
        # (a require of every file a glob finds)
        loads=re.compile(r"""\bDir(?:\.glob\(|\[)[^\n]*\*\.rb['"][^\n]*\brequire"""),
    ),
    _Language(
        "PHP",
        None,
        (".php",),
        ("Test.php",),
        frozenset({"vendor/", "tests/", "test/", "storage/", "var/", "cache/", "node_modules/"}),
        _MODULE_DEPTH,
        re.compile(r"composer\.json|index\.php"),
        serve=re.compile(
            r"php[\d.]*\s(?:.*\s)?-S\s|php[\d.]*\s+(?:-\S+\s+)*\S*\b(?:artisan|console)\b|(?:frankenphp|rr|artisan)\b"
        ),
        loads=re.compile(r"\bspl_autoload_register\(|vendor/autoload\.php"),  # its own autoloader, Composer's
    ),
)
_FOLDERS_LISTED: Final = 1000
_SOURCE_FOLDERS: Final = frozenset({"src/", "cmd/", "internal/", "pkg/", "app/", "lib/", "main/", "java/", "kotlin/"})
# The name's ending of a settings file bundled with a compiled program (read as a settings file the code names).
_BUNDLED_SETTINGS: Final = " (settings bundled with the program)"


def code_ports(ctx: Context, code_files: list[tuple[str, str]], findings: common.Findings) -> None:
    """A port below 1024 the app's own code chooses: a default after the environment (`process.env.PORT ?? 443`,
    `os.environ.get("HTTP_PORT", "80")`), `.listen(80)`, `port=80`, or the `port` of a JSON file it requires, or a
    PORT-like line of the `.env` it reads (real images failed to bind as the new user)."""
    for name, code in code_files:
        ports = [int(next(g for g in m.groups() if g)) for m in _CODE_PORT.finditer(code)]
        for m in _JSON_CONFIG.finditer(code):
            ports += _json_ports(ctx.build.read_text(posixpath.normpath(m.group(1))))
        # A settings file the code names (`open('config.json')`, `read('app.ini')`, `settings.toml`) or the one the
        # `config` package reads (config/default.json): its `port` key (real images failed to bind port 80).
        names = [m.group(1) for m in _SETTINGS_FILE.finditer(code)]
        names += ["config/default.json", "config/production.json"] if _NODE_CONFIG.search(code) else []
        for _settings, text in _read_settings(ctx, names):
            ports += [int(p) for p in _SETTINGS_PORT.findall(text or "")]
        if _READS_DOTENV.search(code):
            for m in re.finditer(r"^\s*(?:export\s+)?(\w+)\s*=\s*['\"]?(\d+)", ctx.build.read_text(".env") or "", re.M):
                if m.group(1).upper() in startup.LISTEN_PORT_VARS:
                    ports.append(int(m.group(2)))
        low = sorted({p for p in ports if 0 < p < 1024})
        if low:
            who = f"the program ({name.removesuffix(_BUNDLED_SETTINGS)})" if name.endswith(_BUNDLED_SETTINGS) else name
            findings.unsafe.append(
                f"{who} listens on port {low[0]} unless told otherwise: a non-root process may bind ports below "
                "1024 only where the runtime allows it"
            )
            return


def argument_ports(
    tree: Dockerfile, chain: tuple[Stage, ...], code_files: list[tuple[str, str]], findings: common.Findings
) -> None:
    """A port below 1024 the start command hands the app's code as a plain argument (`node server.js 80`), when
    that code reads its arguments and listens (`.listen(+process.argv[2])`: a real image failed to bind as the new
    user)."""
    code = dict(code_files)
    for words in startup.start_words(tree, chain):
        if not words or not _interpreter(words[0]):
            continue
        file = next((k for k, w in enumerate(words[1:], start=1) if _CODE_FILE.fullmatch(w)), None)
        text = code.get(words[file], "") if file is not None else ""
        if file is None or not (_READS_ARGV.search(text) and _LISTENS.search(text)):
            continue
        low = [int(w) for w in words[file + 1 :] if w.isdigit() and 0 < int(w) < 1024]
        if low:
            findings.unsafe.append(
                f"the start command passes {low[0]} to {words[file]}, which listens on the port it is given: a "
                "non-root process may bind ports below 1024 only where the runtime allows it"
            )
            return


_READS_ARGV: Final = re.compile(r"\b(?:process|sys)\.argv\b|\bargparse\b|\bcommander\b|\byargs\b")
_LISTENS: Final = re.compile(r"\.listen\(|\bbind\(|\bserve(?:_forever)?\(|\bport\b", re.IGNORECASE)


def _json_ports(text: str | None) -> list[int]:
    try:
        data = json.loads(text) if text else None
    except ValueError:
        return []
    if not isinstance(data, dict):
        return []
    return [v for k, v in data.items() if k.lower() in ("port", "listen", "http_port") and isinstance(v, int)]


_CODE_PORT: Final = re.compile(
    r"""env\.\w*PORT\w*(?:\s*,\s*\d+\s*\))?\s*(?:\|\||\?\?)\s*['"]?(\d+)"""  # also parseInt(env.PORT, 10) || 80
    r"""|(?:environ\.get|getenv)\(\s*['"]\w*PORT\w*['"]\s*,\s*['"]?(\d+)"""
    r"""|(?:environ\.get|getenv)\(\s*['"]\w*PORT\w*['"]\s*\)\s*or\s*['"]?(\d+)"""  # getenv('PORT') or 80
    r"""|\.listen\(\s*(\d+)\s*[,)]|\b(?:run|serve|listen)\([^)]*\bport\s*=\s*(\d+)\b"""
    # A constant (`PORT = 80`, `const PORT = 80;`, `HTTP_PORT = 443`) and an address tuple a server binds
    # (`socketserver.TCPServer(('', 80), H)`, `s.bind(("0.0.0.0", 80))`): real images failed to bind.
    r"""|^\s*(?:(?:const|let|var)\s+)?(?:[A-Z]+_)?PORT\s*=\s*(\d+)\s*;?\s*$"""
    r"""|(?:\bbind|Server)\(\s*\(\s*['"][^'"]*['"]\s*,\s*(\d+)\s*\)"""
    # Defaults in other spellings (round 14's real images failed to bind with each): a `--port` option's default
    # (argparse, click), a port key or field (`'port': 84`, `port: int = 89`), the fallback of a conditional or `or`
    # assigned to a port variable, `os.environ.setdefault('PORT', '90')`.
    r"""|['"]--?(?:[\w-]*-)?port['"][^\n]*?\bdefault\s*=\s*['"]?(\d+)\b"""
    r"""|(?i:['"](?:(?:http|https|listen|server|app|web|bind)_)?port['"]\s*:\s*|\bport\s*:\s*\w+\s*=\s*)['"]?(\d+)\b"""
    r"""|^\s*(?:(?:const|let|var)\s+)?(?i:(?:(?:http|https|listen|server|app|web|bind)_)?port)\s*=[^\n]*?(?:\b(?:else|or)\s+|\?\?\s*|\|\|\s*)['"]?(\d+)\b"""
    # A port key, field, keyword or parameter with a literal (`{ port: 87 }`, `function start(port = 88)`, `const
    # { PORT = 91 } = process.env`).
    r"""|(?i:\b(?:(?:http|https|listen|server|app|web|bind)_)?port)\s*[:=]\s*['"]?(\d+)\b"""
    r"""|setdefault\(\s*['"]\w*PORT\w*['"]\s*,\s*['"]?(\d+)"""
    # Compiled programs' listeners: Go's `http.ListenAndServe(":80", nil)` and `net.Listen("tcp", ":80")`, Rust's
    # `TcpListener::bind("0.0.0.0:80")`, Java's `new ServerSocket(80)` and `new InetSocketAddress(80)`, ASP.NET's
    # `UseUrls("http://*:80")` and `ListenAnyIP(80)`.
    r"""|\b(?:ListenAndServe(?:TLS)?|Listen|bind|UseUrls)\(\s*(?:"tcp[46]?"\s*,\s*)?"(?:https?://)?[\w.*+\[\]-]*:(\d+)\""""
    r"""|\bnew\s+(?:ServerSocket|InetSocketAddress)\(\s*(?:"[^"]*"\s*,\s*)?(\d+)\s*[,)]|\bListen(?:AnyIP|Localhost)\(\s*(\d+)"""
    # A listen address as a string, wherever it is (a flag's default, `flag.String("addr", ":443", ...)`, a fallback
    # `addr = ":80"`, gunicorn's `bind = "0.0.0.0:80"`): only an address with no host or every host's is a listener's.
    r"""|['"](?:0\.0\.0\.0|\[::\]|::)?:(\d{1,5})['"]"""
    r"""|\bSocketAddr(?:V[46])?::(?:from|new)\(\s*\(?[^;]*?,\s*(\d+)\s*\)"""
    # Ruby's: Sinatra's `set :port, 80`, `TCPServer.new(80)`, `TCPServer.new("0.0.0.0", 80)`.
    r"""|\bset\s+:port\s*,\s*(\d+)|\bTCPServer\.new\(\s*(?:['"][^'"]*['"]\s*,\s*)?(\d+)\s*\)"""
    # Ruby servers' configuration: puma's `port 80` and `bind "tcp://0.0.0.0:80"`, unicorn's `listen 80` and `listen
    # "0.0.0.0:80"`; Ruby's and PHP's defaults after the environment (`ENV.fetch("PORT", 80)`, `ENV.fetch("PORT") {
    # 80 }`, `ENV["PORT"] || 80`, `getenv("PORT") ?: 80`).
    r"""|^[ \t]*(?:port|listen)[ \t]*\(?[ \t]*['"]?(?:[\w.\[\]*:]*:)?(\d+)\b(?![.\w])"""
    r"""|^[ \t]*bind[ \t]*\(?[ \t]*['"](?:tcp|ssl)://[^'"\s]*?:(\d+)"""
    r"""|\bENV\.fetch\(\s*['"]\w*PORT\w*['"]\s*(?:,\s*['"]?(\d+)|\)\s*\{\s*['"]?(\d+))"""
    r"""|\bENV\[\s*['"]\w*PORT\w*['"]\s*\]\s*\|\|\s*['"]?(\d+)|\bgetenv\(\s*['"]\w*PORT\w*['"]\s*\)\s*\?:\s*['"]?(\d+)"""
    # Rack's options line at the top of config.ru (`#\ -o 0.0.0.0 -p 80`).
    r"""|^#\\\s[^\n]*?(?:-p|--port)[\s=]+(\d+)"""
    # C's `#define PORT 80`, `htons(80)`, Clojure's `{:port 80}`, Haskell's `Warp.run 80 app` and `setPort 80`.
    r"""|^\s*#\s*define\s+\w*PORT\w*\s+(\d+)\b|\bhtons\(\s*(\d+)\s*\)|(?<![\w:]):port\s+(\d+)\b|\bWarp\.run\s+(\d+)\b|\bsetPort\s+(\d+)\b"""
    # A URL on every address (ASP.NET Core's `"Urls": "http://*:80"` in appsettings.json).
    r"""|['"]https?://(?:\*|\+|0\.0\.0\.0|\[::\]):(\d{1,5})\b""",
    re.MULTILINE,
)
_JSON_CONFIG: Final = re.compile(r"""require\(\s*['"]\./([\w./-]+\.json)['"]\s*\)""")
# (`.env`-style files too: `config/app.env` with `LOG_FILE=/var/log/app.log`, which a real image's code read)
_SETTINGS_FILE: Final = re.compile(
    r"""['"]([\w./-]+\.(?:json|ini|toml|ya?ml|cfg|conf|env|properties)|(?:[\w./-]*/)?\.env\.[\w-]+)['"]"""
)
_NODE_CONFIG: Final = re.compile(r"""require\(\s*['"]config['"]\s*\)|from\s+['"]config['"]""")
# `port = 80` (ini, TOML), `port: 80` (YAML), `"port": 80` (JSON), also `http_port`, `listen_port`.
_SETTINGS_PORT: Final = re.compile(
    r"""(?:^|[{,])\s*["']?(?:http_|listen_|server_|bind_|web_|app_)?port["']?\s*[:=]\s*["']?(\d+)\b""",
    re.IGNORECASE | re.MULTILINE,
)
_READS_DOTENV: Final = re.compile(r"""dotenv|['"]\.env['"]""")


def _interpreter(program: str) -> bool:
    name = program.rsplit("/", 1)[-1]
    return name in ("node", "nodejs", *_TS_RUNNERS) or re.fullmatch(r"python[\d.]*", name) is not None


_TS_RUNNERS: Final = ("ts-node", "tsx", "bun", "deno")
_NODE_MANAGERS: Final = ("pm2", "pm2-runtime", "pm2-docker", "nodemon", "forever")
_SCRIPTS: Final = {"ruby": ".rb", "php": ".php", "perl": ".pl", "julia": ".jl", "Rscript": ".R", "elixir": ".exs"}


_CODE_FILE: Final = re.compile(r"[\w./-]+\.(?:[cm]?js|ts|py)")
# A write to a path an environment variable holds: `appendFileSync(process.env.LOG, ...)`, `open(os.environ["LOG"],
# "a")`, `os.makedirs(os.getenv("DATA"))`.
_ENV_WRITE: Final = re.compile(
    r"""\b(?:writeFileSync|appendFileSync|writeFile|appendFile|createWriteStream|mkdirSync|openSync|open|makedirs|"""
    r"""FileHandler|connect|WriteFile|MkdirAll|Mkdir|Create|OpenFile|write|create_dir_all)\(\s*"""
    r"""(?:process\.env\.(\w+)|process\.env\[\s*['"](\w+)['"]\s*\]"""
    r"""|os\.Getenv\(\s*"(\w+)"\s*\)|env::var\(\s*"(\w+)"\s*\)|System\.getenv\(\s*"(\w+)"\s*\)"""
    r"""|os\.environ\[\s*['"](\w+)['"]\s*\]|os\.(?:environ\.get|getenv)\(\s*['"](\w+)['"]\s*\))"""
)
# A write the code spells with an absolute path: Node's fs calls, Python's open(..., "w"), makedirs, pathlib.
# Also a path joined from an absolute first part (`mkdirSync(path.join('/opt', 'cache'))`, `os.makedirs(
# os.path.join('/srv/data', name))`).
_CODE_WRITE: Final = re.compile(
    r"""\b(?:writeFileSync|appendFileSync|writeFile|appendFile|createWriteStream|mkdirSync|openSync)\(\s*"""
    r"""(?:path\.(?:join|resolve)\(\s*)?['"`](/[^'"`$]+)['"`]"""
    r"""|\bopen\(\s*(?:os\.path\.join\(\s*['"](/[^'"]+)['"][^()]*\)|['"](/[^'"]+)['"])\s*,\s*(?:mode\s*=\s*)?['"][wax]"""
    r"""|\b(?:makedirs|mkdir)\(\s*(?:os\.path\.join\(\s*)?['"](/[^'"]+)['"]"""
    # A copy or move to an absolute path: its second argument.
    r"""|\b(?:copyFileSync|copyFile|cpSync|renameSync|shutil\.(?:copy2?|copyfile|copytree|move)|os\.(?:replace|rename)"""
    r"""|os\.(?:symlink|link)|(?:fs\.)?(?:symlink|link)(?:Sync)?|os\.(?:Symlink|Link|Rename)|fs::(?:copy|rename|hard_link)"""
    r"""|Files\.(?:copy|move))"""
    r"""\(\s*[^,()]+,\s*(?:(?:[\w.]*\.)?(?:Path\.of|Paths\.get)\(\s*)?['"`](/[^'"`$]+)['"`]"""
    r"""|\bPath\(\s*['"](/[^'"]+)['"]\s*\)\.(?:write_text|write_bytes|mkdir|touch|open\(\s*['"][wax])"""
    # Ruby's and PHP's: `File.write("/srv/x", ...)`, `FileUtils.mkdir_p("/srv")`, `file_put_contents("/srv/x", ...)`,
    # `fopen("/srv/x", "a")`, `Logger.new("/var/log/app.log")`.
    # (A path's head before an interpolation: `"/var/lib/exports/#{id}.csv"`, `"/srv/$name"`.)
    r"""|\b(?:File\.(?:write|mkdir_p|touch)!?|FileUtils\.(?:mkdir_p|makedirs|touch)|Logger\.new|file_put_contents|touch)\("""
    r"""\s*['"](/[^'"#$]+)"""
    r"""(?:[#$][^'"]*)?['"]|\b(?:File\.open|fopen)\(\s*['"](/[^'"#$]+)(?:[#$][^'"]*)?['"]\s*,\s*['"][waxc]"""
    # Perl's: `open(my $fh, '>>', '/srv/log/app.log')`, `open(LOG, ">/srv/x")`, File::Path's `make_path('/srv/x')`.
    r"""|\bopen\s*\(?\s*(?:my\s+)?\$?\w+\s*,\s*['"](?:\+?>>?|\+<)\s*(?:['"]\s*,\s*['"])?(/[^'"#$]+)"""
    r"""(?:[#$][^'"]*)?['"]|\b(?:make_path|mkpath)\(\s*['"](/[^'"#$]+)['"]"""
    # Compiled programs' (their sources are read when the file builds them): Go's os calls, Rust's std::fs, Java's
    # and Kotlin's java.io and java.nio, C#'s System.IO.
    r"""|\b(?:os\.(?:WriteFile|MkdirAll|Mkdir|Create|OpenFile)|ioutil\.WriteFile|fs::(?:write|create_dir(?:_all)?)"""
    r"""|File::create|(?:OpenOptions::new|File::options)\(\)[^;]*?\.(?:write|append|create)\(true\)[^;]*?\.open"""
    r"""|new\s+(?:FileOutputStream|FileWriter|PrintWriter)|new\s+RandomAccessFile(?=\(\s*"[^"]+"\s*,\s*"rw)"""
    r"""|File\.(?:WriteAll\w+|AppendAll\w+|Create|OpenWrite|AppendText|CreateText)|Directory\.CreateDirectory"""
    r"""|new\s+(?:StreamWriter|FileStream))\(\s*@?"(/[^"]+)\""""
    r"""|\bFiles\.(?:write\w*|create\w*|newBufferedWriter|newOutputStream)\(\s*(?:[\w.]*\.)?(?:Path\.of|Paths\.get)\(\s*"(/[^"]+)\""""
    r"""|\b(?:new\s+)?File\(\s*"(/[^"]+)"\s*\)\.(?:mkdirs?|createNewFile|writeText|appendText|writeBytes)\("""
    # C's and C++'s (`open("/srv/x", O_WRONLY | O_CREAT)`, `std::ofstream out("/srv/x")`, `create_directories`), Julia's
    # `mkpath`, R's (`dir.create("/srv/x")`, `writeLines(x, "/srv/x")`, `write.csv(df, "/srv/x")`), Clojure's
    # (`spit`, `io/make-parents`, `io/writer`), Haskell's (`writeFile "/srv/x"`, `createDirectoryIfMissing True
    # "/srv/x"`) and Swift's (`createDirectory(atPath: "/srv/x"`, `.write(toFile: "/srv/x"`).
    r"""|\b(?:open|creat)\(\s*"(/[^"]+)"\s*,\s*(?:O_(?:WRONLY|RDWR|CREAT|APPEND)|0[0-7]{3})"""
    r"""|\b(?:std::)?(?:ofstream|fstream)\s+\w+\s*[({]\s*"(/[^"]+)"|\bcreate_director(?:y|ies)\(\s*"(/[^"]+)\""""
    r"""|\b(?:mkpath|dir\.create)\(\s*['"](/[^'"$]+)['"]"""
    r"""|\b(?:writeLines|write\.csv|write\.table|saveRDS|writeRDS|sink)\([^()\n]*?['"](/[^'"]+)['"]"""
    r"""|\((?:spit|io/make-parents|io/writer|clojure\.java\.io/writer)\s+"(/[^"]+)\""""
    r"""|\b(?:writeFile|appendFile|createDirectoryIfMissing\s+\w+|createDirectory|openFile)\s+"(/[^"]+)\""""
    r"""|\b(?:createDirectory|createFile)\(\s*atPath\s*:\s*"(/[^"]+)"|\.write\(\s*toFile\s*:\s*"(/[^"]+)\""""
    # Python's logging opens its file when configured (`basicConfig(filename="/srv/log/app.log")`, `FileHandler(...)`,
    # a handler's `'filename': '/srv/log/app.log'` in a dictConfig or Django's LOGGING; winston's `{ filename: ... }`).
    r"""|['"]?\bfilename['"]?\s*:\s*['"`](/[^'"`$]+)['"`]"""
    r"""|\bbasicConfig\([^)]*?\bfilename\s*=\s*['"](/[^'"]+)['"]"""
    r"""|\b(?:Rotating|TimedRotating|Watched)?FileHandler\(\s*(?:filename\s*=\s*)?['"](/[^'"]+)['"]"""
    # Ruby app servers' configuration (config/puma.rb, unicorn's -c file): the pid, state and log files they write
    # and the socket files they bind (`pidfile "/var/run/puma.pid"`, `stdout_redirect "/srv/log/puma.log"`, `bind
    # "unix:///srv/puma.sock"`, unicorn's `pid`, `stderr_path`, `listen "/srv/unicorn.sock"`).
    r"""|(?m:^)[ \t]*(?:pidfile|state_path|stdout_redirect|pid|stderr_path|stdout_path|bind|listen)[ \t]*\(?[ \t]*"""
    r"""['"](?:unix://)?(/[^'"?]+)['"]"""
    # An SQLite database writes beside itself even to read (its journal; in WAL mode the -shm file): a real image
    # could not read /usr/share/myapp/ref.db ("attempt to write a readonly database").
    r"""|\b(?:sqlite3\.connect|Database|Connection::open)\(\s*['"`](/[^'"`$]+)['"`]"""
)

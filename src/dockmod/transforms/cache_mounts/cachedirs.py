"""Where each package manager keeps its cache in a RUN (the mount targets, ``targets``), or why it gets no
mount: its variables, the home folder of the user the RUN runs as, and the settings files the tool reads that
move its cache or would leave links into the mount (pip's configuration, .npmrc and .yarnrc, uv's link mode,
Poetry's virtualenvs, pnpm's store settings, Yarn's version and linker). Each manager's rules are read only
here."""

from __future__ import annotations

import functools
import posixpath
import re
import tomllib
from collections.abc import Mapping, Sequence
from typing import Final

from dockmod import imageref
from dockmod.cst import Dockerfile, Instruction, Run, Stage
from dockmod.transforms import _managers, _pnpm, _stages, _yarn
from dockmod.transforms._managers import Invocation, Manager
from dockmod.transforms._stages import State
from dockmod.transforms.cache_mounts import common


def targets(
    tree: Dockerfile,
    stage: Stage,
    site: common.Site,
    manager: Manager,
    state: State,
    env: Mapping[str, str],
    invs: list[Invocation],
) -> tuple[list[common.Mount], str | None]:
    """The cache mounts for ``manager`` in this RUN, or the reason there are none."""
    mounts, reason = _targets(tree, stage, site, manager, state, env, invs)
    shared = next((m.target for m in mounts if _shared_folder(m.target)), None)
    if shared is not None:
        return [], f"its cache folder is {shared}, not a folder of its own: a mount would hide what the image has there"
    return mounts, reason


# System folders, and devices: a cache folder set to one of them (`COMPOSER_CACHE_DIR=/tmp`, or `/dev/null`, which
# turns the cache off) is no folder of its own to mount. A mount there would hide what the image has there (and
# turn /dev/null into a folder for the RUN).
_SHARED_FOLDERS: Final = frozenset({
    "/", "/tmp", "/var/tmp", "/root", "/home", "/usr", "/usr/local", "/usr/share", "/etc", "/var", "/var/cache",
    "/var/lib", "/opt", "/srv", "/mnt", "/media", "/bin", "/sbin", "/lib", "/lib64",
})  # fmt: skip


def _shared_folder(target: str) -> bool:
    return target in _SHARED_FOLDERS or any(common.inside(target, d) for d in ("/dev", "/proc", "/sys", "/run"))


def _targets(
    tree: Dockerfile,
    stage: Stage,
    site: common.Site,
    manager: Manager,
    state: State,
    env: Mapping[str, str],
    invs: list[Invocation],
) -> tuple[list[common.Mount], str | None]:
    for var in common.MOVED_BY[manager]:
        if var in env:
            return [], f"{var} is set"
    base = _stages.image_name(_stages.base_image(tree, stage))
    home, uid, gid, why = common.home(tree, stage, state, env)
    if manager == "uv" and _uv_symlinks(tree, site, state, env, invs, home):
        return [], "its link mode is symlink: the environment's files would point into the mount, outside the image"
    if manager in _RUN_SETTINGS:
        moved = _run_setting(tree, stage, site, manager)
        if moved is None and manager == "pip":
            moved = _pip_config_cache(tree, site, env, home)
        if moved is None and manager in ("npm", "yarn"):
            moved = _rc_cache(tree, site, state, manager, home)
        if moved is not None:
            return [], moved
    if manager == "apt":
        return [common.Mount("/var/cache/apt", "locked"), common.Mount("/var/lib/apt", "locked")], None
    if manager == "apk":
        return [common.Mount("/var/cache/apk", "locked")], None
    if why is not None or home is None:
        return [], why or "the user's home folder is unknown"
    if manager == "pnpm":
        store = _pnpm_store(env, home)
        if store is None:
            return [], "PNPM_HOME or XDG_DATA_HOME is not an absolute folder"
        reason = _pnpm_refusal(tree, site, state, env, invs, home, store)
        if reason is not None:
            return [], reason
        return [common.Mount(store, uid=uid, gid=gid)], None
    if manager in common.HOME_CACHES:
        mounts = [common.Mount(posixpath.join(home, p), uid=uid, gid=gid) for p in common.HOME_CACHES[manager]]
        if manager == "poetry":
            venvs = _poetry_virtualenvs_path(tree, site, state, env, invs, home)
            inside = next((m.target for m in mounts if venvs and common.inside(venvs, m.target)), None)
            if inside is not None:
                why = f"its virtualenvs.path ({venvs}) is inside the cache folder {inside}"
                return [], why + ": the virtualenv would stay out of the image"
        return mounts, None
    if manager == "yarn":
        return _yarn_targets(tree, site, state, env, invs, home, uid, gid)
    if manager == "go":
        gopath = env.get("GOPATH") or ("/go" if base == "golang" else None)
        if gopath is None and base in common.PLAIN_IMAGES:
            gopath = posixpath.join(home, "go")  # Go's default when GOPATH is unset
        if gopath is None:
            return [], f"GOPATH depends on the base image ({base or 'unknown'})"
        if not gopath.startswith("/") or ":" in gopath:
            return [], "GOPATH is not a single absolute folder"
        return [
            common.Mount(posixpath.join(gopath, "pkg/mod"), uid=uid, gid=gid),
            common.Mount(posixpath.join(home, ".cache/go-build"), uid=uid, gid=gid),
        ], None
    if manager == "cargo":
        cargo = env.get("CARGO_HOME") or ("/usr/local/cargo" if base == "rust" else None)
        if cargo is None and base in common.PLAIN_IMAGES:
            cargo = posixpath.join(home, ".cargo")  # rustup's default when CARGO_HOME is unset
        if cargo is None or not cargo.startswith("/"):
            return [], f"CARGO_HOME depends on the base image ({base or 'unknown'})"
        return [
            common.Mount(posixpath.join(cargo, "registry"), uid=uid, gid=gid),
            common.Mount(posixpath.join(cargo, "git/db"), uid=uid, gid=gid),
        ], None
    if manager == "maven":
        return [common.Mount(posixpath.join(home, ".m2"), "locked", uid=uid, gid=gid)], None
    if manager == "gradle":
        if base == "gradle":
            return [], "the official gradle image keeps its Gradle home elsewhere"
        return [common.Mount(posixpath.join(home, ".gradle"), "locked", uid=uid, gid=gid)], None
    if manager == "bundler":
        return _bundler_targets(tree, stage, site, state, env, invs, home, uid, gid)
    if manager == "composer":
        cache = env.get("COMPOSER_CACHE_DIR")
        if cache is None and "COMPOSER_HOME" in env:
            cache = posixpath.join(env["COMPOSER_HOME"], "cache")
        if cache is None and base == "composer":
            cache = "/tmp/cache"  # the composer image sets COMPOSER_HOME=/tmp
        if cache is None or not cache.startswith("/"):
            return [], "Composer's cache folder depends on COMPOSER_HOME, which the Dockerfile does not set"
        return [common.Mount(cache, uid=uid, gid=gid)], None
    return [], f"{manager} has no known cache folder"


# Bundler's settings that move the gems it installs, and the .gem files it downloads, away from GEM_HOME, in its
# configuration files (`BUNDLE_PATH: "vendor/bundle"`) and set by `bundle config`: their values are not read.
_BUNDLE_SETTING: Final = re.compile(r"^\s*[\"']?BUNDLE_(PATH|DEPLOYMENT|GLOBAL_GEM_CACHE)[\"']?\s*:", re.MULTILINE)
_BUNDLE_CONFIG: Final = re.compile(
    r"\bbundler?\s+config\s+(?:set\s+)?(?:--(?:local|global)\s+)?(path|deployment|global_gem_cache)\b"
)
# `~/.bundle` named otherwise than as its cache folder (`rm -rf ~/.bundle/`, `~/.bundle/*`, `/root/.bundle*`).
_BUNDLE_HOME_NAMED: Final = re.compile(r"\.bundle(?!/cache(?:/|(?![^\s\"';&|)])))")
# Options of `bundle install` that install into the project (with the cache there): `--path DIR`, `--deployment`
# (vendor/bundle), `--standalone` (./bundle).
_BUNDLE_MOVING_OPTIONS: Final = ("--path", "--deployment", "--standalone")


def _bundler_targets(
    tree: Dockerfile,
    stage: Stage,
    site: common.Site,
    state: State,
    env: Mapping[str, str],
    invs: list[Invocation],
    home: str,
    uid: str | None,
    gid: str | None,
) -> tuple[list[common.Mount], str | None]:
    """Bundler downloads each gem into ``$GEM_HOME/cache`` and installs it from there; an install that finds the .gem
    file there downloads nothing (checked with Bundler 2.3.15 against a gem server on the machine, and by the e2e
    suite), and keeps the gem source's index in ``~/.bundle/cache`` (``BUNDLE_USER_CACHE``). The official ruby
    images set ``GEM_HOME=/usr/local/bundle``; elsewhere root's gems go to the system's gem folder, whose name carries
    the Ruby version (/var/lib/gems/3.1.0): no mount then. With ``BUNDLE_PATH`` (as Rails' generated Dockerfile
    sets, with ``BUNDLE_DEPLOYMENT``), the gems and their cache go to ``$BUNDLE_PATH/ruby/<ABI version>/`` (also for a
    path equal to GEM_HOME; checked with Bundler 2.3.15): a ruby image's tag gives the version (3.3.5 → 3.3.0)."""
    for inv in invs:
        moving = next((o for o in _BUNDLE_MOVING_OPTIONS if o in inv.options), None)
        if moving is not None:
            return [], f"{moving} installs the gems, and keeps the downloaded ones, in a folder of the project"
    found = site.search_runs(tree, _BUNDLE_CONFIG)
    if found is not None:
        return [], f"a RUN sets Bundler's {found.group(1)} (`{found.group(0)}`), which moves its gems and their cache"
    ref = _stages.base_image(tree, stage)
    base = _stages.image_name(ref)
    image = _stages.IMAGE_ENV.get(base, {})
    # Bundler reads $BUNDLE_APP_CONFIG/config (else the project's .bundle/config), then the user's ~/.bundle/config.
    app_config = env.get("BUNDLE_APP_CONFIG") or image.get("BUNDLE_APP_CONFIG")
    paths = [posixpath.join(app_config, "config")] if app_config else []
    paths += [posixpath.join(_stages.join(state.workdir, inv.cwd), ".bundle/config") for inv in invs if inv.cwd != "?"]
    paths.append(posixpath.join(env.get("BUNDLE_USER_HOME", posixpath.join(home, ".bundle")), "config"))
    for path in paths:
        setting = _BUNDLE_SETTING.search(common.readable(tree, site, path) or "") if path.startswith("/") else None
        if setting is not None:
            return [], f"{path} sets BUNDLE_{setting.group(1)}, which moves Bundler's gems and their cache"
    bundle_path = env.get("BUNDLE_PATH")
    pattern = None
    if bundle_path is not None:
        if not bundle_path.startswith("/") or "$" in bundle_path:
            return [], f"BUNDLE_PATH ({bundle_path}) is not an absolute folder dockmod can tell"
        abi = _ruby_abi(ref)
        if abi is None:
            return [], (
                f"BUNDLE_PATH is set: Bundler keeps the gems and their cache in {bundle_path}/ruby/<Ruby's version>/, "
                "and the base image's tag does not say which Ruby it has"
            )
        cache = posixpath.join(bundle_path, "ruby", abi, "cache")
        pattern = posixpath.normpath(posixpath.join(bundle_path, "ruby", "*", "cache"))
    elif env.get("BUNDLE_DEPLOYMENT", "false").lower() not in ("false", "0", ""):
        return [], "BUNDLE_DEPLOYMENT installs the gems, and keeps the downloaded ones, in the project's vendor/bundle"
    else:
        gem_home = env.get("GEM_HOME") or image.get("GEM_HOME")
        if gem_home is None:
            return [], f"GEM_HOME depends on the base image ({base or 'unknown'}), and the Dockerfile does not set it"
        if not gem_home.startswith("/") or "$" in gem_home or ":" in gem_home:
            return [], "GEM_HOME is not a single absolute folder"
        cache = posixpath.join(gem_home, "cache")
    mounts = [common.Mount(posixpath.normpath(cache), uid=uid, gid=gid, pattern=pattern)]
    if uid is None and home == "/root":
        # Root's ~/.bundle/cache holds the gem source's compact index (rubygems.org's `versions` file weighs tens of
        # megabytes): mounted, it stays out of the image and the next install asks only for what changed (the e2e
        # suite checks both). Not for another user, nor a HOME elsewhere (another user may own it later): the
        # builder would make ~/.bundle, where Bundler keeps the user's settings and plugins, root's.
        user_home = env.get("BUNDLE_USER_HOME") or posixpath.join(home, ".bundle")
        user_cache = env.get("BUNDLE_USER_CACHE") or posixpath.join(user_home, "cache")
        # A RUN that names ~/.bundle otherwise (`rm -rf ~/.bundle/*`) keeps only the gems' mount: that command would
        # fail on the mount point (a real build: Device or resource busy), and dropping it would keep Bundler's
        # settings in the image.
        if (
            user_cache.startswith("/")
            and "$" not in user_cache
            and not _BUNDLE_HOME_NAMED.search(common.run_text(tree, site.run))
        ):
            mounts.append(common.Mount(posixpath.normpath(user_cache)))
    return mounts, None


def _ruby_abi(ref: imageref.ImageRef | None) -> str | None:
    """Ruby's ABI version (RbConfig's ruby_version, "3.3.0" for every 3.3 release) from a ruby image's tag
    (``3.3.5-slim``, ``3.3-alpine``), or None."""
    if ref is None or _stages.image_name(ref) != "ruby" or ref.tag is None:
        return None
    found = re.match(r"(\d+)\.(\d+)(?![\d])", ref.tag)
    return f"{found[1]}.{found[2]}.0" if found else None


_POETRY_VENVS_CONFIG: Final = re.compile(r"\bpoetry\s+config\s+(?:--local\s+)?virtualenvs\.path\s+[\"']?([^\s\"';&|]+)")


def _poetry_virtualenvs_path(
    tree: Dockerfile, site: common.Site, state: State, env: Mapping[str, str], invs: list[Invocation], home: str
) -> str | None:
    """Where Poetry creates the project's virtualenv when the Dockerfile says (None: its default, beside the
    mounted folders): ``POETRY_VIRTUALENVS_PATH``, the project's ``poetry.toml``, a ``poetry config
    virtualenvs.path`` RUN (a real build: a path inside the mounted cache left the image without its virtualenv)."""
    path = env.get("POETRY_VIRTUALENVS_PATH")
    for inv in invs:
        if path is None and inv.cwd != "?":
            try:
                text = site.read(tree, posixpath.join(_stages.join(state.workdir, inv.cwd), "poetry.toml"))
            except common.Unreadable:
                text = None
            try:
                table = tomllib.loads(text or "").get("virtualenvs", {})
            except tomllib.TOMLDecodeError:
                table = {}
            value = table.get("path") if isinstance(table, dict) else None
            path = value if isinstance(value, str) else None
    if path is None:
        found = site.search_runs(tree, _POETRY_VENVS_CONFIG)
        path = found.group(1) if found is not None else None
    if path is None:
        return None
    path = path.replace("{cache-dir}", posixpath.join(home, ".cache/pypoetry"))
    path = re.sub(r"^(?:~|\$HOME|\$\{HOME\})(?=/|$)", home, path)
    return _stages.join(state.workdir, path) if "$" not in path else None


def _uv_symlinks(
    tree: Dockerfile, site: common.Site, state: State, env: Mapping[str, str], invs: list[Invocation], home: str | None
) -> bool:
    """uv links installed files to its cache as symlinks (``UV_LINK_MODE=symlink``, ``--link-mode symlink``,
    ``link-mode = "symlink"`` in a configuration file uv reads).

    A real build showed it: under a cache mount, ``.venv`` kept links to ``/root/.cache/uv/archive-v0/...`` that point
    nowhere in the image. The other modes (copy, clone, hardlink) leave files of their own: uv copies when it cannot
    link across the mount.
    """
    for inv in invs:
        # As uv ranks them: the command's option, the variable, then the configuration files.
        mode = (
            _managers.option_value(inv.args, ("--link-mode",))
            or env.get("UV_LINK_MODE")
            or _uv_configured_link_mode(tree, site, state, env, inv, home)
        )
        if mode == "symlink":
            return True
    return False


# pip's settings for its cache in a configuration file: `cache-dir = /var/cache/pip`, `no-cache-dir = true`.
_PIP_CACHE_SETTING: Final = re.compile(r"^\s*(?:cache[-_]dir|no[-_]cache[-_]dir)\s*[=:]", re.IGNORECASE | re.MULTILINE)


def _pip_config_cache(tree: Dockerfile, site: common.Site, env: Mapping[str, str], home: str | None) -> str | None:
    """Why pip's cache is not where the mount would go: a configuration file that the copies above put where pip
    reads one (``PIP_CONFIG_FILE``, ``/etc/pip.conf``, ``/etc/xdg/pip/pip.conf``, ``~/.config/pip/pip.conf``,
    ``~/.pip/pip.conf``, ``$VIRTUAL_ENV/pip.conf``) sets ``cache-dir`` or ``no-cache-dir``. A real build with
    ``cache-dir`` in /etc/pip.conf kept pip's cache in the image once ``--no-cache-dir`` was removed."""
    paths = [env.get("PIP_CONFIG_FILE", ""), "/etc/pip.conf", "/etc/xdg/pip/pip.conf"]
    if home:
        paths += [posixpath.join(home, ".config/pip/pip.conf"), posixpath.join(home, ".pip/pip.conf")]
    if env.get("VIRTUAL_ENV"):
        paths.append(posixpath.join(env["VIRTUAL_ENV"], "pip.conf"))
    for path in paths:
        if path.startswith("/") and _PIP_CACHE_SETTING.search(common.readable(tree, site, path) or ""):
            return f"{path} sets pip's cache folder"
    return None


# The settings that move pip's, npm's and Yarn 1's caches (and npm's and Yarn's global install folders), as the
# tool's own command sets them (`pip config set global.cache-dir /x`, `npm config set cache /x`, `npm set
# prefix=/x`, `yarn config set cache-folder /x`), and as a RUN writes them into a settings file: the file's name
# and the setting in one RUN (`printf 'cache=/tmp/npm\n' > ~/.npmrc`, `echo "cache-dir = /x" >> /etc/pip.conf`).
# What a RUN writes is not modelled, so naming both counts. Such a RUN left the cache where the mount is not,
# as a copied file does (_pip_config_cache, _rc_cache): in the image, once the clean-up is removed.
_RUN_SETTINGS: Final[dict[Manager, tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]]] = {
    "pip": (
        re.compile(r"\bpip[\d.]*\s+config\s+(?:--\S+\s+)*set\s+\S*?((?:no-)?cache-dir)\b"),
        re.compile(r"[^\s\"'<>|;&]*(?:pip\.(?:conf|ini)\b|PIP_CONFIG_FILE)"),
        re.compile(r"(?:(?<![\w-])|(?<=\\n))((?:no[-_])?cache[-_]dir)\s*[=:]", re.IGNORECASE),
    ),
    "npm": (
        re.compile(r"\bnpm\s+(?:config\s+)?set\s+(?:-\S+\s+)*(cache|prefix)\b"),
        re.compile(r"[^\s\"'<>|;&]*npmrc\b"),
        re.compile(r"(?:(?<![\w-])|(?<=\\n))(cache|prefix)\s*="),
    ),
    "yarn": (
        re.compile(r"\byarn(?:pkg)?\s+config\s+set\s+(?:-\S+\s+)*(cache-folder|prefix|global-folder)\b"),
        re.compile(r"[^\s\"'<>|;&]*\.yarnrc\b(?!\.yml)"),
        re.compile(r"(?:(?<![\w-])|(?<=\\n)|(?<=--))(cache-folder|prefix|global-folder)[\s\"']"),
    ),
}


def _run_setting(tree: Dockerfile, stage: Stage, site: common.Site, manager: Manager) -> str | None:
    """Why ``manager``'s cache may not be where the mount would go: a RUN of a stage this one builds on, or of the
    stage up to this one, sets it (see _RUN_SETTINGS)."""

    def step(above: Stage, found: str | None) -> str | None:
        return found or _first_run_setting(tree, tuple(_stages.walk(tree, above)), manager)[1]

    initial: str | None = None
    above = _stages.fold_above(tree, stage, f"cache-mounts-run-setting-{manager}", initial, step)
    if above is not None:
        return above
    at, reason = tree.memo(
        ("cache-mounts-run-setting", id(stage), manager),
        functools.partial(_first_run_setting, tree, site.walked, manager),
    )
    return reason if at <= site.index else None


def _first_run_setting(
    tree: Dockerfile, walked: Sequence[tuple[Instruction, State]], manager: Manager
) -> tuple[int, str | None]:
    """The first RUN of a stage that sets ``manager``'s cache, and how: worked out once per stage (every RUN of
    a long stage asks)."""
    command, file, setting = _RUN_SETTINGS[manager]
    for k, (ins, _) in enumerate(walked):
        if not isinstance(ins, Run):
            continue
        text = common.run_text(tree, ins)
        found = command.search(text)
        if found is not None:
            return k, f"a RUN sets its {found.group(1)} ({found.group(0)})"
        named, value = file.search(text), setting.search(text)
        if named is not None and value is not None:
            return k, f"a RUN writes {value.group(1)} into {named.group(0)}"
    return len(walked), None


# npm's and Yarn 1's settings that move their cache or their global install folder, in an .npmrc or .yarnrc.
_RC_CACHE: Final = {
    "npm": re.compile(r"^\s*(cache|prefix)\s*=\s*(\S+)", re.MULTILINE),
    "yarn": re.compile(r"^\s*(cache-folder|--cache-folder|prefix|global-folder)\s+\"?([^\"\s]+)", re.MULTILINE),
}


def _rc_cache(tree: Dockerfile, site: common.Site, state: State, manager: Manager, home: str | None) -> str | None:
    """Why npm's or Yarn 1's cache is not where the mount would go: an .npmrc or .yarnrc the copies above put where
    the tool reads one (the project's, the user's, npm's global one) sets `cache=`/`cache-folder` (a real build
    kept the cache in the image once the clean-up was removed) or a `prefix` (a global install under the cache
    was lost)."""
    name = ".npmrc" if manager == "npm" else ".yarnrc"
    paths = [_stages.join(state.workdir, name)]
    if home:
        paths.append(posixpath.join(home, name))
    if manager == "npm":
        paths += ["/usr/local/etc/npmrc", "/etc/npmrc"]
    for path in paths:
        found = _RC_CACHE[manager].search(common.readable(tree, site, path) or "")
        if found is not None:
            return f"{path} sets {found.group(1).lstrip('-')} ({found.group(2)})"
    return None


def _uv_configured_link_mode(
    tree: Dockerfile, site: common.Site, state: State, env: Mapping[str, str], inv: Invocation, home: str | None
) -> str | None:
    """``link-mode`` of the configuration uv reads where ``inv`` runs, as uv's documentation ranks the files: the
    project's (``uv.toml``, else ``[tool.uv]`` of ``pyproject.toml``, in that folder or the nearest above it that has
    one), then the user's (``$XDG_CONFIG_HOME/uv/uv.toml``, ``~/.config/uv/uv.toml``), then the system's
    (``$XDG_CONFIG_DIRS/uv/uv.toml`` or ``/etc/xdg/uv/uv.toml``, then ``/etc/uv/uv.toml``); ``--config-file`` or
    ``UV_CONFIG_FILE`` replaces them all, ``--no-config`` or ``UV_NO_CONFIG`` reads none. A file whose source dockmod
    cannot read (``COPY --from``) counts as not setting it."""
    if "--no-config" in inv.args or env.get("UV_NO_CONFIG", "") not in ("", "0", "false"):
        return None
    # The folder uv runs in ("?/..." below a base image's unknown WORKDIR: no project files can be looked up).
    cwd = _stages.join(state.workdir, inv.cwd) if inv.cwd != "?" else _stages.UNKNOWN_DIR
    chosen = _managers.option_value(inv.args, ("--config-file",)) or env.get("UV_CONFIG_FILE")
    if chosen:
        return _uv_setting(tree, site, _stages.join(cwd, chosen), ())
    folder = cwd
    while folder.startswith("/"):
        for name, table in (("uv.toml", ()), ("pyproject.toml", ("tool", "uv"))):
            mode = _uv_setting(tree, site, posixpath.join(folder, name), table)
            if mode is not None:
                # The first project file uv takes settings from ends the project's search, with or without a
                # link-mode: only the user's and the system's files may still give one.
                return mode or _uv_outer_link_mode(tree, site, env, home)
        if folder == "/":
            break
        folder = posixpath.dirname(folder)
    return _uv_outer_link_mode(tree, site, env, home)


def _uv_outer_link_mode(tree: Dockerfile, site: common.Site, env: Mapping[str, str], home: str | None) -> str | None:
    """``link-mode`` from the user's configuration, else the system's first file."""
    config_home = env.get("XDG_CONFIG_HOME") or (posixpath.join(home, ".config") if home else None)
    if config_home:
        mode = _uv_setting(tree, site, posixpath.join(config_home, "uv", "uv.toml"), ())
        if mode:
            return mode
    dirs = [d for d in env.get("XDG_CONFIG_DIRS", "").split(":") if d.startswith("/")] or ["/etc/xdg"]
    for path in [posixpath.join(d, "uv", "uv.toml") for d in dirs] + ["/etc/uv/uv.toml"]:
        mode = _uv_setting(tree, site, path, ())
        if mode is not None:
            return mode  # only the first system file found is read
    return None


def _uv_setting(tree: Dockerfile, site: common.Site, path: str, table: tuple[str, ...]) -> str | None:
    """``link-mode`` in the file at ``path``: "" when the file counts as uv configuration without it, None when it
    is absent, unreadable, not TOML, or a ``pyproject.toml`` without a ``[tool.uv]`` table."""
    text = common.readable(tree, site, path)
    if text is None:
        return None
    try:
        data: object = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None
    for key in table:
        data = data.get(key, {}) if isinstance(data, dict) else {}
    if table and not data:
        return None
    mode = data.get("link-mode") if isinstance(data, dict) else None
    return mode if isinstance(mode, str) else ""


# pnpm settings that may make node_modules point into the store, as .npmrc, variables (npm_config_virtual_store_dir)
# and the command line (--virtual-store-dir, --config.enable-global-virtual-store=true) spell them.
_PNPM_LINKS: Final = re.compile(
    r"enable[-_]?global[-_]?virtual[-_]?store|virtual[-_]?store[-_]?(?:dir(?![-_]?max)|type)", re.IGNORECASE
)
_PNPM_VARIABLE: Final = re.compile(r"(?:p?npm)_config_(.+)", re.IGNORECASE)


def _pnpm_store(env: Mapping[str, str], home: str) -> str | None:
    """pnpm's store: ``store`` in pnpm's home folder, which is $PNPM_HOME, else $XDG_DATA_HOME/pnpm, else
    ~/.local/share/pnpm (pnpm 7 and later; pnpm.io's Docker guide sets PNPM_HOME=/pnpm and mounts /pnpm/store).
    None when the variable is not an absolute folder."""
    if "PNPM_HOME" in env:
        pnpm_home = env["PNPM_HOME"]
    elif "XDG_DATA_HOME" in env:
        pnpm_home = posixpath.join(env["XDG_DATA_HOME"], "pnpm")
    else:
        return posixpath.join(home, common.HOME_CACHES["pnpm"][0])
    if not pnpm_home.startswith("/") or "$" in pnpm_home:
        return None
    return posixpath.join(posixpath.normpath(pnpm_home), "store")


def _pnpm_refusal(
    tree: Dockerfile,
    site: common.Site,
    state: State,
    env: Mapping[str, str],
    invs: list[Invocation],
    home: str,
    store: str,
) -> str | None:
    """Why pnpm gets no mount of its store here (None: it gets one).

    pnpm copies packages out of the store into node_modules when the store is another file system, but some settings
    make node_modules point into the store itself: ``enable-global-virtual-store`` (pnpm 10.12+; pnpm 11 also spells
    it ``virtual-store-type=global``) links each package to ``<store>/links/...``, and a ``virtual-store-dir`` (or
    ``modules-dir``) inside the store puts node_modules/.pnpm there. Built with pnpm 10.34 and 9.15 under a cache
    mount, the image kept links that point nowhere. ``store-dir`` moves the store away from the mount. A RUN that
    names one of the first settings is taken to set it; files whose source dockmod cannot read count as setting
    nothing (as for uv's link mode).
    """
    found = site.search_runs(tree, _PNPM_LINKS)
    if found is not None:
        return f"a RUN sets pnpm's {found.group(0)}, which may point node_modules into the store"
    config_home = env.get("XDG_CONFIG_HOME", posixpath.join(home, ".config"))
    found_settings: list[_pnpm.Setting] = []
    for name, value in env.items():
        variable = _PNPM_VARIABLE.fullmatch(name)
        if variable is not None:
            setting = variable.group(1).lower().replace("_", "-")
            found_settings.append(_pnpm.Setting(setting, value, name, state.workdir))
    for inv in invs:
        folder = _stages.join(state.workdir, inv.cwd) if inv.cwd != "?" else "?"
        found_settings += _pnpm.settings(
            lambda p: common.readable(tree, site, p), folder if folder.startswith("/") else None, home, config_home
        )
    for setting in found_settings:
        where = setting.file if setting.file.startswith("/") else f"the variable {setting.file}"
        if (setting.name == "enable-global-virtual-store" and setting.value.lower() not in ("false", "0")) or (
            setting.name == "virtual-store-type" and setting.value == "global"  # pnpm 11's name for it
        ):
            return (
                f"{setting.name} in {where} links node_modules to <store>/links: a cache mount of "
                f"{store} would leave those links dangling in the image"
            )
        if setting.name in ("virtual-store-dir", "modules-dir"):
            path = setting.value
            if path.startswith("~/"):
                path = posixpath.join(home, path[2:])
            path = _stages.join(setting.base, path)
            if "$" in setting.value or common.inside(path, store):
                return (
                    f"{setting.name} in {where} puts the packages node_modules links to in {setting.value}: "
                    f"a cache mount of {store} would keep them out of the image"
                )
        if setting.name == "store-dir":
            return f"store-dir in {where} moves pnpm's store"
    return None


# Variables that override Yarn 2+'s settings (YARN_<SETTING>) or move its global folder (XDG_DATA_HOME).
_BERRY_MOVED_BY: Final = ("YARN_ENABLE_GLOBAL_CACHE", "YARN_GLOBAL_FOLDER", "YARN_NODE_LINKER", "YARN_YARN_PATH",
                          "YARN_IGNORE_PATH", "YARN_RC_FILENAME", "XDG_DATA_HOME")  # fmt: skip
# Linkers that unpack each package out of Yarn's cache archives into node_modules: the image keeps no reference to
# the cache (an install with either, its cache deleted afterwards, still starts). Plug'n'Play reads the archives at
# run time. The pnpm linker hard-links its files to ~/.yarn/berry/index, beside the cache: that folder stays.
_COPYING_LINKERS: Final = frozenset({"node-modules", "pnpm"})
_YARN_SETTINGS_CHANGE: Final = re.compile(
    r"\.yarnrc|\byarn\s+(?:set|config\s+(?:set|unset))\b|\bcorepack\s+(?:use|up)\b"
)


def _yarn_targets(
    tree: Dockerfile,
    site: common.Site,
    state: State,
    env: Mapping[str, str],
    invs: list[Invocation],
    home: str,
    uid: str | None,
    gid: str | None,
) -> tuple[list[common.Mount], str | None]:
    """Yarn 1 caches in its home folder; Yarn 2 and 3 in the project (``.yarn/cache``); Yarn 4, whose
    ``enableGlobalCache`` is true by default, in ``~/.yarn/berry/cache`` (``yarn config get cacheFolder``)."""
    unread = None  # a file Yarn reads that may come from a copy dockmod cannot read: the project is unknown
    try:
        projects = [
            _yarn.UNKNOWN
            if inv.cwd == "?"
            else _yarn.find(lambda p: site.read(tree, p), _stages.join(state.workdir, inv.cwd))
            for inv in invs
        ]
    except common.Unreadable as unreadable:
        projects, unread = [_yarn.UNKNOWN], unreadable.args[0]
    majors = {p.major for p in projects}
    if len(majors) > 1:
        return [], "the RUN's Yarn installs run different (or unknown) versions of Yarn"
    major = majors.pop()
    if major is None and any(i.options & {"--immutable", "--immutable-cache"} for i in invs):
        unknown = (
            f"{unread} may come from a copy whose source dockmod cannot read"
            if unread
            else "the project does not say which it runs (packageManager in package.json, yarnPath in .yarnrc.yml)"
        )
        berry = (
            "Yarn Berry keeps its cache in the project (.yarn/cache) up to Yarn 3, in ~/.yarn/berry/cache from Yarn 4"
        )
        return [], f"{berry}, and {unknown}"
    if major is None or major == 1:
        # Yarn v1 keeps its cache in /usr/local/share/.cache/yarn for root, ~/.cache/yarn otherwise.
        target = "/usr/local/share/.cache/yarn" if home == "/root" else posixpath.join(home, ".cache/yarn")
        return [common.Mount(target, uid=uid, gid=gid)], None
    if major < 4:
        return [], f"Yarn {major} keeps its cache in the project (.yarn/cache)"
    for var in _BERRY_MOVED_BY:
        if var in env:
            return [], f"{var} is set"
    if any("--immutable-cache" in i.options for i in invs):
        return [], "--immutable-cache needs every package in the cache already, and a cache mount starts empty"
    change = site.search_runs(tree, _YARN_SETTINGS_CHANGE)
    if change is not None:
        return [], f"a RUN changes Yarn's settings (`{change.group(0)}`)"
    for project in projects:
        reason = _yarn_global_cache_refusal(project.settings)
        if reason is not None:
            return [], reason
    return [common.Mount(posixpath.join(home, ".yarn/berry/cache"), uid=uid, gid=gid)], None


def _yarn_global_cache_refusal(settings: Mapping[str, str]) -> str | None:
    """Why Yarn 4 with these .yarnrc.yml settings gets no mount of ~/.yarn/berry/cache (None: it gets one).

    ``cacheFolder`` does not count: Yarn uses its global folder's cache "regardless of cacheFolder" while
    ``enableGlobalCache`` is true (checked with Yarn 4.18.1: the setting is overridden, nothing is written there).
    """
    enabled = settings.get("enableGlobalCache", "true").lower()
    if enabled in ("false", "0"):
        return "enableGlobalCache is false: Yarn keeps its cache in the project (.yarn/cache)"
    if enabled not in ("true", "1"):
        return f"enableGlobalCache is {enabled!r} in .yarnrc.yml"
    if "globalFolder" in settings:
        return "globalFolder in .yarnrc.yml moves Yarn's cache"
    linker = settings.get("nodeLinker", "pnp")
    if linker == "pnp":
        return (
            "Plug'n'Play (nodeLinker pnp, Yarn's default) loads the packages from the archives in Yarn's cache at "
            "run time: a cache mount would keep them out of the image (nodeLinker node-modules or pnpm copy them)"
        )
    if linker not in _COPYING_LINKERS:
        return f"nodeLinker is {linker!r}: only node-modules and pnpm copy the packages out of Yarn's cache"
    return None

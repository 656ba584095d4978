"""``add-user``: run the final stage as a non-root user that really exists in the image.

The user comes from the base image's family (REFERENCE §4): the ``node`` user of the official node images,
a new ``app`` user on Debian/Ubuntu and Alpine bases, ``nonroot`` on distroless, a numeric user where the
image's users are unknown, or a user the Dockerfile already creates. Every build step keeps running as
root; ``USER`` goes after the last one, the app's files are copied ``--chown`` and the folders it writes
(working folder, volumes, folders the file creates) are given to the user, one folder at a time, never with
a recursive ``chown`` layer. See ``transforms/add-user.md`` for every rule and each safety downgrade.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import posixpath
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import ClassVar, Final, Literal

from dockmod import imageref
from dockmod.context import BuildContext, Context
from dockmod.cst import (
    Add,
    Cmd,
    Copy,
    Dockerfile,
    Entrypoint,
    Env,
    Expose,
    Healthcheck,
    Instruction,
    Node,
    Onbuild,
    Run,
    Stage,
    User,
    Workdir,
)
from dockmod.cst.buildkit import BuildKitError
from dockmod.cst.edit import add_flags
from dockmod.cst.view import InstructionView
from dockmod.transforms import _managers, _shell, _stages, _yarn
from dockmod.transforms._base import Fix, Safety
from dockmod.transforms._stages import State

# The instructions of the final stage and the stages it builds on, each with the state it runs in.
Walk = Sequence[tuple[Instruction, State]]

Kind = Literal["node", "debian", "alpine", "dotnet", "distroless", "chainguard", "scratch", "unknown"]

_ROOT_USERS: Final = frozenset({"root", "0"})
_NAME: Final = re.compile(r"[a-z_][a-z0-9_-]{0,31}")

# -- base image families ------------------------------------------------------------------------------------

# Official images whose default variant is Debian or Ubuntu (shadow's groupadd/useradd are there).
_DEBIAN_IMAGES: Final = frozenset({
    "debian", "ubuntu", "python", "ruby", "golang", "php", "perl", "rust", "buildpack-deps", "eclipse-temurin",
    "gcc", "haskell", "elixir", "erlang", "julia", "clojure", "swift", "r-base", "mono", "gradle", "maven",
    "tomcat", "pypy", "ibmjava", "sapmachine", "ibm-semeru-runtimes", "java", "openjdk",
})  # fmt: skip
_ALPINE_IMAGES: Final = frozenset({"alpine", "bash"})
# Official images whose start-up needs root: their entrypoint drops privileges itself (gosu, su-exec), or the
# server binds a low port and writes root-owned run-time folders before its workers switch user.
_NEEDS_ROOT: Final[Mapping[str, str]] = {
    **dict.fromkeys((
        "postgres", "mysql", "mariadb", "percona", "redis", "mongo", "rabbitmq", "cassandra", "couchdb",
        "couchbase", "ghost", "redmine", "zookeeper", "influxdb", "telegraf", "chronograf", "kapacitor",
        "consul", "vault", "eclipse-mosquitto", "neo4j", "nats-streaming", "storm", "flink", "nextcloud",
        "owncloud", "friendica", "matomo", "mediawiki", "drupal", "joomla", "wordpress", "phpmyadmin",
        "postfixadmin", "yourls", "backdrop", "bonita", "xwiki", "geonetwork", "orientdb", "aerospike",
    ), "its entrypoint starts as root and drops privileges itself (gosu/su-exec)"),
    "nginx": "nginx's master process runs as root (port 80, /var/cache/nginx) and starts its workers as nginx; "
    "use nginxinc/nginx-unprivileged instead",
    "httpd": "Apache's parent process runs as root (port 80) and starts its workers as www-data",
    "caddy": "Caddy keeps its certificates in /data and /config, which belong to root",
    "traefik": "Traefik binds ports 80/443 and reads the Docker socket as root",
    "haproxy": "the haproxy image picks its own user",
    "varnish": "varnishd starts as root and drops privileges itself",
    "docker": "Docker-in-Docker needs root",
}  # fmt: skip
# Official images that already run as a non-root user of their own: adding another one would break them.
_ALREADY_NON_ROOT: Final = frozenset({
    "jetty", "memcached", "solr", "sonarqube", "odoo", "kong", "adminer", "rocket.chat", "znc", "elasticsearch",
    "kibana", "logstash",
})  # fmt: skip
_DEBIAN_TAGS: Final = (
    "jessie", "stretch", "buster", "bullseye", "bookworm", "trixie", "forky", "sid", "wheezy",  # Debian
    "trusty", "xenial", "bionic", "focal", "jammy", "noble", "oracular", "plucky",  # Ubuntu
    "slim",
)  # fmt: skip
_RHEL_TAGS: Final = ("oraclelinux", "oracle", "ubi", "centos", "amazonlinux", "corretto", "rockylinux",
                     "almalinux", "fedora", "ol8", "ol9")  # fmt: skip
_WINDOWS: Final = ("windowsservercore", "nanoserver", "servercore", "ltsc", "windows")
_DOTNET: Final = re.compile(r"dotnet/(?:core/)?(?:aspnet|runtime|runtime-deps|sdk)")
_CHAINGUARD_ROOT: Final = frozenset({"wolfi-base", "busybox", "chainguard-base"})


# Families whose refactored images tests/e2e builds and runs (buildah, Debian-made base images).
_VERIFIED_BY_BUILDS: Final = frozenset({"node", "debian"})


@dataclass(frozen=True, slots=True)
class Family:
    """What the final stage's base image tells about its users."""

    kind: Kind
    image: str  # the base image, for messages
    leave: bool = False  # the image already runs as a non-root user of its own
    refuse: str | None = None  # why the image must keep running as root (display-only advice)
    unsafe: str | None = None  # why the family is uncertain

    @property
    def shell(self) -> bool:
        """Whether a RUN line can create folders (distroless, scratch and unknown images: not reliably)."""
        return self.kind in ("node", "debian", "alpine", "dotnet")


def family(tree: Dockerfile, stages: Sequence[Stage]) -> Family:
    """The family of the image the final stage's lineage (``stages``, root first) builds on."""
    root = stages[0]
    if _stages.is_scratch(tree, root):
        return Family("scratch", "scratch")
    ref = _stages.base_image(tree, root)
    if ref is None:
        return Family("unknown", root.base, unsafe=f"the base image {root.base} is unknown until build time")
    name = ref.familiar
    chosen_by = _repository_variables(tree, root.base)
    unsafe = None
    if chosen_by is not None:
        unsafe = f"the base image comes from ARG {chosen_by} (default {name}), so it may be another family"
    tag = (ref.tag or "").lower()
    path = ref.path.lower()
    if any(w in path or w in tag for w in _WINDOWS) or path.startswith("dotnet/framework"):
        return Family("unknown", name, refuse="a Windows image: its users (ContainerUser) work differently")
    if ref.domain == "gcr.io" and path.startswith("distroless/"):
        return Family("distroless", name, leave="nonroot" in tag, unsafe=unsafe)
    if ref.domain == "cgr.dev" and path.startswith("chainguard/"):
        runs_as_root = "dev" in tag or path.removeprefix("chainguard/") in _CHAINGUARD_ROOT
        why = "Chainguard images differ in their users; uid 65532 is their documented non-root user"
        return Family("chainguard", name, leave=not runs_as_root, unsafe=unsafe or why)
    if ref.domain == "mcr.microsoft.com" and _DOTNET.fullmatch(path):
        return _dotnet(name, tag, unsafe)
    if "linuxserver/" in path or ref.domain == "lscr.io":
        return Family("unknown", name, refuse="linuxserver.io images start as root (s6 /init) and switch to PUID")
    if path == "nginxinc/nginx-unprivileged":
        return Family("unknown", name, leave=True)
    if not ref.is_docker_hub or not path.startswith("library/"):
        why = f"dockmod does not know which users {name} ships or whether it already runs as one of its own"
        return Family("unknown", name, unsafe=unsafe or why)
    official = path.removeprefix("library/")
    if official in _NEEDS_ROOT:
        return Family("unknown", name, refuse=f"{official}: {_NEEDS_ROOT[official]}")
    if official == "php" and "apache" in tag:
        return Family("unknown", name, refuse=f"php:*-apache: {_NEEDS_ROOT['httpd']}")
    if official in _ALREADY_NON_ROOT:
        return Family("unknown", name, leave=True)
    if official == "node":
        return Family("node", name, unsafe=unsafe)
    by_tag = _tag_family(tag)
    if by_tag == "rhel":
        return Family("unknown", name, unsafe=unsafe or f"{name} is not Debian or Alpine based")
    if by_tag is not None:
        return Family(by_tag, name, unsafe=unsafe)
    if official == "openjdk" and _major(tag) >= 12:
        return Family("unknown", name, unsafe=unsafe or f"{name} is Oracle Linux based, not Debian")
    if official in ("maven", "gradle") and "openjdk" in tag:
        return Family("unknown", name, unsafe=unsafe or f"the distribution under {name} depends on the JDK tag")
    if official in _DEBIAN_IMAGES:
        return Family("debian", name, unsafe=unsafe)
    if official in _ALPINE_IMAGES:
        return Family("alpine", name, unsafe=unsafe)
    why = f"dockmod does not know which users {name} ships or whether it already runs as one of its own"
    return Family("unknown", name, unsafe=unsafe or why)


def _tag_family(tag: str) -> Literal["debian", "alpine", "rhel"] | None:
    if "alpine" in tag:
        return "alpine"
    words = set(re.split(r"[-_.]", tag))
    if words & set(_RHEL_TAGS) or any(tag.startswith(w) or f"-{w}" in tag for w in _RHEL_TAGS):
        return "rhel"
    if words & set(_DEBIAN_TAGS):
        return "debian"
    return None


def _major(tag: str) -> int:
    m = re.match(r"\d+", tag)
    return int(m.group()) if m else 0


def _dotnet(name: str, tag: str, unsafe: str | None) -> Family:
    # .NET 8 and later images ship an ``app`` user (uid 1654, ``ENV APP_UID``); earlier ones are plain Debian
    # or Alpine. Chiseled images have no shell.
    if _major(tag) >= 8:
        kind: Kind = "distroless" if ("chiseled" in tag or "distroless" in tag) else "dotnet"
        return Family(kind, name, unsafe=unsafe)
    by_tag = _tag_family(tag)
    if by_tag == "alpine":
        return Family("alpine", name, unsafe=unsafe)
    if by_tag == "debian" or (by_tag is None and _major(tag) > 0):
        return Family("debian", name, unsafe=unsafe)
    return Family("unknown", name, unsafe=unsafe or f"dockmod cannot tell the .NET version of {name}")


def _repository_variables(tree: Dockerfile, base: str) -> str | None:
    """The ARG that chooses the repository part of ``FROM`` (a variable in the tag only picks a version)."""
    if "$" not in base:
        return None
    name_part = re.split(r"[:@](?![^{]*\})", base, maxsplit=1)[0]
    if "$" not in name_part:
        return None
    found = re.findall(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)", name_part)
    return found[0] if found else "?"


# -- the account to run as ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Account:
    """The user the final stage will run as."""

    user: str  # the USER argument
    owner: str  # ``--chown``/``chown`` owner (user or user:group)
    create: str | None  # the shell command that creates it, when dockmod creates it
    created_by: Run | None  # the file's RUN that creates it, when the file does
    label: str  # for messages
    home: bool = True  # whether the user has a home folder it can write

    @property
    def name(self) -> str:
        return self.owner.split(":", 1)[0]


# -- what the plan records -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Folder:
    path: str
    why: str  # "the working folder", "a VOLUME", "created by mkdir"...


@dataclass
class _Findings:
    refuse: list[str] = field(default_factory=list)  # display-only reasons
    unsafe: list[str] = field(default_factory=list)
    home_writes: list[str] = field(default_factory=list)  # "the start script x writes ~/y": needs a home folder


@dataclass(frozen=True)
class AddUser:
    """Run the final stage as a non-root user that exists in the image."""

    name: ClassVar[str] = "add-user"
    summary: ClassVar[str] = "run the final stage as a non-root user that exists in the image"
    safety: ClassVar[Safety] = Safety.SAFE

    user: str = "app"  # the user dockmod creates on Debian/Ubuntu and Alpine bases
    group: str = "app"
    uid: int = 10001  # also the numeric USER on scratch and unknown images
    gid: int = 10001
    # USER by uid:gid when the ids are known: Kubernetes' runAsNonRoot can only verify a numeric user (it
    # refuses "non-numeric user (app), cannot verify user is non-root"), and hadolint's DL3066 asks for one.
    # The passwd entry still exists, so the process's name, HOME and groups are the same.
    numeric: bool = True

    def __post_init__(self) -> None:
        for option in ("user", "group"):
            if not _NAME.fullmatch(getattr(self, option)):
                raise ValueError(
                    f"add-user: {option} must be a lower-case POSIX user name, not {getattr(self, option)!r}"
                )
        for option in ("uid", "gid"):
            value = getattr(self, option)
            if not isinstance(value, int) or not 0 < value < 2**31:
                raise ValueError(f"add-user: {option} must be a number between 1 and 2147483647, not {value!r}")

    def check(self, tree: Dockerfile, ctx: Context) -> Iterator[Fix]:
        stages = tree.stages
        if not stages:
            return
        final = stages[-1]
        chain = _stages.lineage(tree, final)
        try:
            fix = self._fix(tree, ctx, final, chain)
        except BuildKitError:
            return  # an instruction BuildKit rejects: nothing sensible to say about users
        if fix is not None:
            yield fix

    # -------------------------------------------------------------------------------------------------------

    def _fix(self, tree: Dockerfile, ctx: Context, final: Stage, chain: tuple[Stage, ...]) -> Fix | None:
        end = _stages.final_state(tree, final)
        if end.user is not None:
            if end.user.split(":", 1)[0] not in _ROOT_USERS:
                return None  # already non-root: the final USER wins
            node = _last(chain, User)
            assert node is not None
            line = _line(tree, node)
            return _advice(node, [f"the file switches to root explicitly at line {line}; dockmod keeps that choice"])
        fam = family(tree, chain)
        if fam.leave:
            return None
        findings = _Findings()
        if fam.refuse:
            findings.refuse.append(fam.refuse)
        if ".devcontainer" in ctx.path.replace("\\", "/").split("/"):
            findings.refuse.append("a dev container: its user is chosen in devcontainer.json (remoteUser)")
        for stage in chain:
            for ins in stage.body:
                if isinstance(ins, Onbuild):
                    findings.refuse.append(
                        f"ONBUILD at line {_line(tree, ins)}: the image is a base for other builds, whose steps "
                        "would run as the new user"
                    )
                elif ins.name == "SHELL" and "powershell" in ins.code.lower():
                    findings.refuse.append("a Windows image (SHELL powershell)")
        account = self._account(tree, fam, chain, findings)
        walked = _stages.chain_walk(tree, final)
        _root_home(tree, walked, findings)
        _home_downloads(tree, ctx, walked, findings)
        programs = _start_command(tree, ctx, chain, walked, fam, end, findings)
        needs_cache = sorted(programs & _NEEDS_CACHE) if not account.home else []
        if needs_cache and not any(name in end.env for name in _UV_CACHE_ENV):
            findings.refuse.append(
                f"the start command runs {needs_cache[0]}, which stops at once when it cannot create its cache folder "
                f"in HOME, and {account.name} has no home folder (start .venv/bin/<program>, or set UV_CACHE_DIR)"
            )
        elif not account.home and findings.home_writes:
            findings.unsafe.append(f"{findings.home_writes[0]}, and {account.name} has no home folder")
        elif not account.home and programs & _HOME_WRITERS:
            tool = sorted(programs & _HOME_WRITERS)[0]
            findings.unsafe.append(f"{tool} writes its logs and cache in HOME, and {account.name} has no home folder")
        elif not account.home and account.created_by is not None:
            # The image ran as root, whose home exists; apps keep settings and caches there unseen (a real image:
            # "Permission denied: '/home/appuser'" from a Python app writing ~/.config).
            findings.unsafe.append(
                f"{account.name} has no home folder (created without one): an app writing in ~ fails"
            )
        _ports(tree, ctx, walked, findings)
        if "npx" in programs and _root_runs(tree, walked, "npx"):
            # What a root RUN's npx fetched sits in /root/.npm/_npx: as the new user, npx fetches it again at every
            # start (a real build without registry access then failed: ENOTCACHED).
            findings.unsafe.append("the start command runs npx, whose packages a root RUN fetched into root's home")
        _build_tool_at_start(tree, walked, programs, findings)
        _run_time_state(tree, walked, findings)
        _tests_at_build(tree, walked, findings)
        _touched_files(tree, ctx, walked, findings)
        git = _git_after_copy(tree, ctx, walked)
        if git is not None:
            findings.refuse.append(git)
        pnp = _yarn_pnp_in_root_home(tree, ctx, walked)
        if pnp is not None:
            findings.refuse.append(pnp)
        folders = _writable_folders(tree, chain, end, findings)
        folders += _start_writes(tree, ctx, chain, walked, end, findings)
        folders += _env_folders(end, folders, findings)
        code = _start_code(tree, ctx, chain, walked, end)
        _code_writes(code, folders, findings)
        with_modules = _with_modules(ctx, code)  # also the modules it imports (`from settings import PORT`)
        _build_scripts(tree, ctx, walked, with_modules, findings)
        _code_ports(ctx, with_modules, findings)
        _code_needs_root(with_modules, findings)
        _code_system_paths(ctx, with_modules, folders, findings)
        _start_arguments(tree, chain, folders, findings)
        owned = _chowned_by_file(tree, walked, account)
        _owner_only(tree, ctx.build, chain, walked, folders, owned, account.owner.split(":", 1)[0], findings)
        _other_owners(tree, walked, account, folders, findings)
        if findings.refuse:
            return _advice(final.node, findings.refuse)
        return self._edit(tree, ctx, fam, account, chain, final, walked, folders, owned, findings)

    def _account(self, tree: Dockerfile, fam: Family, chain: tuple[Stage, ...], findings: _Findings) -> Account:
        created = _stages.created_users(tree, chain[-1])
        if created:
            chosen = _preferred_user(tree, chain, created)
            owner = f"{chosen.name}:{chosen.group}" if chosen.group else chosen.name
            label = f"{chosen.name} (created by the file)"
            user = chosen.name
            if self.numeric and chosen.uid is not None and chosen.uid.isdecimal():
                # Without a known gid the number alone: the passwd entry then gives the primary group.
                known_gid = chosen.gid is not None and chosen.gid.isdecimal()
                user = f"{chosen.uid}:{chosen.gid}" if known_gid else chosen.uid
                label = f"{chosen.name} (uid {chosen.uid}, created by the file)"
            return Account(user, owner, None, chosen.node, label, home=chosen.home is not None)
        if fam.unsafe:
            findings.unsafe.append(fam.unsafe)
        uid, gid = self.uid, self.gid
        if fam.kind == "node":
            changed = _node_user_changed(tree, chain)
            if changed is not None:
                findings.refuse.append(changed)
            user = "1000:1000" if self.numeric else "node"
            return Account(user, "node:node", None, None, "node (uid 1000, shipped by the node image)")
        if fam.kind == "dotnet":
            return Account("$APP_UID", "app:app", None, None, "app (uid 1654 as $APP_UID, shipped by the .NET image)")
        if fam.kind in ("debian", "alpine"):
            esc = _continuation(tree)
            clash = _account_clash(tree, chain, self.user, self.group, uid, gid)
            if clash is not None:
                findings.refuse.append(clash)
            # With a home folder of its own: programs write there at run time (Jupyter's runtime folder, uv's
            # and npm's caches, Hugging Face models, `git config --global`, start scripts' `mkdir -p ~/.config/x`),
            # and real builds of each without one stopped with "Permission denied: '/home/app'". Unless the file
            # uses that folder itself: its own `mkdir /home/app` would then fail (a real build).
            home = f"/home/{self.user}"
            own = not any(_mentions_path(tree.view(ins).args_text, home) for stage in chain for ins in stage.body)
            if fam.kind == "debian":
                create = (
                    f"groupadd --system --gid {gid} {self.group}{esc}&& useradd --system --uid {uid} --gid "
                    f"{self.group} --no-log-init {'--create-home' if own else '--no-create-home'} {self.user}"
                )
            else:
                flags = "-S -D" if own else "-S -D -H"
                create = (
                    f"addgroup -S -g {gid} {self.group}{esc}&& adduser {flags} -u {uid} -G {self.group} {self.user}"
                )
            return Account(
                f"{uid}:{gid}" if self.numeric else self.user,
                f"{self.user}:{self.group}",
                create,
                None,
                f"{self.user} (uid {uid}, created here)",
                home=own,
            )
        if fam.kind == "distroless":
            if fam.image.startswith("mcr.microsoft.com/"):
                return Account("$APP_UID", "app:app", None, None, "app (uid 1654, shipped by the .NET image)")
            user = "65532:65532" if self.numeric else "nonroot:nonroot"
            return Account(user, "nonroot:nonroot", None, None, "nonroot (uid 65532, shipped by distroless)")
        if fam.kind == "chainguard":
            return Account("65532:65532", "65532:65532", None, None, "uid 65532 (Chainguard's non-root user)")
        if fam.kind == "scratch":
            findings.unsafe.append(
                f"in scratch, uid {uid} has no passwd entry and owns no folder: a program that writes files or "
                "looks up its user fails"
            )
        numeric = f"uid {uid} (numeric: no user is needed)"
        return Account(f"{uid}:{gid}", f"{uid}:{gid}", None, None, numeric, home=False)

    def _edit(
        self,
        tree: Dockerfile,
        ctx: Context,
        fam: Family,
        account: Account,
        chain: tuple[Stage, ...],
        final: Stage,
        walked: Walk,
        folders: list[_Folder],
        owned: set[str],
        findings: _Findings,
    ) -> Fix:
        body = list(final.body)
        # Where the user exists from: after the final FROM, or after the file's own RUN that creates it.
        anchor: Instruction = final.node
        if account.created_by is not None and any(i is account.created_by for i in body):
            anchor = account.created_by
        after_anchor = body[body.index(anchor) + 1 :] if anchor is not final.node else body

        # Folders the user must own; the file's own chown to the user already covers some.
        wanted = [f for f in _dedupe_folders(folders) if not _covered(f.path, owned)]
        last = _last_build_step(final)
        up_to_user = body[: body.index(last) + 1] if last is not final.node else []
        top: list[str] = []
        late: list[str] = []
        can_run = fam.shell or account.created_by is not None
        parents = [ins for stage in chain[:-1] for ins in stage.body]
        for folder in wanted:
            if any(_volume_declares(tree, i, folder.path) for i in parents):
                # What this stage's steps change in a VOLUME its parent declared is discarded (a real image kept
                # /data root's, and the app could not write there).
                findings.unsafe.append(
                    f"{folder.path} is a VOLUME of a stage this one builds on: a step here cannot give it to the user"
                )
            if not can_run:
                findings.unsafe.append(
                    f"{folder.path} ({folder.why}) stays root's: the image has no shell dockmod can rely on to give "
                    "it to the user"
                )
            elif _safe_to_create_early(tree, ctx, folder.path, after_anchor, walked):
                top.append(folder.path)
            else:
                late.append(folder.path)
                if any(_volume_declares(tree, i, folder.path) for i in up_to_user):
                    findings.unsafe.append(
                        f"{folder.path} is given to the user after its VOLUME line, which the classic builder "
                        "discards (BuildKit and buildah keep it)"
                    )
        # COPY/ADD of the app's files into those folders: --chown (a COPY ignores USER and writes as root).
        chowned: dict[Instruction, Instruction] = {}
        state_of = {id(ins): state for ins, state in walked}
        for ins in after_anchor:
            if isinstance(ins, Copy | Add) and tree.view(ins).flag("chown") is None:
                dest = _copy_destination(tree, ins, state_of[id(ins)])
                if dest is not None and any(_inside(dest, f.path) for f in folders):
                    chowned[ins] = add_flags(tree, ins, [f"--chown={account.owner}"])
                    archive = _unpacked_archive(tree, ins)
                    if archive is not None:
                        findings.unsafe.append(
                            f"the files ADD unpacks from {archive} (line {_line(tree, ins)}) keep the archive's "
                            "owners: --chown does not reach them"
                        )
        for stage in chain[:-1]:
            for ins in stage.body:
                if isinstance(ins, Copy | Add) and tree.view(ins).flag("chown") is None:
                    dest = _copy_destination(tree, ins, state_of[id(ins)])
                    if dest is not None and any(_inside(dest, f.path) for f in folders):
                        findings.unsafe.append(
                            f"files stage {stage.name or stage.index} copies into {dest} (line {_line(tree, ins)}) "
                            "stay root's: the app cannot change them"
                        )
        if account.created_by is not None and anchor is not final.node:
            # (A user a parent stage creates exists before every instruction of this one.)
            for ins in body:
                if ins is anchor:
                    break
                if isinstance(ins, Copy | Add):
                    dest = _copy_destination(tree, ins, state_of[id(ins)])
                    if dest is not None and any(_inside(dest, f.path) for f in folders):
                        findings.unsafe.append(
                            f"line {_line(tree, ins)} copies files into {dest} before user {account.name} exists: "
                            "they stay root's"
                        )

        # New instructions: the user (and early folders) right after the anchor; the remaining folders and
        # USER after the last build step, so that every RUN, COPY and WORKDIR still runs as root.
        inserts: dict[Instruction, list[Instruction]] = {}
        commands = [c for c in (account.create, _own(top, account.owner)) if c]
        if commands:
            text = (_continuation(tree) + "&& ").join(commands)
            inserts.setdefault(anchor, []).append(tree.new(Run, text, like=anchor))
        if late:
            inserts.setdefault(last, []).append(tree.new(Run, _own(late, account.owner), like=last))
        inserts.setdefault(last, []).append(tree.new(User, account.user, like=last))
        replace: dict[Node, tuple[Node, ...]] = {}
        for node in (*chowned, *inserts):
            replace[node] = _followed_by(tree, chowned.get(node, node), inserts.get(node, []))

        message = f"run the final stage as {account.label}: USER {account.user} after line {_line(tree, last)}"
        if chowned:
            lines = ", ".join(str(_line(tree, n)) for n in chowned)
            message += f"; COPY/ADD --chown={account.owner} at line{'s' if len(chowned) > 1 else ''} {lines}"
        given = top + late
        if given:
            message += f"; {', '.join(given)} given to {account.name}"
        if fam.kind not in _VERIFIED_BY_BUILDS:
            # Issue 5: a choice is called safe only once real builds have shown it (tests/e2e builds
            # Debian-based images, the node family among them).
            findings.unsafe.append(f"the {fam.kind} family has not been verified by a real build yet")
        safety = Safety.UNSAFE if findings.unsafe else Safety.SAFE
        if findings.unsafe:
            message += " — unsafe: " + "; ".join(dict.fromkeys(findings.unsafe))
        return Fix(message=message, safety=safety, replace=replace)


def _mentions_path(text: str, path: str) -> bool:
    return re.search(re.escape(path) + r"(?![\w.-])", text) is not None


# Commands that create users and groups, and their options that set an id.
_ACCOUNT_TOOLS: Final = frozenset({"useradd", "adduser", "groupadd", "addgroup"})
_ID_OPTIONS: Final = frozenset({"-u", "--uid", "-g", "--gid", "-G"})
_VALUE_OPTIONS: Final = _ID_OPTIONS | {"-h", "--home", "--home-dir", "-d", "-s", "--shell", "-c", "--comment", "-k"}


_ACCOUNT_CHANGES: Final = frozenset({"userdel", "deluser", "usermod", "groupdel", "delgroup", "groupmod"})


def _node_user_changed(tree: Dockerfile, chain: tuple[Stage, ...]) -> str | None:
    """Why the node image's ``node`` user (uid 1000) is not the account dockmod expects: a RUN deletes it (then
    `COPY --chown=node` fails: a real build) or gives it other ids (then uid 1000 owns nothing: a real build)."""
    for stage in chain:
        for ins in stage.body:
            script = _managers.run_script(tree, ins) if isinstance(ins, Run) else None
            for command in script.script.commands if script is not None else ():
                argv = command.argv
                tool = argv[0].rsplit("/", 1)[-1] if argv else ""
                names = [w for k, w in enumerate(argv[1:], 1) if not w.startswith("-") and argv[k - 1] not in
                         _VALUE_OPTIONS | {"-n", "--new-name", "-l", "--login"}]  # fmt: skip
                # usermod/groupmod matter when they change ids or names (`usermod -aG docker node` does not).
                renames = {"-u", "--uid", "-g", "--gid", "-l", "--login", "-n", "--new-name"}
                changes = not tool.endswith("mod") or any(w.split("=", 1)[0] in renames for w in argv)
                if tool in _ACCOUNT_CHANGES and changes and "node" in names[-1:]:
                    return (
                        f"line {_line(tree, ins)} changes the node image's node user ({tool}): dockmod does not know "
                        "its account any more; set USER to the user the file means"
                    )
    return None


def _account_clash(tree: Dockerfile, chain: tuple[Stage, ...], user: str, group: str, uid: int, gid: int) -> str | None:
    """Why the user dockmod would create clashes with one the file creates later (the same group name, or the
    same uid or gid for another name): the file's own command would then fail, as a real build's `groupadd app`
    did ("group 'app' already exists")."""
    for stage in chain:
        for ins in stage.body:
            if not isinstance(ins, Run):
                continue
            script = _managers.run_script(tree, ins)
            for command in script.script.commands if script is not None else ():
                argv = command.argv
                if not argv or argv[0].rsplit("/", 1)[-1] not in _ACCOUNT_TOOLS:
                    continue
                tool = argv[0].rsplit("/", 1)[-1]
                names = [
                    w for k, w in enumerate(argv[1:], 1) if not w.startswith("-") and argv[k - 1] not in _VALUE_OPTIONS
                ]
                ids = [argv[k + 1] for k, w in enumerate(argv[:-1]) if w in _ID_OPTIONS]
                ids += [w.split("=", 1)[1] for w in argv if w.startswith(("--uid=", "--gid="))]
                taken = (
                    (tool in ("groupadd", "addgroup") and group in names[-1:])
                    or str(uid) in ids
                    or (str(gid) in ids and tool in ("groupadd", "addgroup"))
                )
                if taken:
                    line = _line(tree, ins)
                    return (
                        f"line {line} creates an account that clashes with {user}:{group} (uid {uid}, gid {gid}): "
                        "choose other names or ids with [tool.dockmod.add-user] user, group, uid, gid"
                    )
    return None


def _followed_by(tree: Dockerfile, node: Instruction, new: list[Instruction]) -> tuple[Instruction, ...]:
    """``node`` and the ``new`` instructions after it; a file without a final newline keeps lacking one."""
    if not new or node.code.endswith(("\n", "\r")):
        return (node, *new)
    if node.heredocs:
        last = node.heredocs[-1]
        closed = dataclasses.replace(last, terminator=last.terminator + tree.newline)
        ended = dataclasses.replace(node, heredocs=(*node.heredocs[:-1], closed))
    else:
        ended = dataclasses.replace(node, newline=tree.newline)
    return (ended, *new[:-1], dataclasses.replace(new[-1], newline=""))


def _advice(node: Instruction, reasons: list[str]) -> Fix:
    message = "no non-root USER added: " + "; ".join(dict.fromkeys(reasons))
    return Fix(message=message, safety=Safety.DISPLAY_ONLY, replace={node: (node,)})


def _line(tree: Dockerfile, node: Instruction) -> int:
    return tree.lines().get(node, (0, 0))[0]


def _last(chain: Sequence[Stage], cls: type[Instruction]) -> Instruction | None:
    found = None
    for stage in chain:
        for ins in stage.body:
            if isinstance(ins, cls):
                found = ins
    return found


def _last_build_step(stage: Stage) -> Instruction:
    """The last instruction that changes the file system (RUN, COPY, ADD, WORKDIR), else the FROM."""
    last: Instruction = stage.node
    for ins in stage.body:
        if isinstance(ins, Run | Copy | Add | Workdir):
            last = ins
    return last


def _continuation(tree: Dockerfile) -> str:
    return f" {tree.escape}{tree.newline} "


def _own(paths: list[str], owner: str) -> str:
    """``mkdir -p`` + a non-recursive ``chown``: the same on GNU coreutils and BusyBox, for new and existing
    folders (BusyBox's ``install -d`` leaves an existing folder's owner alone and chowns new parents)."""
    if not paths:
        return ""
    quoted = " ".join(_shell.quote(p) for p in paths)
    return f"mkdir -p {quoted} && chown {owner} {quoted}"


def _preferred_user(
    tree: Dockerfile, chain: tuple[Stage, ...], created: Mapping[str, _stages.CreatedUser]
) -> _stages.CreatedUser:
    """The file's own user: the one it gives files to, else the last one it creates."""
    for stage in chain:
        for ins in stage.body:
            if isinstance(ins, Run):
                for owner, _paths, _rec in _chowns(tree, ins):
                    name = owner.split(":", 1)[0].split(".", 1)[0]
                    if name in created:
                        return created[name]
    return list(created.values())[-1]


# -- folders the user must own ------------------------------------------------------------------------------

# Folders that are never given to the app's user: the file system's own structure and system trees.
_SYSTEM_FOLDERS: Final = frozenset({
    "/", "/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib32", "/lib64", "/libx32", "/media", "/mnt", "/opt",
    "/proc", "/root", "/run", "/sbin", "/sys", "/tmp", "/usr", "/var", "/var/lib", "/var/log", "/var/cache",
    "/var/run", "/var/tmp", "/var/spool", "/var/www", "/var/mail", "/var/opt", "/usr/local", "/usr/src",
})  # fmt: skip
_SYSTEM_TREES: Final = ("/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/libx32", "/proc", "/root",
                        "/sbin", "/sys", "/var/lib/apt", "/var/lib/dpkg", "/var/cache/apt", "/var/cache/apk",
                        "/var/cache/debconf", "/var/lib/apk")  # fmt: skip
_USR_STANDARD: Final = frozenset({"bin", "lib", "lib64", "libexec", "sbin", "include", "share", "etc", "man",
                                  "games", "libx32", "lib32"})  # fmt: skip


def ownable(path: str) -> bool:
    """Whether ``path`` may be given to the app's user: an absolute folder outside the system's own."""
    if not path.startswith("/") or path in _SYSTEM_FOLDERS:
        return False
    if any(_inside(path, t) for t in _SYSTEM_TREES):
        return False
    if path.startswith("/usr/"):
        parts = path.split("/")
        # /usr/src/app and /usr/local/app are app folders; /usr/bin, /usr/local/lib... are not.
        return len(parts) >= 4 and parts[2] in ("src", "local") and parts[3] not in _USR_STANDARD
    return True


def _writable_folders(tree: Dockerfile, chain: tuple[Stage, ...], end: State, findings: _Findings) -> list[_Folder]:
    out: list[_Folder] = []
    if ownable(end.workdir) and "$" not in end.workdir:
        out.append(_Folder(end.workdir, "the working folder"))
        argument = _stages.workdir_argument(tree, chain)
        if argument is not None:
            findings.unsafe.append(
                f"the working folder comes from ARG {argument} (default {end.workdir}): built with another "
                "--build-arg, it stays root's"
            )
    elif "$" in end.workdir:
        workdir = _last(chain, Workdir)
        written = tree.view(workdir).args_text if workdir is not None else end.workdir
        findings.unsafe.append(f"the working folder {written} cannot be resolved; it stays root's")
    elif end.workdir.startswith(_stages.UNKNOWN_DIR + "/"):
        # `WORKDIR app` below the base image's own working folder (a real build could not write it).
        findings.unsafe.append(
            f"the working folder {end.workdir[2:]} is relative to the base image's, which the Dockerfile does not "
            "show; it stays root's"
        )
    else:
        # No WORKDIR (the base image's, often /) or a system folder: a program writing a log or a state file by a
        # relative path wrote it there as root, and cannot as the user (a real build: "Permission denied:
        # '/worker.log'").
        where = (
            "the base image's, which the Dockerfile does not show"
            if end.workdir == _stages.UNKNOWN_DIR
            else end.workdir
        )
        findings.unsafe.append(
            f"the working folder is {where}; it stays root's, so files the app writes by relative paths fail"
        )
    for stage in chain:
        for ins, state in _stages.walk(tree, stage):
            if isinstance(ins, Copy | Add):
                view = tree.view(ins)
                sources = view.args[:-1]
                if view.flag("from") is None and any(s.rstrip("/") in (".", "") for s in sources):
                    dest = _copy_destination(tree, ins, state)
                    if dest is not None and ownable(dest):
                        out.append(_Folder(dest, "the app's folder"))
            elif ins.name == "VOLUME":
                for word in _volume_paths(tree, ins):
                    path = _resolve(word, state)
                    if path is None:
                        findings.unsafe.append(
                            f"VOLUME {word} (line {_line(tree, ins)}) cannot be resolved; it stays root's"
                        )
                    elif ownable(path):
                        out.append(_Folder(path, "a VOLUME"))
                    elif path not in ("/tmp", "/var/tmp"):
                        findings.unsafe.append(
                            f"VOLUME {path} is a system folder; dockmod does not give it to the user"
                        )
            elif isinstance(ins, Run):
                for path, parents in _mkdirs(tree, ins, state, findings):
                    if not ownable(path):
                        continue
                    # `mkdir -p /app/var/cache/thumbs` may make /app/var too, which root would keep (a real image
                    # could not write /app/var/state.json): the folders above it that the user may own, top first.
                    made = [path]
                    while parents and posixpath.dirname(made[-1]) != made[-1] and ownable(posixpath.dirname(made[-1])):
                        made.append(posixpath.dirname(made[-1]))
                    out += [_Folder(f, "created by mkdir") for f in reversed(made)]
    return out


def _env_folders(end: State, folders: list[_Folder], findings: _Findings) -> list[_Folder]:
    """Where the image's environment tells the app to keep its data (``DATA_DIR=/data/notes``,
    ``SQLITE_PATH=/srv/db/app.db``): the app creates those as root, and the new user could not (a real build:
    "Permission denied: '/var/lib/notes'"). A folder the user may own is given to it (for a file, its folder); one
    in a system tree makes the fix unsafe."""
    out: list[_Folder] = []
    for key, value in sorted(end.env.items()):
        if not _DATA_VARIABLE.search(key) or key.startswith(_TOOL_PREFIXES) or not value.startswith("/"):
            continue
        path = posixpath.normpath(value)
        folder = path if key.endswith(("_DIR", "_FOLDER", "_ROOT")) else posixpath.dirname(path)
        if any(_inside(path, s) for s in _SCRATCH) or any(_inside(folder, f.path) for f in [*folders, *out]):
            continue
        if ownable(folder):
            out.append(_Folder(folder, f"named by ENV {key}"))
        else:
            findings.unsafe.append(f"ENV {key} names {path}, where only root may write; it stays root's")
    return out


# Variables naming where an app keeps what it writes; tools' own settings (PIP_CACHE_DIR...) are the build's.
_DATA_VARIABLE: Final = re.compile(
    r"(?:^|_)(?:DATA|UPLOADS?|LOGS?|CACHE|STORAGE|MEDIA|STATE|DB|DATABASE|SQLITE|OUTPUT|SESSIONS?|SPOOL)"
    r"_(?:DIR|PATH|FOLDER|FILE|ROOT|LOCATION)$"
)
_TOOL_PREFIXES: Final = ("PIP_", "NPM_", "YARN_", "PNPM_", "POETRY_", "UV_", "PIPENV_", "GO", "CARGO_", "RUSTUP_",
                         "GRADLE_", "MAVEN_", "COMPOSER_", "BUNDLE_", "NUGET_", "XDG_", "CONDA_", "npm_")  # fmt: skip


def _dedupe_folders(folders: list[_Folder]) -> list[_Folder]:
    seen: dict[str, _Folder] = {}
    for f in folders:
        seen.setdefault(f.path, f)
    return list(seen.values())


def _volume_paths(tree: Dockerfile, ins: Instruction) -> tuple[str, ...]:
    return tree.view(ins).args


def _volume_declares(tree: Dockerfile, ins: Instruction, path: str) -> bool:
    return ins.name == "VOLUME" and any(posixpath.normpath(w) == path for w in _volume_paths(tree, ins))


def _mkdirs(tree: Dockerfile, run: Run, state: State, findings: _Findings) -> Iterator[tuple[str, bool]]:
    """(folder, with -p) for every ``mkdir`` in the RUN, resolved against WORKDIR, ``cd`` and ENV."""
    script = _managers.run_script(tree, run)
    if script is None:
        return
    cwd = state.workdir
    for command in script.script.commands:
        argv = command.argv
        if not argv:
            continue
        if argv[0] == "cd" and len(argv) == 2:
            target = _resolve(argv[1], State(cwd, state.user, state.env))
            cwd = target if target is not None else _stages.UNKNOWN_DIR
            continue
        program = argv[0].rsplit("/", 1)[-1]
        # `install -d` creates folders like `mkdir -p` (a real build of a variant showed the folder staying root's
        # while the fix was called safe); without -d it copies files.
        directory = program == "install" and any(
            w == "--directory" or (w.startswith("-") and not w.startswith("--") and "d" in w[1:]) for w in argv[1:]
        )
        if program != "mkdir" and not directory:
            continue
        parents = directory
        skip = False
        for word in argv[1:]:
            if skip:
                skip = False
                continue
            if word in ("-m", "--mode") or (directory and word in ("-o", "--owner", "-g", "--group")):
                skip = True
                continue
            if word.startswith("-"):
                parents = parents or word in ("--parents",) or (not word.startswith("--") and "p" in word[1:])
                # `-pm 755`: the mode follows the cluster (`-pm755` carries it); it names no folder.
                skip = not word.startswith("--") and word.endswith("m")
                continue
            # A pattern the shell may expand (bash's `/data/{logs,uploads}`, a glob) names folders dockmod cannot
            # list; copied as written into the user's RUN (plain sh), it made a folder named with the braces.
            pattern = _SHELL_PATTERN.search(word) is not None
            env = _stages.overlay(state.env, command.assignments)
            path = None if pattern else _resolve(word, State(cwd, state.user, env))
            if path is None:
                if "$" in word or pattern:
                    findings.unsafe.append(
                        f"line {_line(tree, run)} creates {word}, which dockmod cannot resolve; it stays root's"
                    )
                continue
            yield path, parents


_SHELL_PATTERN: Final = re.compile(r"\{[^{}]*,[^{}]*\}|[*?]|\[[^\]]*\]")


def _chowns(tree: Dockerfile, run: Run) -> Iterator[tuple[str, list[str], bool]]:
    """(owner, paths, recursive) of every ``chown`` in the RUN (paths as written)."""
    script = _managers.run_script(tree, run)
    if script is None:
        return
    for command in script.script.commands:
        argv = _find_exec(command.argv)
        if not argv or argv[0].rsplit("/", 1)[-1] != "chown":
            continue
        words = [w for w in argv[1:] if not w.startswith("-")]
        recursive = any(w in ("-R", "--recursive") or (w.startswith("-") and not w.startswith("--") and "R" in w)
                        for w in argv[1:])  # fmt: skip
        if len(words) >= 2:
            yield words[0], words[1:], recursive


def _chowned_by_file(tree: Dockerfile, walked: Walk, account: Account) -> set[str]:
    """Folders the file itself gives to the chosen user (``chown user ...``); ``/**`` marks a recursive one."""
    out: set[str] = set()
    names = {account.name, account.owner}
    for ins, state in walked:
        if isinstance(ins, Run):
            for owner, paths, recursive in _chowns(tree, ins):
                if owner.split(":", 1)[0].split(".", 1)[0] not in names:
                    continue
                for p in paths:
                    resolved = _resolve(p, state)
                    if resolved is not None:
                        out.add(resolved + "/**" if recursive else resolved)
    return out


def _unpacked_archive(tree: Dockerfile, ins: Instruction) -> str | None:
    """The local archive an ADD unpacks, if any: its files keep the owners the archive gives them, whatever
    ``--chown`` says (a real build with buildah: the app could not rewrite a file from state.tar.gz)."""
    if not isinstance(ins, Add):
        return None
    sources = tree.view(ins).args[:-1]
    return next((s for s in sources if "://" not in s and _stages.ARCHIVE.search(s)), None)


def _copies_into(view: InstructionView) -> bool:
    """Whether a COPY's destination is a folder its sources go into (`dest/`, or several sources)."""
    return view.args[-1].endswith("/") or len(view.args) > 2


def _owner_only(
    tree: Dockerfile,
    build: BuildContext,
    chain: tuple[Stage, ...],
    walked: Walk,
    folders: list[_Folder],
    owned: set[str],
    user: str,
    findings: _Findings,
) -> None:
    """A mode that leaves a root-owned file only its owner may read, or run: a root RUN's chmod or `install -m`
    (`chmod 600 /etc/app/settings.toml`: a real build could not read it; `chmod u+x` of the entrypoint: "fork/exec
    ... permission denied"), or a COPY/ADD --chmod, outside the folders the user gets (their COPY lines get --chown).
    Inside them too for a file the same RUN writes (`make_config > /app/config.json && chmod 600 ...`: a real build
    could not read it: giving the folder does not give what root writes in it)."""
    started: set[str] | None = None

    def check(ins: Instruction, mode: str, path: str, how: str, *, runs: bool = True, owner: str = "root") -> None:
        nonlocal started
        if any(_inside(path, p) for p in _ROOT_ONLY):
            return  # meant for root alone (sudoers must be 0440)
        started = _started_paths(tree, chain) if started is None else started
        lost = _lost_access(mode, runs and (path in started or any(_inside(s, path) for s in started)))
        if lost is not None:
            findings.unsafe.append(
                f"line {_line(tree, ins)} leaves {path} {lost} by its owner only ({how}), and it stays {owner}'s"
            )

    moved: dict[int, str | None] = {}  # a RUN's folder after its `cd` commands (None: unknown)
    temporary: set[tuple[int, str]] = set()  # (RUN, variable) holding a file `mktemp` made
    for ins, state, command in _root_commands(tree, walked, _MODES):
        argv = _find_exec(command.argv)
        tool = argv[0].rsplit("/", 1)[-1] if argv else ""
        if not argv:  # `tmp=$(mktemp)`: a file only its owner may read (0600), wherever `mv` then puts it
            temporary |= {(id(ins), n) for n, v in (w.partition("=")[::2] for w in command.words) if _MKTEMP.match(v)}
            continue
        here = moved.get(id(ins), state.workdir)
        if tool == "mv" and len(argv) >= 3 and (id(ins), argv[-2].strip("${}")) in temporary:
            path = _resolve(argv[-1], replace(state, workdir=here or state.workdir))
            if path is not None and not _covered(path, owned):
                check(ins, "600", path, "mktemp makes its file 0600, and mv keeps the mode")
            continue
        if tool == "cd":
            target = argv[1] if len(argv) == 2 else None
            moved[id(ins)] = _resolve(target, replace(state, workdir=here)) if target and here else None
            continue
        if tool == "tar":
            into = _tar_extracts_into(argv)
            path = _resolve(into, replace(state, workdir=here)) if into is not None and here is not None else None
            given = [f.path for f in folders if path is not None and _inside(path, f.path)]
            if given:
                # Root's tar keeps each file's owner and mode from the archive (a real image could not read a 0600
                # licence key unpacked into a folder it was given): giving the folder does not give its files.
                findings.unsafe.append(
                    f"line {_line(tree, ins)} unpacks an archive into {path} with tar as root: its files keep the "
                    f"archive's owners and modes, which giving {given[0]} to the user does not change"
                )
            continue
        if tool in ("openssl", "ssh-keygen"):
            # They write private keys 0600 by themselves (a real image could not read its TLS key).
            for word in _key_outputs(tool, argv):
                path = _resolve(word, state)
                if path is not None and not _covered(path, owned):
                    check(ins, "600", path, f"{tool} writes its private key 0600")
            continue
        mode, targets = _mode_set(tool, argv)
        written = tree.view(ins).args_text
        recursive = any(w in ("-R", "--recursive") for w in argv)
        for word in targets:
            path = _resolve(word, state)
            if path is None or mode is None:
                continue
            gets = next((f for f in folders if _inside(path, f.path) or (recursive and _inside(f.path, path))), None)
            if gets is not None and _takes_write(mode):
                # Root writes anywhere; the user does not (`find /app -type d -exec chmod 555 {} +`: a real image
                # could not write its log in /app).
                findings.unsafe.append(
                    f"line {_line(tree, ins)} leaves {path} without write permission for its owner ({tool} {mode}), "
                    f"and the app's user gets {gets.path}: the user cannot write there"
                )
                return
            if _covered(path, owned):
                continue
            if any(_inside(path, f.path) for f in folders) and not (
                tool == "install" or re.search(rf">\s*{re.escape(word)}(?:\s|$)", written)
            ):
                continue  # a file of the folder the user gets: copied with --chown
            check(ins, mode, path, f"{tool} {mode}" if tool == "chmod" else f"install -m {mode}")
    for node, state in walked:
        if isinstance(node, Run) and (state.user is None or state.user.split(":", 1)[0] in _ROOT_USERS):
            # `umask 077` then a write: the file is root's and private (a real image could not read its secret).
            text = tree.view(node).args_text
            umask = _OWNER_ONLY_UMASK.search(text)
            for m in _WRITTEN_TO.finditer(text[umask.end() :] if umask else ""):
                path = _resolve(m.group(1), state)
                if path is not None and not _covered(path, owned):
                    check(node, "600", path, f"umask {umask.group(1) if umask else ''}")
                    break
        if not isinstance(node, Copy | Add):
            continue  # (a COPY writes as root whatever USER says)
        view = tree.view(node)
        flag = view.flag("chmod")
        dest = _copy_destination(tree, node, state)
        if dest is None or view.flag("chown") is not None:
            continue
        if any(_inside(dest, f.path) for f in folders) or _covered(dest, owned):
            continue
        if flag is not None and flag.value is not None:
            check(node, flag.value, dest, f"{view.keyword} --chmod={flag.value}")
            continue
        # (a git repository it clones keeps the repository's modes)
        urls = [a for a in view.args[:-1] if "://" in a and not _GIT_URL.search(a)] if isinstance(node, Add) else []
        for url in urls:
            # BuildKit writes a file ADD downloads 0600 (a real image could not read the archive it fetched).
            name = posixpath.basename(url.split("?", 1)[0].rstrip("/"))
            target = posixpath.join(dest, name) if _copies_into(view) and name else dest
            check(node, "600", target, f"ADD of {url} writes it 0600")
        if urls:
            continue
        # Without --chmod a COPY keeps each file's mode: from the build context (a real image: a config file 0600 in
        # the checkout, copied to /etc, could not be read; an entrypoint 0700 could not be run), or from the stage
        # it copies from (a signing key `openssl genpkey` wrote 0600 in a keys stage: the same failure).
        origin = view.flag("from")
        if view.json or len(view.args) < 2:
            continue
        if origin is not None:
            source_stage = _stages.stage_named(tree, origin.value or "")
            private = _private_files(tree, source_stage) if source_stage is not None else {}
            for source in view.args[:-1] if private else ():
                # --from paths start at the stage's root, not its WORKDIR
                name = posixpath.normpath("/" + source.lstrip("/"))
                for path, (mode, made, owner) in private.items():
                    # (a file the builder's `node` user made stays node's: the node user the image runs as reads it)
                    if _inside(path, name) and owner != user:
                        inner = posixpath.relpath(path, name) if path != name else posixpath.basename(name)
                        target = posixpath.join(dest, inner) if path != name or _copies_into(view) else dest
                        how = f"{view.keyword} --from={origin.value} of {path}, which {made}"
                        check(node, mode, target, how, owner=owner)
            continue
        for source in view.args[:-1]:
            name = posixpath.normpath(source.lstrip("/"))
            if "$" in name or "://" in source or _SHELL_PATTERN.search(name):
                continue
            if build.is_dir(name):  # a folder: its files keep their modes too (the folder itself is made anew)
                found = _private_in_folder(build, "" if name == "." else name)
                if found is not None:
                    inner, kept_mode = found
                    how = f"{view.keyword} of {name}, whose {inner} is mode {kept_mode:o} in the build context"
                    check(node, f"{kept_mode:o}", posixpath.join(dest, inner), how, runs=False)
                continue
            bits = build.mode(name)
            if bits is not None:
                target = posixpath.join(dest, posixpath.basename(name)) if _copies_into(view) else dest
                # Only what others cannot read: an entrypoint without its x bit is often made runnable by a
                # later `chmod +x`, which this COPY does not see.
                how = f"{view.keyword} of {name}, mode {bits:o} in the build context"
                check(node, f"{bits:o}", target, how, runs=False)


_GIT_URL: Final = re.compile(r"\.git(?:#|$)|^git@")
_FOLDER_FILES: Final = 2000  # a copied folder's files read for their modes, at most (config folders are small)


def _private_in_folder(build: BuildContext, folder: str) -> tuple[str, int] | None:
    """The first file below ``folder`` (of those the context sends) that others cannot read, by its path inside the
    folder and its mode; None when there is none among the first ``_FOLDER_FILES``."""
    queue, seen = [folder], 0
    while queue and seen < _FOLDER_FILES:
        current = queue.pop(0)
        for entry in build.listdir(current):
            path = f"{current}/{entry}".lstrip("/") if current else entry
            if build.ignored(path.rstrip("/")):
                continue
            if entry.endswith("/"):
                queue.append(path.rstrip("/"))
                continue
            seen += 1
            bits = build.mode(path)
            if bits is not None and not bits & 0o004:
                return posixpath.relpath(path, folder) if folder else path, bits
    return None


def _private_files(tree: Dockerfile, stage: Stage) -> dict[str, tuple[str, str, str]]:
    """Files the RUN lines of ``stage`` (and the stages it builds on) leave readable by their owner only, by path:
    their mode, how it came about and their owner. A later chmod that lets others read one takes it off. Any RUN
    user counts: a COPY --from keeps the owner, so a key a builder's own user wrote 0600 is that user's alone."""

    def find() -> dict[str, tuple[str, str, str]]:
        out: dict[str, tuple[str, str, str]] = {}
        for ins, state, command in _root_commands(tree, _stages.chain_walk(tree, stage), _MODES, anyone=True):
            argv = command.argv
            tool = argv[0].rsplit("/", 1)[-1] if argv else ""
            owner = state.user.split(":", 1)[0] if state.user is not None else "root"
            owner = "root" if owner in _ROOT_USERS else owner
            where = f"line {_line(tree, ins)} of stage {stage.name or stage.index}"
            if tool in ("openssl", "ssh-keygen"):
                for word in _key_outputs(tool, argv):
                    path = _resolve(word, state)
                    if path is not None:
                        out[path] = ("600", f"{tool} at {where} writes 0600", owner)
                continue
            mode, targets = _mode_set(tool, argv)
            if mode is None:
                continue
            for word in targets:
                path = _resolve(word, state)
                if path is None:
                    continue
                if _lost_access(mode, False) == "readable":
                    out[path] = (mode, f"{tool} at {where} leaves mode {mode}", owner)
                else:
                    out.pop(path, None)
        return out

    return tree.memo(("private-files", stage), find)


def _root_commands(
    tree: Dockerfile, walked: Walk, hint: re.Pattern[str], *, anyone: bool = False
) -> Iterator[tuple[Run, State, _shell.Command]]:
    """The commands of the RUN lines that run as root (as any user, with ``anyone``) and whose text ``hint`` finds
    (most RUN lines stop there)."""
    for ins, state in walked:
        if not isinstance(ins, Run):
            continue
        if not anyone and state.user is not None and state.user.split(":", 1)[0] not in _ROOT_USERS:
            continue
        if hint.search(tree.view(ins).args_text) is None:
            continue
        script = _managers.run_script(tree, ins)
        for command in script.script.commands if script is not None else ():
            yield ins, state, command


# (tool, subcommand) -> the options naming the private key it writes.
_KEY_OUTPUT: Final = {
    ("openssl", "req"): ("-keyout",),
    ("openssl", "genpkey"): ("-out",),
    ("openssl", "genrsa"): ("-out",),
    ("openssl", "ecparam"): ("-out",),
}
_OWNER_ONLY_UMASK: Final = re.compile(r"\bumask\s+(0?0?[0-7]?[4-7])\b")
_WRITTEN_TO: Final = re.compile(r">>?\s*([^\s;&|)<>]+)")
# Only a first sieve (the commands' words decide). `install ... -m` by its option alone: `\binstall\b.*\s-m` took
# time quadratic in the length of a RUN of thousands of `apt-get install` commands (two seconds for 4,000).
_MODES: Final = re.compile(r"\bchmod\b|\s(?:-m|--mode)\b|\bopenssl\b|\bssh-keygen\b|\btar\b|\bmktemp\b")
_MKTEMP: Final = re.compile(r"\$\(\s*mktemp(?![^)]*\s-d)[^)]*\)$")
_CHMOD_OPTIONS: Final = frozenset({"-R", "-f", "-v", "-c", "-h"})
_ROOT_ONLY: Final = ("/root", "/etc/sudoers", "/etc/sudoers.d", "/etc/shadow", "/etc/gshadow", "/etc/ssh")


def _find_exec(argv: Sequence[str]) -> Sequence[str]:
    """`find ROOTS ... -exec chmod MODE {} +` read as `chmod MODE -R ROOTS` (what it changes lies below its roots),
    `-exec chown` likewise; any other command as it is."""
    if not argv or argv[0].rsplit("/", 1)[-1] != "find":
        return argv
    roots = list(itertools.takewhile(lambda w: not w.startswith(("-", "(", "!")), argv[1:])) or ["."]
    for k, word in enumerate(argv):
        if word in ("-exec", "-execdir"):
            inner = list(itertools.takewhile(lambda w: w not in (";", "+"), argv[k + 1 :]))
            if "{}" in inner:
                at = inner.index("{}")
                return [*inner[:at], "-R", *roots, *inner[at + 1 :]]
    return argv


def _takes_write(mode: str) -> bool:
    """Whether ``mode`` leaves the owner unable to write (`555`, `a-w`, `u=rx`)."""
    if re.fullmatch(r"0?[0-7]{3,4}", mode):
        return not int(mode[-3]) & 2
    for clause in mode.split(","):
        m = re.fullmatch(r"([ugoa]*)([-+=])([rwxXst]*)", clause)
        if m is None:
            return False  # not a mode dockmod reads
        who, op, perms = m.groups()
        if (who == "" or "u" in who or "a" in who) and (
            (op == "-" and "w" in perms) or (op == "=" and "w" not in perms)
        ):
            return True
    return False


def _mode_set(tool: str, argv: Sequence[str]) -> tuple[str | None, list[str]]:
    """The mode a `chmod` or `install -m` command sets and the files it sets it on (None: no mode set)."""
    if tool == "install":
        mode = next((v for k, v in itertools.pairwise(argv) if k in ("-m", "--mode")), None)
        return mode, [w for w in argv[1:] if not w.startswith("-") and w != mode][-1:] if mode else []
    if tool == "chmod":
        words = [w for w in argv[1:] if w not in _CHMOD_OPTIONS and not w.startswith("--")]
        return (words[0], words[1:]) if len(words) >= 2 else (None, [])
    return None, []


def _key_outputs(tool: str, argv: Sequence[str]) -> list[str]:
    """The private keys an `openssl` or `ssh-keygen` command writes (0600, by themselves)."""
    key = _KEY_OUTPUT.get((tool, argv[1] if len(argv) > 1 else ""), ("-f",) if tool == "ssh-keygen" else ())
    return [v for k, v in itertools.pairwise(argv) if k in key]


def _tar_extracts_into(argv: Sequence[str]) -> str | None:
    """The folder a `tar` command unpacks into (``.``: where it runs), or None when it does not unpack."""
    extract, into = False, "."
    words = list(argv[1:])
    if words and not words[0].startswith("-"):
        words[0] = "-" + words[0]  # the old style: `tar xzf app.tgz`
    for k, word in enumerate(words):
        if word in ("--extract", "--get") or (word.startswith("-") and not word.startswith("--") and "x" in word):
            extract = True
        if word in ("-C", "--directory") and k + 1 < len(words):
            into = words[k + 1]
        elif word.startswith("--directory="):
            into = word.partition("=")[2]
    return into if extract else None


def _lost_access(mode: str, started: bool) -> str | None:
    """What ``mode`` takes from other users: "readable" (reading is left to the owner), "runnable" (a file the
    image starts becomes executable for its owner and group only), or None."""
    if re.fullmatch(r"0?[0-7]{3,4}", mode):
        others = int(mode[-1])
        return "readable" if not others & 4 else "runnable" if started and not others & 1 else None
    for clause in mode.split(","):
        m = re.fullmatch(r"([ugoa]*)([-+=])([rwxXst]*)", clause)
        if m is None:
            return None  # not a mode dockmod reads
        who, op, perms = m.groups()
        others = who == "" or "o" in who or "a" in who
        if others and ((op == "-" and "r" in perms) or (op == "=" and "r" not in perms)):
            return "readable"
        if started and not others and op in "+=" and "x" in perms:
            return "runnable"
    return None


def _started_paths(tree: Dockerfile, chain: tuple[Stage, ...]) -> set[str]:
    """The absolute paths of the programs the start command runs by path (`/usr/local/bin/entrypoint.sh`), or by a
    bare name found in PATH."""
    end = _stages.final_state(tree, chain[-1])
    out: set[str] = set()
    for node in (_last(chain, Entrypoint), _last(chain, Cmd)):
        for command in _commands(_words(tree, node)) if node is not None else ():
            program = command[0]
            if "/" in program:
                out.add(_stages.join(end.workdir, program))
            else:
                out.update(posixpath.join(d, program) for d in _stages.PATH_DIRS)
    return out


def _covered(path: str, owned: set[str]) -> bool:
    if path in owned:
        return True
    return any(o.endswith("/**") and _inside(path, o[:-3]) for o in owned)


def _other_owners(
    tree: Dockerfile, walked: Walk, account: Account, folders: list[_Folder], findings: _Findings
) -> None:
    """A file that hands folders or files to another user expects the app to run as that user. One that hands what
    the user gets back to root (`chown -R root:root /app` to harden the image, `COPY --chown=root:root settings.json
    /app/`) leaves the user unable to write there (real images failed: PermissionError writing app.log)."""
    for ins, state in walked:
        handed: list[tuple[str, list[str], bool]] = []
        if isinstance(ins, Run):
            handed = list(_chowns(tree, ins))
        elif isinstance(ins, Copy | Add):
            view = tree.view(ins)
            chown = view.flag("chown")
            if chown is not None and chown.value and len(view.args) >= 2:
                handed = [(chown.value, [view.args[-1]], True)]
        for owner, paths, recursive in handed:
            name = owner.split(":", 1)[0].split(".", 1)[0]
            if not name or name in (account.name, account.owner) or "$" in name:
                continue
            if name not in _ROOT_USERS:
                findings.unsafe.append(
                    f"line {_line(tree, ins)} gives {' '.join(paths)} to {name}, not to {account.name}"
                )
                continue
            for path in filter(None, (_resolve(p, state) for p in paths)):
                given = next(
                    (f for f in folders if _inside(path, f.path) or (recursive and _inside(f.path, path))), None
                )
                if given is None:
                    continue
                if path == given.path:
                    where = f"{path}, which the user gets,"
                elif _inside(path, given.path):
                    where = f"{path}, in {given.path}, which the user gets,"
                else:
                    where = f"{path} and all below it, {given.path} included, which the user gets,"
                findings.unsafe.append(
                    f"line {_line(tree, ins)} hands {where} back to root: the user cannot write there"
                )
                return


def _safe_to_create_early(
    tree: Dockerfile,
    ctx: Context,
    path: str,
    after: list[Instruction],
    walked: Walk,
) -> bool:
    """Whether creating ``path`` right after the user exists leaves every later step doing the same thing.

    Only the first later instruction that touches the folder matters: WORKDIR and ``mkdir -p`` create it
    anyway, a COPY into it (or into a folder of it) creates it the same way. A plain ``mkdir`` would fail, a
    ``COPY file /path`` would copy into the folder instead of creating a file, and other commands (``mv``,
    ``git clone``, ``ln``...) may behave differently: those folders are given to the user after the last build
    step instead.
    """
    state_of = {id(ins): state for ins, state in walked}
    for ins in after:
        state = state_of.get(id(ins))
        if state is None:
            continue
        if isinstance(ins, Workdir):
            target = _resolve(tree.view(ins).args[0], state) if tree.view(ins).args else None
            if target is not None and _inside(target, path):
                return True  # WORKDIR creates the folder (and those above it) like mkdir -p
        elif isinstance(ins, Copy | Add):
            view = tree.view(ins)
            if len(view.args) < 2:
                continue
            dest = _copy_destination(tree, ins, state)
            if dest is None or not (_inside(dest, path) or _inside(path, dest)):
                continue
            if dest != path:
                if _inside(dest, path):
                    return True  # a copy into a folder below it creates it, like mkdir -p
                continue  # a copy into a folder above it leaves it alone (a real build: `mkdir uploads` then failed)
            raw = view.args[-1]
            sources = view.args[:-1]
            folder_source = view.flag("from") is None and all(
                s.rstrip("/") in (".", "") or s.endswith("/") or ctx.build.is_dir(s.strip("/")) for s in sources
            )
            return raw.endswith("/") or raw in (".", "./") or len(sources) > 1 or folder_source
        elif ins.name == "VOLUME":
            if _volume_declares(tree, ins, path):
                return True
        elif isinstance(ins, Run):
            mkdirs = [(p, parents) for p, parents in _mkdirs(tree, ins, state, _Findings())
                      if _inside(p, path) or _inside(path, p)]  # fmt: skip
            view = tree.view(ins)
            command = " ".join([view.args_text, *(h.content for h in view.heredocs)])  # not flags, not comments
            mentioned = [p for p in _mentioned_paths(command) if _inside(p, path) or _inside(path, p)]
            if not mkdirs and not mentioned:
                continue
            if not mkdirs:
                return False  # another command uses the folder first
            # A plain mkdir of the folder (or of a folder above it) fails once dockmod has created it.
            if any(not parents and _inside(path, p) for p, parents in mkdirs):
                return False
            return _first_use_is_mkdir(tree, ins, path)
    return True


def _mentioned_paths(text: str) -> list[str]:
    return [posixpath.normpath(m) for m in re.findall(r"(?<![\w.$}-])/[\w./-]+", text)]


def _first_use_is_mkdir(tree: Dockerfile, run: Run, path: str) -> bool:
    script = _managers.run_script(tree, run)
    if script is None:
        return False
    for command in script.script.commands:
        if any(_inside(path, w) or _inside(w, path) for w in command.words if w.startswith("/")):
            return bool(command.argv) and command.argv[0].rsplit("/", 1)[-1] == "mkdir"
    return True


# -- hazards ------------------------------------------------------------------------------------------------

_EXPLICIT_ROOT: Final = re.compile(r"(?:^|[\s=:'\"])/root(?=/|$|[\s'\":])")
_TILDE_OR_HOME: Final = re.compile(r"(?:^|[\s=:'\"])~(?=/|$|\s)|\$\{?HOME\b")


def _root_home(tree: Dockerfile, walked: Walk, findings: _Findings) -> None:
    """Files the build keeps in root's home folder (mode 700): the new user cannot read them."""
    before = len(findings.refuse)
    _root_home_uses(tree, walked, findings)
    found = findings.refuse[before:]
    if len(found) > 2:
        findings.refuse[before:] = [*found[:2], f"{len(found) - 2} more uses of root's home folder"]


def _root_home_uses(tree: Dockerfile, walked: Walk, findings: _Findings) -> None:
    poetry_outside_home = False
    for ins, state in walked:
        home = state.env.get("HOME", "/root")
        view = tree.view(ins)
        where = f"line {_line(tree, ins)}"
        if isinstance(ins, Run):
            texts = [view.args_text, *(h.content for h in view.heredocs)]
            script = _managers.run_script(tree, ins)
            commands = script.script.commands if script is not None else ()
            for command in commands:
                argv = command.argv
                if not argv or argv[0].rsplit("/", 1)[-1] in ("rm", "echo"):
                    continue
                text = " ".join(command.words)
                tool = argv[0].rsplit("/", 1)[-1]
                if _EXPLICIT_ROOT.search(text) or (home == "/root" and _TILDE_OR_HOME.search(text)):
                    findings.refuse.append(
                        f"{where} uses root's home folder ({_shorten(text)}), which the new user cannot read"
                    )
                elif _pip_user_install(argv, _stages.overlay(state.env, command.assignments), home):
                    findings.refuse.append(f"{where} installs Python packages with --user into root's home folder")
                elif tool in ("pipx",) or argv[:3] == ("uv", "tool", "install"):
                    findings.refuse.append(f"{where} installs tools into root's home folder ({tool})")
                elif tool == "poetry" and argv[1:4] in _POETRY_OUTSIDE_HOME:
                    poetry_outside_home = True
                elif (
                    tool == "poetry"
                    and "install" in argv
                    and not (poetry_outside_home or _poetry_env_ok(state, command))
                ):
                    findings.refuse.append(
                        f"{where}: poetry install creates its virtualenv in root's home folder (set virtualenvs.create "
                        "false or virtualenvs.in-project true)"
                    )
                elif (
                    tool == "pipenv"
                    and {"install", "sync"} & set(argv[1:2])
                    and "--system" not in argv
                    and not _pipenv_env_ok(state, command, home)
                ):
                    # Pipenv's twin of Poetry's: as the new user `pipenv run` made a new, empty virtualenv in its
                    # own home (a real build: ModuleNotFoundError).
                    findings.refuse.append(
                        f"{where}: pipenv {argv[1]} creates its virtualenv in root's home folder (use --system, or "
                        "set PIPENV_VENV_IN_PROJECT=1)"
                    )
                elif tool in ("mvn", "mvnw") and "dependency:build-classpath" in argv and home == "/root":
                    # The classpath it writes names jars in /root/.m2, which the new user cannot read (a real
                    # build: NoClassDefFoundError).
                    findings.refuse.append(f"{where}: dependency:build-classpath points the app at root's ~/.m2")
                elif (tool == "playwright" or argv[1:3] == ("playwright", "install")) and (
                    "PLAYWRIGHT_BROWSERS_PATH" not in state.env
                ):
                    findings.refuse.append(f"{where}: playwright installs its browsers into root's home folder")
            if not commands and any(_EXPLICIT_ROOT.search(t) for t in texts):
                findings.refuse.append(f"{where} uses root's home folder, which the new user cannot read")
        elif isinstance(ins, Env):
            for pair in view.pairs:
                if _EXPLICIT_ROOT.search(pair.value):
                    findings.refuse.append(f"{where} sets {pair.key} to a path in root's home folder")
        elif isinstance(ins, Copy | Add | Workdir):
            target = view.args[-1] if view.args else ""
            # COPY does not expand ``~``; only an explicit /root is root's home.
            if target.startswith("/root/") or target == "/root":
                findings.refuse.append(f"{where} puts files in root's home folder ({target})")
        elif isinstance(ins, Cmd | Entrypoint | Healthcheck):
            text = " ".join(view.args) if view.json else view.args_text
            if _EXPLICIT_ROOT.search(text) or (home == "/root" and _TILDE_OR_HOME.search(text)):
                findings.refuse.append(f"{where} runs something from root's home folder")


def _home_downloads(tree: Dockerfile, ctx: Context, walked: Walk, findings: _Findings) -> None:
    """Root RUN lines that run code which keeps downloads in HOME (root's, mode 700): packages that fetch a browser
    at install (puppeteer, cypress), the project's own install scripts, Python scripts that cache models (Hugging
    Face, torch.hub, nltk). As the new user the app looks in its own home and finds nothing (real images: "Could
    not find browser", FileNotFoundError for a model)."""
    for ins, state, command in _root_commands(tree, walked, _CODE_RUNNERS):
        home = state.env.get("HOME", "/root")
        if home != "/root":
            continue
        argv = command.argv
        tool = argv[0].rsplit("/", 1)[-1] if argv else ""
        where = f"line {_line(tree, ins)}"
        if tool in ("npm", "yarn", "pnpm") and (len(argv) == 1 or argv[1] in ("ci", "install", "i", "add")):
            found = _node_home_downloads(tree, ctx, walked, state)
            if found is not None:
                findings.unsafe.append(f"{where}: {tool} {found} (root's: the new user's has none of it)")
        elif tool.startswith("python") and len(argv) > 1:
            code: str | _stages.Unreadable | None = None
            if argv[1] == "-c" and len(argv) > 2:
                code = argv[2]
            elif argv[1].endswith(".py"):
                code = _stages.script_text(tree, walked, _from_cwd(argv[1]), state.workdir, ctx.build)
            if isinstance(code, str) and _PY_HOME.search(code) and not _HOME_CACHE_SET.intersection(state.env):
                findings.unsafe.append(
                    f"{where} runs {_shorten(' '.join(argv[:2]))}, which keeps what it downloads in root's home folder"
                )


def _node_home_downloads(tree: Dockerfile, ctx: Context, walked: Walk, state: State) -> str | None:
    text = ctx.build.read_text("package.json")
    try:
        package = json.loads(text) if text else {}
    except ValueError:
        return None
    if not isinstance(package, dict):
        return None
    for key in ("dependencies", "devDependencies", "optionalDependencies"):
        deps = package.get(key)
        for name, variable in _BROWSER_DOWNLOADERS.items():
            if isinstance(deps, dict) and name in deps and not any(v in state.env for v in variable):
                return f"installs {name}, which downloads its browser into ~/.cache"
    scripts = package.get("scripts")
    for hook in ("preinstall", "install", "postinstall", "prepare"):
        line = scripts.get(hook) if isinstance(scripts, dict) else None
        if not isinstance(line, str):
            continue
        for m in re.finditer(r"\bnode\s+([\w./-]+\.[cm]?js)\b", line):
            code = _stages.script_text(tree, walked, _from_cwd(m.group(1)), state.workdir, ctx.build)
            if isinstance(code, str) and _JS_HOME.search(code):
                return f"runs the {hook} script {m.group(1)}, which writes into the home folder"
    return None


def _code_writes(code_files: list[tuple[str, str]], folders: list[_Folder], findings: _Findings) -> None:
    """The code files the start command runs (`node server.js`, `python app.py`, and those npm's scripts run:
    `"prestart": "node gen-config.js"`) that write, by an absolute path the code spells out, where the user gets
    no folder (a real image: EACCES writing /usr/share/app/public/config.js as the new user)."""
    for name, code in code_files:
        for m in _CODE_WRITE.finditer(code):
            path = posixpath.normpath(next(g for g in m.groups() if g))
            if any(_inside(path, t) for t in _SCRATCH) or any(_inside(path, f.path) for f in folders):
                continue
            if m.lastindex == _CODE_WRITE.groups:  # the SQLite group, the last one
                how = f"opens the SQLite database {path}, beside which SQLite writes its journal even to read,"
            else:
                how = f"writes {path}"
            findings.unsafe.append(f"{name} {how} when the app starts, where the user gets no folder")
            return


def _code_needs_root(code_files: list[tuple[str, str]], findings: _Findings) -> None:
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


def _code_system_paths(
    ctx: Context, code_files: list[tuple[str, str]], folders: list[_Folder], findings: _Findings
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
            if where != name:  # a settings file: a folder it names for the app's data, logs or caches
                for m in _SETTINGS_FOLDER.finditer(text):
                    path = posixpath.normpath(m.group(2))
                    if not any(_inside(path, f.path) for f in folders) and not any(_inside(path, t) for t in _SCRATCH):
                        findings.unsafe.append(
                            f"{where} names {path} ({m.group(1)}), where the user gets no folder: the app writes there"
                        )
                        return
            for m in _SYSTEM_STATE_PATH.finditer(text):
                path = posixpath.normpath(m.group(1))
                if any(_inside(path, s) for s in _READ_ONLY_MOUNTS):
                    continue  # secrets the runtime mounts for any user to read
                if not any(_inside(path, f.path) or _inside(f.path, path) for f in folders):
                    findings.unsafe.append(f"{where} names {path}, where only root may write")
                    return


def _read_settings(ctx: Context, names: list[str]) -> list[tuple[str, str | None]]:
    """The settings files of the build context the code names (`open('config.json')`), each with its text."""
    out: list[tuple[str, str | None]] = []
    for settings in dict.fromkeys(posixpath.normpath(n.removeprefix("./")) for n in names):
        out.append((settings, ctx.build.read_text(settings) if not settings.startswith(("/", "..")) else None))
    return out


def _start_arguments(tree: Dockerfile, chain: tuple[Stage, ...], folders: list[_Folder], findings: _Findings) -> None:
    """A folder the start command hands the app by absolute path, where the user gets none: after an option for
    data, logs, uploads or caches (`--data-dir /srv/data`, `--upload-folder=/srv/uploads`), or as a bare argument
    (`python app.py /srv/data`). The app writes there (real images failed to create them as the new user)."""
    for words in _start_words(tree, chain):
        for k, word in enumerate(words[1:], start=1):
            option, value = word.split("=", 1) if word.startswith("-") and "=" in word else (words[k - 1], word)
            if not value.startswith("/") or value == "/":
                continue
            path = posixpath.normpath(value)
            named = option.startswith("-") and _WRITE_OPTION.search(option) is not None
            # (a bare path only after the code an interpreter runs: `dlv exec /app` names a program)
            after_code = _interpreter(words[0]) and any(_CODE_FILE.fullmatch(w) for w in words[1:k])
            bare = after_code and not option.startswith("-") and "." not in posixpath.basename(path)
            if not (named or bare) or any(_inside(path, d) for d in (*_SCRATCH, *_SYSTEM_READ)):
                continue
            if not any(_inside(path, f.path) for f in folders):
                how = f"after {option}" if named else "as an argument"
                findings.unsafe.append(
                    f"the start command passes {path} {how}, where the user gets no folder: the app writes there"
                )
                return


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
    r"""['"`]((?:/var/(?:log|lib|run|cache|spool|backups)|/run)(?:/[^'"`\s{}$]*)?)"""
)
_PRIVILEGED_CALL: Final = re.compile(
    r"\b((?:os\.(?:set(?:e|res)?[ug]id|setgroups|initgroups|chroot|[lf]?chown)|shutil\.chown"
    r"|process\.(?:set(?:e)?[ug]id|setgroups|initgroups)|fs\.[lf]?chown(?:Sync)?))\s*\("
)
_ROOT_CHECK: Final = re.compile(r"\b(?:os|process)\.gete?uid\(\s*\)\s*(?:[!=]==?|[<>]=?)\s*0\b")
_ROOT_ONLY_PATH: Final = re.compile(
    r"""['"`]((?:/etc/ssl/private|/etc/shadow|/etc/gshadow)(?:/[^'"`\s]*)?|/root/[^'"`\s]+)['"`]"""
)


def _build_scripts(
    tree: Dockerfile, ctx: Context, walked: Walk, start_code: list[tuple[str, str]], findings: _Findings
) -> None:
    """The project's own code a root RUN runs (`python gen_secret.py`, `python -m tools.bootstrap`, `node -e
    "require('./db').seed()"`, `npm run build`): a file it makes readable by its owner only (`os.open(..., 0o600)`,
    a `mkstemp` file moved into place), or a folder or file it makes that the app's code then writes
    (`os.makedirs('data')`, then `open('data/visits.json', 'w')` at start), stays root's (real images failed with
    PermissionError). ``start_code``: the start command's code files and the modules they import."""
    written = " ".join(code for _, code in start_code if _CODE_WRITES_ANY.search(code))
    for ins, state, command in _root_commands(tree, walked, _BUILD_RUNNERS):
        for name, code in _run_code(tree, ctx, walked, state, command.argv):
            private = _PRIVATE_CODE.search(code)
            if private is not None and (not private.group(0).startswith(("mkstemp", "NamedTemporaryFile")) or
                                        _MOVES_INTO_PLACE.search(code)):  # fmt: skip
                findings.unsafe.append(
                    f"line {_line(tree, ins)} runs {name} as root, which makes a file readable by its owner only "
                    f"(`{private.group(0)}`): it stays root's"
                )
                return
            for m in _CODE_MAKES.finditer(code):
                made = next(g for g in m.groups() if g).rstrip("/")
                if made and re.search(rf"""['"`](?:\./)?{re.escape(made)}\b""", written):
                    findings.unsafe.append(
                        f"line {_line(tree, ins)} runs {name} as root, which makes {made}, and the app writes there "
                        "when it starts: it stays root's"
                    )
                    return


def _run_code(tree: Dockerfile, ctx: Context, walked: Walk, state: State, argv: Sequence[str]) -> list[tuple[str, str]]:
    """(name, text) of the project's code files a build command runs: `python x.py`, `node x.js`, `python -m
    a.b`, the local modules inline code imports (`python -c "import store; store.init()"`), and the files the
    package scripts `npm run build` runs name (`node build.js`)."""
    if not argv:
        return []
    names: list[str] = []
    if _interpreter(argv[0]):
        names += [w for w in argv[1:3] if _CODE_FILE.fullmatch(w)][:1]
        if argv[1:2] == ("-m",) and len(argv) > 2:
            module = argv[2].replace(".", "/")
            names += [f"{module}.py", f"{module}/__main__.py"]
        if argv[1:2] in (("-c",), ("-e",)) and len(argv) > 2:
            names += _local_modules(argv[2])
    names += [m.group(1) for m in _CODE_RUN.finditer(_npm_start_scripts(ctx, list(argv)))]
    out = []
    for name in dict.fromkeys(names):
        code = _stages.script_text(tree, walked, _from_cwd(name), state.workdir, ctx.build)
        if isinstance(code, str):
            out.append((name, code))
    return out


def _local_modules(code: str) -> list[str]:
    """The files of the project's own modules ``code`` imports: `import store`, `from app.db import x` (as
    `store.py`, `app/db.py`), `require('./db')` (as `db.js`); the interpreter finds them in its working folder."""
    names = [(m[1] or m[2]).replace(".", "/") + ".py" for m in _PY_IMPORT.finditer(code)]
    names += [r if r.endswith((".js", ".cjs", ".mjs")) else r + ".js" for r in _REQUIRE_LOCAL.findall(code)]
    return names


def _with_modules(ctx: Context, code_files: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``code_files`` and the project's own modules they import (one level: `from settings import PORT`), read
    from the build context's top folder (where a `COPY . .` puts them beside the start code)."""
    out = list(code_files)
    seen = {name for name, _ in code_files}
    for parent, code in code_files:
        for name in _local_modules(code):
            text = ctx.build.read_text(posixpath.normpath(name.removeprefix("./")))
            if text is not None and name not in seen:
                seen.add(name)
                out.append((f"{parent} (through {name})", text))
    return out


_BUILD_RUNNERS: Final = re.compile(r"\b(?:node|npm|yarn|pnpm|python[\d.]*)\b")
_PY_IMPORT: Final = re.compile(r"(?:^|[;\n]|\bthen\b)\s*(?:from\s+([\w.]+)\s+import|import\s+([\w.]+))")
_REQUIRE_LOCAL: Final = re.compile(r"""require\(\s*['"](\.{1,2}/[^'"]+)['"]\s*\)""")


# Code that leaves a file private: an explicit owner-only mode, or a temporary file (0600) moved into place.
_PRIVATE_CODE: Final = re.compile(
    r"""\bos\.open\([^)]*\b0o?[0-7]?[0-7]{2}[0-3]\b|\bchmod(?:Sync)?\([^)]*\b0o?[0-7]?[0-7]{2}[0-3]\b"""
    r"""|\bumask\(\s*0o?0?[0-7][4-7]\s*\)|\bmode:\s*0o?[0-7]?[0-7]{2}[0-3]\b|mkstemp\(|NamedTemporaryFile\("""
)
_MOVES_INTO_PLACE: Final = re.compile(r"\b(?:os\.replace|os\.rename|shutil\.move|renameSync)\(")
# Folders and files code makes by a path it spells out (relative ones too: they start in the working folder).
_CODE_MAKES: Final = re.compile(
    r"""\b(?:makedirs|mkdir|mkdirSync)\(\s*['"`]([^'"`$]+)['"`]"""
    r"""|\bopen\(\s*['"]([^'"]+)['"]\s*,\s*['"][wax]|\b(?:writeFileSync|appendFileSync)\(\s*['"`]([^'"`$]+)['"`]"""
    r"""|\bsqlite3\.connect\(\s*['"]([^'":]+)['"]|\bPath\(\s*['"]([^'"]+)['"]\s*\)\.(?:mkdir|write_text|write_bytes|touch)\("""
)
_CODE_WRITES_ANY: Final = re.compile(
    r"""\bopen\([^)]*,\s*['"][wax]|\b(?:write|append)File(?:Sync)?\(|\bmakedirs\(|\bsqlite3\.connect\(|\.write_text\("""
)


def _start_code(
    tree: Dockerfile, ctx: Context, chain: tuple[Stage, ...], walked: Walk, end: State
) -> list[tuple[str, str]]:
    """(name, text) of the code files the start command runs: `node server.js`, `python app.py`, `python -m app`,
    and those npm's scripts run (`"prestart": "node gen-config.js"`), as copied from the build context."""
    out: dict[str, str] = {}
    for words in _start_words(tree, chain):
        for name, code in _run_code(tree, ctx, walked, end, words):
            out.setdefault(name, code)
    return list(out.items())


def _code_ports(ctx: Context, code_files: list[tuple[str, str]], findings: _Findings) -> None:
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
                if m.group(1).upper() in _LISTEN_PORT_VARS:
                    ports.append(int(m.group(2)))
        low = sorted({p for p in ports if 0 < p < 1024})
        if low:
            findings.unsafe.append(
                f"{name} listens on port {low[0]} unless told otherwise: a non-root process may bind ports below "
                "1024 only where the runtime allows it"
            )
            return


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
    r"""|setdefault\(\s*['"]\w*PORT\w*['"]\s*,\s*['"]?(\d+)""",
    re.MULTILINE,
)
_JSON_CONFIG: Final = re.compile(r"""require\(\s*['"]\./([\w./-]+\.json)['"]\s*\)""")
_SETTINGS_FILE: Final = re.compile(r"""['"]([\w./-]+\.(?:json|ini|toml|ya?ml|cfg|conf))['"]""")
_NODE_CONFIG: Final = re.compile(r"""require\(\s*['"]config['"]\s*\)|from\s+['"]config['"]""")
# `port = 80` (ini, TOML), `port: 80` (YAML), `"port": 80` (JSON), also `http_port`, `listen_port`.
_SETTINGS_PORT: Final = re.compile(
    r"""(?:^|[{,])\s*["']?(?:http_|listen_|server_|bind_|web_|app_)?port["']?\s*[:=]\s*["']?(\d+)\b""",
    re.IGNORECASE | re.MULTILINE,
)
_READS_DOTENV: Final = re.compile(r"""dotenv|['"]\.env['"]""")


def _start_words(tree: Dockerfile, chain: tuple[Stage, ...]) -> list[list[str]]:
    """The start command's commands: an exec-form ENTRYPOINT gets CMD as its arguments, so both together, then
    CMD alone."""
    entry, cmd = _last(chain, Entrypoint), _last(chain, Cmd)
    cmd_words = _words(tree, cmd) if cmd is not None else []
    commands = _commands(_words(tree, entry) + cmd_words) if entry is not None else []
    return commands + [c for c in _commands(cmd_words) if c not in commands]


def _interpreter(program: str) -> bool:
    name = program.rsplit("/", 1)[-1]
    return name in ("node", "ts-node", "bun", "deno") or re.fullmatch(r"python[\d.]*", name) is not None


_CODE_FILE: Final = re.compile(r"[\w./-]+\.(?:[cm]?js|ts|py)")
_CODE_RUN: Final = re.compile(r"\b(?:node|ts-node|python[\d.]*)\s+([\w./-]+\.(?:[cm]?js|ts|py))\b")
# A write the code spells with an absolute path: Node's fs calls, Python's open(..., "w"), makedirs, pathlib.
_CODE_WRITE: Final = re.compile(
    r"""\b(?:writeFileSync|appendFileSync|writeFile|appendFile|createWriteStream|mkdirSync|openSync)\(\s*"""
    r"""['"`](/[^'"`$]+)['"`]"""
    r"""|\bopen\(\s*['"](/[^'"]+)['"]\s*,\s*(?:mode\s*=\s*)?['"][wax]"""
    r"""|\b(?:makedirs|mkdir)\(\s*['"](/[^'"]+)['"]"""
    # A copy or move to an absolute path: its second argument.
    r"""|\b(?:copyFileSync|copyFile|cpSync|renameSync|shutil\.(?:copy2?|copyfile|copytree|move)|os\.(?:replace|rename))"""
    r"""\(\s*[^,()]+,\s*['"`](/[^'"`$]+)['"`]"""
    r"""|\bPath\(\s*['"](/[^'"]+)['"]\s*\)\.(?:write_text|write_bytes|mkdir|touch|open\(\s*['"][wax])"""
    # An SQLite database writes beside itself even to read (its journal; in WAL mode the -shm file): a real image
    # could not read /usr/share/myapp/ref.db ("attempt to write a readonly database").
    r"""|\b(?:sqlite3\.connect|Database)\(\s*['"`](/[^'"`$]+)['"`]"""
)


def _from_cwd(path: str) -> str:
    """A file an interpreter runs: relative to the working folder, never looked up in PATH."""
    return path if "/" in path else f"./{path}"


_CODE_RUNNERS: Final = re.compile(r"\b(?:npm|yarn|pnpm|python[\d.]*)\b")
# Packages that download a browser into ~/.cache at install, and the variables that send it elsewhere.
_BROWSER_DOWNLOADERS: Final = {
    "puppeteer": ("PUPPETEER_CACHE_DIR", "PUPPETEER_SKIP_DOWNLOAD", "PUPPETEER_SKIP_CHROMIUM_DOWNLOAD"),
    "cypress": ("CYPRESS_CACHE_FOLDER", "CYPRESS_INSTALL_BINARY"),
}
_JS_HOME: Final = re.compile(r"\bhomedir\(|process\.env\.HOME\b|['\"`]~/")
_PY_HOME: Final = re.compile(
    r"expanduser\(|Path\.home\(|from_pretrained\(|snapshot_download\(|hf_hub_download\(|torch\.hub\.|"
    r"nltk\.download\(|SentenceTransformer\(|environ\[['\"]HOME['\"]\]"
)
_HOME_CACHE_SET: Final = frozenset({"HF_HOME", "TRANSFORMERS_CACHE", "HF_HUB_CACHE", "TORCH_HOME", "NLTK_DATA"})


_POETRY_OUTSIDE_HOME: Final = (("config", "virtualenvs.create", "false"), ("config", "virtualenvs.in-project", "true"))


def _poetry_env_ok(state: State, command: _shell.Command) -> bool:
    env = _stages.overlay(state.env, command.assignments)
    create = env.get("POETRY_VIRTUALENVS_CREATE", "").lower()
    in_project = env.get("POETRY_VIRTUALENVS_IN_PROJECT", "").lower()
    return create in ("false", "0") or in_project in ("true", "1") or "POETRY_VIRTUALENVS_PATH" in env


def _yarn_pnp_in_root_home(tree: Dockerfile, ctx: Context, walked: Walk) -> str | None:
    """Yarn 4 with Plug'n'Play (its default linker) and its global cache (its default): a root install leaves the
    packages in /root/.yarn/berry/cache, where the app loads them from at run time and the new user cannot (a real
    build: "Required package exists but could not be accessed")."""
    for k, (ins, state) in enumerate(walked):
        if not isinstance(ins, Run) or state.env.get("HOME", "/root") != "/root":
            continue
        if state.user is not None and state.user.split(":", 1)[0] not in _ROOT_USERS:
            continue
        script = _managers.run_script(tree, ins)
        for inv in script.invocations if script is not None else ():
            if inv.manager != "yarn" or inv.role != "install" or inv.cwd == "?":
                continue

            def read(path: str, end: int = k) -> str | None:
                found = _stages.context_file(tree, walked, path, ctx.build, end=end)
                return ctx.build.read_text(found) if isinstance(found, str) else None

            project = _yarn.find(read, _stages.join(state.workdir, inv.cwd))
            settings = project.settings
            if (
                project.major is not None
                and project.major >= 4
                and settings.get("enableGlobalCache", "true").lower() in ("true", "1")
                and "globalFolder" not in settings
                and settings.get("nodeLinker", "pnp") == "pnp"
            ):
                return (
                    f"line {_line(tree, ins)}: Yarn {project.major} with Plug'n'Play keeps the packages in root's home "
                    "folder (~/.yarn/berry/cache), where the app loads them from at run time"
                )
    return None


# git subcommands that do not read the repository they run in.
_GIT_WITHOUT_REPO: Final = frozenset({"clone", "init", "config", "version", "--version", "help", "ls-remote"})


def _git_after_copy(tree: Dockerfile, ctx: Context, walked: Walk) -> str | None:
    """Why giving the copied sources to the user breaks a later root RUN: git (2.35.2 and later) refuses a
    repository another user owns ("detected dubious ownership", a real build of `git describe` after the COPY got
    --chown). Only when the context's .git reaches the image."""
    if not ctx.build.exists(".git") or ctx.build.ignored(".git"):
        return None
    copied = False
    for ins, _state in walked:
        if isinstance(ins, Copy | Add):
            view = tree.view(ins)
            copied = copied or (view.flag("from") is None and any(a.rstrip("/") in (".", "") for a in view.args[:-1]))
        elif copied and isinstance(ins, Run):
            script = _managers.run_script(tree, ins)
            for command in script.script.commands if script is not None else ():
                argv = [w for w in command.argv if not w.startswith("-")]
                if argv and argv[0].rsplit("/", 1)[-1] == "git" and argv[1:2] and argv[1] not in _GIT_WITHOUT_REPO:
                    return (
                        f"line {_line(tree, ins)} runs git {argv[1]} as root in the copied repository, which the fix "
                        "gives to the user: git refuses a repository another user owns (safe.directory)"
                    )
    return None


def _pip_user_install(argv: tuple[str, ...], env: Mapping[str, str], home: str) -> bool:
    """``pip install --user`` (also ``python -m pip``, ``PIP_USER=1``) as root, into root's home folder: as the new
    user Python looks for them in its own (a real build: ModuleNotFoundError). A PYTHONUSERBASE elsewhere is read."""
    tool = argv[0].rsplit("/", 1)[-1] if argv else ""
    module = tool.startswith("python") and argv[1:3] == ("-m", "pip")
    rest = argv[3:] if module else argv[1:]
    if not (tool.startswith("pip") or module) or "install" not in rest:
        return False
    user = "--user" in rest or env.get("PIP_USER", "").lower() in ("1", "true", "yes", "on")
    base = env.get("PYTHONUSERBASE", "")
    return user and home == "/root" and not (base.startswith("/") and not base.startswith("/root"))


def _pipenv_env_ok(state: State, command: _shell.Command, home: str) -> bool:
    """Whether Pipenv's virtualenv goes somewhere else than root's home: into the project, or a WORKON_HOME there."""
    env = _stages.overlay(state.env, command.assignments)
    in_project = env.get("PIPENV_VENV_IN_PROJECT", "").lower() in ("1", "true", "yes")
    workon = env.get("WORKON_HOME", "")
    return in_project or (workon.startswith("/") and not workon.startswith("/root")) or home != "/root"


def _shorten(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


# Programs that need root at start-up (they switch user themselves, manage services, or bind low ports).
_ROOT_PROGRAMS: Final = frozenset({
    "gosu", "su-exec", "setpriv", "chroot", "runuser", "su", "sudo", "s6-svscan", "s6-setuidgid", "supervisord",
    "cron", "crond", "sshd", "systemd", "service", "nginx", "apache2ctl", "apachectl", "apache2-foreground", "httpd",
    "httpd-foreground", "postfix", "dockerd", "openvpn", "iptables", "rsyslogd", "dnsmasq",
    # Daemons that start as root and drop to their own user, or write root's /run and /var (real builds of
    # lighttpd, varnishd, haproxy, tinyproxy stopped as the new user).
    "lighttpd", "varnishd", "haproxy", "tinyproxy", "squid", "privoxy", "mosquitto", "named", "unbound", "slapd",
    "smbd", "nmbd", "vsftpd", "proftpd", "exim4", "dovecot", "stunnel4", "chronyd", "ntpd", "snmpd", "xinetd",
})  # fmt: skip
# Programs that are not daemons, though the file may install them from packages.
_RUNTIMES: Final = frozenset({"python", "python3", "node", "nodejs", "java", "ruby", "perl", "php", "bash", "sh",
                              "dash", "curl", "wget", "git", "jq", "tini", "dumb-init", "busybox"})  # fmt: skip
# Commands in a start script that need root: switching user, changing owners or system settings, installing
# system packages, or Python packages into the system site-packages (pip without --user/--target).
_ROOT_WORDS: Final = re.compile(
    r"(?:^|[\s;&|(`])(gosu|su-exec|setpriv|chroot|runuser|sudo|s6-setuidgid|supervisord|crond?|sshd|chown|useradd|"
    r"adduser|usermod|groupadd|addgroup|sysctl|setcap|update-ca-certificates|apt-get|apk|su|service)(?=\s|$|;)"
    r"|(?:^|[\s;&|(`])(pip3?\s+install)\b(?![^\n]*--(?:user|target|prefix))"
    r"|(?:^|\s)exec\s+(/init)\b",
    re.MULTILINE,
)
# A package install at start-up (`npm install && npm start`, a bare `yarn`, `pip install` outside the user's own
# site-packages).
_START_INSTALL: Final = re.compile(
    r"(?:^|[\s;&|(])((?:npm|pnpm)\s+(?:install|ci|i|add)\b|yarn(?:\s+(?:install|add)\b|(?=\s*(?:$|&&|;|\|)))"
    r"|(?:python3?\s+-m\s+)?pip3?\s+install\b(?![^\n]*--(?:user|target|prefix))|bundle\s+install\b|composer\s+install\b)",
    re.MULTILINE,
)
_WRAPPERS: Final = frozenset({"tini", "dumb-init", "exec", "env", "catatonit", "--"})
_INTERACTIVE: Final = frozenset({"sh", "bash", "ash", "zsh", "irb", "python", "python3", "node", "jshell", "pwsh",
                                 "iex", "ghci", "R", "julia"})  # fmt: skip
# Start commands that write into the user's home folder (logs, caches, downloaded dependencies) on every run.
_HOME_WRITERS: Final = frozenset({"npm", "npx", "yarn", "pnpm", "corepack", "go", "mvn", "mvnw", "gradle", "gradlew",
                                  "poetry", "pipenv", "uv", "pdm", "hatch", "jupyter", "jupyter-lab",
                                  "jupyter-notebook", "streamlit"})  # fmt: skip
# Start commands that do not run at all without a cache folder they can create: `uv run` as a user without a home
# folder exits with "Failed to initialize cache at /home/app/.cache/uv" (a real build of tests/e2e/apps/uv showed it;
# uvx is the same program). uv's cache settings can point it elsewhere.
_NEEDS_CACHE: Final = frozenset({"uv", "uvx"})
_UV_CACHE_ENV: Final = ("UV_CACHE_DIR", "UV_NO_CACHE", "XDG_CACHE_HOME")


def _start_command(
    tree: Dockerfile,
    ctx: Context,
    chain: tuple[Stage, ...],
    walked: Walk,
    fam: Family,
    end: State,
    findings: _Findings,
) -> set[str]:
    """Read the start command for hazards; return the names of the programs it runs."""
    entry = _last(chain, Entrypoint)
    cmd = _last(chain, Cmd)
    if entry is None and cmd is None:
        findings.unsafe.append(
            "the file sets no CMD or ENTRYPOINT: it may build a base or tool image whose users expect root"
        )
        return set()
    commands = _start_words(tree, chain)
    for node in (entry, cmd):
        # The start command's own shell (`CMD node app.js >> /var/log/app.log`, `sh -c "echo $$ > /var/run/app.pid
        # && ..."`), read as a start script is (real images failed with "Permission denied").
        inner = _start_shell(_words(tree, node)) if node is not None else None
        written = _root_write(inner) if inner is not None else None
        if written is not None:
            findings.refuse.append(f"the start command writes {written}, which only root may write")
    alone = _commands(_words(tree, cmd) if cmd is not None else [])
    if len(alone) == 1 and 0 < len(alone[0]) <= 2:
        program = alone[0][0].rsplit("/", 1)[-1]
        if program in _INTERACTIVE and (len(alone[0]) == 1 or alone[0][1] in ("-a", "-i", "-l")):
            findings.unsafe.append(f"CMD {program} starts an interactive tool: the image may be a base or tool image")
    for words in commands:
        if not words:
            continue
        program = words[0].rsplit("/", 1)[-1]
        if program in _ROOT_PROGRAMS or program.startswith("php-fpm") or words[0] == "/init":
            findings.refuse.append(f"the start command runs {program}, which needs root")
            continue
        packaged = _packaged(tree, walked, program)
        if packaged is not None:
            # Daemons from the distribution's packages are set up for root: they drop to a user of their own and
            # keep pid files, logs and state in root's /run, /var/log, /var/lib (real builds of lighttpd,
            # varnishd, haproxy, redis-server, tinyproxy, php-fpm and apachectl all stopped as the new user).
            findings.unsafe.append(
                f"the start command runs {program}, installed from the {packaged} packages: a packaged daemon expects "
                "to start as root"
            )
        switch = _switches_itself(ctx, tree, walked, words, end)
        if switch is not None:
            findings.refuse.append(f"the start command switches to another user itself ({switch}), which needs root")
            continue
        start_scripts = _stages.substitute(_npm_start_scripts(ctx, words), end.env)
        installs = _START_INSTALL.search(" ".join(words)) or _START_INSTALL.search(start_scripts)
        if installs is not None:
            # `CMD npm install && npm start`: the user cannot rewrite the node_modules and lock file root's build
            # wrote (a real image: EACCES), nor the system site-packages.
            findings.unsafe.append(
                f"the start command runs {installs.group(1).strip()}, which rewrites what root's build installed"
            )
        in_script = _root_write(start_scripts) if start_scripts else None
        if in_script is not None:
            # `"start": "node app.js >> /var/log/app.log"` (a real build: the redirection failed as node).
            findings.refuse.append(f"{' '.join(words[:3])} writes {in_script}, which only root may write")
        if "collectstatic" in words or "collectstatic" in start_scripts:
            _collectstatic_again(tree, walked, findings)
        server = _DEV_SERVERS.search(start_scripts) or _DEV_SERVERS.search(" ".join(words))
        if server is not None and _runs_js(tree, walked, ("install", "build")):
            findings.unsafe.append(
                f"{server.group(0).strip()} keeps its cache in node_modules (.vite, .cache), which a root RUN made"
            )
        if _runs_js(tree, walked, ("build",)):
            if (program == "next" and "start" in words) or re.search(r"\bnext\s+start\b", start_scripts):
                findings.unsafe.append("next start writes .next/cache at run time, in a folder a root RUN built")
            build = _START_BUILDS.search(start_scripts)
            if build is not None:
                findings.unsafe.append(
                    f"{' '.join(w for w in words[:3] if not w.startswith('-'))} runs {build.group(0).strip()} first, "
                    "which rewrites the build output a root RUN made"
                )
        # The scripts it runs, and those they run by path in turn (an entrypoint calling scripts/configure.sh that
        # writes /etc: a real build), a few levels down.
        queue = [(script, 0) for script in _stages.start_scripts(words)]
        seen: set[str] = set()
        while queue:
            script, depth = queue.pop(0)
            if script in seen:
                continue
            seen.add(script)
            found = _script_source(tree, ctx, walked, script, end)
            if fam.kind == "node" and script.rsplit("/", 1)[-1] == "docker-entrypoint.sh" and found == "absent":
                continue  # the node image's own entrypoint (not one the Dockerfile copies) only runs node
            if found == "absent":
                if script.endswith(".sh"):
                    findings.unsafe.append(
                        f"the start script {script} is not in the build context dockmod sees; check it does not "
                        "need root"
                    )
                continue
            if found == "unreadable":
                if script.endswith(".sh"):
                    findings.unsafe.append(
                        f"dockmod cannot read the start script {script}; check it does not need root"
                    )
                continue  # a program built in another stage, or not a text file
            code = "\n".join(line for line in found.splitlines() if not line.lstrip().startswith("#"))
            # Paths named by the image's variables (`> "$CONFIG_FILE"`, ENV CONFIG_FILE=/etc/app.conf: a real build).
            code = _stages.substitute(code, end.env)
            if depth < 2:
                queue += [(inner, depth + 1) for inner in _scripts_run_by(code)]
            m = _ROOT_WORDS.search(code)
            if m is not None:
                what = next(g for g in m.groups() if g)
                findings.refuse.append(f"the start script {script} runs {what}, which needs root")
                continue
            installs = _START_INSTALL.search(code)
            if installs is not None:
                findings.unsafe.append(
                    f"the start script {script} runs {installs.group(1).strip()}, which rewrites what root's build "
                    "installed"
                )
            written = _root_write(code)
            if written is not None:
                findings.refuse.append(f"the start script {script} writes {written}, which only root may write")
            if "collectstatic" in code:
                _collectstatic_again(tree, walked, findings)
            # Named from the working folder or by absolute path (`sed -i ... /usr/src/app/build/config.js`).
            targets = [_from_workdir(t, end.workdir) for t in _write_targets(code)]
            built = next((t for t in targets if t.split("/", 1)[0] in _BUILD_OUTPUTS), None)
            if built is not None and _runs_js(tree, walked, ("build",)):
                # Runtime configuration written into the bundle (`dist/env.js`, a real build: Permission denied).
                findings.unsafe.append(f"the start script {script} writes {built}, in what a root RUN built")
            in_home = _home_write(code)
            if in_home is not None:
                findings.home_writes.append(f"the start script {script} writes {in_home}")
    return {words[0].rsplit("/", 1)[-1] for words in commands if words}


def _packaged(tree: Dockerfile, walked: Walk, program: str) -> str | None:
    """Which distribution's packages a RUN of the file installs ``program`` from ("Debian", "Alpine": a package of
    that name, or ``varnish`` for ``varnishd``); None when none does."""
    if program in _RUNTIMES or program.startswith(("python", "node")):
        return None
    for ins, _state in walked:
        script = _managers.run_script(tree, ins) if isinstance(ins, Run) else None
        for inv in script.invocations if script is not None else ():
            if inv.manager in ("apt", "apk") and inv.role == "add":
                names = {a.split("=", 1)[0] for a in inv.args if not a.startswith("-")}
                if program in names or program.removesuffix("d") in names:
                    return "Debian" if inv.manager == "apt" else "Alpine"
    return None


# Options with which a server switches to another user itself once started as root.
_USER_OPTIONS: Final[dict[str, frozenset[str]]] = {
    "gunicorn": frozenset({"-u", "--user", "-g", "--group"}),
    "celery": frozenset({"--uid", "--gid"}),
    "uwsgi": frozenset({"--uid", "--gid"}),
}
_UWSGI_USER: Final = re.compile(r"^\s*(uid|gid)\s*=\s*\S", re.MULTILINE)
_GUNICORN_USER: Final = re.compile(r"^\s*(user|group)\s*=\s*\S", re.MULTILINE)


def _switches_itself(ctx: Context, tree: Dockerfile, walked: Walk, words: list[str], end: State) -> str | None:
    """How the start command switches to another user itself, if it does: gunicorn's ``--user``/``--group`` (on
    the command line, in ``GUNICORN_CMD_ARGS``, or ``user =`` in its configuration file), celery's ``--uid``/
    ``--gid`` (real builds: "Operation not permitted" as the new user)."""
    names = [w.rsplit("/", 1)[-1] for w in words[:3]]
    program = next((n for n in names if n in _USER_OPTIONS), None)
    if program is None:
        return None
    options = _USER_OPTIONS[program]
    args = list(words) + (end.env.get("GUNICORN_CMD_ARGS", "").split() if program == "gunicorn" else [])
    found = next((a.split("=", 1)[0] for a in args if a.split("=", 1)[0] in options), None)
    if found is not None:
        return f"{program} {found}"
    if program == "gunicorn":
        m = _GUNICORN_USER.search(_gunicorn_config(tree, ctx, walked, list(words), end))
        if m is not None:
            return f"{m.group(1)} in gunicorn's configuration file"
    if program == "uwsgi":
        # (a real image served as app where it had served as www-data)
        variable = next((v for v in ("UWSGI_UID", "UWSGI_GID") if end.env.get(v)), None)
        if variable is not None:
            return f"uwsgi's {variable}"
        ini = next((b for a, b in itertools.pairwise(words) if a == "--ini"), None)
        found_ini = _script_source(tree, ctx, walked, ini, end) if ini is not None else "absent"
        m = _UWSGI_USER.search(found_ini) if found_ini not in ("absent", "unreadable") else None
        if m is not None:
            return f"{m.group(1)} in uwsgi's {ini}"
    return None


def _scripts_run_by(code: str) -> list[str]:
    """The scripts a start script runs by path (``./configure.sh``, ``sh scripts/setup``, ``. ./env.sh``)."""
    script = _shell.split(code)
    out: list[str] = []
    for command in script.commands if script is not None else ():
        argv = list(command.argv)
        while argv and argv[0] in _KEYWORDS:
            argv.pop(0)
        if argv and argv[0] in (".", "source") and len(argv) > 1:
            argv = ["sh", argv[1]]
        out += _stages.start_scripts(argv)
    return out


def _from_workdir(path: str, workdir: str) -> str:
    """``path`` relative to the working folder when it is inside it (``/app/dist/env.js`` → ``dist/env.js``)."""
    if path.startswith("/") and workdir.startswith("/") and _inside(path, workdir):
        return posixpath.relpath(posixpath.normpath(path), workdir)
    return path


# Start-script commands that write the paths they are given: the last argument (copies, links), or every one.
_WRITES_LAST: Final = frozenset({"cp", "mv", "ln", "install", "rsync"})
_WRITES_EACH: Final = frozenset({"tee", "touch", "mkdir", "rm", "truncate"})
_REDIRECT: Final = re.compile(r"(?:\d|&)?>>?\|?(.*)")
_SCRATCH: Final = ("/tmp", "/var/tmp", "/dev", "/proc")
_KEYWORDS: Final = frozenset({"then", "else", "elif", "do", "!", "{", "("})


def _root_write(code: str) -> str | None:
    """The first path a start script writes inside a folder the user never owns (``/etc``, ``/run``, ``/``...).

    A start script that configures the system before exec'ing the app (``echo ... > /etc/app.conf``,
    ``cp default.conf /etc/``) fails as the new user: real builds of such images showed the fix called safe
    while the container stopped with "Permission denied".
    """
    for target in _write_targets(code):
        path = posixpath.normpath(target) if target.startswith("/") else None
        if path is None or any(_inside(path, s) for s in _SCRATCH):
            continue
        if not ownable(posixpath.dirname(path)):
            return path
    return None


def _home_write(code: str) -> str | None:
    """The first path in the home folder (``~/...``, ``$HOME/...``) a start script writes, if any."""
    return next((t for t in _write_targets(code) if _TILDE_OR_HOME.match(t)), None)


def _redirections(words: Sequence[str]) -> list[str]:
    """The files a command's redirections write (`> x`, `>>x`, `2>x`)."""
    out = []
    for i, word in enumerate(words[1:], start=1):
        m = _REDIRECT.fullmatch(word)
        if m is not None:
            out.append(m.group(1) or (words[i + 1] if i + 1 < len(words) else ""))
    return out


def _write_targets(code: str) -> list[str]:
    """The paths a script's commands write: redirections, and the operands of cp, mv, mkdir, tee, sed -i..."""
    script = _shell.split(code)
    if script is None:
        return []
    out: list[str] = []
    for command in script.commands:
        words = list(command.words)
        while words and words[0] in _KEYWORDS:
            words.pop(0)
        targets = _redirections(words)
        args: list[str] = []
        for word in words[1:]:
            if _REDIRECT.fullmatch(word) is not None:
                break  # what follows is the redirection's target or more redirections
            if not word.startswith("-"):
                args.append(word)
        program = words[0].rsplit("/", 1)[-1] if words else ""
        if program in _WRITES_LAST and args:
            targets.append(args[-1])
        elif program in _WRITES_EACH:
            targets += args
        elif program == "sed" and any(w.startswith(("-i", "--in-place")) for w in words):
            # The files it edits; without -e or -f, the first word is the sed script (``/^#/d`` is no path).
            scripted = any(w in ("-e", "-f") or w.startswith(("--expression", "--file")) for w in words)
            targets += args if scripted else args[1:]
        out += targets
    return out


# Options of servers that name a file they write at start-up: pid files and log files (gunicorn, uwsgi, celery...).
# Short spellings of the same, for the programs known to use them (gunicorn's -p, celery's -f and -s).
_SHORT_WRITE_OPTIONS: Final = {
    "gunicorn": frozenset({"-p"}),
    "celery": frozenset({"-f", "-s", "--pidfile"}),
    # pm2's output and error logs (a real build: pm2-runtime stopped with EACCES on /var/log/... and exit status 0)
    "pm2": frozenset({"-o", "-e", "-l", "--output", "--error", "--log"}),
    "pm2-runtime": frozenset({"-o", "-e", "-l", "--output", "--error", "--log"}),
}
_WRITE_OPTIONS: Final = frozenset({"--pid", "--pidfile", "--pid-file", "--log-file", "--logfile", "--logto",
                                   "--access-logfile", "--error-logfile", "--access-log", "--error-log", "--log-path",
                                   "--daemonize", "--schedule", "--statedb", "--uds", "--socket",
                                   "--worker-tmp-dir"})  # fmt: skip


def _start_writes(
    tree: Dockerfile,
    ctx: Context,
    chain: tuple[Stage, ...],
    walked: Walk,
    end: State,
    findings: _Findings,
) -> list[_Folder]:
    """Folders the start command names as where it writes (``gunicorn --pid /run/app.pid``): given to the user, or,
    in a folder the user never owns, a reason for advice only (a real build: gunicorn stopped with "Permission
    denied: '/run/tmp...'"). Also read: options kept in a variable (``GUNICORN_CMD_ARGS``) and the files gunicorn's
    configuration names (``pidfile = "/run/gunicorn.pid"``, ``bind = "unix:/run/gunicorn.sock"``)."""
    commands: list[list[str]] = []
    for node in (_last(chain, Entrypoint), _last(chain, Cmd)):
        if node is not None:
            commands += _commands(_words(tree, node))
    words = [w for command in commands for w in command]
    words += [w for key, value in end.env.items() if key.endswith(("_ARGS", "_OPTS")) for w in value.split()]
    short = frozenset().union(
        *(_SHORT_WRITE_OPTIONS.get(c[0].rsplit("/", 1)[-1], frozenset()) for c in commands if c),
        *(_SHORT_WRITE_OPTIONS.get(w, frozenset()) for c in commands for w in c[1:3]),  # python -m gunicorn
    )
    written: list[tuple[str, str]] = []  # (path, how it is named)
    for prev, word in zip(["", *words], words, strict=False):
        option, eq, value = word.partition("=")
        named = option if eq else prev
        if named not in _WRITE_OPTIONS and named not in _BIND_OPTIONS and named not in short:
            continue
        target = value if eq else word
        if named in _BIND_OPTIONS:
            if not target.startswith("unix:"):
                continue
            target = target.removeprefix("unix:")
        written.append((target, named))
    for command in commands:
        if command and command[0].rsplit("/", 1)[-1] == "gunicorn":
            written += _gunicorn_config_writes(tree, ctx, walked, command, end)
    out: list[_Folder] = []
    for target, named in written:
        if not target.startswith("/"):
            continue  # relative to the working folder, which the user gets; "-" is standard output
        path = posixpath.normpath(target)
        folder = path if named in ("--worker-tmp-dir", "worker_tmp_dir") else posixpath.dirname(path)
        if any(_inside(path, s) for s in _SCRATCH):
            continue
        if ownable(folder):
            out.append(_Folder(folder, "written by the start command"))
        else:
            findings.refuse.append(f"the start command writes {path} ({named}), which only root may write")
    return out


# Options that bind a socket, which may be a file (`--bind unix:/run/gunicorn.sock`).
_BIND_OPTIONS: Final = frozenset({"--bind", "-b"})
# Settings of a gunicorn configuration file that name files it writes.
_GUNICORN_FILES: Final = re.compile(
    r"^\s*(pidfile|errorlog|accesslog|worker_tmp_dir|bind)\s*=\s*[\[(]?\s*[\"']((?:unix:)?/[^\"']*)[\"']", re.MULTILINE
)
_GUNICORN_BIND_PORT: Final = re.compile(r"^\s*bind\s*=\s*[\[(]?\s*[\"'][^\"'/]*:(\d{1,5})[\"']", re.MULTILINE)


def _gunicorn_config_writes(
    tree: Dockerfile, ctx: Context, walked: Walk, command: list[str], end: State
) -> list[tuple[str, str]]:
    """What gunicorn's configuration file (``-c``, else ./gunicorn.conf.py, which gunicorn 20+ loads) writes (a
    real build: ``pidfile = "/run/gunicorn.pid"`` in the file stopped it as the new user)."""
    text = _gunicorn_config(tree, ctx, walked, command, end)
    return [(m.group(2).removeprefix("unix:"), m.group(1)) for m in _GUNICORN_FILES.finditer(text)]


def _gunicorn_config(tree: Dockerfile, ctx: Context, walked: Walk, command: list[str], end: State) -> str:
    """The text of gunicorn's configuration file (``-c``, else ./gunicorn.conf.py, which gunicorn 20+ loads), as
    far as the copies bring it from the build context ("" otherwise)."""
    config = next((command[k + 1] for k, w in enumerate(command[:-1]) if w in ("-c", "--config")), None)
    config = config or next((w.split("=", 1)[1] for w in command if w.startswith("--config=")), "gunicorn.conf.py")
    if config.startswith("python:"):
        return ""
    found = _stages.context_file(tree, walked, _stages.join(end.workdir, config), ctx.build)
    return (ctx.build.read_text(found) or "") if isinstance(found, str) else ""


def _start_shell(words: list[str]) -> str | None:
    """The shell script a start command runs (`sh -c "..."`, a shell-form CMD), through nested `sh -c`."""
    inner = _shell.shell_c_script(tuple(w for w in words if w.rsplit("/", 1)[-1] not in _WRAPPERS))
    for _ in range(3):  # `CMD sh -c "..."` in shell form is a shell running a shell
        script = _shell.split(inner) if inner is not None else None
        nested = _shell.shell_c_script(script.commands[0].argv) if script and len(script.commands) == 1 else None
        if nested is None:
            break
        inner = nested
    return inner


def _words(tree: Dockerfile, node: Instruction) -> list[str]:
    view = tree.view(node)
    if view.json:
        return list(view.args)
    return ["sh", "-c", view.args_text]


def _commands(argv: list[str]) -> list[list[str]]:
    """The simple commands a start command runs: wrappers skipped, ``sh -c`` scripts split."""
    words = list(argv)
    while words and (words[0].rsplit("/", 1)[-1] in _WRAPPERS or (words[0].startswith("-") and len(words) > 1)):
        words.pop(0)
    if not words:
        return []
    inner = _shell.shell_c_script(tuple(words))
    if inner is None:
        return [words]
    script = _shell.split(inner)
    if script is None:
        return [words]
    out: list[list[str]] = []
    for command in script.commands:
        out += _commands(list(command.argv))
    return out


def _runs_js(tree: Dockerfile, walked: Walk, roles: tuple[str, ...]) -> bool:
    """Whether a RUN of the image installs or builds (``roles``) a JavaScript project: what it writes is root's."""
    for ins, _state in walked:
        if isinstance(ins, Run):
            script = _managers.run_script(tree, ins)
            if script is not None and any(
                i.manager in ("npm", "yarn", "pnpm") and i.role in roles for i in script.invocations
            ):
                return True
    return False


# Build steps a package's start scripts may run before the app: as the new user they rewrite what a root RUN built
# (a real build: `"prestart": "npm run build"` stopped with tsc's "EACCES: permission denied, open 'dist/server.js'").
_START_BUILDS: Final = re.compile(
    r"(?:^|[\s;&|(])(?:(?:npm|pnpm)\s+run\s+build\b|yarn\s+(?:run\s+)?build\b|tsc\b|webpack\b|vite\s+build\b"
    r"|next\s+build\b|nest\s+build\b|babel\b[^;&|]*\s(?:-d|--out-dir)\b|rollup\b|esbuild\b[^;&|]*--outdir)"
)


# Development servers that write their cache under node_modules at start-up (a real build as node logged
# "EACCES: permission denied, mkdir '/app/node_modules/.vite/deps_temp_...'").
_DEV_SERVERS: Final = re.compile(
    r"(?:^|[\s;&|(/])(?:vite(?!\s+(?:build|preview))(?=\s|$)|vite\s+(?:dev|serve)\b|webpack\s+serve\b"
    r"|webpack-dev-server\b|react-scripts\s+start\b|nuxt\s+dev\b|next\s+dev\b)"
)


def _npm_start_scripts(ctx: Context, words: list[str]) -> str:
    """The scripts ``npm start`` or ``npm run dev`` (``yarn dev``, ``pnpm start``) runs, from package.json: the
    script with its pre- and post- scripts (one per line); "" for other commands or when the file cannot be read."""
    tool = words[0].rsplit("/", 1)[-1]
    args = [w for w in words[1:] if not w.startswith("-")]
    if tool not in ("npm", "yarn", "pnpm") or not args:
        return ""
    name = args[1] if args[0] in ("run", "run-script") and len(args) > 1 else args[0]
    if tool == "npm" and args[0] not in ("start", "run", "run-script"):
        return ""  # npm runs a package script only through start and run
    text = ctx.build.read_text("package.json")
    if not text:
        return ""
    try:
        scripts = json.loads(text).get("scripts", {})
    except (ValueError, AttributeError):
        return ""
    if not isinstance(scripts, dict):
        return ""
    # With the scripts they run in turn (`"start": "npm run logs:init && node server.js"`, where logs:init wrote
    # /var/log: a real build), a few levels down.
    texts: list[str] = []
    queue, seen = [(name, 0)], set()
    while queue:
        current, depth = queue.pop(0)
        if current in seen:
            continue
        seen.add(current)
        for key in (f"pre{current}", current, f"post{current}"):
            text = scripts.get(key)
            if not isinstance(text, str):
                continue
            texts.append(text)
            if depth < 3:
                queue += [(m.group(1), depth + 1) for m in _RUN_SCRIPT.finditer(text) if m.group(1) in scripts]
    return "\n".join(texts)


# A package script running another: `npm run x`, `npm start`, `yarn x`, `pnpm run x`.
_RUN_SCRIPT: Final = re.compile(r"\b(?:npm|pnpm|yarn|bun)\s+(?:run(?:-script)?\s+)?([\w:.-]+)")


def _script_source(tree: Dockerfile, ctx: Context, walked: Walk, script: str, end: State) -> str:
    """The text of a start script copied from the build context; ``absent`` or ``unreadable`` otherwise."""
    found = _stages.script_text(tree, walked, script, end.workdir, ctx.build)
    return "unreadable" if isinstance(found, _stages.Unreadable) else "absent" if found is None else found


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


def _run_time_state(tree: Dockerfile, walked: Walk, findings: _Findings) -> None:
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
                    f"line {_line(tree, ins)} runs {what} as root: a database it creates in the app's folder (SQLite) "
                    "stays root's and the app cannot write it; give it to the user or migrate at start-up"
                )
                return


def _root_runs(tree: Dockerfile, walked: Walk, program: str) -> bool:
    """Whether a RUN as root runs ``program``."""
    commands = _root_commands(tree, walked, re.compile(rf"\b{re.escape(program)}\b"))
    return any(c.argv and c.argv[0].rsplit("/", 1)[-1] == program for _ins, _state, c in commands)


def _tests_at_build(tree: Dockerfile, walked: Walk, findings: _Findings) -> None:
    """A root RUN that runs the test suite runs the app's own code in its folder: the logs and SQLite databases it
    creates there stay root's (real builds: `python -m unittest` made app.log and visits.db, and the app then
    failed with "Permission denied" and "attempt to write a readonly database")."""
    # Every runner _test_runner knows names one of _TEST_HINT's words.
    for ins, _state, command in _root_commands(tree, walked, _TEST_HINT):
        what = _test_runner([w for w in command.argv if not w.startswith("-")])
        if what is not None:
            findings.unsafe.append(
                f"line {_line(tree, ins)} runs the tests ({what}) as root: files the app's code creates in its "
                "folder (logs, SQLite databases) stay root's"
            )
            return


_TEST_HINT: Final = re.compile(r"test|pytest|unittest|tox|nox|rspec|phpunit|jest|vitest|mocha|\bt\b")
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
        if rest and (rest[0] == sub or rest[0].startswith(f"{sub}:") or (names[0] == "npm" and rest[0] == "t")):
            return f"{names[0]} {rest[0]}"
    return None


# Build tools that, started again at run time, write into what a root RUN built with them: cargo's lock in target/
# (a real build: "failed to open: target/release/.cargo-lock: Permission denied"), Gradle's project cache .gradle/
# (a real build: "Could not create service of type FileHasher"), Maven's target/, make's outputs.
_REBUILDERS: Final = frozenset({"cargo", "gradle", "gradlew", "mvn", "mvnw", "make", "dotnet"})


def _build_tool_at_start(tree: Dockerfile, walked: Walk, programs: set[str], findings: _Findings) -> None:
    started = programs & _REBUILDERS
    if not started:
        return
    for ins, _state in walked:
        script = _managers.run_script(tree, ins) if isinstance(ins, Run) else None
        for command in script.script.commands if script is not None else ():
            tool = command.argv[0].rsplit("/", 1)[-1] if command.argv else ""
            if tool in started:
                findings.unsafe.append(
                    f"the start command runs {tool} again, which writes into what line {_line(tree, ins)} built with "
                    "it as root"
                )
                return


_BUILD_OUTPUTS: Final = frozenset({"dist", "build", ".next", "out", "public"})


def _collectstatic_again(tree: Dockerfile, walked: Walk, findings: _Findings) -> None:
    """The image collects Django's static files again when it starts, into the folder a root RUN collected them in:
    as the new user it cannot replace them (a real build: `collectstatic --clear` failed with PermissionError)."""
    for ins, _state in walked:
        if isinstance(ins, Run) and "collectstatic" in tree.view(ins).args_text:
            findings.unsafe.append(
                f"the image runs collectstatic again at start-up, over the files line {_line(tree, ins)} collected as "
                "root"
            )
            return


def _touched_files(tree: Dockerfile, ctx: Context, walked: Walk, findings: _Findings) -> None:
    """An empty file a root RUN makes with ``touch`` in the app's folders (a log, a counter, a database the app
    fills) is there to be written at run time, and stays root's: the folder is given to the user, not the file.
    So is a file inline code writes (`python -c "open('/srv/media/x', 'w')..."`: a real image could not append
    to it). The project's shell scripts the RUN runs (`sh scripts/setup.sh`, `./bin/setup`) are read the same
    way (a real image could not write the counter such a script made)."""
    for ins, state in walked:
        text = tree.view(ins).args_text if isinstance(ins, Run) else ""
        script = _managers.run_script(tree, ins) if isinstance(ins, Run) and _MAKES_FILES.search(text) else None
        commands = [(c, "") for c in script.script.commands] if script is not None else []
        if isinstance(ins, Run) and _RUNS_SCRIPT.search(text):
            commands += _script_commands(tree, ctx, walked, ins, state)
        for command, where in commands:
            argv = command.argv
            tool = argv[0].rsplit("/", 1)[-1] if argv else ""
            words, how = [], ""
            if tool == "touch":
                words, how = [w for w in argv[1:] if not w.startswith("-")], "with touch"
            elif (tool.startswith("python") and argv[1:2] == ("-c",)) or (tool == "node" and argv[1:2] == ("-e",)):
                # Absolute or relative to the working folder (`open('state.json', 'w')`: a real image).
                words, how = (
                    [next(g for g in m.groups() if g) for m in _INLINE_WRITE.finditer(" ".join(argv[2:3]))],
                    "with inline code",
                )
            elif tool in ("cp", "install", "tee") and "-d" not in argv and "--directory" not in argv:
                # `cp defaults/state.json /app/state.json`, `cp -r seed/ /var/lib/app/`, `echo 0 | tee counter.txt`
                # (real images could not rewrite them).
                operands = [w for w in argv[1:] if not w.startswith("-")]
                words, how = operands if tool == "tee" else operands[-1:], f"with {tool}"
            # `echo '{"visits": 0}' > /app/state.json`, `echo '[]' > queue.json` (real images).
            words += _redirections(command.words)
            how = (how or "with a redirection") + where
            recursive = tool == "cp" and any(w in ("-r", "-R", "-a") or w.startswith("--recursive") for w in argv)
            for word in words:
                path = _resolve(word, state)
                # A recursive copy puts its files inside the folder it names (`cp -r seed/. /var/lib/app/`).
                into = recursive or (tool == "cp" and word.endswith("/"))
                if path is not None and ownable(path if into else posixpath.dirname(path)):
                    made = (
                        f"fills {path} {how} as root: its files stay root's, so the app cannot write them"
                        if into
                        else f"makes {path} {how} as root: the file stays root's, so the app cannot write it"
                    )
                    findings.unsafe.append(f"line {_line(tree, ins)} {made}")
                    return


_MAKES_FILES: Final = re.compile(r"\btouch\b|\s-[ce]\s|\bcp\b|\binstall\b|\btee\b|>")
_RUNS_SCRIPT: Final = re.compile(r"\b(?:ba|da|z)?sh\s+\S|(?:^|[\s;&|(])\.{0,2}/|\.sh\b")


def _script_commands(
    tree: Dockerfile, ctx: Context, walked: Walk, run: Run, state: State
) -> list[tuple[_shell.Command, str]]:
    """The commands of the project's shell scripts ``run`` runs by path or through a shell, one level down, each
    with where it is (" in scripts/setup.sh")."""
    script = _managers.run_script(tree, run)
    out: list[tuple[_shell.Command, str]] = []
    for command in script.script.commands if script is not None else ():
        for name in _stages.start_scripts(command.argv):
            found = _stages.script_text(tree, walked, name, state.workdir, ctx.build)
            inner = _shell.split(found) if isinstance(found, str) else None
            out += [(c, f" in {name.removeprefix('./')}") for c in inner.commands] if inner is not None else []
    return out


# Files a root RUN writes that look like the app's state (counters, databases, JSON state), not its settings or
# version stamps: a redirection into them makes a file the app is meant to rewrite.
_STATE_FILE: Final = re.compile(r"(?:state|counter|visits|data|\.db|\.sqlite3?|\.log|\.lock|\.pid)[^/]*$", re.I)


# A file inline Python or JavaScript writes: open('/x', 'w'), writeFileSync("/x", ...), appendFileSync.
_INLINE_WRITE: Final = re.compile(
    r"""\bopen\(\s*['"]([^'"]+)['"]\s*,\s*['"][wax]|\b(?:write|append)FileSync\(\s*['"]([^'"]+)['"]"""
    r"""|\bsqlite3\.connect\(\s*['"]([^'":]+)['"]"""  # creates the database (a real image: "readonly database")
    r"""|\bPath\(\s*['"]([^'"]+)['"]\s*\)\.(?:mkdir|write_text|write_bytes|touch)\("""
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
            return _shorten(name)
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


def _ports(tree: Dockerfile, ctx: Context, walked: Walk, findings: _Findings) -> None:
    """Ports below 1024: a non-root process binds them only where the runtime lowers the limit. Variables are
    expanded as the build does (``ENV PORT=$PORT`` from an ARG, ``--bind 0.0.0.0:${PORT:-80}`` in a shell-form CMD:
    real builds of both failed to bind as the new user)."""
    low: set[int] = set()
    for ins, state in walked:
        view = tree.view(ins)
        if isinstance(ins, Expose):
            for word in view.args:
                value = _resolve_word(word.split("/", 1)[0].split("-", 1)[0], state)
                if value is not None and value.isdigit() and 0 < int(value) < 1024:
                    low.add(int(value))
        elif isinstance(ins, Env):
            for pair in view.pairs:
                value = pair.value.strip("'\"")
                value = _resolve_word(value, state) or value
                if pair.key.upper() in _LISTEN_PORT_VARS and value.isdigit() and 0 < int(value) < 1024:
                    low.add(int(value))
                # The address the app listens on (`LISTEN_ADDR=":80"`, a real image): its port.
                address = re.fullmatch(r"[\w.\[\]:-]*:(\d+)", value) if _LISTEN_ADDRESS.search(pair.key) else None
                if address is not None and 0 < int(address.group(1)) < 1024:
                    low.add(int(address.group(1)))
                # Options kept in a variable (GUNICORN_CMD_ARGS="--bind=0.0.0.0:80"); only option forms, as a
                # bare host:port in a variable is as often a server the app talks to.
                words = value.split()
                for prev, word in zip(["", *words], words, strict=False):
                    port = _port_in(prev, word, options_only=True)
                    if port is not None and 0 < port < 1024:
                        low.add(port)
        elif isinstance(ins, Cmd | Entrypoint):
            inner = _start_shell(list(view.args)) if view.json else None  # `["sh", "-c", "... ${PORT:-93}"]`
            words = inner.split() if inner is not None else list(view.args) if view.json else view.args_text.split()
            if not view.json or inner is not None:  # the shell expands variables, with their defaults
                words = [_resolve_word(w.strip("'\""), state) or w for w in words]
            for prev, word in zip(["", *words], words, strict=False):
                port = _port_in(prev, word)
                if port is not None and 0 < port < 1024:
                    low.add(port)
            # Servers whose port is their last plain argument, wherever it stands: `http.server --bind 0.0.0.0 80`,
            # `manage.py runserver 80`.
            for k, word in enumerate(words):
                if word in _POSITIONAL_PORT:
                    plain = [w for w in words[k + 1 :] if w.isdigit()]
                    if plain and 0 < int(plain[-1]) < 1024:
                        low.add(int(plain[-1]))
            for command in _commands(_words(tree, ins)):
                if command and command[0].rsplit("/", 1)[-1] == "gunicorn":
                    text = _gunicorn_config(tree, ctx, walked, command, state)
                    bound = (int(m.group(1)) for m in _GUNICORN_BIND_PORT.finditer(text))
                    low.update(p for p in bound if 0 < p < 1024)
    if low:
        ports = ", ".join(str(p) for p in sorted(low))
        findings.unsafe.append(
            f"the app listens on port {ports}: a non-root process may bind ports below 1024 only where the runtime "
            "allows it (Docker 20.10+ does; Kubernetes and rootless runtimes usually do not) — move it to a port "
            "of 1024 or above"
        )


# Variables that set the port the app itself listens on (LDAP_PORT, SMTP_PORT... name servers it talks to).
_LISTEN_PORT_VARS: Final = frozenset({"PORT", "HTTP_PORT", "HTTPS_PORT", "SERVER_PORT", "LISTEN_PORT", "APP_PORT",
                                      "WEB_PORT", "BIND_PORT", "FLASK_RUN_PORT", "UVICORN_PORT",
                                      "STREAMLIT_SERVER_PORT", "GRADIO_SERVER_PORT"})  # fmt: skip
_LISTEN_ADDRESS: Final = re.compile(
    r"^(?:LISTEN|BIND|ADDR)$|_(?:LISTEN|BIND)(?:_ADDR(?:ESS)?)?$|^(?:LISTEN|BIND)_ADDR", re.I
)
_PORT_FLAG: Final = re.compile(r"--?[\w.-]*(?:port|bind|listen|addr)[\w.-]*", re.IGNORECASE)


# Servers whose port is a plain argument (``python -m http.server 80``), and ``-p`` as most servers spell the port
# option (``http-server -p 80``): a real build showed ``http.server 80`` failing to bind as the new user.
_PORT_ARGUMENT: Final = frozenset({"http.server", "SimpleHTTPServer", "-p", "-l"})  # -l: `serve -l 80`


_POSITIONAL_PORT: Final = frozenset({"http.server", "SimpleHTTPServer", "runserver"})


def _port_in(prev: str, word: str, *, options_only: bool = False) -> int | None:
    if (_PORT_FLAG.fullmatch(prev) or prev in _PORT_ARGUMENT) and word.isdigit():
        return int(word)
    # An address after its option: `--bind 0.0.0.0:80`, gunicorn's `-b :80` (a real build in GUNICORN_CMD_ARGS).
    m = re.fullmatch(r"(?:[\w.\[\]*-]*):(\d{1,5})", word)
    if m is not None and (_PORT_FLAG.fullmatch(prev) or prev in _BIND_OPTIONS):
        return int(m.group(1))
    m = re.fullmatch(r"(--?[\w.-]+)=(?:[\w.\[\]*-]*:)?(\d{1,5})", word)  # --listen=*:80, --bind=0.0.0.0:80
    if m is not None and _PORT_FLAG.fullmatch(m.group(1)):
        return int(m.group(2))
    if options_only:
        return None
    m = re.fullmatch(r"(?:\d{1,3}(?:\.\d{1,3}){3}|localhost|\[::\])?:(\d{1,5})", word)
    return int(m.group(1)) if m is not None else None


# -- paths --------------------------------------------------------------------------------------------------


def _inside(path: str, folder: str) -> bool:
    return folder in (path, "/") or path.startswith(folder.rstrip("/") + "/")


def _resolve_word(word: str, state: State) -> str | None:
    if "$" not in word:
        return word
    expansion = imageref.expand_variables(word, dict(state.env))
    return expansion.text if expansion.resolved else None


def _resolve(word: str, state: State) -> str | None:
    """An absolute path for ``word`` (variables from ENV/ARG, relative to WORKDIR); None when unknown."""
    value = _resolve_word(word, state)
    if value is None or not value or value.startswith("~"):
        return None
    path = _stages.join(state.workdir, value)
    return None if path.startswith(_stages.UNKNOWN_DIR) else path


def _copy_destination(tree: Dockerfile, ins: Instruction, state: State) -> str | None:
    args = tree.view(ins).args
    if len(args) < 2:
        return None
    return _resolve(args[-1], state)

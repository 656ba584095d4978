"""The add-user transform: which user to run as, and where its creation, ``USER``, ``--chown`` and the folders it
is given go. The other modules' findings decide how safe the fix is."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import ClassVar, Final

from dockmod.context import Context
from dockmod.cst import Add, Copy, Dockerfile, Instruction, Node, Onbuild, Run, Stage, User, Workdir
from dockmod.cst.buildkit import BuildKitError
from dockmod.cst.edit import add_flags
from dockmod.transforms import _managers, _shell, _stages
from dockmod.transforms._base import Fix, Safety
from dockmod.transforms.add_user import appcode, buildsteps, common, families, ownership, roothome, startup

_NAME: Final = re.compile(r"[a-z_][a-z0-9_-]{0,31}")


# Families whose refactored images tests/e2e builds and runs (buildah, Debian-made base images).
_VERIFIED_BY_BUILDS: Final = frozenset({"node", "debian"})


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
            if end.user.split(":", 1)[0] not in common.ROOT_USERS:
                return None  # already non-root: the final USER wins
            node = common.last(chain, User)
            assert node is not None
            line = common.line_number(tree, node)
            return _advice(node, [f"the file switches to root explicitly at line {line}; dockmod keeps that choice"])
        fam = families.family(tree, chain)
        if fam.leave:
            return None
        findings = common.Findings()
        if fam.refuse:
            findings.refuse.append(fam.refuse)
        if ".devcontainer" in ctx.path.replace("\\", "/").split("/"):
            findings.refuse.append("a dev container: its user is chosen in devcontainer.json (remoteUser)")
        for stage in chain:
            for ins in stage.body:
                if isinstance(ins, Onbuild):
                    findings.refuse.append(
                        f"ONBUILD at line {common.line_number(tree, ins)}: the image is a base for other builds, whose "
                        "steps would run as the new user"
                    )
                elif ins.name == "SHELL" and "powershell" in ins.code.lower():
                    findings.refuse.append("a Windows image (SHELL powershell)")
        account = self._account(tree, fam, chain, findings)
        walked = _stages.chain_walk(tree, final)
        roothome.root_home(tree, ctx, walked, findings)
        roothome.home_downloads(tree, ctx, walked, findings)
        programs = startup.start_command(tree, ctx, chain, walked, fam, end, findings)
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
        startup.start_ports(tree, ctx, walked, findings)
        if "npx" in programs and buildsteps.root_run(tree, walked, "npx") is not None:
            # What a root RUN's npx fetched sits in /root/.npm/_npx: as the new user, npx fetches it again at every
            # start (a real build without registry access then failed: ENOTCACHED).
            findings.unsafe.append("the start command runs npx, whose packages a root RUN fetched into root's home")
        buildsteps.build_tool_at_start(tree, walked, programs, findings)
        buildsteps.run_time_state(tree, walked, findings)
        buildsteps.tests_at_build(tree, ctx, walked, findings)
        buildsteps.program_at_build(tree, ctx, walked, end, programs, findings)
        buildsteps.framework_tasks_at_build(tree, walked, findings)
        buildsteps.touched_files(tree, ctx, walked, findings)
        git = roothome.git_after_copy(tree, ctx, walked)
        if git is not None:
            findings.refuse.append(git)
        pnp = roothome.yarn_pnp_in_root_home(tree, ctx, walked)
        if pnp is not None:
            findings.refuse.append(pnp)
        folders = ownership.writable_folders(tree, chain, end, findings)
        folders += startup.start_writes(tree, ctx, chain, walked, end, findings)
        folders += ownership.env_folders(end, folders, findings)
        code = appcode.start_code_files(tree, ctx, chain, walked, end)
        # Also the modules it imports (`from settings import PORT`), by NODE_PATH and PYTHONPATH too.
        with_modules = appcode.with_modules(ctx, code, appcode.module_search(end))
        # Paths the code joins from literal parts, read as the paths they make (`['', 'var', 'log'].join('/')`).
        spelled = [(name, appcode.fold_joins(text)) for name, text in with_modules]
        environment = startup.start_environment(tree, ctx, chain, walked, end).env
        appcode.code_writes(spelled, folders, findings, environment, workdir=end.workdir)
        appcode.build_scripts(tree, ctx, walked, end, with_modules, findings)
        appcode.build_outputs_written(tree, walked, end, spelled, findings)
        appcode.code_ports(ctx, with_modules, findings)
        appcode.argument_ports(tree, chain, code, findings)
        appcode.code_needs_root(with_modules, findings)
        appcode.code_system_paths(ctx, spelled, folders, findings)
        appcode.start_arguments(tree, chain, folders, findings)
        owned = ownership.chowned_by_file(tree, walked, account)
        startup.compiled_outside(folders, owned, findings)
        startup.held_outside(folders, owned, findings)
        ownership.owner_only(tree, ctx.build, chain, walked, folders, owned, account.owner.split(":", 1)[0], findings)
        ownership.other_owners(tree, walked, account, folders, findings)
        if findings.refuse:
            return _advice(final.node, findings.refuse)
        return self._edit(tree, ctx, fam, account, chain, final, walked, folders, owned, findings)

    def _account(
        self, tree: Dockerfile, fam: families.Family, chain: tuple[Stage, ...], findings: common.Findings
    ) -> common.Account:
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
            return common.Account(user, owner, None, chosen.node, label, home=chosen.home is not None)
        if fam.unsafe:
            findings.unsafe.append(fam.unsafe)
        uid, gid = self.uid, self.gid
        if fam.kind == "node":
            changed = _node_user_changed(tree, chain)
            if changed is not None:
                findings.refuse.append(changed)
            user = "1000:1000" if self.numeric else "node"
            return common.Account(user, "node:node", None, None, "node (uid 1000, shipped by the node image)")
        if fam.kind == "dotnet":
            return common.Account(
                "$APP_UID", "app:app", None, None, "app (uid 1654 as $APP_UID, shipped by the .NET image)"
            )
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
            return common.Account(
                f"{uid}:{gid}" if self.numeric else self.user,
                f"{self.user}:{self.group}",
                create,
                None,
                f"{self.user} (uid {uid}, created here)",
                home=own,
            )
        if fam.kind == "distroless":
            if fam.image.startswith("mcr.microsoft.com/"):
                return common.Account("$APP_UID", "app:app", None, None, "app (uid 1654, shipped by the .NET image)")
            user = "65532:65532" if self.numeric else "nonroot:nonroot"
            return common.Account(user, "nonroot:nonroot", None, None, "nonroot (uid 65532, shipped by distroless)")
        if fam.kind == "chainguard":
            return common.Account("65532:65532", "65532:65532", None, None, "uid 65532 (Chainguard's non-root user)")
        if fam.kind == "scratch":
            findings.unsafe.append(
                f"in scratch, uid {uid} has no passwd entry and owns no folder: a program that writes files or "
                "looks up its user fails"
            )
        numeric = f"uid {uid} (numeric: no user is needed)"
        return common.Account(f"{uid}:{gid}", f"{uid}:{gid}", None, None, numeric, home=False)

    def _edit(
        self,
        tree: Dockerfile,
        ctx: Context,
        fam: families.Family,
        account: common.Account,
        chain: tuple[Stage, ...],
        final: Stage,
        walked: common.Walk,
        folders: list[common.Folder],
        owned: set[str],
        findings: common.Findings,
    ) -> Fix:
        body = list(final.body)
        # Where the user exists from: after the final FROM, or after the file's own RUN that creates it.
        anchor: Instruction = final.node
        if account.created_by is not None and any(i is account.created_by for i in body):
            anchor = account.created_by
        after_anchor = body[body.index(anchor) + 1 :] if anchor is not final.node else body

        # Folders the user must own; the file's own chown to the user already covers some.
        wanted = [f for f in ownership.dedupe_folders(folders) if not ownership.covered(f.path, owned)]
        last = _last_build_step(final)
        up_to_user = body[: body.index(last) + 1] if last is not final.node else []
        top: list[str] = []
        late: list[str] = []
        can_run = fam.shell or account.created_by is not None
        parents = [ins for stage in chain[:-1] for ins in stage.body]
        for folder in wanted:
            if any(ownership.volume_declares(tree, i, folder.path) for i in parents):
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
            elif ownership.safe_to_create_early(tree, ctx, folder.path, after_anchor, walked):
                top.append(folder.path)
            else:
                late.append(folder.path)
                if any(ownership.volume_declares(tree, i, folder.path) for i in up_to_user):
                    findings.unsafe.append(
                        f"{folder.path} is given to the user after its VOLUME line, which the classic builder "
                        "discards (BuildKit and buildah keep it)"
                    )
        # COPY/ADD of the app's files into those folders: --chown (a COPY ignores USER and writes as root).
        chowned: dict[Instruction, Instruction] = {}
        state_of = {id(ins): state for ins, state in walked}
        for ins in after_anchor:
            if isinstance(ins, Copy | Add) and tree.view(ins).flag("chown") is None:
                dest = common.copy_destination(tree, ins, state_of[id(ins)])
                if dest is not None and any(common.inside(dest, f.path) for f in folders):
                    chowned[ins] = add_flags(tree, ins, [f"--chown={account.owner}"])
                    archive = ownership.unpacked_archive(tree, ins)
                    if archive is not None:
                        findings.unsafe.append(
                            f"the files ADD unpacks from {archive} (line {common.line_number(tree, ins)}) keep the "
                            "archive's owners: --chown does not reach them"
                        )
        for stage in chain[:-1]:
            for ins in stage.body:
                if isinstance(ins, Copy | Add) and tree.view(ins).flag("chown") is None:
                    dest = common.copy_destination(tree, ins, state_of[id(ins)])
                    if dest is not None and any(common.inside(dest, f.path) for f in folders):
                        findings.unsafe.append(
                            f"files stage {stage.name or stage.index} copies into {dest} (line "
                            f"{common.line_number(tree, ins)}) stay root's: the app cannot change them"
                        )
        if account.created_by is not None and anchor is not final.node:
            # (A user a parent stage creates exists before every instruction of this one.)
            for ins in body:
                if ins is anchor:
                    break
                if isinstance(ins, Copy | Add):
                    dest = common.copy_destination(tree, ins, state_of[id(ins)])
                    if dest is not None and any(common.inside(dest, f.path) for f in folders):
                        findings.unsafe.append(
                            f"line {common.line_number(tree, ins)} copies files into {dest} before user {account.name} "
                            "exists: they stay root's"
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

        message = (
            f"run the final stage as {account.label}: USER {account.user} after line {common.line_number(tree, last)}"
        )
        if chowned:
            lines = ", ".join(str(common.line_number(tree, n)) for n in chowned)
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
                        f"line {common.line_number(tree, ins)} changes the node image's node user ({tool}): dockmod "
                        "does not know its account any more; set USER to the user the file means"
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
                    line = common.line_number(tree, ins)
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
                for owner, _paths, _rec in ownership.chowns(tree, ins):
                    name = owner.split(":", 1)[0].split(".", 1)[0]
                    if name in created:
                        return created[name]
    return list(created.values())[-1]


# Start commands that write into the user's home folder (logs, caches, downloaded dependencies) on every run.
_HOME_WRITERS: Final = frozenset({"npm", "npx", "yarn", "pnpm", "corepack", "go", "mvn", "mvnw", "gradle", "gradlew",
                                  "poetry", "pipenv", "uv", "pdm", "hatch", "jupyter", "jupyter-lab",
                                  "jupyter-notebook", "streamlit"})  # fmt: skip
# Start commands that do not run at all without a cache folder they can create: `uv run` as a user without a home
# folder exits with "Failed to initialize cache at /home/app/.cache/uv" (a real build of tests/e2e/apps/uv showed it;
# uvx is the same program). uv's cache settings can point it elsewhere.
_NEEDS_CACHE: Final = frozenset({"uv", "uvx"})
_UV_CACHE_ENV: Final = ("UV_CACHE_DIR", "UV_NO_CACHE", "XDG_CACHE_HOME")

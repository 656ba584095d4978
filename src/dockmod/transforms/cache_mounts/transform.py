"""The ``cache-mounts`` transform: it walks each stage and plans each RUN's edit (``_plan``: the mounts, the
clean-ups and options taken out, the safety and the message) from what the other modules find; apt's preparation
(docker-clean) is decided here too."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar, Final

from dockmod.context import BuildContext, Context
from dockmod.cst import Add, Copy, Directive, Dockerfile, Instruction, Run, Stage
from dockmod.cst.edit import add_flags, splice_args, split_leading
from dockmod.transforms import _managers, _stages
from dockmod.transforms._base import Fix, Safety
from dockmod.transforms._managers import Invocation, Manager, RunScript
from dockmod.transforms._stages import State
from dockmod.transforms.cache_mounts import cachedirs, cleanups, common, downstream, prior, shellpaths

SYNTAX = "docker/dockerfile:1"
_OLD_FRONTEND: Final = re.compile(r"(?:docker/)?dockerfile:(?:0(?:\.\d+)*|1\.[01](?:\.\d+)?)$")


@dataclass(frozen=True)
class CacheMounts:
    """Add BuildKit cache mounts to dependency installs."""

    name: ClassVar[str] = "cache-mounts"
    summary: ClassVar[str] = "cache package-manager downloads across builds with RUN --mount=type=cache"
    safety: ClassVar[Safety] = Safety.SAFE

    apt: bool = True  # offer (unsafe) apt cache mounts
    apk: bool = True  # offer (unsafe) apk cache mounts
    # Add `# syntax=docker/dockerfile:1`. BuildKit then pulls that frontend image from Docker Hub; builders that
    # cannot reach it may rely on their built-in frontend, which has RUN --mount since Dockerfile 1.2 (Docker 20.10).
    syntax: bool = True

    def check(self, tree: Dockerfile, ctx: Context) -> Iterator[Fix]:
        syntax = tree.directive("syntax")
        if syntax is not None and _OLD_FRONTEND.search(syntax.value.split("@", 1)[0].strip()):
            return  # the pinned frontend predates RUN --mount
        directives: tuple[Directive, ...] = ()
        if syntax is None and self.syntax:
            directives = (Directive(text=f"# syntax={SYNTAX}", newline=tree.newline),)
        runtime = downstream.runtime_commands(tree, ctx.build)
        for stage in tree.stages:
            yield from self._stage(tree, stage, directives, runtime, ctx.build)

    def _stage(
        self,
        tree: Dockerfile,
        stage: Stage,
        directives: tuple[Directive, ...],
        runtime: frozenset[str],
        build: BuildContext,
    ) -> Iterator[Fix]:
        apt = _AptState(enabled=self.apt and _apt_stage_ok(tree, stage))
        walked = tuple(_stages.walk(tree, stage))
        image = _stages.image_name(_stages.base_image(tree, stage))
        # What the stages this one builds on (`FROM base`) left is there too: a settings.xml a base stage copies
        # into /root/.m2 is hidden by a mount of it as much as one this stage copies (a real build lost it).
        chain = _stages.lineage(tree, stage)
        earlier = prior.Earlier(prior.copied_out(tree, stage), chain[-2] if len(chain) > 1 else None, image, build)
        for k, (ins, state) in enumerate(walked):
            if isinstance(ins, Copy | Add):
                earlier.copy(tree, ins, state, image)
                continue
            if not isinstance(ins, Run):
                continue
            script = _managers.run_script(tree, ins)
            if script is not None and not script.heredoc:
                site = common.Site(build, walked, k)
                plan = _plan(tree, stage, site, script, state, earlier, runtime, apt, self.apk)
                if plan is not None and not plan.mounts:
                    yield Fix(message=plan.message, safety=Safety.DISPLAY_ONLY, replace={ins: (ins,)})
                elif plan is not None:
                    new = splice_args(tree, ins, plan.edits) if plan.edits else ins
                    new = add_flags(tree, new, [m.flag for m in plan.mounts])
                    nodes: tuple[Instruction, ...] = (new,)
                    if plan.prepares_apt:
                        # The preparation goes first, below the blank lines but above the comments: those speak
                        # of the RUN, and some speak to tools about the next line (`# hadolint ignore=DL3008`).
                        blank, comments = split_leading(ins.leading)
                        prepare = tree.new(Run, _APT_PREPARE, like=ins, leading=blank)
                        nodes = (prepare, new.with_leading(comments))
                    yield Fix(message=plan.message, safety=plan.safety, replace={ins: nodes}, directives=directives)
                    apt.prepared = apt.prepared or plan.prepares_apt
            apt.prepared = apt.prepared or "docker-clean" in tree.view(ins).args_text
            earlier.runs.append((stage, ins, state))


@dataclass
class _AptState:
    enabled: bool  # every apt RUN of the stage refreshes its package lists
    prepared: bool = False  # an earlier RUN already removes docker-clean


@dataclass(frozen=True, slots=True)
class _Plan:
    mounts: tuple[common.Mount, ...]
    edits: tuple[tuple[int, int, str], ...]  # (start, end, text) in the RUN's argument text
    safety: Safety
    message: str
    prepares_apt: bool = False


def _plan(
    tree: Dockerfile,
    stage: Stage,
    site: common.Site,
    script: RunScript,
    state: State,
    earlier: prior.Earlier,
    runtime: frozenset[str],
    apt: _AptState,
    apk: bool,
) -> _Plan | None:
    run = site.run
    view = tree.view(run)
    mounted = {common.mount_target(f) for f in view.flags if f.name == "mount"}
    managers: dict[Manager, list[Invocation]] = {}
    for inv in script.invocations:
        if inv.manager in common.PACKAGE_MANAGERS and inv.role in common.DOWNLOADS.get(inv.manager, common.INSTALLS):
            managers.setdefault(inv.manager, []).append(inv)
    if not managers:
        return None
    mounts: list[common.Mount] = []
    edits: list[tuple[int, int, str]] = []
    cached: list[str] = []
    notes: list[str] = []
    skipped: list[str] = []
    safety = Safety.SAFE
    prepares_apt = False
    removed: set[int] = set()  # indexes of commands that empty a cache: they leave the chain
    base = _stages.image_name(_stages.base_image(tree, stage))
    for manager, invs in managers.items():
        if manager == "apk" and not apk:
            continue
        if manager == "apt" and not (apt.enabled and _has_update(invs)):
            skipped.append("apt: every apt RUN of the stage must run apt-get update for its lists to be cached")
            continue
        # What the RUN exports before the tool counts too (`export PIP_CACHE_DIR=/tmp/pip && pip install ...`): the
        # last invocation's environment has every export before it; the earlier ones' own prefixes are added. (Not
        # a merge of whole environments: a stage of thousands of ENV lines made that quadratic.)
        env = _stages.overlay(
            _managers.environment(script, invs[-1], state.env),
            {k: v for inv in invs[:-1] for k, v in inv.command.assignments.items()},
        )
        targets, reason = cachedirs.targets(tree, stage, site, manager, state, env, invs)
        if reason is not None:
            skipped.append(f"{manager}: {reason}")
            continue
        # A target at or below a folder the RUN already mounts is covered (a mount inside a mount is not wanted).
        if all(any(common.inside(t.target, m) for m in mounted) for t in targets):
            continue  # already cached
        offline = (
            prior.reads_cache_only(tree, run, env)
            or (
                manager == "npm"
                and prior.npmrc_offline(tree, site, state, env, common.home(tree, stage, state, env)[0], invs)
            )
            or (manager in ("npm", "pnpm", "yarn") and prior.offline_above(tree, stage, site.walked, site.index))
        )
        hidden = [("COPY", w, t.target) for t in targets for w in earlier.copied_into(tree, t.target, offline=offline)]
        hidden += [("RUN", w, t.target) for t in targets for w in earlier.named_in(tree, t.target, offline=offline)]
        # A copy of the folder around Bundler's cache takes the gems, not the .gem files, unless the file reads them.
        left_behind = manager == "bundler" and downstream.bundler_cache_read(tree, site.build) is None
        out = [
            (w, t.target)
            for w in earlier.copied_out
            for t in targets
            if prior.takes_out(w, t) and not (left_behind and prior.around(w, t))
        ]
        if out:
            taken = out[0][0]
            if taken == _stages.UNKNOWN_DIR:
                taken = "a path dockmod cannot tell (a variable without a known value)"
            elif taken.startswith(_stages.UNKNOWN_DIR + "/"):
                taken = f"a path below {taken[len(_stages.UNKNOWN_DIR) :]} that dockmod cannot tell"
            skipped.append(f"{manager}: a later stage copies {taken} from this one, which a mount of {out[0][1]} "
                           "would leave empty")  # fmt: skip
            continue
        filler = earlier.ran(tree, manager) if offline else None
        if filler is not None:
            # `npm cache add ms@2.1.3` in an earlier RUN, then `npm ci --offline` (a real build with the mount failed
            # with ENOTCACHED).
            shown = common.shell_excerpt(tree.view(filler).args_text)
            skipped.append(f"{manager}: an earlier RUN (`{shown}`) fills the cache in the image, which a mount would "
                           "hide from this install that reads the cache alone")  # fmt: skip
            continue
        if hidden:
            kind, path, target = max(hidden, key=lambda h: len(h[1]))  # the most telling path
            if kind == "COPY":
                skipped.append(f"{manager}: an earlier COPY writes into {target}, which the mount would hide")
            else:
                skipped.append(f"{manager}: an earlier RUN names {path}: a mount of {target} would hide it")
            continue
        if any(opt in inv.options for inv in invs for opt in common.CACHE_OPTIONS.get(manager, ())):
            skipped.append(f"{manager}: the command names its own cache folder")
            continue
        exec_form = view.json or script.exec_form
        # The base image's own variables too: `rm -rf "$GEM_HOME/cache"` on a ruby image names the mount's target.
        known = {**_stages.IMAGE_ENV.get(base, {}), **env}
        paths = shellpaths.Paths.of(script.script, state.workdir, known, common.home(tree, stage, state, env)[0])
        cleanup = cleanups.cleaners(script, manager, targets, paths)
        emptied = cleanups.may_empty(tree, site, script, manager, targets, paths, cleanup)
        if emptied is not None:
            skipped.append(f"{manager}: {emptied}")
            continue
        written = cleanups.written_into(script, targets, paths)
        if written is not None:
            safety = min(safety, Safety.UNSAFE)
            notes.append(f"{manager}: {written}, which the mount keeps out of the image")
        # An `rm` that also removes other files (`rm -rf /root/.npm .npmrc`, a registry token) keeps them: only the
        # cache's operands leave it (a real build showed the whole command dropped and the token left in the image).
        partial = {k for k in cleanup if shellpaths.rm_operands(script.script.commands[k], k, targets, paths).other}
        operand_edits = cleanups.operand_edits(script, view.args_text, partial, targets, exec_form, paths)
        if operand_edits is None:
            names = ", ".join(f"`{script.script.text[c.start : c.end]}`" for k, c in enumerate(script.script.commands)
                              if k in partial)  # fmt: skip
            skipped.append(
                f"{manager}: {names} removes the cache together with other files, and dockmod cannot take the cache "
                "out of it here (exec form, or an operand it cannot find once as a word of its own)"
            )
            continue
        cleanup -= partial
        errexit = cleanups.errexit_possible(tree, stage, site, script)
        if cleanup and (exec_form or cleanups.removal_spans(tree, run, script, removed | cleanup, errexit) is None):
            names = ", ".join(
                f"`{script.script.text[c.start : c.end]}`" for k, c in enumerate(script.script.commands) if k in cleanup
            )
            skipped.append(
                f"{manager}: {names} would empty the cache mount, and dockmod cannot remove it here "
                "(exec form, a compound command, a comment that describes it, or the end of an `&&` list under "
                "`set -e`)"
            )
            continue
        options = cleanups.option_edits(script, view.args_text, manager, invs, exec_form)
        if options is None:
            skipped.append(f"{manager}: the exec-form command disables the cache")
            continue
        if manager == "apt":
            safety = min(safety, Safety.UNSAFE)
            prepares_apt = not apt.prepared
            notes.append(
                "apt: docker-clean is removed so downloaded packages stay in the cache mount (a derived image "
                "that runs apt-get will keep its .deb files), and /var/lib/apt is no longer in the image; buildah "
                "and podman before 1.29 hang at the next RUN that takes two locked mounts"
            )
        elif manager == "apk":
            safety = min(safety, Safety.UNSAFE)
            notes.append("apk: --no-cache becomes --update-cache, so apk's index goes to the cache mount")
        elif manager == "maven" and (why := downstream.maven_repository_at_run_time(tree)) is not None:
            safety = min(safety, Safety.UNSAFE)
            notes.append(f"maven: {why}, and the jars stay in the cache mount, out of the image")
        elif manager == "bundler" and (read := downstream.bundler_cache_read(tree, site.build, at_start=True)):
            safety = min(safety, Safety.UNSAFE)
            notes.append(f"bundler: the image runs `{read}` when it starts, which needs the .gem files the mount keeps")
        elif manager in common.RUNTIME_TOOL and runtime & set(common.RUNTIME_TOOL[manager]):
            safety = min(safety, Safety.UNSAFE)
            notes.append(f"{manager}: the image runs {manager} at start-up and will not find its cache in the image")
        elif manager not in common.INSTALLED_IS_ENOUGH and manager in tree.memo(
            ("cache-mounts-start-installs",), lambda: downstream.start_installs(tree, site.build)
        ):
            # `CMD sh -c "npm install --offline ... && node index.js"`, or an `npm run serve` doing so: a real image
            # failed to start (ENOTCACHED), the cache the build filled being in the mount, not in the image.
            safety = min(safety, Safety.UNSAFE)
            notes.append(
                f"{manager}: the image installs with {manager} when it starts, and will not find what this RUN "
                "downloads in the image (offline, it fails)"
            )
        elif runtime & (runners := downstream.runners(script, manager)):
            safety = min(safety, Safety.UNSAFE)
            runner = min(runtime & runners)
            notes.append(
                f"{manager}: what this RUN's {runner} downloads stays in the cache mount, and the image runs {runner} "
                "at start-up: it will download it again"
            )
        later = downstream.later_use(tree, stage, site, manager, invs) or downstream.read_later(
            tree, stage, site, manager, targets, paths, earlier.readers
        )
        if later is not None:
            safety = min(safety, Safety.UNSAFE)
            notes.append(f"{manager}: {later}")
        owned = [t for t in targets if t.uid is not None]
        shared = common.SHARED_FOLDERS.get(base, ())  # folders the image already has, writable by every user
        home = common.home(tree, stage, state, env)[0] if owned else None
        deep = [
            t.target
            for t in owned
            if home is not None
            and posixpath.dirname(posixpath.normpath(t.target)) not in (posixpath.normpath(home), *shared)
        ]
        # As root with HOME elsewhere than /root (`ENV HOME=/app`, the app user's home): the same, for whoever
        # runs the app there later (a real image could not create /app/.cache/myapp).
        root_home = posixpath.normpath(env.get("HOME", "/root"))
        if root_home not in ("/root", "/"):
            deep += [
                t.target
                for t in targets
                if t.uid is None
                and common.inside(t.target, root_home)
                and posixpath.dirname(posixpath.normpath(t.target)) != root_home
            ]
        if deep:
            # The builder makes the folders above a mount target for the mount, owned by root: a real build left
            # /home/appuser/.cache root's, and the user could not create ~/.cache/myapp at run time.
            safety = min(safety, Safety.UNSAFE)
            notes.append(
                f"{manager}: the builder creates {posixpath.dirname(deep[0])} for the mount, owned by root, and the "
                "user cannot write in it later"
            )
        removed |= cleanup
        edits += options + operand_edits
        mounts += [t for t in targets if not any(common.inside(t.target, m) for m in mounted)]
        cached.append(manager)
    if not mounts:
        if skipped:
            return _Plan((), (), Safety.DISPLAY_ONLY, "no cache mount: " + "; ".join(skipped))
        return None
    edits += [
        (start, end, "")
        for start, end in cleanups.removal_spans(
            tree, run, script, removed, cleanups.errexit_possible(tree, stage, site, script)
        )
        or ()
    ]
    status = cleanups.status_kept_by(script, removed)
    if status is not None:
        safety = min(safety, Safety.UNSAFE)
        notes.append(status)
    message = f"cache {', '.join(cached)} downloads in " + ", ".join(m.target for m in mounts)
    if edits:
        message += (
            " (cache clean-up commands and --no-cache options are removed: the mount keeps the cache out of the image)"
        )
    if notes:
        message += "; " + "; ".join(notes)
    if skipped:
        message += "; not cached: " + "; ".join(skipped)
    return _Plan(tuple(mounts), tuple(cleanups.dedupe(edits)), safety, message, prepares_apt)


# Docker's recipe: Debian images delete downloaded packages after each install (docker-clean); keep them,
# in the cache mount, so the next build does not download them again.
_APT_PREPARE: Final = (
    "rm -f /etc/apt/apt.conf.d/docker-clean; "
    "echo 'Binary::apt::APT::Keep-Downloaded-Packages \"true\";' > /etc/apt/apt.conf.d/keep-cache"
)


def _has_update(invs: list[Invocation]) -> bool:
    return any(i.role == "update" for i in invs)


def _apt_stage_ok(tree: Dockerfile, stage: Stage) -> bool:
    """apt cache mounts hide /var/lib/apt from the image: every apt RUN of the stage must refresh its lists."""
    for ins in stage.body:
        if not isinstance(ins, Run):
            continue
        script = _managers.run_script(tree, ins)
        if script is None:
            if "apt" in tree.view(ins).args_text:
                return False
            continue
        apt = [i for i in script.invocations if i.manager == "apt"]
        if apt and not _has_update(apt) and any(i.role == "add" for i in apt):
            return False
    return True

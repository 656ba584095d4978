"""The ``split-stages`` transform (``SplitStages``) and the splitter it runs on the single stage: which ecosystem
the stage builds, which plan follows from it (``interpreted``, ``programs``), and the edit composed from the plan:
the builder named, the runtime stage's instructions written in the file's style after the build, a refusal shown
as advice."""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import ClassVar, Final

from dockmod.context import Context
from dockmod.cst import (
    Add,
    Arg,
    Cmd,
    Copy,
    Dockerfile,
    Entrypoint,
    Env,
    Expose,
    From,
    Generic,
    Healthcheck,
    Instruction,
    Label,
    Onbuild,
    Run,
    Stage,
    User,
    Workdir,
)
from dockmod.cst.edit import splice_args, split_leading
from dockmod.cst.nodes import Node
from dockmod.transforms import _stages
from dockmod.transforms._base import Fix, Safety
from dockmod.transforms.split_stages import common, interpreted, programs

# Instructions the runtime stage repeats from the builder part: they configure the image, not the build.
_REPEATED: Final = (Arg, Env, Label, Workdir, User, Cmd, Entrypoint, Healthcheck, Expose, Onbuild)
_REPEATED_GENERIC: Final = frozenset({"VOLUME", "STOPSIGNAL", "SHELL", "MAINTAINER"})


@dataclass(frozen=True)
class SplitStages:
    """Split a single-stage build into a builder stage and a runtime stage that copies only what runs."""

    name: ClassVar[str] = "split-stages"
    summary: ClassVar[str] = "build in a builder stage; the runtime stage gets only the program and what it needs"
    safety: ClassVar[Safety] = Safety.UNSAFE

    # Paths in the builder the runtime stage copies (absolute, or relative to the folder the build runs in):
    # they replace what dockmod would find. Each is copied to the same path.
    artifacts: Sequence[str] = ()
    # The runtime stage's image (``eclipse-temurin:21-jre``, ``debian:bookworm-slim``); default: the base the
    # build uses, so everything the program links against is still there.
    runtime_base: str = ""
    # ``distroless`` or ``scratch``: the runtime for a Go binary built with CGO_ENABLED=0 (needs an exec-form
    # start command and no RUN in the runtime stage).
    static_runtime: str = ""

    def __post_init__(self) -> None:
        # Configuration files give a list; the option is kept as an immutable tuple (the dataclass is frozen).
        object.__setattr__(self, "artifacts", tuple(str(a) for a in self.artifacts))

    def check(self, tree: Dockerfile, ctx: Context) -> Iterator[Fix]:
        stages = tree.stages
        if len(stages) != 1:
            return  # already split (or nothing to split): the stages were chosen by a person
        fix = _Splitter(tree, stages[0], ctx.build, self).fix()
        if fix is not None:
            yield fix


# ---------------------------------------------------------------------------------------------------------


class _Splitter(interpreted.Interpreted, programs.Compiled):
    """The split of one stage: its ecosystem, the plan for it, and the edit."""

    # -- entry point ------------------------------------------------------------------------------------

    def fix(self) -> Fix | None:
        if _stages.is_scratch(self.tree, self.stage) or not self.stage.base:
            return None
        ecosystem = self._ecosystem()
        if ecosystem is None:
            return None
        try:
            plan = self._plan(ecosystem)
        except common.Refusal as refusal:
            anchor = self.stage.node
            return Fix(
                message=f"not split into builder and runtime stages: {refusal}",
                safety=Safety.DISPLAY_ONLY,
                replace={anchor: (anchor,)},
            )
        return self._compose(plan)

    def _ecosystem(self) -> common.Ecosystem | None:
        """The toolchain whose build the stage runs; None when it builds nothing dockmod splits."""
        found: list[common.Ecosystem] = []
        for step in self.steps:
            for inv in step.script.invocations if step.script is not None else ():
                kind = common.build_kind(inv)
                if kind is not None and kind not in found:
                    found.append(kind)
        compiled = [k for k in found if k in ("go", "rust", "java")]
        if len(compiled) > 1:
            return None  # several toolchains build programs: which one runs is a person's call
        if compiled:
            return compiled[0]
        if "node" in found:
            return "node"
        if self._python_build_packages():
            return "python"
        return None

    def _plan(self, ecosystem: common.Ecosystem) -> common.Plan:
        entry = self._entry()
        if entry is None:
            raise common.Refusal("the stage has no CMD or ENTRYPOINT, so what the image runs is unknown")
        if ecosystem == "node":
            plan = self._node(entry)
        elif ecosystem == "python":
            plan = self._python(entry)
        else:
            plan = self._compiled(ecosystem, entry)
        self._check_tail(plan)
        self._check_side_effects(plan)
        return plan

    # -- composing the fix ----------------------------------------------------------------------------

    def _compose(self, plan: common.Plan) -> Fix:
        plan = replace(plan, artifacts=(*plan.artifacts, *self._touched(plan)))
        tree = self.tree
        body = self.body
        from_node = self.stage.node
        builder = _unique_name(self.stage)
        as_word = "as" if from_node.keyword.islower() else "AS"  # FromAsCasing: AS cased like FROM
        like = body[plan.build_end]
        runtime: list[Instruction] = [self._runtime_from(plan, from_node, as_word)]
        for step in self.steps[: plan.build_end + 1]:
            node = step.node
            if plan.packages is not None and step.index == plan.packages.first and plan.packages.keep:
                runtime.append(tree.new(Run, _package_run(plan.packages), like=like))
            if (
                isinstance(node, _REPEATED)
                or (isinstance(node, Generic) and node.name in _REPEATED_GENERIC)
                or (isinstance(node, Run) and self._runtime_run(step, plan) == "copy")
                or (isinstance(node, Copy | Add) and step.index in plan.replay and not plan.install)
            ):
                runtime.append(replace(node, leading=""))
        for cls, text in plan.install:
            runtime.append(tree.new(cls, text, like=like))
        if plan.install:
            runtime += [replace(self.steps[k].node, leading="") for k in sorted(plan.replay)]
        workdir = self._state_at(plan.build_end).workdir
        runtime += [tree.new(Copy, _copy_text(builder, a, workdir), like=like) for a in plan.artifacts]
        if plan.env_after is not None:
            runtime.append(tree.new(Env, plan.env_after, like=like))
        runtime = _drop_unused_args(tree, runtime, body[plan.build_end + 1 :])

        # Every instruction of the stage is a key: the split is one atomic edit, and the other transforms
        # look at the two stages in the next pass instead of editing the single stage under it.
        replace_map: dict[Node, tuple[Node, ...]] = {}
        for index, node in enumerate(body):
            kept: Instruction = node
            made: list[Instruction] = []
            if plan.builder_prelude is not None and plan.builder_prelude[0] == index:
                blank, comments = split_leading(node.leading)
                made = [tree.new(cls, text, like=node) for cls, text in plan.builder_prelude[1]]
                made[0] = made[0].with_leading(blank)
                kept = node.with_leading(comments)
            after: list[Instruction] = []
            if index == plan.build_end:
                if not node.newline and not node.heredocs:
                    # The build is the file's last line and has no line ending: the runtime stage ends the file
                    # that way instead.
                    kept = replace(kept, newline=tree.newline)
                    runtime[-1] = replace(runtime[-1], newline="")
                after = runtime
            replace_map[node] = (*made, kept, *after)
        replace_map[from_node] = (_named_from(tree, from_node, builder, as_word),)
        base = plan.base or self.stage.base
        message = f"split into a `{builder}` stage and a runtime stage on {base} that gets {plan.summary}"
        reasons = list(plan.unsafe)
        argument = _stages.workdir_argument(tree, (self.stage,))
        if argument is not None:
            # COPY --from names the builder's paths as the default makes them (a real build with another
            # --build-arg APP_DIR failed: no such file or directory).
            reasons.append(
                f"the copies between the stages use ARG {argument}'s default; another --build-arg breaks them"
            )
        message += "; unsafe: " + "; ".join(dict.fromkeys(reasons))
        return Fix(message=message, safety=Safety.UNSAFE, replace=replace_map)

    def _runtime_from(self, plan: common.Plan, from_node: From, as_word: str) -> From:
        nl = self.tree.newline
        if plan.base is None:
            return replace(from_node, leading=nl)
        view = self.tree.view(from_node)
        flags = " ".join(f.text for f in view.flags)
        name = f" {as_word} {self.stage.name}" if self.stage.name else ""
        return self.tree.new(From, f"{flags} {plan.base}{name}".strip(), like=from_node, leading=nl)


# ---------------------------------------------------------------------------------------------------------
# Small helpers


def _package_run(packages: common.Packages) -> str:
    names = " ".join(packages.keep)
    if packages.manager == "apk":
        return f"apk add --no-cache {names}"
    options = [o for o in packages.options if o in ("-y", "--yes", "-qq", "-q", "--no-install-recommends",
                                                    "--assume-yes", "-yq", "-qy")]  # fmt: skip
    if not any(o in ("-y", "--yes", "--assume-yes", "-yq", "-qy") for o in options):
        options.insert(0, "-y")
    return f"apt-get update && apt-get install {' '.join(options)} {names} && rm -rf /var/lib/apt/lists/*"


def _copy_text(builder: str, art: common.Artifact, workdir: str) -> str:
    flags = [f"--from={builder}"]
    if art.chown:
        flags.append(f"--chown={art.chown}")
    if art.more:
        # Several files into one folder, as the original COPY wrote them (DL3021: the folder ends in /).
        dest = common.dest_in(art.dest.rstrip("/"), workdir)
        return " ".join([*flags, *(_quote_path(p) for p in (art.source, *art.more)), _quote_path(dest)])
    if "*" in posixpath.basename(art.source):
        # A glob may match several files: the destination is their folder, written with a slash (DL3021).
        dest = common.dest_in(posixpath.dirname(art.dest.rstrip("/")), workdir)
    else:
        # A folder copied onto a folder path copies its contents there, like a file onto a file path.
        path = art.dest.rstrip("/") or "/"
        dest = path if path == "/" else ("." if path == workdir else _relative_dest(path, workdir))
    source = art.source.rstrip("/") or "/"
    return " ".join([*flags, _quote_path(source), _quote_path(dest)])


def _relative_dest(path: str, workdir: str) -> str:
    return "./" + path[len(workdir.rstrip("/")) + 1 :] if common.inside(path, workdir) else path


def _quote_path(path: str) -> str:
    return path if not re.search(r"\s", path) else json.dumps(path)


def _unique_name(stage: Stage) -> str:
    taken = {stage.name.lower()} if stage.name else set()
    for name in ("builder", "build", "compile"):
        if name not in taken:
            return name
    return "builder-stage"


def _named_from(tree: Dockerfile, node: From, name: str, as_word: str) -> From:
    """The FROM with ``AS name`` added, or its name replaced (the runtime stage keeps the old one)."""
    view = tree.view(node)
    text = view.args_text
    if len(view.args) == 3 and view.args[1].lower() == "as":
        stripped = text.rstrip()
        start = stripped.rfind(view.args[2])
        return splice_args(tree, node, [(start, len(stripped), name)])
    end = len(text.rstrip())
    return splice_args(tree, node, [(end, end, f" {as_word} {name}")])


_VAR_USE = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")


def _drop_unused_args(tree: Dockerfile, runtime: list[Instruction], tail: Sequence[Instruction]) -> list[Instruction]:
    """Keep a repeated ARG only when a runtime instruction uses it (BuildKit scopes ARG to its stage)."""
    used: set[str] = set()
    for node in (*runtime, *tail):
        if not isinstance(node, Arg):
            used |= set(_VAR_USE.findall(node.code))
    return [
        node for node in runtime
        if not isinstance(node, Arg) or {w.split("=", 1)[0] for w in tree.view(node).args} & used
    ]  # fmt: skip

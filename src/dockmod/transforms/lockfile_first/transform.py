"""``LockfileFirst`` and the plan of each stage's edit: the source copy (a COPY/ADD of the whole build context or
of a folder of it), the first RUN below it that installs from what it brings, and the fix: COPY lines of the
manifests and the files the install reads, the install, then the source copy; or a display-only fix that says why
the install stays where it is."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import ClassVar

from dockmod.context import BuildContext, Context
from dockmod.cst import Add, Copy, Dockerfile, Instruction, Run, Stage
from dockmod.cst.edit import split_leading
from dockmod.transforms import _stages
from dockmod.transforms._base import Fix, Safety
from dockmod.transforms._managers import Manager
from dockmod.transforms._stages import State
from dockmod.transforms.lockfile_first import common, projects, reads, reorder


@dataclass(frozen=True)
class LockfileFirst:
    """Copy manifests and lockfiles, install, then copy the sources."""

    name: ClassVar[str] = "lockfile-first"
    summary: ClassVar[str] = "copy manifests and lockfiles before the sources so the install layer stays cached"
    safety: ClassVar[Safety] = Safety.SAFE

    def check(self, tree: Dockerfile, ctx: Context) -> Iterator[Fix]:
        for stage in tree.stages:
            fix = _stage_fix(tree, stage, ctx.build)
            if fix is not None:
                yield fix


def _stage_fix(tree: Dockerfile, stage: Stage, build: BuildContext) -> Fix | None:
    body = list(_stages.walk(tree, stage))
    done: set[tuple[Manager, str]] = set()  # (manager, project folder) installed before any source copy
    for ci, (node, state) in enumerate(body):
        source = _source_copy(tree, node, state, build) if isinstance(node, Copy | Add) else None
        if source is None:
            if isinstance(node, Run):
                done |= reads.installs(tree, node, state)
            continue
        for ri in range(ci + 1, len(body)):
            run, run_state = body[ri]
            if not isinstance(run, Run):
                continue
            target = reads.target(tree, run, run_state, source, build, done)
            if target is None:
                continue
            return _fix(tree, source, (run, run_state), target, body[ci + 1 : ri], build, body[:ci])
        return None
    return None


def _source_copy(tree: Dockerfile, node: Copy | Add, state: State, build: BuildContext) -> common.Source | None:
    view = tree.view(node)
    if view.flag("from") is not None or view.json or len(view.args) != 2:
        return None
    if any(f.name in ("parents", "exclude") for f in view.flags):
        return None
    src, dest = view.args
    if "$" in src or "$" in dest:
        return None  # a variable could be redefined between the copy and the install
    root = posixpath.normpath(src.lstrip("/"))
    if root == ".":
        root = ""
    elif not (src.endswith("/") or build.is_dir(root)) or "*" in root:
        return None
    return common.Source(node, root, dest, _stages.join(state.workdir, dest))


# ---------------------------------------------------------------------------------------------------------


def _fix(
    tree: Dockerfile,
    source: common.Source,
    install: tuple[Run, State],
    target: common.Target,
    between: Sequence[tuple[Instruction, State]],
    build: BuildContext,
    earlier: Sequence[tuple[Instruction, State]] = (),
) -> Fix:
    run, run_state = install

    def display(message: str) -> Fix:
        return Fix(message=message, safety=Safety.DISPLAY_ONLY, replace={run: (run,)})

    copy_text = _copy_text(tree, source.node)
    for ins, state in between:
        problem = reorder.blocks_move(tree, ins, source, reorder.Where(source, state), build)
        if problem is not None:
            return display(f"not moved above `{copy_text}`: {problem}")

    files: list[str] = []
    reasons: list[str] = []
    missing: list[str] = []
    files += target.configs
    for manager, project in target.projects:
        wanted, unsafe, absent = projects.manifests(manager, project, target, source, build)
        files += wanted
        reasons += unsafe
        missing += absent
    if missing:
        return display(f"not moved: {', '.join(missing)}")
    files += reads.named_elsewhere(tree, source, install, target, build, earlier)
    split = reorder.split_run(tree, run, target, reorder.Where(source, run_state), build)
    if split is None:
        return display(
            "not moved: the RUN also runs commands that may need the sources, in a form dockmod cannot split"
        )
    before, after, extra_unsafe = split
    reasons += extra_unsafe
    reasons += target.hazards
    reasons += reads.build_args(tree, target, [*earlier, *between], run_state)
    if any(common.kind(i) == "pip" for i in target.invocations):
        reasons += reads.written_settings(tree, earlier)

    copies = _manifest_copies(tree, source, files)
    blank, comments = split_leading(source.node.leading)
    copies[0] = copies[0].with_leading(blank)
    moved = source.node.with_leading(comments)
    replacement_copy: tuple[Instruction, ...] = tuple(copies)
    tail = (*before, moved, *after)
    # As the user wrote it: ``uv pip`` installs pip's files but is not pip.
    managers = ", ".join(dict.fromkeys("uv pip" if i.sub.startswith("pip ") else i.manager for i in target.invocations))
    names = ", ".join(dict.fromkeys(files))
    message = f"copy {names} and install ({managers}) before `{copy_text}`, so source changes keep the install layer"
    safety = Safety.SAFE
    if reasons:
        safety = Safety.UNSAFE
        message += "; unsafe: " + "; ".join(dict.fromkeys(reasons))
    return Fix(message=message, safety=safety, replace={source.node: replacement_copy, run: tail})


def _copy_text(tree: Dockerfile, node: Instruction) -> str:
    view = tree.view(node)
    return f"{view.keyword} {view.args_text}"


def _manifest_copies(tree: Dockerfile, source: common.Source, files: list[str]) -> list[Instruction]:
    """``COPY <files> <dest>/`` lines: one for the files of each folder, one per copied folder."""
    flags = "".join(
        f.raw
        for f, v in zip(source.node.flags, tree.view(source.node).flags, strict=False)
        if v.name in ("chown", "chmod", "link")
    )
    groups: dict[str, list[str]] = {}
    folders: list[str] = []
    for f in dict.fromkeys(files):
        if f.endswith("/"):
            folders.append(f)
        else:
            groups.setdefault(posixpath.dirname(f), []).append(f)
    out: list[Instruction] = []
    dest_root = source.dest.rstrip("/") or "/"
    like = source.node
    for folder, names in groups.items():
        rel = _relative_to_root(folder, source.root)
        dest = _dest(dest_root, rel)
        srcs = " ".join(names)
        out.append(tree.new(Copy, f"{flags.strip()} {srcs} {dest}".strip(), like=like))
    for folder in folders:
        rel = _relative_to_root(folder.rstrip("/"), source.root)
        text = f"{flags.strip()} {folder} {_dest(dest_root, rel)}".strip()
        out.append(tree.new(Copy, text, like=like))
    return out


def _relative_to_root(path: str, root: str) -> str:
    if not root:
        return path
    return posixpath.relpath(path, root) if path else ""


def _dest(dest_root: str, rel: str) -> str:
    rel = "" if rel in (".", "") else rel
    if dest_root == ".":
        return f"./{rel}/" if rel else "./"
    base = dest_root if dest_root != "/" else ""
    return f"{base}/{rel}/" if rel else f"{base}/"

"""``pin-images``: append the digest a tag resolves to now, keeping the user's text.

``FROM node:18-slim`` becomes ``FROM node:18-slim@sha256:<index digest>``; ``COPY --from=<image>``,
``RUN --mount=from=<image>`` and, on request, the ``# syntax=`` frontend are pinned the same way. The digests
come from ``ctx.resolver`` (the CLI's registry client, lock file and cache); the transform itself never
touches the network. See ``transforms/pin-images.md``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import ClassVar, Literal

from dockmod import imageref
from dockmod.context import Context, ImageResolver
from dockmod.cst import Arg, Copy, Directive, Dockerfile, Flag, From, Instruction, Node, Run
from dockmod.cst.edit import splice_args
from dockmod.imageref import ImageRef
from dockmod.transforms._base import Fix, Safety

SiteKind = Literal["from", "copy-from", "mount-from", "arg", "syntax"]


@dataclass(frozen=True, slots=True)
class Site:
    """A place in the file that names an image."""

    node: Node  # the instruction (or directive) to edit
    kind: SiteKind
    text: str  # the reference as written there
    ref: ImageRef | None  # None when it cannot be pinned (see ``problem``)
    problem: str | None = None  # why not: an unresolved variable, an invalid reference
    flag: Flag | None = None  # the flag that holds it (COPY --from, RUN --mount)
    via: str | None = None  # the FROM line an ARG default is pinned for


@dataclass(frozen=True)
class PinImages:
    """Pin image references to their current digests through the injected resolver."""

    name: ClassVar[str] = "pin-images"
    summary: ClassVar[str] = "pin base images to the digest their tag resolves to (asks the registry)"
    safety: ClassVar[Safety] = Safety.SAFE
    network: ClassVar[bool] = True  # runs only when selected: it needs a resolver

    concretize: bool = False  # replace a floating tag by the most specific tag with the same digest
    update: bool = False  # re-resolve references that already carry a digest
    syntax: bool = False  # also pin the ``# syntax=`` frontend image

    def check(self, tree: Dockerfile, ctx: Context) -> Iterator[Fix]:
        resolver = ctx.resolver
        if resolver is None:
            return
        for site in sites(tree, syntax=self.syntax):
            fix = self._fix(tree, site, resolver)
            if fix is not None:
                yield fix

    def wanted(self, site: Site) -> ImageRef | None:
        """The reference to resolve for ``site`` (None: leave it alone)."""
        ref = site.ref
        if ref is None or (ref.digest is not None and ref.tag is None):
            return None  # digest-only references are already exact
        if ref.digest is not None:
            return ref.with_digest(None) if self.update else None
        return ref

    def _fix(self, tree: Dockerfile, site: Site, resolver: ImageResolver) -> Fix | None:
        if site.problem is not None:
            return _display(site, f"not pinned: {site.text}: {site.problem}")
        ref = self.wanted(site)
        if ref is None:
            return None
        tag = ref.tag
        note = ""
        if self.concretize and ref.effective_tag is not None:
            found = resolver.concretize(ref)
            if found.error is not None:
                return _failure(site, found.error.kind, found.error.message)
            digest = found.digest
            if found.tag is not None:
                tag = found.tag
            elif found.note:
                note = f" ({found.note})"
        else:
            resolution = resolver.resolve(ref)
            if resolution.error is not None:
                return _failure(site, resolution.error.kind, resolution.error.message)
            digest = resolution.digest
        assert digest is not None
        if site.ref is not None and site.ref.digest == digest and tag == site.ref.tag:
            return None  # already pinned to the current digest
        new_text = ref.spelled(tag=tag, digest=digest)
        edited = _edit(tree, site, new_text)
        if edited is None:
            return _display(site, f"not pinned: cannot edit {site.text} in place")
        verb = "update the digest of" if site.ref is not None and site.ref.digest else "pin"
        where = f" (ARG default used by {site.via})" if site.via else ""
        message = f"{verb} {site.text}{where} to {new_text}{note}"
        return Fix(message=message, safety=Safety.SAFE, replace={site.node: (edited,)})


def _display(site: Site, message: str) -> Fix:
    return Fix(message=message, safety=Safety.DISPLAY_ONLY, replace={site.node: (site.node,)})


def _failure(site: Site, kind: str, message: str) -> Fix:
    if kind == "offline":
        # --offline reports what the lock file and cache do not know, without failing the run.
        return _display(site, f"not pinned (offline): {message}")
    return Fix(
        message=f"cannot pin: {message}", safety=Safety.DISPLAY_ONLY, replace={site.node: (site.node,)}, error=True
    )


# -- finding the references ------------------------------------------------------------------------------


def sites(tree: Dockerfile, *, syntax: bool = False) -> list[Site]:
    """Every image reference of the file, in order."""
    out: list[Site] = []
    if syntax:
        directive = tree.directive("syntax")
        if directive is not None:
            out.append(_site(directive, "syntax", directive.value.split(" ", 1)[0]))
    stage_names: set[str] = set()
    global_args = set(tree.global_args)
    for ins in tree.instructions:
        view = tree.view(ins)
        if isinstance(ins, From) and view.args:
            image = view.args[0]
            if image.lower() not in stage_names and image.lower() != "scratch":
                out.append(_from_site(tree, ins, image, global_args))
            if len(view.args) == 3 and view.args[1].lower() == "as":
                stage_names.add(view.args[2].lower())
        elif isinstance(ins, Copy | Run):
            for flag, fv in zip(ins.flags, view.flags, strict=False):
                if isinstance(ins, Copy) and fv.name == "from" and fv.value:
                    value = fv.value
                    if not value.isdigit() and value.lower() not in stage_names:
                        out.append(_site(ins, "copy-from", value, flag=flag))
                elif isinstance(ins, Run) and fv.name == "mount" and fv.value:
                    value = fv.options.get("from", "")
                    if value and not value.isdigit() and value.lower() not in stage_names:
                        out.append(_site(ins, "mount-from", value, flag=flag))
    return out


def _site(node: Node, kind: SiteKind, text: str, *, flag: Flag | None = None) -> Site:
    if "$" in text:
        return Site(node, kind, text, None, "it uses a variable", flag=flag)
    try:
        return Site(node, kind, text, imageref.parse(text), flag=flag)
    except imageref.InvalidReference as e:
        return Site(node, kind, text, None, f"not a valid image reference ({e})", flag=flag)


_WHOLE_VARIABLE = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")


def _from_site(tree: Dockerfile, node: From, image: str, global_args: set[Arg]) -> Site:
    """A FROM image; ``FROM ${BASE}`` pins the default of a global ``ARG BASE=...`` used nowhere else."""
    if "$" not in image:
        return _site(node, "from", image)
    m = _WHOLE_VARIABLE.fullmatch(image)
    if m is None:
        return Site(node, "from", image, None, "it uses a variable inside the reference")
    name = m.group(1) or m.group(2)
    declared = [a for a in global_args if any(w.split("=", 1)[0] == name for w in tree.view(a).args)]
    if len(declared) != 1:
        return Site(node, "from", image, None, f"no single global ARG {name} declares its default")
    arg = declared[0]
    words = [w for w in tree.view(arg).args if w.split("=", 1)[0] == name]
    if len(tree.view(arg).args) != 1 or "=" not in words[0]:
        return Site(node, "from", image, None, f"ARG {name} has no default, or declares other variables too")
    value = _unquote(words[0].split("=", 1)[1])
    users = [i for i in tree.instructions if i is not arg and _uses(tree, i, name)]
    if users != [node]:
        return Site(
            node, "from", image, None, f"ARG {name} is used elsewhere too; pinning its default would change that"
        )
    site = _site(arg, "arg", value)
    return replace(site, via=f"FROM {image}")


def _uses(tree: Dockerfile, ins: Instruction, name: str) -> bool:
    return any(m.group(1) == name or m.group(2) == name for m in _WHOLE_VARIABLE.finditer(tree.view(ins).logical))


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


# -- editing --------------------------------------------------------------------------------------------


def _edit(tree: Dockerfile, site: Site, new: str) -> Node | None:
    node = site.node
    if isinstance(node, Directive):
        start = node.text.rfind(site.text)
        return (
            None
            if start < 0
            else Directive(text=node.text[:start] + new + node.text[start + len(site.text) :], newline=node.newline)
        )
    assert isinstance(node, Instruction)
    if site.kind == "from":
        text = tree.view(node).args_text
        return splice_args(tree, node, [(0, len(site.text), new)]) if text.startswith(site.text) else None
    if site.kind == "arg":
        text = tree.view(node).args_text
        start = text.find(site.text, text.find("=") + 1)
        return None if start < 0 else splice_args(tree, node, [(start, start + len(site.text), new)])
    flag = site.flag
    assert flag is not None
    key = "--from=" if site.kind == "copy-from" else "from="
    start = flag.raw.find(key + site.text)
    if start < 0:
        return None  # quoted or escaped in a way a plain replacement would not keep
    start += len(key)
    raw = flag.raw[:start] + new + flag.raw[start + len(site.text) :]
    flags = tuple(Flag(raw=raw) if f is flag else f for f in node.flags)
    return replace(node, flags=flags)

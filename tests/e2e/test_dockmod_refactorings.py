"""End-to-end: dockmod's own output, built and run.

Every transform (unsafe fixes included, pin-images against the suite's local registry) refactors each
generated application's legacy Dockerfile; :func:`dockmod.verify.verify` then builds the original and the
refactored file with buildah and checks what issue 3 asks: both build, the smoke outputs match, CMD, ENTRYPOINT,
WORKDIR and ports are kept, the image runs as a non-root user, it is not larger, and after a source-only change
the rebuild reuses the dependency-install layer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from dockmod import engine, imageref
from dockmod import verify as verifying
from dockmod.cli import main
from dockmod.context import Context, DirectoryContext
from dockmod.imageref import ImageRef
from dockmod.registry.client import RegistryClient
from dockmod.registry.resolver import Resolver
from dockmod.registry.types import Concretization, Resolution
from dockmod.transforms import TransformConfig, build_transforms
from dockmod.transforms._base import Safety
from dockmod.verify import VerifyOptions
from e2e.conftest import USER_LAYER_ALLOWANCE, E2EEnv, app, assert_kept_and_not_root

pytestmark = pytest.mark.e2e


@dataclass(frozen=True)
class LocalHub:
    """Resolves Docker Hub references against the suite's registry, which serves docker.io to buildah."""

    env: E2EEnv
    resolver: Resolver

    def _local(self, ref: ImageRef) -> ImageRef:
        return imageref.parse(self.env.local_reference(ref.familiar))

    def resolve(self, ref: ImageRef) -> Resolution:
        found = self.resolver.resolve(self._local(ref))
        return Resolution(ref, digest=found.digest, source=found.source, error=found.error)

    def resolve_many(self, refs: Iterable[ImageRef]) -> Mapping[ImageRef, Resolution]:
        return {ref: self.resolve(ref) for ref in refs}

    def concretize(self, ref: ImageRef) -> Concretization:
        return Concretization(ref, self.resolve(ref).digest, note="not used here")


@dataclass(frozen=True, slots=True)
class Case:
    app: str
    expect_faster: bool  # the install dominates the rebuild, so skipping it must show in the time
    expect_smaller: bool  # split into stages: the runtime image leaves the build's sources and caches behind


CASES = (
    Case("express", expect_faster=False, expect_smaller=False),
    Case("django", expect_faster=True, expect_smaller=False),
    Case("go", expect_faster=False, expect_smaller=False),
    Case("maven", expect_faster=False, expect_smaller=True),
)


def size(image: verifying.ImageReport) -> int | None:
    return image.info.size_bytes if image.info is not None else None


def refactor(env: E2EEnv, name: str) -> engine.Changed:
    subject = app(name)
    with RegistryClient() as client:
        hub = LocalHub(env, Resolver(client))
        ctx = Context(build=DirectoryContext(subject.context), path=name, resolver=hub)
        outcome = engine.refactor(subject.dockerfile, build_transforms(TransformConfig()), ctx, threshold=Safety.UNSAFE)
    assert isinstance(outcome, engine.Changed), outcome
    return outcome


@pytest.mark.parametrize("case", CASES, ids=[c.app for c in CASES])
def test_dockmod_output_is_proven(e2e_env: E2EEnv, case: Case) -> None:
    subject = app(case.app)
    outcome = refactor(e2e_env, case.app)
    applied = {f.transform for f in outcome.fixes if f.applied}
    assert {"lockfile-first", "cache-mounts", "add-user", "pin-images"} <= applied, outcome.fixes
    assert "@sha256:" in outcome.after
    options = VerifyOptions(smoke=subject.smoke(), intended=frozenset({"User"}))
    report = verifying.verify(
        outcome.before,
        outcome.after,
        subject.context,
        builder=e2e_env.buildah,
        options=options,
        after_files={k: v.after for k, v in outcome.files.items()},
    )
    before, after = report.before, report.after
    rebuild = report.rebuild
    e2e_env.summarise(
        f"dockmod {case.app} ({', '.join(sorted(applied))}): size {size(before)} -> {size(after)} bytes; "
        + (
            f"rebuild {rebuild.before.duration_s:.1f} s -> {rebuild.after.duration_s:.1f} s, install cached "
            f"{rebuild.before_install_cached} -> {rebuild.after_install_cached}"
            if rebuild
            else "no rebuild"
        )
    )
    assert report.ok, report.problems
    assert before.info is not None
    assert after.info is not None
    assert_kept_and_not_root(before.info, after.info)
    size_before, size_after = size(before), size(after)
    assert size_before is not None
    assert size_after is not None
    limit = size_before - 1 if case.expect_smaller else size_before + USER_LAYER_ALLOWANCE
    assert size_after <= limit
    assert rebuild is not None
    assert rebuild.after_install_cached is True
    assert rebuild.before_install_cached is not True
    if case.expect_faster:
        assert rebuild.after.duration_s < rebuild.before.duration_s


def test_verify_command(e2e_env: E2EEnv, monkeypatch: pytest.MonkeyPatch) -> None:
    """``dockmod verify`` on the command line, with the suite's buildah as the machine's builder."""
    monkeypatch.setattr(verifying, "find_builder", lambda prefer="auto": e2e_env.buildah)
    context = app("go").context
    result = CliRunner().invoke(main, ["verify", "--unsafe", "--no-rebuild", str(Path(context) / "Dockerfile")])
    assert result.exit_code == 0, result.output
    assert "proven with buildah" in result.stdout
    assert "config (intended) User" in result.stdout

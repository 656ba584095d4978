"""What each transform does to the real Dockerfiles of the shared corpus, and how it compares with what the
projects' maintainers later did by hand.

For ``apps/`` and ``legacy/`` (build contexts recreated from ``context-files.txt``), per transform run alone at
the unsafe threshold: files changed, fixes applied by safety, places only reported (display-only advice,
with its most common reasons). For ``legacy/`` files whose maintainers later rewrote them
(``maintainer-latest.Dockerfile``): where the maintainers reached a shape by hand (manifests copied before the
install, cache mounts, several stages, a non-root USER), does dockmod's output reach it too?

    python bench/corpus_report.py
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from dockmod import engine, parse
from dockmod.context import Context
from dockmod.cst import ParseError, User
from dockmod.transforms import ALL, TransformConfig, build_transforms
from dockmod.transforms._base import Safety
from support.corpus import CORPUS, CorpusCase, HashResolver, cases

SHAPES = {
    "lockfile-first": "manifests copied before the install",
    "cache-mounts": "a cache mount",
    "split-stages": "several stages",
    "add-user": "a non-root USER",
}


def run(case: CorpusCase, names: tuple[str, ...], text: str | None = None) -> engine.Outcome:
    ctx = Context(build=case.context, path=case.name, resolver=HashResolver())
    transforms = build_transforms(TransformConfig(select=names))
    return engine.refactor(text if text is not None else case.text, transforms, ctx, threshold=Safety.UNSAFE)


def has_shape(case: CorpusCase, name: str, text: str) -> bool | None:
    """Whether ``text`` has the shape ``name`` aims for (None: the file does not parse)."""
    try:
        tree = parse(text)
    except ParseError:
        return None
    if name == "cache-mounts":
        return "type=cache" in text
    if name == "split-stages":
        return len(tree.stages) > 1
    if name == "add-user":
        stages = tree.stages
        users = [i for i in stages[-1].body if isinstance(i, User)] if stages else []
        return bool(users) and tree.view(users[-1]).args_text.strip() not in ("root", "0", "0:0", "root:root")
    outcome = run(case, (name,), text)
    # lockfile-first: no install left behind a whole-context copy (nothing it would move).
    return not (isinstance(outcome, engine.Changed | engine.Unchanged) and outcome.fixes)


def main() -> int:
    if not CORPUS.is_dir():
        print(f"no corpus at {CORPUS}", file=sys.stderr)
        return 2
    corpus = cases()
    print(f"{len(corpus)} Dockerfiles: {sum(c.set == 'apps' for c in corpus)} apps, "
          f"{sum(c.set == 'legacy' for c in corpus)} legacy")  # fmt: skip
    for transform in ALL:
        name = transform.name
        print(f"\n## {name}")
        for subset in ("apps", "legacy"):
            files = changed = 0
            applied: Counter[str] = Counter()
            advice: Counter[str] = Counter()
            for case in (c for c in corpus if c.set == subset):
                files += 1
                outcome = run(case, (name,))
                if isinstance(outcome, engine.Changed):
                    changed += 1
                for fix in getattr(outcome, "fixes", ()):
                    if fix.applied:
                        applied[fix.safety.label] += 1
                    elif fix.safety == Safety.DISPLAY_ONLY:
                        advice[_reason(fix.message)] += 1
            reported = sum(advice.values())
            print(f"{subset}: {changed}/{files} files changed; fixes applied: "
                  f"{applied['safe']} safe, {applied['unsafe']} unsafe; places only reported: {reported}")  # fmt: skip
            for reason, count in advice.most_common(6):
                print(f"    {count:4}  {reason}")
        if name not in SHAPES:
            continue
        gained = agreed = 0
        for case in corpus:
            if case.maintainer is None or has_shape(case, name, case.text) is not False:
                continue
            if not has_shape(case, name, case.maintainer):
                continue
            gained += 1
            outcome = run(case, (name,))
            after = outcome.after if isinstance(outcome, engine.Changed) else case.text
            agreed += bool(has_shape(case, name, after))
        print(f"maintainers later reached {SHAPES[name]} by hand in {gained} legacy files; dockmod reaches it in "
              f"{agreed} of them")  # fmt: skip
    return 0


def _reason(message: str) -> str:
    text = re.sub(r"`[^`]*`", "`...`", message)
    text = re.sub(r"\b[\w./-]+\.(?:json|lock|txt|toml|yaml|xml)\b", "<file>", text)
    return text[:110]


if __name__ == "__main__":
    raise SystemExit(main())

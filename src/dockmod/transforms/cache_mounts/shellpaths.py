"""A RUN's shell script read as paths: the absolute paths its words name, with the values the build and the
script give their variables (``Paths``: several where a branch sets one), what removing an operand removes
(``relation``, ``rm_operands``), each command together with those of the `sh -c` and `eval` strings it runs
(``each_command``), and the project file a command runs as a script. Apart because the clean-ups, the earlier
RUN lines and the later readers all read a RUN's commands through it."""

from __future__ import annotations

import itertools
import posixpath
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Final, Literal, NamedTuple

from dockmod.transforms import _shell, _stages
from dockmod.transforms.cache_mounts import common


@dataclass(frozen=True, slots=True)
class Paths:
    """The paths a RUN's commands name, made absolute: ``~`` and ``$HOME`` are the user's home, variables what the
    build and the script's own assignments before each command give them, relative paths start in the folder each
    command runs in (the WORKDIR, then each ``cd``)."""

    env: Mapping[str, str]  # the build's variables
    home: str | None
    folders: tuple[str | None, ...]  # the folder of each command, by index (None: unknown after a `cd`)
    # The script's own variables before each command, by index, each with the values it may have there: one after
    # a plain assignment, several after one in a branch, a subshell or a pipeline (which may not have run, or not in
    # this shell). `D=/root/.npm && npm ci && rm -rf $D && D=/tmp/build`: the rm removes the cache, whatever D is
    # last (a real build: "Device or resource busy" when all of a script's assignments were read as one).
    values: tuple[Mapping[str, tuple[str, ...]], ...]

    @classmethod
    def of(
        cls,
        script: _shell.Script,
        workdir: str | None,
        env: Mapping[str, str],
        home: str | None,
        values: Mapping[str, tuple[str, ...]] | None = None,
    ) -> Paths:
        """The paths of ``script``, run in ``workdir`` with the build's ``env`` (and ``values``, the variables the
        script is given: a `sh -c` string's, from the script around it)."""
        own: Mapping[str, tuple[str, ...]] = values or {}
        here = workdir
        blocks: list[tuple[_Scope, _Scope]] = []  # for each open block: the scope at its start, and its branches'
        folders: list[str | None] = []
        before: list[Mapping[str, tuple[str, ...]]] = []
        pushed: list[str | None] = []  # the folders pushd left, for popd
        for command, (events, sure) in zip(script.commands, _shell.flow(script), strict=True):
            for event in events:
                if event == "open":
                    blocks.append(((own, here), (own, here)))
                elif blocks:  # a branch or the block's end: what each branch (or none) left may follow
                    start, merged = blocks.pop()
                    merged = _either(merged, (own, here), env)
                    if event == "branch":
                        blocks.append((start, merged))
                    own, here = start if event == "branch" else merged
            folders.append(here)
            before.append(own)
            for name, value in _shell.variables_set(command):
                new = tuple(dict.fromkeys(cls(env, home, (here,), (own,)).expand(value, 0)))
                own = {**own, name: new if sure else tuple(dict.fromkeys(_values(own, name, env) + new))}
            loop = command.words
            if loop[:1] == ("for",) and len(loop) > 3 and loop[2] == "in":
                # `for d in /root/.npm /tmp/x; do rm -rf $d; done`: the variable takes each word (a real build's
                # loop removed the mount point).
                words = [v for w in loop[3:] for v in cls(env, home, (here,), (own,)).expand(w, 0)]
                own = {**own, loop[1]: tuple(dict.fromkeys(words))}
            argv = command.runs
            if argv[:1] in (("cd",), ("pushd",)):  # bash's pushd moves as cd does (`pushd /root && rm -rf .npm`)
                pushed += [here] if argv[0] == "pushd" else []
                went = cls(env, home, (here,), (own,)).resolve(argv[1], 0) if len(argv) == 2 else home
                here = went if sure else None  # after `||` or in a pipeline: the folder after it is unsure
            elif argv[:1] == ("popd",):
                here = pushed.pop() if pushed and sure else None  # back where pushd left
        return cls(env, home, tuple(folders), tuple(before))

    def nested(self, k: int, script: _shell.Script) -> Paths:
        """The paths of ``script``, a `sh -c` string the command at ``k`` runs: in that command's folder, with the
        variables it has there."""
        return Paths.of(script, self.folders[k], self.env, self.home, self.values[k])

    def variants(self, word: str, k: int) -> list[Mapping[str, str]]:
        """The variables ``word`` may see at the command ``k``: one mapping for each combination of the values the
        script's own variables it names may have there."""
        own = self.values[k] if k < len(self.values) else {}
        base = _stages.overlay(self.env, {n: v[0] for n, v in own.items() if len(v) == 1})
        several = [(n, own[n]) for n in sorted(set(re.findall(r"\$\{?(\w+)", word))) if len(own.get(n, ())) > 1]
        if not several:
            return [base]
        combinations = itertools.islice(itertools.product(*(v for _, v in several)), _MAX_VARIANTS)
        return [_stages.overlay(base, dict(zip((n for n, _ in several), c, strict=True))) for c in combinations]

    def expand(self, value: str, k: int) -> list[str]:
        """An assignment's ``value`` at the command ``k``, as the shell stores it (`~` and the variables it names
        expanded as far as dockmod knows them), once for each value its variables may have."""
        if self.home is not None and (value == "~" or value.startswith("~/")):
            value = self.home + value[1:]
        return [_stages.substitute(value, self._with_home(env)) for env in self.variants(value, k)]

    def candidates(self, word: str, k: int) -> list[str | None]:
        """``word`` as an absolute path at the command ``k``, once for each value its variables may have there
        (None: that one cannot be known)."""
        return [self._resolve(word, k, env) for env in self.variants(word, k)]

    def resolve(self, word: str, k: int) -> str | None:
        """``word`` as an absolute path, for the command at index ``k``; None when it cannot be known (or may be
        several paths)."""
        found = set(self.candidates(word, k))
        return found.pop() if len(found) == 1 else None

    def _with_home(self, env: Mapping[str, str]) -> Mapping[str, str]:
        return _stages.overlay(env, {"HOME": env.get("HOME", self.home or "$HOME")})

    def _resolve(self, word: str, k: int, env: Mapping[str, str]) -> str | None:
        if "$(" in word or "`" in word:
            return None  # a command's output (`$(pip cache dir)`)
        if word == "~" or word.startswith("~/"):
            if self.home is None:
                return None
            word = self.home + word[1:]
        elif word.startswith("~"):
            return None  # another user's home
        if "$" in word:
            word = _stages.substitute(word, self._with_home(env))
            if "$" in word:
                return None
        if not word.startswith("/"):
            here = self.folders[k] if k < len(self.folders) else None
            if here is None or here.startswith(_stages.UNKNOWN_DIR):
                return None
            word = posixpath.join(here, word)
        return word if "{" in word else common.normpath(word)  # `relation` normalises each brace word


# The variables a point of a script has, with their values, and its folder (None: unknown).
_Scope = tuple[Mapping[str, tuple[str, ...]], str | None]


def _values(own: Mapping[str, tuple[str, ...]], name: str, env: Mapping[str, str]) -> tuple[str, ...]:
    """The values the variable ``name`` may have: those the script gave it, else the build's, else its own name (a
    value dockmod cannot know)."""
    return own[name] if name in own else (env[name],) if name in env else (f"${{{name}}}",)


def _either(one: _Scope, other: _Scope, env: Mapping[str, str]) -> _Scope:
    """What follows one of two ways through a script: each variable with the values of both, the folder if both
    agree."""
    if one == other:
        return one
    merged = {
        name: tuple(dict.fromkeys(_values(one[0], name, env) + _values(other[0], name, env)))
        for name in {*one[0], *other[0]}
    }
    return merged, one[1] if one[1] == other[1] else None


# At most this many combinations of a word's variables' values are tried (each variable has one value but for
# those set in branches).
_MAX_VARIANTS: Final = 64


def _kinds(word: str, k: int, paths: Paths, targets: list[common.Mount]) -> set[Relation | Literal["unknown"]]:
    """What removing the operand ``word`` of the command ``k`` may remove (see ``relation``), once for each value
    its variables may have; "unknown" for a path dockmod cannot know that may reach a cache target."""
    out: set[Relation | Literal["unknown"]] = set()
    for env, path in zip(paths.variants(word, k), paths.candidates(word, k), strict=True):
        if path is None:
            out.add("unknown" if _may_name_cache(_stages.substitute(word, env), targets) else "other")
        else:
            out.add(relation(path, targets))
    return out


def may_reach(word: str, k: int, paths: Paths, targets: list[common.Mount]) -> bool:
    """Whether the operand ``word`` of the command ``k``, whose path is unknown, may still name a cache target
    (``_may_name_cache``), with any value its variables may have."""
    return any(_may_name_cache(_stages.substitute(word, env), targets) for env in paths.variants(word, k))


def reaches(word: str, k: int, paths: Paths, targets: list[common.Mount]) -> bool:
    """Whether the operand ``word`` of the command ``k`` may reach a cache target."""
    return _kinds(word, k, paths, targets) != {"other"}


def _may_name_cache(word: str, targets: list[common.Mount]) -> bool:
    """Whether an operand whose path is unknown may still name a cache target: it mentions a cache (`$(pip cache
    dir)`, `$XDG_CACHE_HOME`), a home folder dockmod cannot place (`$CARGO_HOME/registry`), or a target's own
    folder name (`.npm`, `pip`). A temporary folder (`$(mktemp -d)`) or an archive (`python.tar.xz`) does not."""
    if "cache" in word.lower() or re.search(r"\$\{?\w*HOME\b", word):
        return True
    names = {posixpath.basename(t.target) for t in targets}
    return any(part in names for part in re.split(r"[/\s\"']+", word))


Relation = Literal["cache", "other", "mixed"]


def relation(path: str, targets: list[common.Mount]) -> Relation:
    """What removing ``path`` (maybe a pattern) removes: only a cache target or its content (``cache``), nothing of
    a target (``other``), or a target together with other files (``mixed``: `~/.npm*` is also `.npmrc`,
    `~/.{cache,netrc}` also `.netrc`, `~/.cache` also what other programs keep there). Real builds left a registry
    token, a `.netrc`, a private key and a Hugging Face token in the image when such an operand was taken for the
    cache, and an app read stale state it kept in `~/.cache/myapp`."""
    brace = re.search(r"\{([^{}]*,[^{}]*)\}", path)
    if brace is not None:  # bash's `/root/.cache/{pip,matplotlib}`: each alternative is removed
        kinds = {relation(path[: brace.start()] + alt + path[brace.end() :], targets) for alt in brace[1].split(",")}
        return kinds.pop() if len(kinds) == 1 else "mixed"
    path = common.normpath(path)  # `~/.npm/../.npmrc` is `~/.npmrc` (a real build kept the token)
    if any(t.pattern is not None and _within(path, t.pattern) for t in targets):
        return "cache"
    parts = path.split("/") if path != "/" else [""]
    globbed = next((k for k, part in enumerate(parts) if _shell.is_pattern(part)), None)
    fixed = ("/".join(parts[:globbed]) or "/") if globbed is not None else path
    if any(common.inside(fixed, t.target) for t in targets):
        return "cache"  # inside a target: `/root/.npm/_cacache`, `/var/lib/apt/lists/*`
    return "mixed" if any(_may_match(parts, t.target) for t in targets) else "other"


def _within(path: str, pattern: str) -> bool:
    """Whether ``path`` is ``pattern`` or below it, each `*` of the pattern standing for any one name or pattern of a
    name (`ruby/3.*/cache` is within `ruby/*/cache`)."""
    names, parts = pattern.split("/"), path.split("/")
    return len(parts) >= len(names) and all(n in ("*", p) for n, p in zip(names, parts, strict=False))


def _may_match(parts: list[str], target: str) -> bool:
    """Whether the path ``parts`` (components, maybe with shell patterns) names ``target``, a folder above it or a
    file inside it. Patterns match as bash's do: `*`, `?` and `[...]` never match a leading dot (`/root/*.pem`
    and `/root/*` do not reach `/root/.npm`)."""
    names = target.rstrip("/").split("/")
    return all(_shell.name_matches(part, name) for part, name in zip(parts, names, strict=False))


class _Operands(NamedTuple):
    """An ``rm``'s operands, by what removing them removes."""

    cache: list[str]  # a cache target or its content
    other: list[str]  # no cache target
    unknown: list[str]  # paths dockmod cannot know that may reach a cache
    mixed: list[str]  # a cache target together with other files (a pattern, a brace, a folder around it)


def rm_operands(command: _shell.Command, k: int, targets: list[common.Mount], paths: Paths) -> _Operands:
    """An ``rm``'s operands, sorted. ``k``: the command's index in its script."""
    argv = command.runs
    found = _Operands([], [], [], [])
    if not argv or argv[0].rsplit("/", 1)[-1] != "rm":
        return found
    redirected = ""  # the redirection operator the previous word was
    for arg in argv[1:]:
        if _shell.REDIRECT_OPERATOR.fullmatch(arg) or redirected:
            # A redirection and its file are no operand to take out (`> /tmp/rm.log` stays with the rm). One into
            # the input may feed the command the paths it removes (`xargs rm -rf <<< /root/.npm`: a real build
            # broke when dockmod cut the word after `<<<`), which dockmod cannot take out: unknown.
            (found.unknown if "<" in (redirected or arg) else found.other).append(arg)
            redirected = "" if redirected else arg
            continue
        if arg.startswith("-"):
            continue
        # An operand that may be the cache or not, by the values of its variables, may remove it: unknown.
        kinds = _kinds(arg, k, paths, targets)
        kind = kinds.pop() if len(kinds) == 1 else "mixed" if "mixed" in kinds else "unknown"
        getattr(found, kind).append(arg)
    return found


@dataclass(frozen=True, slots=True)
class _At:
    """A command of a RUN's script, or of a `sh -c` string in it, with the paths it names."""

    command: _shell.Command
    k: int  # its index in ``script``
    script: _shell.Script
    paths: Paths  # those of ``script``
    outer: str  # the RUN's command it is part of, as written
    nested: bool  # in a `sh -c` string: dockmod cannot take it out
    opened: bool  # a `sh -c` whose string's commands come next

    @property
    def text(self) -> str:
        return self.script.text[self.command.start : self.command.end]


def each_command(script: _shell.Script, paths: Paths, outer: str | None = None, depth: int = 0) -> Iterator[_At]:
    """Each command of ``script``, each `sh -c` (`bash -o pipefail -c`) followed by the commands of its string, which
    run in its folder with its variables (a few levels down); `eval` too, with its words expanded (`eval "$CLEAN"`,
    ARG CLEAN="rm -rf /root/.npm": a real build failed removing the mount point)."""
    for k, command in enumerate(script.commands):
        inner = _shell.shell_c_script(command.runs) if depth < MAX_NESTING else None
        if command.runs[:1] == ("eval",) and depth < MAX_NESTING:
            inner = " ".join(paths.expand(word, k)[0] for word in command.runs[1:])
        elif command.runs[:1] and command.runs[0].startswith("$") and depth < MAX_NESTING:
            # A command held in a variable (`CLEAN='rm -rf /root/.npm' && $CLEAN`, an ARG's): its expansion runs.
            inner = " ".join(paths.expand(word, k)[0] for word in command.runs)
        split = _shell.split(inner) if inner is not None else None
        text = outer if outer is not None else script.text[command.start : command.end]
        yield _At(command, k, script, paths, text, outer is not None, split is not None)
        if split is not None:
            yield from each_command(split, paths.nested(k, split), text, depth + 1)


MAX_NESTING: Final = 3


def sourced_script(script: _shell.Script, k: int) -> str | None:
    """The file a command has a shell read as its script other than as an operand: `. ./x.sh` (`source`), `sh <
    x.sh`, `cat x.sh | sh` (real builds of each read the cache through the script)."""
    command = script.commands[k]
    argv = command.runs
    if argv[:1] in ((".",), ("source",)) and len(argv) > 1:
        return argv[1]
    if not argv or argv[0].rsplit("/", 1)[-1] not in _shell.SHELLS:
        return None
    for before, word in itertools.pairwise(command.words):
        if before == "<" or (word.startswith("<") and len(word) > 1 and before != "<"):
            return word if before == "<" else word[1:]
    if _shell.run_operand(argv) is not None:
        return None
    previous = script.commands[k - 1].runs if k > 0 and command.op == "|" else ()
    return previous[1] if previous[:1] == ("cat",) and len(previous) == 2 else None


def script_path(argv: tuple[str, ...]) -> str | None:
    """The shell script a command runs: `sh ./cleanup.sh`, `bash scripts/x.sh`, `./cleanup.sh`, after the shell's
    options (`sh -e x.sh`, `bash -eu x.sh`: real builds failed when they were taken for the script); None: not one
    (`sh -c CODE` runs code, whose commands ``each_command`` reads)."""
    if not argv:
        return None
    if argv[0].rsplit("/", 1)[-1] in _shell.SHELLS:
        operand = _shell.run_operand(argv)
        return operand[1] if operand is not None and operand[0] == "file" else None
    if argv[0].endswith(".sh") or argv[0].startswith("./") or project_path(argv[0]):
        # Also a program of the project by its path (`scripts/post-install`: a real build's removed the cache).
        return argv[0]
    return None


def spellings(target: str, home: str | None) -> list[str]:
    """How a RUN may name ``target``: as it is, or through ``~`` and ``$HOME`` when it is in the home folder."""
    out = [target]
    if home is not None and common.inside(target, home) and target != home:
        rest = target[len(home.rstrip("/")) :]
        out += [f"~{rest}", f"$HOME{rest}", f"${{HOME}}{rest}"]
    return out


def project_path(program: str) -> bool:
    """A program run by a path into the project (``./build``, ``scripts/build``), not a system one."""
    return "/" in program and not program.startswith(("/usr/", "/bin/", "/sbin/", "/opt/"))

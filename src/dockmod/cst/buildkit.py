"""What BuildKit sees: its instruction parsers, reproduced on the logical line.

Each function mirrors one of BuildKit's line parsers (``frontend/dockerfile/parser/line_parsers.go``,
``split_command.go``, the heredoc detection in ``parser.go`` and the word lexer in ``shell/lex.go``) closely
enough that rendering the result in BuildKit's ``Node.Dump()`` notation reproduces BuildKit's own expected
parser results. The functions are pure: text in, values out; errors are :class:`BuildKitError`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from dockmod.cst.lexer import ASCII_WS, GO_SPACE, RE_ASCII_WS, RE_GO_SPACE


class BuildKitError(Exception):
    """BuildKit's parser rejects the instruction (the message is BuildKit's, where it has one)."""


@dataclass(frozen=True, slots=True)
class Split:
    """``splitCommand``: keyword, flags and the argument text, with logical offsets of each part."""

    keyword: str  # lower case, as BuildKit dispatches it
    keyword_span: tuple[int, int]
    flags: tuple[str, ...]  # as BuildKit yields them: quotes and backslashes already processed
    flag_spans: tuple[tuple[int, int], ...]
    args: str  # the rest, trimmed
    args_start: int  # logical offset where ``args`` begins (== len(line) when empty)


_HEREDOC_KEYWORDS: Final = frozenset({"run", "copy", "add"})
_JSON_ERROR: Final = "when using JSON array syntax, arrays must be comprised of strings only"


def split_command(line: str) -> Split:
    """BuildKit's ``splitCommand`` + ``extractBuilderFlags``, remembering where each part sits."""
    lead = len(line) - len(line.lstrip(GO_SPACE))
    trimmed_end = len(line.rstrip(GO_SPACE))
    m = RE_ASCII_WS.search(line, lead, trimmed_end) if lead < trimmed_end else None
    if m is None:
        kw_end = max(trimmed_end, lead)
        return Split(line[lead:kw_end].lower(), (lead, kw_end), (), (), "", len(line))
    kw_end = m.start()
    keyword = line[lead:kw_end].lower()
    rest_start = m.end()
    rest_end = trimmed_end
    flags, spans, args_start = _extract_flags(line, rest_start, rest_end)
    # The argument text is trimmed with Go's strings.TrimSpace (Unicode spaces).
    while args_start < rest_end and line[args_start] in GO_SPACE:
        args_start += 1
    args = line[args_start:rest_end]
    if not args:
        args_start = len(line)
    return Split(keyword, (lead, kw_end), tuple(flags), tuple(spans), args, args_start)


def _extract_flags(line: str, pos: int, end: int) -> tuple[list[str], list[tuple[int, int]], int]:
    """``extractBuilderFlags``: leading ``--words``; quotes and ``\\`` are processed inside them."""
    words: list[str] = []
    spans: list[tuple[int, int]] = []
    while pos < end:
        ch = line[pos]
        if ch in GO_SPACE:
            pos += 1
            continue
        if ch != "-" or pos + 1 >= end or line[pos + 1] != "-":
            return words, spans, pos
        start = pos
        word: list[str] = []
        quote = ""
        blank_ok = False
        while pos < end:
            ch = line[pos]
            if quote:
                if ch == quote:
                    quote = ""
                elif ch == "\\":
                    if pos + 1 == end:
                        quote = ""
                    else:
                        pos += 1
                        word.append(line[pos])
                else:
                    word.append(ch)
                pos += 1
                continue
            if ch in GO_SPACE:
                break
            if ch in "'\"":
                quote = ch
                blank_ok = True
            elif ch == "\\":
                if pos + 1 < end:
                    pos += 1
                    word.append(line[pos])
            else:
                word.append(ch)
            pos += 1
        text = "".join(word)
        if text == "--":
            # ``--`` ends the flags; it belongs to the arguments' leading text.
            return words, spans, pos
        if blank_ok or text:
            words.append(text)
            spans.append((start, pos))
    return words, spans, pos


# ---------------------------------------------------------------------------------------------------------
# Line parsers. Each returns the node's argument chain (``Next`` values) and whether it is JSON.


@dataclass(frozen=True, slots=True)
class Parsed:
    args: tuple[str, ...] = ()
    json: bool = False
    pairs: tuple[tuple[str, str, bool], ...] = ()  # ENV / LABEL: (key, value, used "=")
    onbuild: Parsed | None = None
    onbuild_keyword: str = ""
    onbuild_flags: tuple[str, ...] = ()
    has_args: bool = True  # False when BuildKit's node has no Next at all


def parse_json_array(rest: str) -> list[str] | None:
    """``parseJSON``: a JSON array of strings, or None when the text is not a JSON array.

    Go's ``json.Decoder.Decode`` reads one value and ignores what follows it; an array with a non-string
    element is a hard error in BuildKit, not a fallback to shell form.
    """
    rest = rest.lstrip(GO_SPACE)
    if not rest.startswith("["):
        return None
    try:
        value, _ = _DECODER.raw_decode(rest)
    except ValueError:
        return None
    if not isinstance(value, list):
        return None
    if not all(isinstance(v, str) for v in value):
        raise BuildKitError(_JSON_ERROR)
    return value


def _reject_constant(name: str) -> object:
    # Go's encoding/json has no NaN/Infinity literals; Python's json accepts them by default.
    raise ValueError(name)


_DECODER: Final = json.JSONDecoder(parse_constant=_reject_constant)


def parse_words(rest: str, escape: str) -> list[str]:
    """``parseWords``: whitespace-separated words; quotes and escapes are kept in the words."""
    if escape not in rest:
        if "'" not in rest and '"' not in rest:
            # Without quotes and escapes, the words are the whitespace-separated runs.
            stripped = rest.strip(GO_SPACE)
            return RE_GO_SPACE.split(stripped) if stripped else []
        # Quotes without escapes (``LABEL a="b c"``, common): a word is a run of plain characters and quoted
        # sections, quotes kept; an unclosed quote runs to the end. The loop below, in one regex.
        return _WORDS.findall(rest)
    return _parse_words(rest, escape)


_WORDS: Final = re.compile(f"(?:[^{GO_SPACE}'\"]|'[^']*(?:'|\\Z)|\"[^\"]*(?:\"|\\Z))+")


def _parse_words(rest: str, escape: str) -> list[str]:
    words: list[str] = []
    word: list[str] = []
    in_word = False
    quote = ""
    blank_ok = False
    i = 0
    n = len(rest)
    while i < n:
        ch = rest[i]
        if not in_word:
            if ch in GO_SPACE:
                i += 1
                continue
            in_word = True
        if quote:
            if ch == quote:
                quote = ""
            if ch == escape and quote != "'":
                if i + 1 == n:
                    i += 1
                    continue
                word.append(ch)
                i += 1
                ch = rest[i]
            word.append(ch)
            i += 1
            continue
        if ch in GO_SPACE:
            if blank_ok or word:
                words.append("".join(word))
            word = []
            blank_ok = False
            in_word = False
            i += 1
            continue
        if ch in "'\"":
            quote = ch
            blank_ok = True
        if ch == escape:
            if i + 1 == n:
                i += 1
                continue
            word.append(ch)
            i += 1
            ch = rest[i]
        word.append(ch)
        i += 1
    if in_word and (blank_ok or word):
        words.append("".join(word))
    return words


def _split_ws(rest: str) -> tuple[str, ...]:
    """``parseStringsWhitespaceDelimited``: regexp split on ASCII whitespace (empty edges kept)."""
    if not rest:
        return ()
    return tuple(RE_ASCII_WS.split(rest))


def _name_val(rest: str, keyword: str, escape: str) -> Parsed:
    words = parse_words(rest, escape)
    if not words:
        return Parsed(has_args=False)
    if "=" not in words[0]:
        parts = RE_ASCII_WS.split(rest, maxsplit=1)
        if len(parts) < 2:
            raise BuildKitError(f"{keyword} must have two arguments")
        return Parsed(args=(parts[0], parts[1], ""), pairs=((parts[0], parts[1], False),))
    args: list[str] = []
    pairs: list[tuple[str, str, bool]] = []
    for word in words:
        if "=" not in word:
            raise BuildKitError(f"Syntax error - can't find = in {go_quote(word)}. Must be of the form: name=value")
        key, value = word.split("=", 1)
        args += (key, value, "=")
        pairs.append((key, value, True))
    return Parsed(args=tuple(args), pairs=tuple(pairs))


def _maybe_json(rest: str, escape: str) -> Parsed:
    if not rest:
        return Parsed(has_args=False)
    array = parse_json_array(rest)
    if array is not None:
        return Parsed(args=tuple(array), json=True, has_args=bool(array))
    return Parsed(args=(rest,))


def _maybe_json_to_list(rest: str, escape: str) -> Parsed:
    array = parse_json_array(rest)
    if array is not None:
        return Parsed(args=tuple(array), json=True, has_args=bool(array))
    return _whitespace_delimited(rest, escape)


def _whitespace_delimited(rest: str, escape: str) -> Parsed:
    words = _split_ws(rest)
    return Parsed(args=words, has_args=bool(words))


def _string(rest: str, escape: str) -> Parsed:
    return Parsed(args=(rest,)) if rest else Parsed(has_args=False)


def _name_or_name_val(rest: str, escape: str) -> Parsed:
    words = parse_words(rest, escape)
    return Parsed(args=tuple(words), has_args=bool(words))


def _env(rest: str, escape: str) -> Parsed:
    return _name_val(rest, "ENV", escape)


def _label(rest: str, escape: str) -> Parsed:
    return _name_val(rest, "LABEL", escape)


def _healthcheck(rest: str, escape: str) -> Parsed:
    sep = 0
    while sep < len(rest) and rest[sep] not in GO_SPACE:
        sep += 1
    if sep == 0:
        return Parsed(has_args=False)
    nxt = sep
    while nxt < len(rest) and rest[nxt] in GO_SPACE:
        nxt += 1
    cmd = _maybe_json(rest[nxt:], escape)
    return Parsed(args=(rest[:sep], *cmd.args), json=cmd.json)


def _onbuild(rest: str, escape: str) -> Parsed:
    if not rest:
        return Parsed(has_args=False)
    inner_split, inner = parse_instruction_text(rest, escape)
    return Parsed(onbuild=inner, onbuild_keyword=inner_split.keyword, onbuild_flags=inner_split.flags)


def _ignore(rest: str, escape: str) -> Parsed:
    # BuildKit keeps unknown instructions and ignores their arguments (parseIgnore).
    return Parsed(has_args=False)


def parse_instruction_text(line: str, escape: str) -> tuple[Split, Parsed]:
    """``newNodeFromLine``: split the logical line and run the keyword's line parser."""
    split = split_command(line)
    return split, dispatch(split.keyword, split.args, escape)


def dispatch(keyword: str, rest: str, escape: str) -> Parsed:
    return _DISPATCH.get(keyword, _ignore)(rest, escape)


_DISPATCH: Final[dict[str, Callable[[str, str], Parsed]]] = {
    "add": _maybe_json_to_list,
    "arg": _name_or_name_val,
    "cmd": _maybe_json,
    "copy": _maybe_json_to_list,
    "entrypoint": _maybe_json,
    "env": _env,
    "expose": _whitespace_delimited,
    "from": _whitespace_delimited,
    "healthcheck": _healthcheck,
    "label": _label,
    "maintainer": _string,
    "onbuild": _onbuild,
    "run": _maybe_json,
    "shell": _maybe_json,
    "stopsignal": _string,
    "user": _string,
    "volume": _maybe_json_to_list,
    "workdir": _string,
}


# ---------------------------------------------------------------------------------------------------------
# Heredocs


@dataclass(frozen=True, slots=True)
class HeredocHeader:
    """One ``<<[-]WORD`` found on an instruction line."""

    name: str
    strip_tabs: bool  # ``<<-``: leading tabs are removed from the body and the terminator
    quoted: bool  # part of the word was quoted: the body is not expanded
    fd: int


RE_HEREDOC: Final = re.compile(r"(\d*)<<(-?)([^<]*)\Z")


def may_have_heredocs(keyword: str, parsed: Parsed) -> bool:
    """``Node.canContainHeredoc``: RUN/COPY/ADD in shell form, also as an ONBUILD trigger."""
    if keyword == "onbuild":
        if parsed.onbuild is None:
            return False
        keyword, parsed = parsed.onbuild_keyword, parsed.onbuild
    return keyword in _HEREDOC_KEYWORDS and not parsed.json


def heredocs_in(line: str) -> list[HeredocHeader]:
    """``heredocsFromLine``: every word of the line that is a heredoc introducer, in order."""
    if "<<" not in line:
        return []
    words = shell_words(line, raw=True)
    if words is None:
        return []  # BuildKit ignores lexing errors here: the line simply has no heredocs
    docs = []
    for word in words:
        m = RE_HEREDOC.match(word)
        if not m or not m.group(3):
            continue
        rest = m.group(3)
        plain = shell_words(rest, raw=False, raw_escapes=False)
        if plain is None:
            raise BuildKitError(f"failed to process {go_quote(rest)}: unterminated quote in heredoc word")
        if len(plain) != 1:
            continue
        raw = shell_words(rest, raw=True, raw_escapes=False)
        if raw is None or len(raw) != 1:
            raise BuildKitError(f"internal lexing of heredoc produced inconsistent results: {rest}")
        quotes = plain[0].count("'") + plain[0].count('"')
        raw_quotes = raw[0].count("'") + raw[0].count('"')
        docs.append(HeredocHeader(plain[0], m.group(2) == "-", quotes != raw_quotes, int(m.group(1) or 0)))
    return docs


def shell_words(text: str, *, raw: bool, raw_escapes: bool = True) -> list[str] | None:
    """BuildKit's shell lexer ``ProcessWords`` with no variables set and ``SkipUnsetEnv``.

    ``raw`` keeps quotes in the words (``RawQuotes``); ``raw_escapes`` keeps backslashes (``RawEscapes``).
    Returns None where the lexer reports an error (unterminated quote, bad substitution).
    """
    words: list[str] = []
    word = ""
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "'":
            end = text.find("'", i + 1)
            if end < 0:
                return None
            word += text[i : end + 1] if raw else text[i + 1 : end]
            i = end + 1
        elif ch == '"':
            quoted = _double_quoted(text, i, raw=raw, raw_escapes=raw_escapes)
            if quoted is None:
                return None
            word += quoted[0]
            i = quoted[1]
        elif ch == "$":
            dollar = _dollar(text, i)
            if dollar is None:
                return None
            # An expansion's text is split at whitespace like unquoted text.
            for c in dollar[0]:
                if c in GO_SPACE:
                    if word:
                        words.append(word)
                        word = ""
                else:
                    word += c
            i = dollar[1]
        elif ch == "\\":
            if raw_escapes:
                word += ch
            if i + 1 >= n:
                break
            word += text[i + 1]
            i += 2
        elif ch in GO_SPACE:
            if word:
                words.append(word)
                word = ""
            i += 1
        else:
            word += ch
            i += 1
    if word:
        words.append(word)
    return words


def _double_quoted(text: str, i: int, *, raw: bool, raw_escapes: bool) -> tuple[str, int] | None:
    n = len(text)
    j = i + 1
    buf = ['"'] if raw else []
    while True:
        if j >= n:
            return None
        c = text[j]
        if c == '"':
            if raw:
                buf.append(c)
            return "".join(buf), j + 1
        if c == "$":
            dollar = _dollar(text, j)
            if dollar is None:
                return None
            buf.append(dollar[0])
            j = dollar[1]
            continue
        if c == "\\":
            if raw_escapes:
                buf.append(c)
            if j + 1 >= n:
                j += 1
                continue
            if text[j + 1] in '"$\\':
                j += 1
                c = text[j]
        buf.append(c)
        j += 1


def _dollar(text: str, i: int) -> tuple[str, int] | None:
    """``processDollar`` with no variables set: the reference is kept as written (SkipUnsetEnv)."""
    n = len(text)
    j = i + 1
    if j >= n or text[j] != "{":
        start = j
        if j < n and text[j].isdigit():
            while j < n and text[j].isdigit():
                j += 1
        elif j < n and text[j] in "@*#?-$!0":
            j += 1
        else:
            while j < n and (text[j].isalnum() or text[j] == "_"):
                j += 1
        name = text[start:j]
        return ("$" + name if name else "$"), j
    j += 1
    if j >= n or text[j] in "{}:":
        return None
    start = j
    while j < n and (text[j].isalnum() or text[j] == "_"):
        j += 1
    close = text.find("}", j)
    if close < 0:
        return None
    return "${" + text[start:close] + "}", close + 1


# ---------------------------------------------------------------------------------------------------------
# Go's strconv.Quote, for BuildKit's Dump notation.

_GO_ESCAPES: Final = {
    "\a": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\v": "\\v",
    "\\": "\\\\",
    '"': '\\"',
}


def go_quote(s: str) -> str:
    out = ['"']
    for ch in s:
        esc = _GO_ESCAPES.get(ch)
        if esc is not None:
            out.append(esc)
        elif ch == " " or (ch.isprintable() and ch not in ASCII_WS):
            out.append(ch)
        else:
            code = ord(ch)
            if code < 0x80:
                out.append(f"\\x{code:02x}")
            elif code <= 0xFFFF:
                out.append(f"\\u{code:04x}")
            else:
                out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


def go_quote_list(items: tuple[str, ...]) -> str:
    """``fmt.Sprintf("%q", []string{...})``."""
    return "[" + " ".join(go_quote(s) for s in items) + "]"


def dump(keyword: str, flags: tuple[str, ...], parsed: Parsed) -> str:
    """``Node.Dump()`` of one instruction, without the surrounding parentheses."""
    out = keyword.lower()
    if flags:
        out += " " + go_quote_list(flags)
    if parsed.onbuild is not None:
        out += " (" + dump(parsed.onbuild_keyword, parsed.onbuild_flags, parsed.onbuild) + ")"
    elif parsed.has_args:
        out += "".join(" " + go_quote(a) for a in parsed.args)
    return out.strip(GO_SPACE)

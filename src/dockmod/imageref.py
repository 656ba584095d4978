"""Image references: parse, normalise, and find the registry that serves them.

A faithful port of the grammar in distribution/reference (``reference.go``, ``regexp.go``, ``normalize.go``;
Apache-2.0), which is what Docker and BuildKit use to read ``FROM`` lines::

    reference        := name [ ":" tag ] [ "@" digest ]
    name             := [domain '/'] remote-name
    domain           := host [':' port-number]
    host             := domain-name | IPv4address | \\[ IPv6address \\]
    domain-component := /([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])/
    path-component   := alpha-numeric [separator alpha-numeric]*     ; alpha-numeric := /[a-z0-9]+/
    separator        := /[_.]|__|[-]+/
    tag              := /[\\w][\\w.-]{0,127}/
    digest           := algorithm ":" hex                            ; hex at least 32 characters

Normalisation (``ParseNormalizedNamed``): the first path component is a registry host when it contains ``.``
or ``:``, equals ``localhost``, or has upper-case letters; otherwise the reference is on Docker Hub
(``docker.io``) and a single-component name gets the ``library/`` namespace. ``index.docker.io`` is Docker
Hub's legacy name. Docker Hub's API lives at ``registry-1.docker.io``.

Unlike docker-py's ``parse_repository_tag``, ``name:tag@digest`` keeps both the tag and the digest.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "DOCKER_HUB_DOMAIN",
    "DOCKER_HUB_ENDPOINT",
    "Expansion",
    "ImageRef",
    "InvalidReason",
    "InvalidReference",
    "RawReference",
    "expand_variables",
    "parse",
    "parse_name",
    "parse_raw",
]

DOCKER_HUB_DOMAIN = "docker.io"
DOCKER_HUB_LEGACY_DOMAIN = "index.docker.io"
DOCKER_HUB_ENDPOINT = "registry-1.docker.io"
OFFICIAL_NAMESPACE = "library/"
DEFAULT_TAG = "latest"
# distribution/reference: RepositoryNameTotalLengthMax, checked against the path (the name without domain).
PATH_MAX_LENGTH = 255

# Digest algorithms go-digest registers with Go's standard library, and the length of their hex encodings.
# go-digest accepts lower-case hex only for these.
DIGEST_ALGORITHMS: Mapping[str, int] = {"sha256": 64, "sha384": 96, "sha512": 128}

# -- the grammar, transcribed from regexp.go -------
_ALPHANUMERIC = r"[a-z0-9]+"
_SEPARATOR = r"(?:[._]|__|[-]+)"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_OPTIONAL_PORT = r"(?::[0-9]+)?"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}"
_IPV6 = r"\[(?:[a-fA-F0-9:]+)\]"
_DOMAIN_NAME = _DOMAIN_COMPONENT + r"(?:\." + _DOMAIN_COMPONENT + r")*"
_HOST = r"(?:" + _DOMAIN_NAME + r"|" + _IPV6 + r")"
_DOMAIN_AND_PORT = _HOST + _OPTIONAL_PORT
_PATH_COMPONENT = _ALPHANUMERIC + r"(?:" + _SEPARATOR + _ALPHANUMERIC + r")*"
_REMOTE_NAME = _PATH_COMPONENT + r"(?:/" + _PATH_COMPONENT + r")*"
_NAME = r"(?:" + _DOMAIN_AND_PORT + r"/)?" + _REMOTE_NAME

# Go's \w is ASCII-only; re.ASCII makes Python's agree. fullmatch() stands in for Go's ^...$ (Python's $ would
# also match before a trailing newline).
_REFERENCE_RE = re.compile(r"(" + _NAME + r")(?::(" + _TAG + r"))?(?:@(" + _DIGEST + r"))?", re.ASCII)
_ANCHORED_NAME_RE = re.compile(r"(?:(" + _DOMAIN_AND_PORT + r")/)?(" + _REMOTE_NAME + r")", re.ASCII)
_IDENTIFIER_RE = re.compile(r"[a-f0-9]{64}", re.ASCII)
_TAG_RE = re.compile(_TAG, re.ASCII)
_DIGEST_RE = re.compile(_DIGEST, re.ASCII)

InvalidReason = Literal[
    "empty",  # ErrNameEmpty
    "format",  # ErrReferenceInvalidFormat
    "uppercase",  # ErrNameContainsUppercase
    "name_too_long",  # ErrNameTooLong
    "digest_unsupported",  # digest.ErrDigestUnsupported
    "digest_length",  # digest.ErrDigestInvalidLength
    "digest_format",  # digest.ErrDigestInvalidFormat
    "identifier",  # a 64-hex-digit name, which Docker reads as an image ID
]


def _suffix(tag: str | None, digest: str | None) -> str:
    return (f":{tag}" if tag else "") + (f"@{digest}" if digest else "")


class InvalidReference(ValueError):
    """``text`` is not an image reference; ``reason`` says which rule it broke."""

    def __init__(self, text: str, reason: InvalidReason, detail: str) -> None:
        self.text = text
        self.reason: InvalidReason = reason
        self.detail = detail
        super().__init__(
            f"invalid image reference {text!r}: {detail} "
            "(expected [registry/]repository[:tag][@algorithm:hex], e.g. node:18-slim)"
        )


@dataclass(frozen=True, slots=True)
class RawReference:
    """A reference as written, not normalised (distribution/reference ``Parse``).

    ``domain`` is ``""`` when the name has no registry part that the grammar recognises; ``name`` is the whole
    name (domain and path).
    """

    domain: str
    path: str
    tag: str | None
    digest: str | None

    @property
    def name(self) -> str:
        return f"{self.domain}/{self.path}" if self.domain else self.path

    def __str__(self) -> str:
        return self.name + _suffix(self.tag, self.digest)


def _validate_digest(text: str, digest: str) -> None:
    # go-digest's Digest.Validate: the algorithm must be registered and the hex must have its exact length.
    algorithm, _, encoded = digest.partition(":")
    expected = DIGEST_ALGORITHMS.get(algorithm)
    if expected is None:
        supported = ", ".join(DIGEST_ALGORITHMS)
        raise InvalidReference(
            text, "digest_unsupported", f"unsupported digest algorithm {algorithm!r} (supported: {supported})"
        )
    if len(encoded) != expected:
        raise InvalidReference(
            text, "digest_length", f"{algorithm} digests have {expected} hex digits, got {len(encoded)}"
        )
    if encoded != encoded.lower():
        raise InvalidReference(text, "digest_format", f"{algorithm} digests are lower-case hex")


def _split_domain(name: str) -> tuple[str, str]:
    match = _ANCHORED_NAME_RE.fullmatch(name)
    if match is None:
        return "", name
    return match[1] or "", match[2]


def parse_raw(text: str) -> RawReference:
    """Parse ``text`` exactly as written (distribution/reference ``Parse``), without Docker Hub defaults."""
    if text == "":
        raise InvalidReference(text, "empty", "repository name must have at least one component")
    match = _REFERENCE_RE.fullmatch(text)
    if match is None:
        lowered = text.lower()
        if lowered != text and _REFERENCE_RE.fullmatch(lowered) is not None:
            raise InvalidReference(text, "uppercase", "repository name must be lowercase")
        raise InvalidReference(text, "format", "invalid reference format")
    name, tag, digest = match[1], match[2], match[3]
    domain, path = _split_domain(name)
    if len(path) > PATH_MAX_LENGTH:
        raise InvalidReference(
            text, "name_too_long", f"repository name must not be more than {PATH_MAX_LENGTH} characters"
        )
    if digest is not None:
        _validate_digest(text, digest)
    return RawReference(domain, path, tag, digest)


def parse_name(text: str) -> RawReference:
    """Parse a repository name without tag or digest (distribution/reference ``WithName``)."""
    match = _ANCHORED_NAME_RE.fullmatch(text)
    if match is None:
        raise InvalidReference(text, "format", "invalid repository name")
    domain, path = match[1] or "", match[2]
    if len(path) > PATH_MAX_LENGTH:
        raise InvalidReference(
            text, "name_too_long", f"repository name must not be more than {PATH_MAX_LENGTH} characters"
        )
    return RawReference(domain, path, None, None)


def _split_docker_domain(name: str) -> tuple[str, str]:
    # normalize.go splitDockerDomain: decide whether the first component is a registry host.
    first, slash, rest = name.partition("/")
    if not slash:
        # A single component ("node", "node:18") is always a Docker Hub official image, even "localhost"
        # (upstream FIXME: a bare "localhost" or "example.com" is not treated as a domain).
        return DOCKER_HUB_DOMAIN, OFFICIAL_NAMESPACE + name
    if first == "localhost":
        domain, remote = first, rest
    elif first == DOCKER_HUB_LEGACY_DOMAIN:
        domain, remote = DOCKER_HUB_DOMAIN, rest
    elif "." in first or ":" in first:
        domain, remote = first, rest
    elif first.lower() != first:
        # Namespaces are lower-case, so an upper-case first component can only be a host name.
        domain, remote = first, rest
    else:
        domain, remote = DOCKER_HUB_DOMAIN, name
    if domain == DOCKER_HUB_DOMAIN and "/" not in remote:
        remote = OFFICIAL_NAMESPACE + remote
    return domain, remote


@dataclass(frozen=True, slots=True)
class ImageRef:
    """A normalised image reference: ``domain`` is always set (``docker.io`` for Docker Hub).

    ``original`` is the text as the user wrote it; ``tag`` and ``digest`` are ``None`` when absent (no default
    tag is filled in; see :attr:`effective_tag`).
    """

    domain: str
    path: str
    tag: str | None
    digest: str | None
    original: str = field(compare=False)

    @property
    def repository(self) -> str:
        """The normalised name without tag or digest: ``docker.io/library/node``."""
        return f"{self.domain}/{self.path}"

    @property
    def canonical(self) -> str:
        """The normalised reference with what was written: ``node:18`` → ``docker.io/library/node:18``."""
        return self.repository + _suffix(self.tag, self.digest)

    @property
    def effective_tag(self) -> str | None:
        """The tag a pull uses: the written tag, ``latest`` for a bare name, ``None`` for ``name@digest``."""
        if self.tag is not None:
            return self.tag
        return None if self.digest is not None else DEFAULT_TAG

    @property
    def normalized(self) -> str:
        """The canonical spelling: ``node`` → ``docker.io/library/node:latest`` (``TagNameOnly``)."""
        tag = self.effective_tag
        return self.repository + (f":{tag}" if tag else "") + (f"@{self.digest}" if self.digest else "")

    @property
    def pull_reference(self) -> str:
        """What Docker pulls (``ParseDockerRef``): a digest wins over the tag; a bare name gets ``latest``."""
        if self.digest is not None:
            return f"{self.repository}@{self.digest}"
        return self.normalized

    @property
    def familiar(self) -> str:
        """The short spelling Docker shows: ``docker.io/library/node:18`` → ``node:18``."""
        name = self.repository
        if self.domain == DOCKER_HUB_DOMAIN:
            name = self.path
            remainder = self.path.removeprefix(OFFICIAL_NAMESPACE)
            if remainder != self.path and "/" not in remainder:
                name = remainder
        return name + _suffix(self.tag, self.digest)

    @property
    def is_docker_hub(self) -> bool:
        return self.domain == DOCKER_HUB_DOMAIN

    @property
    def registry_endpoint(self) -> str:
        """The host (and port) that serves the distribution API: Docker Hub's is ``registry-1.docker.io``."""
        return DOCKER_HUB_ENDPOINT if self.is_docker_hub else self.domain

    @property
    def spelled_name(self) -> str:
        """The name as the user wrote it, without tag and digest (``index.docker.io/node`` stays as is)."""
        suffix = _suffix(self.tag, self.digest)
        return self.original[: len(self.original) - len(suffix)] if suffix else self.original

    def spelled(self, *, tag: str | None, digest: str | None) -> str:
        """The user's spelling of the name with ``tag`` and ``digest`` (either may be ``None`` to omit it)."""
        if tag is not None and _TAG_RE.fullmatch(tag) is None:
            raise InvalidReference(f"{self.spelled_name}:{tag}", "format", f"invalid tag {tag!r}")
        if digest is not None:
            if _DIGEST_RE.fullmatch(digest) is None:
                raise InvalidReference(f"{self.spelled_name}@{digest}", "digest_format", "invalid digest")
            _validate_digest(f"{self.spelled_name}@{digest}", digest)
        return self.spelled_name + _suffix(tag, digest)

    def with_digest(self, digest: str | None) -> ImageRef:
        """This reference pinned to ``digest`` (keeping the tag), spelled as the user spelled the name."""
        return parse(self.spelled(tag=self.tag, digest=digest))

    def with_tag(self, tag: str | None) -> ImageRef:
        return parse(self.spelled(tag=tag, digest=self.digest))

    def __str__(self) -> str:
        return self.original


def parse(text: str) -> ImageRef:
    """Parse and normalise a reference as Docker does (distribution/reference ``ParseNormalizedNamed``).

    Raises :class:`InvalidReference` naming the rule that failed.
    """
    if _IDENTIFIER_RE.fullmatch(text):
        raise InvalidReference(
            text, "identifier", "a 64-digit hexadecimal string is an image ID, not a repository name"
        )
    domain, remainder = _split_docker_domain(text)
    remote = remainder.split(":", 1)[0]
    if remote.lower() != remote:
        raise InvalidReference(text, "uppercase", f"repository name ({remote}) must be lowercase")
    try:
        raw = parse_raw(f"{domain}/{remainder}")
    except InvalidReference as exc:
        # Report the user's text, not the internal normalised spelling.
        raise InvalidReference(text, exc.reason, exc.detail) from None
    return ImageRef(raw.domain, raw.path, raw.tag, raw.digest, text)


# -- variable expansion -------

_VAR_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*", re.ASCII)


@dataclass(frozen=True, slots=True)
class Expansion:
    """The result of expanding ``$VAR``/``${VAR}``/``${VAR:-default}`` in an image reference.

    ``text`` is the expanded word (an unresolved variable contributes nothing, as in BuildKit);
    ``variables`` lists every variable the word used (in order, without repeats); ``unresolved`` those that
    had no value and no default, or used an operator this helper does not evaluate.
    """

    text: str
    variables: tuple[str, ...]
    unresolved: tuple[str, ...]

    @property
    def resolved(self) -> bool:
        return not self.unresolved


class _Expander:
    # Follows BuildKit's shell lexer (frontend/dockerfile/shell/lex.go) for the forms a FROM line uses:
    # the escape character takes the next character literally, single quotes are literal, double quotes allow
    # expansion, and quotes are removed. ${VAR:-w}/${VAR-w} use w when VAR is unset (or, with ':', empty);
    # ${VAR:+w}/${VAR+w} use w when VAR is set (and, with ':', non-empty); ${VAR:?msg}/${VAR?msg} need VAR.
    # Pattern operators (#, %, /) are reported as unresolved rather than half-implemented.

    def __init__(self, text: str, values: Mapping[str, str | None], escape: str) -> None:
        self.text = text
        self.values = values
        self.escape = escape
        self.pos = 0
        self.variables: list[str] = []
        self.unresolved: list[str] = []

    def _use(self, name: str) -> str | None:
        if name not in self.variables:
            self.variables.append(name)
        return self.values.get(name)

    def _unresolved(self, name: str) -> None:
        if name not in self.unresolved:
            self.unresolved.append(name)

    def word(self, stop: str = "") -> str:
        out: list[str] = []
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char in stop:
                break
            if char == self.escape:
                if self.pos + 1 < len(text):
                    out.append(text[self.pos + 1])
                self.pos += 2
            elif char == "'" and not stop:
                end = text.find("'", self.pos + 1)
                end = len(text) if end < 0 else end
                out.append(text[self.pos + 1 : end])
                self.pos = end + 1
            elif char == '"' and not stop:
                self.pos += 1
                out.append(self.word(stop='"'))
                self.pos += 1
            elif char == "$":
                out.append(self.dollar())
            else:
                out.append(char)
                self.pos += 1
        return "".join(out)

    def dollar(self) -> str:
        text = self.text
        self.pos += 1  # "$"
        if self.pos < len(text) and text[self.pos] == "{":
            return self.braced()
        match = _VAR_NAME.match(text, self.pos)
        if match is None:
            return "$"  # a lone "$" is literal
        self.pos = match.end()
        value = self._use(match[0])
        if value is None:
            self._unresolved(match[0])
            return ""
        return value

    def braced(self) -> str:
        text = self.text
        self.pos += 1  # "{"
        match = _VAR_NAME.match(text, self.pos)
        if match is None:
            # "${" without a name: BuildKit rejects it; report the whole thing.
            self._unresolved(text[self.pos - 2 :])
            self.pos = len(text)
            return ""
        name = match[0]
        self.pos = match.end()
        value = self._use(name)
        if self.pos < len(text) and text[self.pos] == "}":
            self.pos += 1
            if value is None:
                self._unresolved(name)
                return ""
            return value
        colon = text.startswith(":", self.pos)
        operator = text[self.pos + colon] if self.pos + colon < len(text) else ""
        if operator not in ("-", "+", "?"):
            self._unresolved(name)
            end = text.find("}", self.pos)
            self.pos = len(text) if end < 0 else end + 1
            return ""
        self.pos += colon + 1
        word = self.word(stop="}")
        self.pos += 1  # "}"
        is_set = value is not None and (value != "" or not colon)
        if operator == "-":
            return value if is_set and value is not None else word
        if operator == "+":
            return word if is_set else ""
        if not is_set or value is None:  # "?"
            self._unresolved(name)
            return ""
        return value


def expand_variables(text: str, values: Mapping[str, str | None], *, escape: str = "\\") -> Expansion:
    """Expand build-argument references in ``text`` (typically a ``FROM`` image).

    ``values`` maps ARG names to their defaults; ``None`` (or a missing key) means the ARG has no value, and
    the variable is reported in :attr:`Expansion.unresolved` unless the expression supplies a default.
    ``escape`` is the Dockerfile's escape character (``\\`` or ``` ` ```).
    """
    expander = _Expander(text, values, escape)
    expanded = expander.word()
    return Expansion(expanded, tuple(expander.variables), tuple(expander.unresolved))

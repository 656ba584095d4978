"""Image references against distribution/reference's own test tables.

The tables below are data ported from github.com/distribution/reference (``reference_test.go`` at
ff14fafe2236e51c2894ac07d4bdfc778e96d682, ``normalize_test.go`` at 4894124079e525c3c3c5c8aacaa653b5499004e9,
``regexp_test.go`` at 00a09fa3799203fc887e667b0d82142ee831939a), Copyright The distribution authors, licensed
under the Apache License 2.0. Go errors are mapped to :data:`dockmod.imageref.InvalidReason` values.

Not ported: ``TestWithTag``/``TestWithDigest`` (they build references from 37-digit sha256 digests, which
``WithDigest`` accepts unvalidated; dockmod validates digest lengths), ``TestMatch`` (pattern matching is not
part of dockmod), ``TestSerialization`` (Go JSON plumbing).
"""

from __future__ import annotations

import time
from typing import NamedTuple

import pytest

from dockmod.imageref import (
    DOCKER_HUB_ENDPOINT,
    InvalidReason,
    InvalidReference,
    expand_variables,
    parse,
    parse_name,
    parse_raw,
)

F64 = "f" * 64
F128 = "f" * 128
BE178 = "sha256:be178c0543eb17f5f3043021c9e5fcf30285e557a4fc309cce97ff9ca6182912"
DBCC = "sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c"


class Parsed(NamedTuple):
    domain: str
    name: str  # Go's Named.Name(): domain and path
    tag: str | None = None
    digest: str | None = None


# TestReferenceParse: input -> Parsed or the error reason.
REFERENCE_PARSE: list[tuple[str, Parsed | InvalidReason]] = [
    ("test_com", Parsed("", "test_com")),
    ("test.com:tag", Parsed("", "test.com", "tag")),
    ("test.com:5000", Parsed("", "test.com", "5000")),
    ("test.com/repo:tag", Parsed("test.com", "test.com/repo", "tag")),
    ("test:5000/repo", Parsed("test:5000", "test:5000/repo")),
    ("test:5000/repo:tag", Parsed("test:5000", "test:5000/repo", "tag")),
    (f"test:5000/repo@sha256:{F64}", Parsed("test:5000", "test:5000/repo", None, f"sha256:{F64}")),
    (f"test:5000/repo:tag@sha256:{F64}", Parsed("test:5000", "test:5000/repo", "tag", f"sha256:{F64}")),
    ("", "empty"),
    (":justtag", "format"),
    (f"@sha256:{F64}", "format"),
    ("repo@sha256:" + "f" * 34, "digest_length"),
    (f"validname@invaliddigest:{F64}", "digest_unsupported"),
    ("Uppercase:tag", "uppercase"),
    ("test:5000/Uppercase/lowercase:tag", "uppercase"),
    ("lowercase:Uppercase", Parsed("", "lowercase", "Uppercase")),
    ("domain/" + "a" * 256 + ":tag", "name_too_long"),
    ("a/" * 127 + "a:tag-puts-this-over-max", Parsed("a", "a/" * 127 + "a", "tag-puts-this-over-max")),
    ("aa/asdf$$^/aa", "format"),
    ("sub-dom1.foo.com/bar/baz/quux", Parsed("sub-dom1.foo.com", "sub-dom1.foo.com/bar/baz/quux")),
    (
        "sub-dom1.foo.com/bar/baz/quux:some-long-tag",
        Parsed("sub-dom1.foo.com", "sub-dom1.foo.com/bar/baz/quux", "some-long-tag"),
    ),
    (
        "b.gcr.io/test.example.com/my-app:test.example.com",
        Parsed("b.gcr.io", "b.gcr.io/test.example.com/my-app", "test.example.com"),
    ),
    ("xn--n3h.com/myimage:xn--n3h.com", Parsed("xn--n3h.com", "xn--n3h.com/myimage", "xn--n3h.com")),
    (
        f"xn--7o8h.com/myimage:xn--7o8h.com@sha512:{F128}",
        Parsed("xn--7o8h.com", "xn--7o8h.com/myimage", "xn--7o8h.com", f"sha512:{F128}"),
    ),
    ("foo_bar.com:8080", Parsed("", "foo_bar.com", "8080")),
    ("foo/foo_bar.com:8080", Parsed("foo", "foo/foo_bar.com", "8080")),
    ("192.168.1.1", Parsed("", "192.168.1.1")),
    ("192.168.1.1:tag", Parsed("", "192.168.1.1", "tag")),
    ("192.168.1.1:5000", Parsed("", "192.168.1.1", "5000")),
    ("192.168.1.1/repo", Parsed("192.168.1.1", "192.168.1.1/repo")),
    ("192.168.1.1:5000/repo", Parsed("192.168.1.1:5000", "192.168.1.1:5000/repo")),
    ("192.168.1.1:5000/repo:5050", Parsed("192.168.1.1:5000", "192.168.1.1:5000/repo", "5050")),
    ("[2001:db8::1]", "format"),
    ("[2001:db8::1]:5000", "format"),
    ("[2001:db8::1]:tag", "format"),
    ("[2001:db8::1]/repo", Parsed("[2001:db8::1]", "[2001:db8::1]/repo")),
    (
        "[2001:db8:1:2:3:4:5:6]/repo:tag",
        Parsed("[2001:db8:1:2:3:4:5:6]", "[2001:db8:1:2:3:4:5:6]/repo", "tag"),
    ),
    ("[2001:db8::1]:5000/repo", Parsed("[2001:db8::1]:5000", "[2001:db8::1]:5000/repo")),
    ("[2001:db8::1]:5000/repo:tag", Parsed("[2001:db8::1]:5000", "[2001:db8::1]:5000/repo", "tag")),
    (
        f"[2001:db8::1]:5000/repo@sha256:{F64}",
        Parsed("[2001:db8::1]:5000", "[2001:db8::1]:5000/repo", None, f"sha256:{F64}"),
    ),
    (
        f"[2001:db8::1]:5000/repo:tag@sha256:{F64}",
        Parsed("[2001:db8::1]:5000", "[2001:db8::1]:5000/repo", "tag", f"sha256:{F64}"),
    ),
    ("[2001:db8::]:5000/repo", Parsed("[2001:db8::]:5000", "[2001:db8::]:5000/repo")),
    ("[::1]:5000/repo", Parsed("[::1]:5000", "[::1]:5000/repo")),
    ("[fe80::1%eth0]:5000/repo", "format"),
    ("[fe80::1%@invalidzone]:5000/repo", "format"),
    ("example.com/" + "a" * 255 + ":tag", Parsed("example.com", "example.com/" + "a" * 255, "tag")),
]


def _id(text: str) -> str:
    return text if len(text) <= 60 else text[:40] + f"...({len(text)})"


@pytest.mark.parametrize(("text", "expected"), [pytest.param(t, e, id=_id(t) or "empty") for t, e in REFERENCE_PARSE])
def test_reference_parse(text: str, expected: Parsed | InvalidReason) -> None:
    if isinstance(expected, str):
        with pytest.raises(InvalidReference) as info:
            parse_raw(text)
        assert info.value.reason == expected
        return
    raw = parse_raw(text)
    assert Parsed(raw.domain, raw.name, raw.tag, raw.digest) == expected
    assert str(raw) == text


# TestWithNameFailure
@pytest.mark.parametrize(
    ("text", "reason"),
    [
        pytest.param("", "format", id="empty"),
        pytest.param(":justtag", "format", id="justtag"),
        pytest.param(f"@sha256:{F64}", "format", id="digest-only"),
        pytest.param(f"validname@invaliddigest:{F64}", "format", id="with-digest"),
        pytest.param("example.com/repo:tag", "format", id="with-tag"),
        pytest.param("example.com/" + "a" * 256, "name_too_long", id="too-long"),
        pytest.param("aa/asdf$$^/aa", "format", id="bad-chars"),
    ],
)
def test_with_name_failure(text: str, reason: InvalidReason) -> None:
    with pytest.raises(InvalidReference) as info:
        parse_name(text)
    assert info.value.reason == reason


# TestDomainAndPath
@pytest.mark.parametrize(
    ("text", "domain", "path"),
    [
        ("test.com/foo", "test.com", "foo"),
        ("test_com/foo", "", "test_com/foo"),
        ("test:8080/foo", "test:8080", "foo"),
        ("test.com:8080/foo", "test.com:8080", "foo"),
        ("test-com:8080/foo", "test-com:8080", "foo"),
        ("xn--n3h.com:18080/foo", "xn--n3h.com:18080", "foo"),
    ],
)
def test_domain_and_path(text: str, domain: str, path: str) -> None:
    name = parse_name(text)
    assert (name.domain, name.path) == (domain, path)


# TestDomainRegexp: whether the text is a registry host (checked as the domain of "<text>/repo").
DOMAIN_REGEXP: list[tuple[str, bool]] = [
    ("test.com", True),
    ("test.com:10304", True),
    ("test.com:http", False),
    ("localhost", True),
    ("localhost:8080", True),
    ("a", True),
    ("a.b", True),
    ("ab.cd.com", True),
    ("a-b.com", True),
    ("-ab.com", False),
    ("ab-.com", False),
    ("ab.c-om", True),
    ("ab.-com", False),
    ("ab.com-", False),
    ("0101.com", True),
    ("001a.com", True),
    ("b.gbc.io:443", True),
    ("b.gbc.io", True),
    ("xn--n3h.com", True),
    ("Asdf.com", True),
    ("192.168.1.1:75050", True),
    ("192.168.1.1:750050", True),
    ("[fd00:1:2::3]:75050", True),
    ("[fd00:1:2::3]75050", False),
    ("[fd00:1:2::3]::75050", False),
    ("[fd00:1:2::3%eth0]:75050", False),
    ("[fd00123123123]:75050", True),
    ("[2001:0db8:85a3:0000:0000:8a2e:0370:7334]:75050", True),
    ("[2001:0db8:85a3:0000:0000:8a2e:0370:7334]:750505", True),
    ("fd00:1:2::3:75050", False),
]


@pytest.mark.parametrize(("host", "is_domain"), DOMAIN_REGEXP, ids=[h for h, _ in DOMAIN_REGEXP])
def test_domain_regexp(host: str, is_domain: bool) -> None:
    try:
        domain = parse_name(f"{host}/repo").domain
    except InvalidReference:
        domain = None
    assert (domain == host) is is_domain


# TestFullNameRegexp: name -> (domain, path), or None when the name does not match.
FULL_NAME: list[tuple[str, tuple[str, str] | None]] = [
    ("", None),
    ("short", ("", "short")),
    ("simple/name", ("simple", "name")),
    ("library/ubuntu", ("library", "ubuntu")),
    ("docker/stevvooe/app", ("docker", "stevvooe/app")),
    ("aa/aa/aa/aa/aa/aa/aa/aa/aa/bb/bb/bb/bb/bb/bb", ("aa", "aa/aa/aa/aa/aa/aa/aa/aa/bb/bb/bb/bb/bb/bb")),
    ("aa/aa/bb/bb/bb", ("aa", "aa/bb/bb/bb")),
    ("a/a/a/a", ("a", "a/a/a")),
    ("a/a/a/a/", None),
    ("a//a/a", None),
    ("a", ("", "a")),
    ("a/aa", ("a", "aa")),
    ("a/aa/a", ("a", "aa/a")),
    ("foo.com", ("", "foo.com")),
    ("foo.com/", None),
    ("foo.com:8080/bar", ("foo.com:8080", "bar")),
    ("foo.com:http/bar", None),
    ("foo.com/bar", ("foo.com", "bar")),
    ("foo.com/bar/baz", ("foo.com", "bar/baz")),
    ("localhost:8080/bar", ("localhost:8080", "bar")),
    ("sub-dom1.foo.com/bar/baz/quux", ("sub-dom1.foo.com", "bar/baz/quux")),
    ("blog.foo.com/bar/baz", ("blog.foo.com", "bar/baz")),
    ("a^a", None),
    ("aa/asdf$$^/aa", None),
    ("asdf$$^/aa", None),
    ("aa-a/a", ("aa-a", "a")),
    ("a/" * 128 + "a", ("a", "a/" * 127 + "a")),
    ("a-/a/a/a", None),
    ("foo.com/a-/a/a", None),
    ("-foo/bar", None),
    ("foo/bar-", None),
    ("foo-/bar", None),
    ("foo/-bar", None),
    ("_foo/bar", None),
    ("foo_bar", ("", "foo_bar")),
    ("foo_bar.com", ("", "foo_bar.com")),
    ("foo_bar.com:8080", None),
    ("foo_bar.com:8080/app", None),
    ("foo.com/foo_bar", ("foo.com", "foo_bar")),
    ("____/____", None),
    ("_docker/_docker", None),
    ("docker_/docker_", None),
    ("b.gcr.io/test.example.com/my-app", ("b.gcr.io", "test.example.com/my-app")),
    ("xn--n3h.com/myimage", ("xn--n3h.com", "myimage")),
    ("xn--7o8h.com/myimage", ("xn--7o8h.com", "myimage")),
    ("example.com/xn--7o8h.com/myimage", ("example.com", "xn--7o8h.com/myimage")),
    (
        "example.com/some_separator__underscore/myimage",
        ("example.com", "some_separator__underscore/myimage"),
    ),
    ("example.com/__underscore/myimage", None),
    ("example.com/..dots/myimage", None),
    ("example.com/.dots/myimage", None),
    ("example.com/nodouble..dots/myimage", None),
    ("docker./docker", None),
    (".docker/docker", None),
    ("docker-/docker", None),
    ("-docker/docker", None),
    ("do..cker/docker", None),
    ("do__cker:8080/docker", None),
    ("do__cker/docker", ("", "do__cker/docker")),
    (
        "registry.io/foo/project--id.module--name.ver---sion--name",
        ("registry.io", "foo/project--id.module--name.ver---sion--name"),
    ),
    ("Asdf.com/foo/bar", ("Asdf.com", "foo/bar")),
    ("Foo/FarB", None),
]


@pytest.mark.parametrize(("text", "expected"), [pytest.param(t, e, id=_id(t) or "empty") for t, e in FULL_NAME])
def test_full_name_regexp(text: str, expected: tuple[str, str] | None) -> None:
    if expected is None:
        with pytest.raises(InvalidReference):
            parse_name(text)
        return
    name = parse_name(text)
    assert (name.domain, name.path) == expected


# TestReferenceRegexp: reference -> (name, tag, digest), or None when it does not match.
REFERENCE_REGEXP: list[tuple[str, tuple[str, str | None, str | None] | None]] = [
    ("registry.com:8080/myapp:tag", ("registry.com:8080/myapp", "tag", None)),
    (f"registry.com:8080/myapp@{BE178}", ("registry.com:8080/myapp", None, BE178)),
    (f"registry.com:8080/myapp:tag2@{BE178}", ("registry.com:8080/myapp", "tag2", BE178)),
    ("registry.com:8080/myapp@sha256:badbadbadbad", None),
    ("registry.com:8080/myapp:invalid~tag", None),
    ("bad_hostname.com:8080/myapp:tag", None),
    # localhost without a slash is a name; 8080 is then its tag.
    (f"localhost:8080@{BE178}", ("localhost", "8080", BE178)),
    (f"localhost:8080/name@{BE178}", ("localhost:8080/name", None, BE178)),
    (f"localhost:http/name@{BE178}", None),
    (f"localhost@{BE178}", ("localhost", None, BE178)),
    ("registry.com:8080/myapp@bad", None),
    ("registry.com:8080/myapp@2bad", None),
]


@pytest.mark.parametrize(("text", "expected"), [pytest.param(t, e, id=_id(t)) for t, e in REFERENCE_REGEXP])
def test_reference_regexp(text: str, expected: tuple[str, str | None, str | None] | None) -> None:
    if expected is None:
        with pytest.raises(InvalidReference):
            parse_raw(text)
        return
    raw = parse_raw(text)
    assert (raw.name, raw.tag, raw.digest) == expected


# TestIdentifierRegexp: a bare 64-digit lower-case hex string is an image ID, which parse() refuses.
@pytest.mark.parametrize(
    ("text", "is_identifier"),
    [
        pytest.param("da304e823d8ca2b9d863a3c897baeb852ba21ea9a9f1414736394ae7fcaf9821", True, id="64-hex"),
        pytest.param("7EC43B381E5AEFE6E04EFB0B3F0693FF2A4A50652D64AEC573905F2DB5889A1C", False, id="upper"),
        pytest.param("da304e823d8ca2b9d863a3c897baeb852ba21ea9a9f1414736394ae7fcaf", False, id="60-hex"),
        pytest.param("sha256:da304e823d8ca2b9d863a3c897baeb852ba21ea9a9f1414736394ae7fcaf9821", False, id="with-algo"),
        pytest.param("da304e823d8ca2b9d863a3c897baeb852ba21ea9a9f1414736394ae7fcaf98218482", False, id="69-hex"),
    ],
)
def test_identifier(text: str, is_identifier: bool) -> None:
    try:
        parse(text)
        reason = None
    except InvalidReference as exc:
        reason = exc.reason
    assert (reason == "identifier") is is_identifier


# TestValidateReferenceName and TestValidateRemoteName (both call ParseNormalizedNamed).
VALID_NAMES = [
    "docker/docker",
    "library/debian",
    "debian",
    "docker.io/docker/docker",
    "docker.io/library/debian",
    "docker.io/debian",
    "index.docker.io/docker/docker",
    "index.docker.io/library/debian",
    "index.docker.io/debian",
    "127.0.0.1:5000/docker/docker",
    "127.0.0.1:5000/library/debian",
    "127.0.0.1:5000/debian",
    "192.168.0.1",
    "192.168.0.1:80",
    "192.168.0.1:8/debian",
    "192.168.0.2:25000/debian",
    "thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev",
    "[fc00::1]:5000/docker",
    "[fc00::1]:5000/docker/docker",
    "[fc00:1:2:3:4:5:6:7]:5000/library/debian",
    "docker.io/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a",
    "Docker/docker",
    "DOCKER/docker",
    "docker-rules/docker",
    "docker---rules/docker",
    "doc/docker",
    "d/docker",
    "jess/t",
    "dock__er/docker",
]
INVALID_NAMES = [
    "https://github.com/docker/docker",
    "docker/Docker",
    "-docker",
    "-docker/docker",
    "-docker.io/docker/docker",
    "docker///docker",
    "docker.io/docker/Docker",
    "docker.io/docker///docker",
    "[fc00::1]",
    "[fc00::1]:5000",
    "fc00::1:5000/debian",
    "[fe80::1%eth0]:5000/debian",
    "[2001:db8:3:4::192.0.2.33]:5000/debian",
    "1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a",
    "docker-/docker",
    "-docker-/docker",
    "____/____",
    "_docker/_docker",
    "dock..er/docker",
    "dock_.er/docker",
    "dock-.er/docker",
    "docker/",
    "this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_"
    "lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_"
    "valid_namespace_because_its_lenth_is_greater_than_255/docker",
]


@pytest.mark.parametrize("text", [pytest.param(t, id=_id(t)) for t in VALID_NAMES])
def test_valid_names(text: str) -> None:
    assert parse(text).original == text


@pytest.mark.parametrize("text", [pytest.param(t, id=_id(t)) for t in INVALID_NAMES])
def test_invalid_names(text: str) -> None:
    with pytest.raises(InvalidReference, match="invalid image reference"):
        parse(text)


class RepositoryInfo(NamedTuple):
    remote: str
    familiar: str
    full: str
    ambiguous: str
    domain: str


# TestParseRepositoryInfo: each spelling (familiar, full, ambiguous) parses to the same repository.
REPOSITORY_INFO = [
    RepositoryInfo("fooo/bar", "fooo/bar", "docker.io/fooo/bar", "index.docker.io/fooo/bar", "docker.io"),
    RepositoryInfo("library/ubuntu", "ubuntu", "docker.io/library/ubuntu", "library/ubuntu", "docker.io"),
    RepositoryInfo("nonlibrary/ubuntu", "nonlibrary/ubuntu", "docker.io/nonlibrary/ubuntu", "", "docker.io"),
    RepositoryInfo("other/library", "other/library", "docker.io/other/library", "", "docker.io"),
    RepositoryInfo(
        "private/moonbase",
        "127.0.0.1:8000/private/moonbase",
        "127.0.0.1:8000/private/moonbase",
        "",
        "127.0.0.1:8000",
    ),
    RepositoryInfo("privatebase", "127.0.0.1:8000/privatebase", "127.0.0.1:8000/privatebase", "", "127.0.0.1:8000"),
    RepositoryInfo(
        "private/moonbase", "example.com/private/moonbase", "example.com/private/moonbase", "", "example.com"
    ),
    RepositoryInfo("privatebase", "example.com/privatebase", "example.com/privatebase", "", "example.com"),
    RepositoryInfo(
        "private/moonbase",
        "example.com:8000/private/moonbase",
        "example.com:8000/private/moonbase",
        "",
        "example.com:8000",
    ),
    RepositoryInfo(
        "privatebasee",
        "example.com:8000/privatebasee",
        "example.com:8000/privatebasee",
        "",
        "example.com:8000",
    ),
    RepositoryInfo(
        "library/ubuntu-12.04-base",
        "ubuntu-12.04-base",
        "docker.io/library/ubuntu-12.04-base",
        "index.docker.io/library/ubuntu-12.04-base",
        "docker.io",
    ),
    RepositoryInfo("library/foo", "foo", "docker.io/library/foo", "docker.io/foo", "docker.io"),
    RepositoryInfo("library/foo/bar", "library/foo/bar", "docker.io/library/foo/bar", "", "docker.io"),
    RepositoryInfo("store/foo/bar", "store/foo/bar", "docker.io/store/foo/bar", "", "docker.io"),
    RepositoryInfo("bar", "Foo/bar", "Foo/bar", "", "Foo"),
    RepositoryInfo("bar", "FOO/bar", "FOO/bar", "", "FOO"),
]


@pytest.mark.parametrize(
    ("spelling", "info"),
    [
        pytest.param(spelling, info, id=spelling)
        for info in REPOSITORY_INFO
        for spelling in (info.familiar, info.full, info.ambiguous)
        if spelling
    ],
)
def test_repository_info(spelling: str, info: RepositoryInfo) -> None:
    ref = parse(spelling)
    assert ref.familiar == info.familiar
    assert ref.canonical == info.full
    assert ref.domain == info.domain
    assert ref.path == info.remote


# TestNormalizedSplitHostname
@pytest.mark.parametrize(
    ("text", "domain", "path"),
    [
        ("test.com/foo", "test.com", "foo"),
        ("test_com/foo", "docker.io", "test_com/foo"),
        ("docker/migrator", "docker.io", "docker/migrator"),
        ("test.com:8080/foo", "test.com:8080", "foo"),
        ("test-com:8080/foo", "test-com:8080", "foo"),
        ("foo", "docker.io", "library/foo"),
        ("xn--n3h.com/foo", "xn--n3h.com", "foo"),
        ("xn--n3h.com:18080/foo", "xn--n3h.com:18080", "foo"),
        ("docker.io/foo", "docker.io", "library/foo"),
        ("docker.io/library/foo", "docker.io", "library/foo"),
        ("docker.io/library/foo/bar", "docker.io", "library/foo/bar"),
    ],
)
def test_normalized_split_hostname(text: str, domain: str, path: str) -> None:
    ref = parse(text)
    assert (ref.domain, ref.path) == (domain, path)


# TestParseAnyReference (named cases): the canonical string of the normalised reference.
@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("redis", "docker.io/library/redis"),
        ("redis:latest", "docker.io/library/redis:latest"),
        ("docker.io/library/redis:latest", "docker.io/library/redis:latest"),
        (f"redis@{DBCC}", f"docker.io/library/redis@{DBCC}"),
        (f"docker.io/library/redis@{DBCC}", f"docker.io/library/redis@{DBCC}"),
        ("dmcgowan/myapp", "docker.io/dmcgowan/myapp"),
        ("dmcgowan/myapp:latest", "docker.io/dmcgowan/myapp:latest"),
        ("docker.io/mcgowan/myapp:latest", "docker.io/mcgowan/myapp:latest"),
        (f"dmcgowan/myapp@{DBCC}", f"docker.io/dmcgowan/myapp@{DBCC}"),
        (f"docker.io/dmcgowan/myapp@{DBCC}", f"docker.io/dmcgowan/myapp@{DBCC}"),
        (
            "dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9",
            "docker.io/library/dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9",
        ),
        ("dbcc1", "docker.io/library/dbcc1"),
    ],
    ids=_id,
)
def test_parse_any_reference(text: str, canonical: str) -> None:
    assert parse(text).canonical == canonical


# TestParseNamed: ParseNamed accepts only input that is already canonical.
@pytest.mark.parametrize(
    ("text", "is_canonical"),
    [
        ("test.com/foo", True),
        ("test:8080/foo", True),
        ("test_com/foo", False),
        ("test.com", False),
        ("foo", False),
        ("library/foo", False),
        ("docker.io/library/foo", True),
        ("docker.io/foo", False),
    ],
)
def test_parse_named_canonical(text: str, is_canonical: bool) -> None:
    assert (parse(text).canonical == text) is is_canonical


# TestParseDockerRef: what a pull uses; a digest wins over the tag.
E669 = "sha256:e6693c20186f837fc393390135d8a598a96a833917917789d63766cab6c59582"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("busybox", "docker.io/library/busybox:latest", id="nothing"),
        pytest.param("busybox:latest", "docker.io/library/busybox:latest", id="tag only"),
        pytest.param(f"busybox@{E669}", f"docker.io/library/busybox@{E669}", id="digest only"),
        pytest.param("library/busybox", "docker.io/library/busybox:latest", id="path only"),
        pytest.param("docker.io/busybox", "docker.io/library/busybox:latest", id="hostname only"),
        pytest.param("docker.io/library/busybox", "docker.io/library/busybox:latest", id="no tag"),
        pytest.param("docker.io/busybox:latest", "docker.io/library/busybox:latest", id="no path"),
        pytest.param("library/busybox:latest", "docker.io/library/busybox:latest", id="no hostname"),
        pytest.param("docker.io/library/busybox:latest", "docker.io/library/busybox:latest", id="full with tag"),
        pytest.param("gcr.io/library/busybox", "gcr.io/library/busybox:latest", id="gcr without tag"),
        pytest.param(f"gcr.io/library/busybox:latest@{E669}", f"gcr.io/library/busybox@{E669}", id="tag and digest"),
    ],
)
def test_parse_docker_ref(text: str, expected: str) -> None:
    assert parse(text).pull_reference == expected
    parse_raw(expected)  # the output is itself a valid reference


def test_tag_and_digest_kept() -> None:
    # TestParseReferenceWithTagAndDigest; docker-py's parse_repository_tag loses one of them.
    short = "busybox:latest@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa"
    ref = parse(short)
    assert ref.canonical == "docker.io/library/" + short
    assert ref.familiar == short
    assert ref.tag == "latest"
    assert ref.digest == "sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa"


# -- dockmod's own cases -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "normalized", "familiar", "endpoint"),
    [
        ("node", "docker.io/library/node:latest", "node", DOCKER_HUB_ENDPOINT),
        ("node:18-slim", "docker.io/library/node:18-slim", "node:18-slim", DOCKER_HUB_ENDPOINT),
        ("bitnami/redis", "docker.io/bitnami/redis:latest", "bitnami/redis", DOCKER_HUB_ENDPOINT),
        ("index.docker.io/library/node:18", "docker.io/library/node:18", "node:18", DOCKER_HUB_ENDPOINT),
        ("localhost/x", "localhost/x:latest", "localhost/x", "localhost"),
        ("localhost:5000/x:1", "localhost:5000/x:1", "localhost:5000/x:1", "localhost:5000"),
        ("[::1]:5000/x", "[::1]:5000/x:latest", "[::1]:5000/x", "[::1]:5000"),
        ("ghcr.io/a/b:v1", "ghcr.io/a/b:v1", "ghcr.io/a/b:v1", "ghcr.io"),
        (
            "127.0.0.1:41000/library/node",
            "127.0.0.1:41000/library/node:latest",
            "127.0.0.1:41000/library/node",
            "127.0.0.1:41000",
        ),
    ],
)
def test_normalized_familiar_endpoint(text: str, normalized: str, familiar: str, endpoint: str) -> None:
    ref = parse(text)
    assert ref.normalized == normalized
    assert ref.familiar == familiar
    assert ref.registry_endpoint == endpoint
    assert str(ref) == text


def test_equality_ignores_spelling() -> None:
    assert parse("node:18") == parse("docker.io/library/node:18") == parse("index.docker.io/node:18")
    assert parse("node:18") != parse("node:20")


def test_spelled_keeps_user_text() -> None:
    ref = parse("index.docker.io/node:18-slim")
    digest = "sha256:" + "a" * 64
    assert ref.spelled_name == "index.docker.io/node"
    assert ref.spelled(tag="18.20.4-slim", digest=digest) == f"index.docker.io/node:18.20.4-slim@{digest}"
    pinned = ref.with_digest(digest)
    assert pinned.original == f"index.docker.io/node:18-slim@{digest}"
    assert pinned.with_digest(None).original == "index.docker.io/node:18-slim"
    assert parse("node").with_tag("18").original == "node:18"


@pytest.mark.parametrize(
    ("tag", "digest", "reason"),
    [
        pytest.param("bad tag", None, "format", id="space-in-tag"),
        pytest.param(None, "sha256:abc", "digest_format", id="short-digest"),
        pytest.param(None, "sha256:" + "A" * 64, "digest_format", id="upper-hex"),
        pytest.param(None, "md5:" + "a" * 32, "digest_unsupported", id="md5"),
    ],
)
def test_spelled_rejects_invalid_parts(tag: str | None, digest: str | None, reason: InvalidReason) -> None:
    with pytest.raises(InvalidReference) as info:
        parse("node").spelled(tag=tag, digest=digest)
    assert info.value.reason == reason


def test_error_message_names_input_and_rule() -> None:
    with pytest.raises(InvalidReference) as info:
        parse("Node:18")
    message = str(info.value)
    assert "'Node:18'" in message
    assert "must be lowercase" in message
    assert info.value.text == "Node:18"


def test_trailing_newline_is_not_a_reference() -> None:
    # Python's "$" would accept "node\n"; Go's anchored regexps do not.
    with pytest.raises(InvalidReference):
        parse("node\n")


def test_no_catastrophic_backtracking() -> None:
    hostile = "a" + "-a" * 5000 + "!"
    start = time.perf_counter()
    with pytest.raises(InvalidReference):
        parse(hostile)
    assert time.perf_counter() - start < 1.0


# -- variable expansion -------


@pytest.mark.parametrize(
    ("text", "values", "expanded", "unresolved"),
    [
        pytest.param("${BASE}", {"BASE": "node:18"}, "node:18", (), id="braced"),
        pytest.param("$BASE", {"BASE": "node:18"}, "node:18", (), id="bare"),
        pytest.param("node:${V}-slim", {"V": "18"}, "node:18-slim", (), id="inside"),
        pytest.param("$REG/app:$TAG", {"REG": "ghcr.io/a", "TAG": "1"}, "ghcr.io/a/app:1", (), id="two"),
        pytest.param("${BASE:-node:20}", {}, "node:20", (), id="default-undeclared"),
        pytest.param("${BASE:-node:20}", {"BASE": None}, "node:20", (), id="default-no-value"),
        pytest.param("${BASE:-node:20}", {"BASE": ""}, "node:20", (), id="colon-default-empty"),
        pytest.param("${BASE-node:20}", {"BASE": ""}, "", (), id="dash-default-empty-set"),
        pytest.param("${BASE:-${ALT}}", {"ALT": "x"}, "x", (), id="nested-default"),
        pytest.param("x${S:+-slim}", {"S": "1"}, "x-slim", (), id="plus-set"),
        pytest.param("x${S:+-slim}", {}, "x", (), id="plus-unset"),
        pytest.param("${BASE}", {}, "", ("BASE",), id="undeclared"),
        pytest.param("${BASE}", {"BASE": None}, "", ("BASE",), id="no-default"),
        pytest.param("${BASE:?need it}", {}, "", ("BASE",), id="required"),
        pytest.param("${BASE#*/}", {"BASE": "a/b"}, "", ("BASE",), id="pattern-op"),
        pytest.param("\\$BASE", {"BASE": "x"}, "$BASE", (), id="escaped"),
        pytest.param("'$BASE'", {"BASE": "x"}, "$BASE", (), id="single-quoted"),
        pytest.param('"$BASE"', {"BASE": "x"}, "x", (), id="double-quoted"),
        pytest.param("a$", {}, "a$", (), id="lone-dollar"),
        pytest.param("node:18", {}, "node:18", (), id="plain"),
    ],
)
def test_expand_variables(text: str, values: dict[str, str | None], expanded: str, unresolved: tuple[str, ...]) -> None:
    result = expand_variables(text, values)
    assert result.text == expanded
    assert result.unresolved == unresolved
    assert result.resolved is (not unresolved)


def test_expand_variables_lists_every_variable_once() -> None:
    result = expand_variables("${A}/${B:-x}:$A", {"A": "a"})
    assert result.variables == ("A", "B")
    assert result.text == "a/x:a"


def test_expand_variables_backtick_escape() -> None:
    assert expand_variables("`$X", {"X": "y"}, escape="`").text == "$X"
    assert expand_variables("\\$X", {"X": "y"}, escape="`").text == "\\y"

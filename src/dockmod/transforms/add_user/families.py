"""Base image families (REFERENCE §4): which users an image ships, whether it already runs as one of its own, and
whether it must keep running as root."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Literal

from dockmod.cst import Dockerfile, Stage
from dockmod.transforms import _stages

Kind = Literal["node", "debian", "alpine", "dotnet", "distroless", "chainguard", "scratch", "unknown"]


# Official images whose default variant is Debian or Ubuntu (shadow's groupadd/useradd are there).
_DEBIAN_IMAGES: Final = frozenset({
    "debian", "ubuntu", "python", "ruby", "golang", "php", "perl", "rust", "buildpack-deps", "eclipse-temurin",
    "gcc", "haskell", "elixir", "erlang", "julia", "clojure", "swift", "r-base", "mono", "gradle", "maven",
    "tomcat", "pypy", "ibmjava", "sapmachine", "ibm-semeru-runtimes", "java", "openjdk",
})  # fmt: skip
_ALPINE_IMAGES: Final = frozenset({"alpine", "bash"})
# Official images whose start-up needs root: their entrypoint drops privileges itself (gosu, su-exec), or the
# server binds a low port and writes root-owned run-time folders before its workers switch user.
_NEEDS_ROOT: Final[Mapping[str, str]] = {
    **dict.fromkeys((
        "postgres", "mysql", "mariadb", "percona", "redis", "mongo", "rabbitmq", "cassandra", "couchdb",
        "couchbase", "ghost", "redmine", "zookeeper", "influxdb", "telegraf", "chronograf", "kapacitor",
        "consul", "vault", "eclipse-mosquitto", "neo4j", "nats-streaming", "storm", "flink", "nextcloud",
        "owncloud", "friendica", "matomo", "mediawiki", "drupal", "joomla", "wordpress", "phpmyadmin",
        "postfixadmin", "yourls", "backdrop", "bonita", "xwiki", "geonetwork", "orientdb", "aerospike",
    ), "its entrypoint starts as root and drops privileges itself (gosu/su-exec)"),
    "nginx": "nginx's master process runs as root (port 80, /var/cache/nginx) and starts its workers as nginx; "
    "use nginxinc/nginx-unprivileged instead",
    "httpd": "Apache's parent process runs as root (port 80) and starts its workers as www-data",
    "caddy": "Caddy keeps its certificates in /data and /config, which belong to root",
    "traefik": "Traefik binds ports 80/443 and reads the Docker socket as root",
    "haproxy": "the haproxy image picks its own user",
    "varnish": "varnishd starts as root and drops privileges itself",
    "docker": "Docker-in-Docker needs root",
}  # fmt: skip
# Official images that already run as a non-root user of their own: adding another one would break them.
_ALREADY_NON_ROOT: Final = frozenset({
    "jetty", "memcached", "solr", "sonarqube", "odoo", "kong", "adminer", "rocket.chat", "znc", "elasticsearch",
    "kibana", "logstash",
})  # fmt: skip
_DEBIAN_TAGS: Final = (
    "jessie", "stretch", "buster", "bullseye", "bookworm", "trixie", "forky", "sid", "wheezy",  # Debian
    "trusty", "xenial", "bionic", "focal", "jammy", "noble", "oracular", "plucky",  # Ubuntu
    "slim",
)  # fmt: skip
_RHEL_TAGS: Final = ("oraclelinux", "oracle", "ubi", "centos", "amazonlinux", "corretto", "rockylinux",
                     "almalinux", "fedora", "ol8", "ol9")  # fmt: skip
_WINDOWS: Final = ("windowsservercore", "nanoserver", "servercore", "ltsc", "windows")
_DOTNET: Final = re.compile(r"dotnet/(?:core/)?(?:aspnet|runtime|runtime-deps|sdk)")
_CHAINGUARD_ROOT: Final = frozenset({"wolfi-base", "busybox", "chainguard-base"})


@dataclass(frozen=True, slots=True)
class Family:
    """What the final stage's base image tells about its users."""

    kind: Kind
    image: str  # the base image, for messages
    leave: bool = False  # the image already runs as a non-root user of its own
    refuse: str | None = None  # why the image must keep running as root (display-only advice)
    unsafe: str | None = None  # why the family is uncertain

    @property
    def shell(self) -> bool:
        """Whether a RUN line can create folders (distroless, scratch and unknown images: not reliably)."""
        return self.kind in ("node", "debian", "alpine", "dotnet")


def family(tree: Dockerfile, stages: Sequence[Stage]) -> Family:
    """The family of the image the final stage's lineage (``stages``, root first) builds on."""
    root = stages[0]
    if _stages.is_scratch(tree, root):
        return Family("scratch", "scratch")
    ref = _stages.base_image(tree, root)
    if ref is None:
        return Family("unknown", root.base, unsafe=f"the base image {root.base} is unknown until build time")
    name = ref.familiar
    chosen_by = _repository_variables(tree, root.base)
    unsafe = None
    if chosen_by is not None:
        unsafe = f"the base image comes from ARG {chosen_by} (default {name}), so it may be another family"
    tag = (ref.tag or "").lower()
    path = ref.path.lower()
    if any(w in path or w in tag for w in _WINDOWS) or path.startswith("dotnet/framework"):
        return Family("unknown", name, refuse="a Windows image: its users (ContainerUser) work differently")
    if ref.domain == "gcr.io" and path.startswith("distroless/"):
        return Family("distroless", name, leave="nonroot" in tag, unsafe=unsafe)
    if ref.domain == "cgr.dev" and path.startswith("chainguard/"):
        runs_as_root = "dev" in tag or path.removeprefix("chainguard/") in _CHAINGUARD_ROOT
        why = "Chainguard images differ in their users; uid 65532 is their documented non-root user"
        return Family("chainguard", name, leave=not runs_as_root, unsafe=unsafe or why)
    if ref.domain == "mcr.microsoft.com" and _DOTNET.fullmatch(path):
        return _dotnet(name, tag, unsafe)
    if "linuxserver/" in path or ref.domain == "lscr.io":
        return Family("unknown", name, refuse="linuxserver.io images start as root (s6 /init) and switch to PUID")
    if path == "nginxinc/nginx-unprivileged":
        return Family("unknown", name, leave=True)
    if not ref.is_docker_hub or not path.startswith("library/"):
        why = f"dockmod does not know which users {name} ships or whether it already runs as one of its own"
        return Family("unknown", name, unsafe=unsafe or why)
    official = path.removeprefix("library/")
    if official in _NEEDS_ROOT:
        return Family("unknown", name, refuse=f"{official}: {_NEEDS_ROOT[official]}")
    if official == "php" and "apache" in tag:
        return Family("unknown", name, refuse=f"php:*-apache: {_NEEDS_ROOT['httpd']}")
    if official in _ALREADY_NON_ROOT:
        return Family("unknown", name, leave=True)
    if official == "node":
        return Family("node", name, unsafe=unsafe)
    by_tag = _tag_family(tag)
    if by_tag == "rhel":
        return Family("unknown", name, unsafe=unsafe or f"{name} is not Debian or Alpine based")
    if by_tag is not None:
        return Family(by_tag, name, unsafe=unsafe)
    if official == "openjdk" and _major(tag) >= 12:
        return Family("unknown", name, unsafe=unsafe or f"{name} is Oracle Linux based, not Debian")
    if official in ("maven", "gradle") and "openjdk" in tag:
        return Family("unknown", name, unsafe=unsafe or f"the distribution under {name} depends on the JDK tag")
    if official in _DEBIAN_IMAGES:
        return Family("debian", name, unsafe=unsafe)
    if official in _ALPINE_IMAGES:
        return Family("alpine", name, unsafe=unsafe)
    why = f"dockmod does not know which users {name} ships or whether it already runs as one of its own"
    return Family("unknown", name, unsafe=unsafe or why)


def _tag_family(tag: str) -> Literal["debian", "alpine", "rhel"] | None:
    if "alpine" in tag:
        return "alpine"
    words = set(re.split(r"[-_.]", tag))
    if words & set(_RHEL_TAGS) or any(tag.startswith(w) or f"-{w}" in tag for w in _RHEL_TAGS):
        return "rhel"
    if words & set(_DEBIAN_TAGS):
        return "debian"
    return None


def _major(tag: str) -> int:
    m = re.match(r"\d+", tag)
    return int(m.group()) if m else 0


def _dotnet(name: str, tag: str, unsafe: str | None) -> Family:
    # .NET 8 and later images ship an ``app`` user (uid 1654, ``ENV APP_UID``); earlier ones are plain Debian
    # or Alpine. Chiseled images have no shell.
    if _major(tag) >= 8:
        kind: Kind = "distroless" if ("chiseled" in tag or "distroless" in tag) else "dotnet"
        return Family(kind, name, unsafe=unsafe)
    by_tag = _tag_family(tag)
    if by_tag == "alpine":
        return Family("alpine", name, unsafe=unsafe)
    if by_tag == "debian" or (by_tag is None and _major(tag) > 0):
        return Family("debian", name, unsafe=unsafe)
    return Family("unknown", name, unsafe=unsafe or f"dockmod cannot tell the .NET version of {name}")


def _repository_variables(tree: Dockerfile, base: str) -> str | None:
    """The ARG that chooses the repository part of ``FROM`` (a variable in the tag only picks a version)."""
    if "$" not in base:
        return None
    name_part = re.split(r"[:@](?![^{]*\})", base, maxsplit=1)[0]
    if "$" not in name_part:
        return None
    found = re.findall(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)", name_part)
    return found[0] if found else "?"

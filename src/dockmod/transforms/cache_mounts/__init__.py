"""``cache-mounts``: keep package-manager downloads in BuildKit cache mounts between builds.

A RUN that installs dependencies gets ``--mount=type=cache,target=<the tool's cache>``; the cache persists
on the build machine and never enters the image. See ``transforms/cache-mounts.md`` for every rule.

``transform`` plans the edit of each RUN; the other modules each answer one of its questions: ``cachedirs``
(where each manager keeps its cache, and the settings that move it), ``prior`` (what the instructions above the
RUN left where a mount would go, and whether its install reads the cache alone), ``cleanups`` (what the RUN's
own commands do to the cache: the clean-ups dockmod takes out and how, those it must refuse) and ``downstream``
(what later RUN lines, the stages built on it and the image's start-up read of the cache). ``shellpaths`` reads
a RUN's shell script for them (the paths its words name, the commands it runs, also in `sh -c` strings);
``common`` holds the mount, what dockmod knows of each package manager, and a RUN's view of the build context.
"""

from dockmod.transforms.cache_mounts.transform import CacheMounts

__all__ = ["CacheMounts"]

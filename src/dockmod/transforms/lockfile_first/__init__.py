"""``lockfile-first``: install dependencies from the manifests before copying the rest of the sources.

``COPY . .`` followed by ``RUN npm ci`` re-runs the install whenever any source file changes. Copying the
manifests and lockfiles first, installing, and only then copying the rest keeps the install layer cached
until the dependencies change (Docker's "Order your layers"). See ``transforms/lockfile-first.md``.

``transform`` plans each stage's edit (the source copy, the install below it, what is copied first); the other
modules each answer one of its questions: ``reads`` (which installs of a RUN read what the source copy brings,
and which files of the sources their environment, options and settings outside the project point them at),
``projects`` (what each project's own files make its install read, manager by manager, and what in them makes
the move unsafe or impossible) and ``reorder`` (whether the instructions between the copy and the install let
the copy go below it, and the install's RUN cut in two around it). ``common`` holds the files each manager's
install reads, the source copy and the install as records, and path helpers.
"""

from dockmod.transforms.lockfile_first.transform import LockfileFirst

__all__ = ["LockfileFirst"]

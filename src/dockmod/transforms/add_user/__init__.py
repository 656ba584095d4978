"""``add-user``: run the final stage as a non-root user that really exists in the image.

The user comes from the base image's family (REFERENCE §4): the ``node`` user of the official node images,
a new ``app`` user on Debian/Ubuntu and Alpine bases, ``nonroot`` on distroless, a numeric user where the
image's users are unknown, or a user the Dockerfile already creates. Every build step keeps running as
root; ``USER`` goes after the last one, the app's files are copied ``--chown`` and the folders it writes
(working folder, volumes, folders the file creates) are given to the user, one folder at a time, never with
a recursive ``chown`` layer. See ``transforms/add-user.md`` for every rule and each safety downgrade.

``transform`` plans the edit; the other modules find what would break once the app runs as the user, each
from one source: ``families`` (the base image), ``ownership`` (owners and modes the build leaves),
``roothome`` (root's home folder), ``startup`` (the start command and its scripts), ``appcode`` (the app's
own code and settings) and ``buildsteps`` (what root's build steps made that the app rewrites). ``common``
holds what they share.
"""

from dockmod.transforms.add_user.transform import AddUser

__all__ = ["AddUser"]

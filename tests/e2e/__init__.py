"""The end-to-end suite: real builds with buildah against local base images (see README.md)."""

"""Formats a SQL query: proof that the dependency installed with Poetry is importable in the image."""

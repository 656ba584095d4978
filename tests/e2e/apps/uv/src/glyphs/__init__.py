"""Lines up city names by the columns a terminal gives them (wide CJK characters count twice), measured with wcwidth:
proof that uv's virtualenv, with its dependency and the project itself, reached the image."""

import sys

from wcwidth import wcswidth

# Cities and their populations in millions: fixed, so every image prints the same lines.
CITIES = [("東京", 37.1), ("Zürich", 1.4), ("서울", 9.4), ("Αθήνα", 3.2), ("北京市", 21.9)]


def pad(text: str, columns: int) -> str:
    """``text`` followed by spaces up to ``columns`` terminal columns (str.ljust counts characters, not columns)."""
    return text + " " * (columns - wcswidth(text))


def main() -> None:
    width = max(wcswidth(name) for name, _ in CITIES)
    for name, population in sorted(CITIES, key=lambda city: -city[1]):
        print(f"{pad(name, width)} | {population:>5.1f} M | {wcswidth(name)} columns, {len(name)} characters")
    # `glyphs` is the script `uv sync` writes into /app/.venv/bin when it installs the project; `uv run` finds it there.
    print("in a virtualenv:", sys.prefix != sys.base_prefix)

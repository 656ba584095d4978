"""Spells storage use with humanize: proof that Poetry's default virtualenv, and what it installed, reached the image."""

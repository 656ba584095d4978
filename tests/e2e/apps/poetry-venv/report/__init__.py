"""Prints a quarterly summary with tabulate: proof that Poetry's virtual environment reached the image."""

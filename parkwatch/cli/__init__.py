"""The ``parkwatch`` command: thin Typer commands over `parkwatch.pipeline`, rendering apart."""

from parkwatch.cli.commands import app

__all__ = ["app"]

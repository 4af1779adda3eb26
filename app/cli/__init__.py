"""The command line: one module per area of commands, all calling the Desk."""

from app.cli.main import build_parser, main

__all__ = ["build_parser", "main"]

"""The command line: one module per area of commands, all calling the Desk.

Importing this package is cheap on purpose: the `hotline` script imports it, and each worker
of the hashing pool imports the script that started the program again (multiprocessing's
main-module fix-up). Importing the commands here cost every worker 0.66 s (the whole Desk)
before its first picture; they are imported when a command runs."""

import argparse
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from app.cli.main import main as run

    return run(argv)


def build_parser() -> argparse.ArgumentParser:
    from app.cli.main import build_parser as build

    return build()


__all__ = ["build_parser", "main"]

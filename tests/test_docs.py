"""The README documents every command and every setting: a new one without a word there
fails here."""

import argparse
import re
from pathlib import Path

from app.cli.main import build_parser
from app.workspace.settings import SCHEMA

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def _commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> list[tuple]:
    out = []
    for action in parser._actions:  # argparse keeps its subcommands here and nowhere else
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                out.append((*prefix, name))
                out += _commands(sub, (*prefix, name))
    return out


def test_every_command_is_in_the_readme() -> None:
    missing = []
    for words in _commands(build_parser()):
        # `hotline [--user U] [--workspace W] words...` anywhere in the README
        pattern = r"hotline(?:\s+--?\S+(?:\s+[^\s-]\S*)?)*\s+" + r"\s+".join(map(re.escape, words))
        if not re.search(pattern, README):
            missing.append(" ".join(words))
    assert not missing, f"commands the README never shows: {missing}"


def test_every_setting_is_in_the_readme() -> None:
    missing = [key for key in SCHEMA if f"`{key}`" not in README and f" {key} " not in README]
    assert not missing, f"settings the README never names: {missing}"

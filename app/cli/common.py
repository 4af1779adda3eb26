"""What every command shares: who is working, where, with which password; how output looks."""

import argparse
import dataclasses
import getpass
import json
import os
import sys
from collections.abc import Callable, Sequence
from enum import Enum
from pathlib import Path
from typing import Any

from app.desk import Desk
from app.errors import InvalidInput
from app.jobs import Progress

Handler = Callable[[argparse.Namespace], int]


# ---------------------------------------------------------------- input

def password(prompt: str = "Password: ") -> str:
    value = os.environ.get("HOTLINE_PASSWORD")
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise InvalidInput("no password: set HOTLINE_PASSWORD or run in a terminal")
    return getpass.getpass(prompt)


def new_password(who: str) -> str:
    value = os.environ.get("HOTLINE_NEW_PASSWORD")
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise InvalidInput("no new password: set HOTLINE_NEW_PASSWORD or run in a terminal")
    first = getpass.getpass(f"New password for {who}: ")
    if getpass.getpass("Repeat it: ") != first:
        raise InvalidInput("the two passwords differ")
    return first


def workspace(args: argparse.Namespace) -> Path | str:
    """The folder, or a team server's conninfo: --server / $HOTLINE_SERVER, --workspace /
    $HOTLINE_WORKSPACE, then the server this workstation saved (`hotline connect`), then the
    default folder."""
    server = getattr(args, "server", None) or os.environ.get("HOTLINE_SERVER")
    folder = args.workspace or os.environ.get("HOTLINE_WORKSPACE")
    if server and args.workspace:
        raise InvalidInput("give --workspace or --server, not both")
    if server:
        return str(server)
    if folder:
        return Path(folder).expanduser()
    return Desk.saved_server() or Desk.default_workspace()


def user(args: argparse.Namespace) -> str:
    name = args.user or os.environ.get("HOTLINE_USER")
    if name:
        return name
    if not sys.stdin.isatty():
        raise InvalidInput("no user: give --user NAME or set HOTLINE_USER")
    return input("User: ")


def desk(args: argparse.Namespace) -> Desk:
    """The Desk for this command; what the sign-in found wrong is said first, loudly."""
    d = Desk.open(workspace(args), user(args), password())
    for warning in d.warnings:
        print(f"hotline: WARNING: {warning}", file=sys.stderr)
    return d


# ---------------------------------------------------------------- output

def plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {k: plain(v) for k, v in dataclasses.asdict(value).items()}
        if hasattr(value, "outcome"):  # how an import ended (a property, not a field)
            out["outcome"] = value.outcome
        return out
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value


def emit(args: argparse.Namespace, data: Any, text: Callable[[], str]) -> None:
    if args.json:
        print(json.dumps(plain(data), indent=2, ensure_ascii=False, default=str))
    else:
        out = text()
        if out:
            print(out)


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    cells = [[str(h) for h in headers], *[["" if c is None else str(c) for c in r] for r in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
             for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)




def secret(env: str, prompt: str) -> str:
    """A passphrase from an environment variable or a prompt (never from the command line)."""
    value = os.environ.get(env)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise InvalidInput(f"no passphrase: set {env} or run in a terminal")
    return getpass.getpass(prompt)


class ProgressBar:
    """A one-line progress bar on stderr, drawn only when stderr is a terminal."""

    def __init__(self, enabled: bool | None = None) -> None:
        self._enabled = sys.stderr.isatty() if enabled is None else enabled
        self._shown = False

    def __call__(self, p: Progress) -> None:
        if not self._enabled:
            return
        if p.total:
            filled = int(30 * p.done / p.total)
            bar = "#" * filled + "-" * (30 - filled)
            text = f"\r{p.stage:<10} [{bar}] {p.done:,}/{p.total:,}"
        else:
            text = f"\r{p.stage:<10} {p.done:,}"
        sys.stderr.write(text.ljust(70))
        sys.stderr.flush()
        self._shown = True

    def close(self) -> None:
        if self._shown:
            sys.stderr.write("\r" + " " * 70 + "\r")
            sys.stderr.flush()

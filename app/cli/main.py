"""The `hotline` command: parse -> Desk -> print. No logic of its own.

Exit codes: 0 success, 1 a user error (one line on stderr), 2 a usage error (argparse).
"""

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from app import __version__, logs
from app.cli import admin, gui, intake, lists, review, takedown
from app.cli.common import Handler
from app.errors import HotlineError


def _common(parser: argparse.ArgumentParser, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--workspace", metavar="DIR", default=default,
                        help="workspace folder (default: $HOTLINE_WORKSPACE or the user data dir)")
    parser.add_argument("--server", metavar="URL", default=default,
                        help="a team workspace on PostgreSQL: a postgresql:// URL or libpq "
                             "conninfo (default: $HOTLINE_SERVER); credentials and TLS as "
                             "libpq reads them (PGPASSFILE, service file, sslmode)")
    parser.add_argument("--user", metavar="NAME", default=default,
                        help="who is working (default: $HOTLINE_USER)")
    parser.add_argument("--json", action="store_true",
                        default=argparse.SUPPRESS if suppress else False,
                        help="print machine-readable JSON")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hotline", description="Hotline Triage: hash, match, assess and take down.")
    parser.add_argument("--version", action="version", version=f"hotline {__version__}")
    _common(parser, suppress=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(parent: Any, name: str, handler: Handler | None, help_: str,
                ) -> argparse.ArgumentParser:
        p = parent.add_parser(name, help=help_, description=help_)
        _common(p, suppress=True)
        if handler:
            p.set_defaults(handler=handler)
        return p

    admin.register(sub, command)
    lists.register(sub, command)
    intake.register(sub, command)
    review.register(sub, command)
    takedown.register(sub, command)
    gui.register(sub, command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        handler = gui.cmd_gui  # `hotline` alone opens the window
    command = " ".join(c for c in (args.command, getattr(args, "action", None)) if c) or "gui"
    started = logs.start(command)
    status = 1
    try:
        status = handler(args)
    except HotlineError as exc:
        logs.refused(command, exc)
        print(f"hotline: {exc}", file=sys.stderr)
    except KeyboardInterrupt:
        print("hotline: interrupted", file=sys.stderr)
        status = 130
    except Exception as exc:
        logs.crashed(command, exc)
        raise
    finally:
        logs.end(command, started, status)
    return status

"""The `hotline` command: parse -> Desk -> print. No logic of its own.

Exit codes: 0 success, 1 a user error (one line on stderr), 2 a usage error (argparse).
"""

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

from app import __version__
from app.desk import Desk
from app.errors import HotlineError, InvalidInput

Handler = Callable[[argparse.Namespace], int]


# ---------------------------------------------------------------- input

def _password(prompt: str = "Password: ") -> str:
    value = os.environ.get("HOTLINE_PASSWORD")
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise InvalidInput("no password: set HOTLINE_PASSWORD or run in a terminal")
    return getpass.getpass(prompt)


def _new_password(who: str) -> str:
    value = os.environ.get("HOTLINE_NEW_PASSWORD")
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise InvalidInput("no new password: set HOTLINE_NEW_PASSWORD or run in a terminal")
    first = getpass.getpass(f"New password for {who}: ")
    if getpass.getpass("Repeat it: ") != first:
        raise InvalidInput("the two passwords differ")
    return first


def _workspace(args: argparse.Namespace) -> Path:
    given = args.workspace or os.environ.get("HOTLINE_WORKSPACE")
    return Path(given).expanduser() if given else Desk.default_workspace()


def _user(args: argparse.Namespace) -> str:
    name = args.user or os.environ.get("HOTLINE_USER")
    if name:
        return name
    if not sys.stdin.isatty():
        raise InvalidInput("no user: give --user NAME or set HOTLINE_USER")
    return input("User: ")


def _desk(args: argparse.Namespace) -> Desk:
    return Desk.open(_workspace(args), _user(args), _password())


# ---------------------------------------------------------------- output

def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: _plain(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value


def _emit(args: argparse.Namespace, data: Any, text: Callable[[], str]) -> None:
    if args.json:
        print(json.dumps(_plain(data), indent=2, ensure_ascii=False, default=str))
    else:
        out = text()
        if out:
            print(out)


def _table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    cells = [[str(h) for h in headers], *[["" if c is None else str(c) for c in r] for r in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
             for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


# ---------------------------------------------------------------- commands

def cmd_init(args: argparse.Namespace) -> int:
    root = _workspace(args)
    with Desk.create(root, args.admin, _new_password(args.admin)) as desk:
        _emit(args, {"workspace": str(desk.workspace), "admin": desk.user.name},
              lambda: f"created workspace {desk.workspace} with admin {desk.user.name}")
    return 0


def _user_row(u: Any) -> list[Any]:
    return [u.name, u.role.value, "disabled" if u.disabled else "active", u.created[:19]]


def cmd_user_list(args: argparse.Namespace) -> int:
    with _desk(args) as desk:
        users = desk.list_users()
        _emit(args, users, lambda: _table(["user", "role", "state", "created (UTC)"],
                                          [_user_row(u) for u in users]))
    return 0


def cmd_user_add(args: argparse.Namespace) -> int:
    with _desk(args) as desk:
        password = _new_password(args.name)
        user = desk.add_user(args.name, args.role, password)
        _emit(args, user, lambda: f"added {user.name} ({user.role.value})")
    return 0


def cmd_user_disable(args: argparse.Namespace) -> int:
    with _desk(args) as desk:
        user = desk.disable_user(args.name)
        _emit(args, user, lambda: f"disabled {user.name}; their password opens nothing now")
    return 0


def cmd_user_enable(args: argparse.Namespace) -> int:
    with _desk(args) as desk:
        user = desk.enable_user(args.name, _new_password(args.name))
        _emit(args, user, lambda: f"enabled {user.name} with a new password")
    return 0


def cmd_user_role(args: argparse.Namespace) -> int:
    with _desk(args) as desk:
        user = desk.set_role(args.name, args.role)
        _emit(args, user, lambda: f"{user.name} is now {user.role.value}")
    return 0


def cmd_user_passwd(args: argparse.Namespace) -> int:
    with _desk(args) as desk:
        name = args.name or desk.user.name
        desk.change_password(name, _new_password(name))
        _emit(args, {"user": name}, lambda: f"changed the password of {name}")
    return 0


def cmd_settings_show(args: argparse.Namespace) -> int:
    with _desk(args) as desk:
        views = desk.settings()
        _emit(args, {v.key: v.value for v in views},
              lambda: _table(["setting", "value", "meaning"],
                             [[v.key, json.dumps(v.value), v.help] for v in views]))
    return 0


def cmd_settings_set(args: argparse.Namespace) -> int:
    with _desk(args) as desk:
        view = desk.set_setting(args.key, args.value)
        _emit(args, view, lambda: f"{view.key} = {json.dumps(view.value)}")
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    with _desk(args) as desk:
        check = desk.verify_audit()
    _emit(args, check, lambda: (
        f"audit log intact: {check.entries} entries, head {check.head}" if check.ok
        else f"audit log BROKEN at entry {check.first_bad}: {check.problem}"))
    if not check.ok and not args.json:
        print(f"hotline: the audit log is broken at entry {check.first_bad}", file=sys.stderr)
    return 0 if check.ok else 1


def cmd_audit_show(args: argparse.Namespace) -> int:
    with _desk(args) as desk:
        entries = desk.audit_entries(target=args.item, user=args.by, action=args.action,
                                     limit=args.limit)
    _emit(args, entries, lambda: _table(
        ["#", "time (UTC)", "user", "action", "target", "outcome", "detail"],
        [[e.seq, e.at[:19], e.user, e.action, e.target, e.outcome,
          json.dumps(e.detail, ensure_ascii=False)] for e in entries]))
    return 0


# ---------------------------------------------------------------- parser

def _common(parser: argparse.ArgumentParser, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--workspace", metavar="DIR", default=default,
                        help="workspace folder (default: $HOTLINE_WORKSPACE or the user data dir)")
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

    p = command(sub, "init", cmd_init, "create a workspace with its first admin")
    p.add_argument("--admin", required=True, metavar="NAME", help="the first admin's user name")

    users = command(sub, "user", None, "manage users").add_subparsers(
        dest="action", metavar="ACTION", required=True)
    command(users, "list", cmd_user_list, "list users and roles")
    p = command(users, "add", cmd_user_add, "add a user (password: $HOTLINE_NEW_PASSWORD)")
    p.add_argument("name")
    p.add_argument("--role", required=True, choices=["analyst", "supervisor", "admin"])
    p = command(users, "disable", cmd_user_disable, "disable a user and destroy their key slot")
    p.add_argument("name")
    p = command(users, "enable", cmd_user_enable, "re-enable a user with a new password")
    p.add_argument("name")
    p = command(users, "role", cmd_user_role, "change a user's role")
    p.add_argument("name")
    p.add_argument("role", choices=["analyst", "supervisor", "admin"])
    p = command(users, "passwd", cmd_user_passwd, "change a password (your own by default)")
    p.add_argument("name", nargs="?")

    settings = command(sub, "settings", None, "show or change workspace settings").add_subparsers(
        dest="action", metavar="ACTION", required=True)
    command(settings, "show", cmd_settings_show, "list every setting with its value")
    p = command(settings, "set", cmd_settings_set, "change a setting (admins)")
    p.add_argument("key")
    p.add_argument("value")

    audit = command(sub, "audit", None, "check and read the audit log").add_subparsers(
        dest="action", metavar="ACTION", required=True)
    command(audit, "verify", cmd_audit_verify, "check the hash chain; exit 1 if it is broken")
    p = command(audit, "show", cmd_audit_show, "show entries, newest first")
    p.add_argument("--item", metavar="TARGET", help="only entries about this item or target")
    p.add_argument("--by", metavar="USER", help="only entries by this user")
    p.add_argument("--action", metavar="ACTION", help="only this action, e.g. user.add")
    p.add_argument("--limit", type=int, default=50, help="at most this many (default 50)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        return handler(args)
    except HotlineError as exc:
        print(f"hotline: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("hotline: interrupted", file=sys.stderr)
        return 130

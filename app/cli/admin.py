"""Workspace administration: init, users, settings, audit."""

import argparse
import json
import sys
from typing import Any

from app.cli.common import desk, emit, new_password, password, plain, table, user, workspace
from app.desk import Desk
from app.errors import InvalidInput

# ---------------------------------------------------------------- commands

def cmd_init(args: argparse.Namespace) -> int:
    root = workspace(args)
    with Desk.create(root, args.admin, new_password(args.admin)) as d:
        fingerprint = d.root_fingerprint
        emit(args, {"workspace": d.where, "admin": d.user.name,
                    "root_fingerprint": fingerprint},
             lambda: f"created workspace {d.where} with admin {d.user.name}\n"
                     f"root key fingerprint: {fingerprint}\n"
                     "write it down: `hotline audit verify` names it, and it must not change")
    return 0


def _user_row(u: Any, logins: bool) -> list[Any]:
    row = [u.name, u.role.value, "disabled" if u.disabled else "active", u.created[:19]]
    return [*row, u.login or ""] if logins else row


def cmd_user_list(args: argparse.Namespace) -> int:
    with desk(args) as d:
        users = d.list_users()
        logins = any(u.login for u in users)  # a team workspace's database logins
        heads = ["user", "role", "state", "created (UTC)"] + (["database login"] if logins
                                                               else [])
        emit(args, users, lambda: table(heads, [_user_row(u, logins) for u in users]))
    return 0


def cmd_user_add(args: argparse.Namespace) -> int:
    with desk(args) as d:
        password = new_password(args.name)
        user = d.add_user(args.name, args.role, password)
        login = (f"\ndatabase login: {user.login} (give it a credential as the server's "
                 "administrator does: a client certificate or a password in the user's "
                 "PGPASSFILE; never the hotline password)") if user.login else ""
        emit(args, user, lambda: f"added {user.name} ({user.role.value}){login}")
    return 0


def cmd_user_disable(args: argparse.Namespace) -> int:
    with desk(args) as d:
        user = d.disable_user(args.name)
        emit(args, user, lambda: f"disabled {user.name}; their password opens nothing now")
    return 0


def cmd_user_enable(args: argparse.Namespace) -> int:
    with desk(args) as d:
        user = d.enable_user(args.name, new_password(args.name))
        emit(args, user, lambda: f"enabled {user.name} with a new password")
    return 0


def cmd_user_role(args: argparse.Namespace) -> int:
    with desk(args) as d:
        user = d.set_role(args.name, args.role)
        emit(args, user, lambda: f"{user.name} is now {user.role.value}")
    return 0


def cmd_user_passwd(args: argparse.Namespace) -> int:
    with desk(args) as d:
        name = args.name or d.user.name
        d.change_password(name, new_password(name))
        emit(args, {"user": name}, lambda: f"changed the password of {name}")
    return 0


def cmd_settings_show(args: argparse.Namespace) -> int:
    with desk(args) as d:
        views = d.settings()
        emit(args, {v.key: v.value for v in views},
              lambda: table(["setting", "value", "meaning"],
                             [[v.key, json.dumps(v.value), v.help] for v in views]))
    return 0


def cmd_settings_set(args: argparse.Namespace) -> int:
    with desk(args) as d:
        view = d.set_setting(args.key, args.value)
        emit(args, view, lambda: f"{view.key} = {json.dumps(view.value)}")
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    with desk(args) as d:
        check = d.verify_audit(args.anchor, args.full)
        fingerprint = d.root_fingerprint
    emit(args, {**plain(check), "root_fingerprint": fingerprint}, lambda: (
        f"audit log intact: {check.entries} entries, every one signed by its author's "
        f"certified key, review rules hold; root key {fingerprint}" if check.ok
        else f"audit log BROKEN at entry {check.first_bad}: {check.problem}"))
    if not check.ok and not args.json:
        print(f"hotline: the audit log is broken at entry {check.first_bad}", file=sys.stderr)
    return 0 if check.ok else 1


def cmd_workspace_upgrade(args: argparse.Namespace) -> int:
    root = workspace(args)
    if isinstance(root, str):
        raise InvalidInput("only a workspace folder made by version 0.1 is upgraded; a team "
                           "workspace never was one")
    with Desk.upgrade(root, user(args), password()) as d:
        waiting = [u.name for u in d.list_users() if u.disabled]
        fingerprint = d.root_fingerprint
    emit(args, {"root_fingerprint": fingerprint, "waiting": waiting}, lambda: (
        f"upgraded: every user now has their own key pair; root key fingerprint: "
        f"{fingerprint} (write it down)\n"
        + (f"these users wait for a new password: {', '.join(waiting)}\n"
           "enable each with `hotline user enable NAME`" if waiting else "")))
    return 0


def cmd_audit_anchor(args: argparse.Namespace) -> int:
    with desk(args) as d:
        code = d.audit_anchor()
    emit(args, {"anchor": code}, lambda: f"{code}\n(write it down or send it elsewhere; "
                                         "`hotline audit verify --anchor CODE` checks it)")
    return 0


def cmd_audit_show(args: argparse.Namespace) -> int:
    with desk(args) as d:
        entries = d.audit_entries(target=args.item, user=args.by, action=args.action,
                                     limit=args.limit)
    emit(args, entries, lambda: table(
        ["#", "time (UTC)", "user", "action", "target", "outcome", "detail"],
        [[e.seq, e.at[:19], e.user, e.action, e.target, e.outcome,
          json.dumps(e.detail, ensure_ascii=False)] for e in entries]))
    return 0




def cmd_workspace_check(args: argparse.Namespace) -> int:
    with desk(args) as d:
        r = d.check_workspace(repair=args.repair)

    def text() -> str:
        lines = [f"database: {'ok' if r.database_ok else 'DAMAGED: ' + r.database_problem}",
                 f"audit log: {'intact' if r.audit_ok else 'BROKEN ' + r.audit_problem}",
                 f"vault: {r.blobs} blobs, {len(r.orphans)} without an item"
                 + (f" ({r.removed} removed)" if args.repair else
                    " (`--repair` removes them)" if r.orphans else "")
                 + (f", {r.recent_orphans} recent ones kept (an import is running)"
                    if r.recent_orphans else ""),
                 f"items whose content is missing: {len(r.missing)}"
                 + (" (" + ", ".join(map(str, r.missing[:20])) + ")" if r.missing else "")]
        if r.crashed_imports:
            lines.append(f"imports that were killed: {r.crashed_imports}")
        return "\n".join(lines)

    emit(args, r, text)
    return 0 if r.passed else 1


def cmd_connect(args: argparse.Namespace) -> int:
    if args.forget:
        Desk.save_server(None)
        emit(args, {"server": None}, lambda: "this workstation remembers no team server now")
        return 0
    if not args.url:
        saved = Desk.saved_server()
        emit(args, {"server": saved}, lambda: saved or "no team server saved (`hotline "
                                                       "connect URL` saves one)")
        return 0
    with Desk.open(args.url, user(args), password()):  # it opens, for this user: keep it
        pass
    saved = Desk.save_server(args.url)
    emit(args, {"server": saved}, lambda: f"saved {saved}: `hotline` opens it from now on "
                                          "(no password is kept; libpq reads PGPASSFILE)")
    return 0


def cmd_workspace_copy(args: argparse.Namespace) -> int:
    source = Desk.location_of(args.source)
    with Desk.open(source, user(args), password()) as d:
        r = d.copy_workspace(Desk.location_of(args.destination))

    def text() -> str:
        lines = [f"copied {r.source} to {r.destination}, verified: "
                 f"{sum(r.rows.values())} rows in {len(r.rows)} tables (counted in both), "
                 f"{r.blobs} blobs (content checksums equal), {r.list_files} list files, "
                 f"audit log of {r.audit_entries} entries (chain verified, same head)",
                 "the same passwords open the copy"]
        if r.logins:
            lines.append("database logins for the team server (give each a credential):")
            lines += [f"  {name}: {login}" for name, login in r.logins.items()]
        return "\n".join(lines)

    emit(args, r, text)
    return 0


# ---------------------------------------------------------------- parser

def register(sub: Any, command: Any) -> None:
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

    p = command(sub, "connect", cmd_connect,
                "save a team server for this workstation (signs in once to check it)")
    p.add_argument("url", nargs="?", help="postgresql:// URL or conninfo (none: show the "
                                           "saved one)")
    p.add_argument("--forget", action="store_true", help="forget the saved server")

    space = command(sub, "workspace", None, "check the workspace").add_subparsers(
        dest="action", metavar="ACTION", required=True)
    p = command(space, "check", cmd_workspace_check,
                "database integrity, audit chain, vault against items; exit 1 on problems")
    p.add_argument("--repair", action="store_true",
                   help="remove blobs that no item names (admins; audited)")

    command(space, "upgrade", cmd_workspace_upgrade,
            "give every user their own keys (a workspace made by version 0.1; admins)")
    p = command(space, "copy", cmd_workspace_copy,
                "copy a workspace into an empty folder or team server, or a team's into a "
                "folder; verified (admins)")
    p.add_argument("source", help="the workspace's folder, or its server's postgresql:// URL")
    p.add_argument("destination", help="an empty folder, or an empty database's URL")

    audit = command(sub, "audit", None, "check and read the audit log").add_subparsers(
        dest="action", metavar="ACTION", required=True)
    p = command(audit, "verify", cmd_audit_verify,
                "check links, signatures, certificates and review rules; exit 1 if broken")
    p.add_argument("--anchor", metavar="CODE",
                   help="also check that the log still holds this anchor (`audit anchor`)")
    p.add_argument("--full", action="store_true",
                   help="check every signature again, also those an earlier verify on this "
                        "workstation checked")
    command(audit, "anchor", cmd_audit_anchor,
            "print the log's head as a short code to write down")
    p = command(audit, "show", cmd_audit_show, "show entries, newest first")
    p.add_argument("--item", metavar="TARGET", help="only entries about this item or target")
    p.add_argument("--by", metavar="USER", help="only entries by this user")
    p.add_argument("--action", metavar="ACTION", help="only this action, e.g. user.add")
    p.add_argument("--limit", type=int, default=50, help="at most this many (default 50)")

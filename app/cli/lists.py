"""Hashing and hash lists: hash, lists import|show|enable|disable|retract|remove|export|lookup,
keys create|show|partner."""

import argparse
from pathlib import Path
from typing import Any

from app.cli.common import ProgressBar, desk, emit, secret, table
from app.desk import hash_files

PASSPHRASE_ENV = "HOTLINE_LIST_PASSPHRASE"


def cmd_hash(args: argparse.Namespace) -> int:
    bar = ProgressBar()
    try:
        results = hash_files([Path(p) for p in args.files], dihedral=args.dihedral,
                             full=args.full, progress=bar)
    finally:
        bar.close()

    def text() -> str:
        lines = []
        for r in results:
            lines.append(r.path)
            if r.sha256:
                lines += [f"  size    {r.size:,} bytes", f"  md5     {r.md5}",
                          f"  sha1    {r.sha1}", f"  sha256  {r.sha256}"]
            if r.pdq:
                lines += [f"  pdq     {r.pdq}  quality {r.quality}  ({r.width}x{r.height})"]
                lines += [f"  pdq-{i}   {h}" for i, h in enumerate(r.dihedral[1:], start=1)]
            if r.duration is not None:
                lines.append(f"  video   {r.duration:.1f} s, {r.frame_count} frames, "
                             f"{r.width}x{r.height}, {len(r.frames)} frame hashes")
                lines += [f"  {t:7.1f}s {h}  quality {q}" for t, h, q in r.frames]
            if r.error:
                lines.append(f"  note    {r.error}")
        return "\n".join(lines)

    emit(args, results, text)
    return 1 if any(r.sha256 is None for r in results) else 0


def _list_row(info: Any) -> list[Any]:
    kinds = ", ".join(f"{k} {v:,}" for k, v in info.counts.items() if k != "entries" and v)
    return [info.name, info.scope, info.trust, "on" if info.enabled else "off",
            f"{info.entries:,}", kinds, info.imported[:10], info.imported_by,
            info.held_text or "-"]


def cmd_lists_show(args: argparse.Namespace) -> int:
    with desk(args) as d:
        infos = d.lists()
    emit(args, infos, lambda: table(
        ["list", "scope", "trust", "enabled", "entries", "hashes", "imported", "by", "held"],
        [_list_row(i) for i in infos]) if infos else "no hash lists yet")
    return 0


def cmd_lists_import(args: argparse.Namespace) -> int:
    passphrase = secret(PASSPHRASE_ENV, "List passphrase: ") if args.passphrase else None
    bar = ProgressBar()
    try:
        with desk(args) as d:
            result = d.import_list(Path(args.file), args.name, args.scope, args.trust,
                                   args.format, args.categories, args.source or "",
                                   passphrase, progress=bar, kind=args.kind,
                                   column=args.column)
    finally:
        bar.close()

    def text() -> str:
        lines = [f"imported {result.list.name}: {result.list.entries:,} entries "
                 f"({result.read:,} read, {result.skipped:,} skipped, "
                 f"{result.duplicates:,} duplicate)"]
        if result.signed_by:
            lines.append(f"signed by partner {result.signed_by}")
        lines += [f"  line {line}: {message}" for line, message in result.problems]
        if result.skipped > len(result.problems):
            lines.append(f"  ... and {result.skipped - len(result.problems):,} more")
        return "\n".join(lines)

    emit(args, result, text)
    return 0


def cmd_lists_enable(args: argparse.Namespace) -> int:
    with desk(args) as d:
        info = d.set_list_enabled(args.name, args.action == "enable")
    emit(args, info, lambda: f"{info.name} is {'enabled' if info.enabled else 'disabled'}")
    return 0


def cmd_lists_release(args: argparse.Namespace) -> int:
    with desk(args) as d:
        released = d.release_list(args.name, args.reason)
    emit(args, {"list": args.name, "released": released},
         lambda: f"released {args.name} ({released} hold{'' if released == 1 else 's'}); "
                 "its hits give machine verdicts again")
    return 0


def cmd_lists_remove(args: argparse.Namespace) -> int:
    with desk(args) as d:
        info = d.remove_list(args.name, args.reason or "")
    emit(args, info, lambda: f"removed {info.name} ({info.entries:,} entries)")
    return 0


def cmd_lists_retract(args: argparse.Namespace) -> int:
    with desk(args) as d:
        removed = d.retract_entry(args.name, args.hash, args.reason)
    emit(args, {"list": args.name, "removed": removed},
         lambda: f"retracted {removed} entr{'y' if removed == 1 else 'ies'} from {args.name}")
    return 0


def cmd_lists_export(args: argparse.Namespace) -> int:
    passphrase = secret(PASSPHRASE_ENV, "Passphrase for the recipient: ") \
        if args.passphrase else None
    with desk(args) as d:
        result = d.export_list(args.name, Path(args.out), args.format, args.to, passphrase,
                               args.categories)
    emit(args, result, lambda: f"wrote {result.entries:,} entries of {result.list} to "
                               f"{result.path} ({result.format}"
                               + (f", for {result.recipient})" if result.recipient else ")"))
    return 0


def cmd_lists_lookup(args: argparse.Namespace) -> int:
    with desk(args) as d:
        found = d.list_lookup(args.name, args.hash)
    emit(args, found, lambda: "\n".join(
        ", ".join(f"{k}={v}" for k, v in e.items() if v) for e in found) or "not on the list")
    return 0 if found else 1


def cmd_keys_create(args: argparse.Namespace) -> int:
    with desk(args) as d:
        key = d.create_keys()
    emit(args, key, lambda: f"{key.public_key}\nfingerprint {key.fingerprint}")
    return 0


def cmd_keys_show(args: argparse.Namespace) -> int:
    with desk(args) as d:
        key = d.public_key()
    emit(args, key, lambda: f"{key.public_key}\nfingerprint {key.fingerprint}")
    return 0


def cmd_partner_add(args: argparse.Namespace) -> int:
    with desk(args) as d:
        partner = d.add_partner(args.name, args.key)
    emit(args, partner, lambda: f"added partner {partner.name}, fingerprint "
                                f"{partner.fingerprint}: compare it with them")
    return 0


def cmd_partner_list(args: argparse.Namespace) -> int:
    with desk(args) as d:
        partners = d.partners()
    emit(args, partners, lambda: table(["partner", "fingerprint", "added", "by"], [
        [p.name, p.fingerprint, p.added[:10], p.added_by] for p in partners]))
    return 0


def register(sub: Any, command: Any) -> None:
    p = command(sub, "hash", cmd_hash,
                "digests and PDQ of files and folders, frame PDQs of videos (needs no "
                "workspace)")
    p.add_argument("files", nargs="+", metavar="FILE|FOLDER")
    p.add_argument("--dihedral", action="store_true",
                   help="also print the PDQ of the 7 rotations and flips")
    p.add_argument("--full", action="store_true",
                   help="decode at full resolution (slower; the fast path is within a few bits)")

    lists = command(sub, "lists", None, "hash lists").add_subparsers(
        dest="action", metavar="ACTION", required=True)
    command(lists, "show", cmd_lists_show, "the workspace's hash lists")
    p = command(lists, "import", cmd_lists_import, "import a hash list (supervisors, admins)")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--name", required=True, help="a name for the list")
    p.add_argument("--scope", required=True,
                   choices=["baseline", "national", "not_illegal", "mixed", "negative"],
                   help="what the list holds; entries without their own verdict get it; "
                        "negative: known false positives, whose hits override the others")
    p.add_argument("--trust", default="trusted", choices=["trusted", "reference"],
                   help="trusted: exact hits give an automated verdict; reference: only inform")
    p.add_argument("--format", choices=["csv", "text", "vics", "icse", "te", "te-pdq", "vpdq",
                                        "sums", "hashdeep", "hlist"],
                   help="the file's format (default: detected)")
    p.add_argument("--kind", choices=["md5", "sha1", "sha256", "pdq"],
                   help="the kind of bare hashes the file does not name (64 hex characters: "
                        "sha256 or pdq)")
    p.add_argument("--column", metavar="NAME",
                   help="the CSV column holding the hashes, when its name does not say")
    p.add_argument("--categories", metavar="PRESET|FILE",
                   help="category -> verdict map: projectvic-us, caid-uk, none, or a JSON file")
    p.add_argument("--source", help="where the list comes from")
    p.add_argument("--passphrase", action="store_true",
                   help=f"a shared list file encrypted to a passphrase (${PASSPHRASE_ENV})")
    for action in ("enable", "disable"):
        p = command(lists, action, cmd_lists_enable, f"{action} a list for matching")
        p.add_argument("name")
    p = command(lists, "release", cmd_lists_release,
                "lift a flood's hold on a list and its entries (supervisors, admins)")
    p.add_argument("name")
    p.add_argument("--reason", required=True, help="why (kept in the audit log)")
    p = command(lists, "remove", cmd_lists_remove, "remove a list")
    p.add_argument("name")
    p.add_argument("--reason", help="why (kept in the audit log)")
    p = command(lists, "retract", cmd_lists_retract, "remove the entries carrying a hash")
    p.add_argument("name")
    p.add_argument("hash")
    p.add_argument("--reason", required=True, help="why the entry was wrong")
    p = command(lists, "export", cmd_lists_export, "write a list for another tool or hotline")
    p.add_argument("name")
    p.add_argument("--out", required=True, metavar="FILE")
    p.add_argument("--format", required=True, choices=["csv", "vics", "te", "hlist"],
                   help="te: python-threatexchange's dataset CSV")
    p.add_argument("--to", metavar="PARTNER", help="hlist: encrypt to this partner hotline")
    p.add_argument("--passphrase", action="store_true",
                   help=f"hlist: encrypt to a passphrase (${PASSPHRASE_ENV})")
    p.add_argument("--categories", metavar="PRESET|FILE", help="vics: verdict -> category map")
    p = command(lists, "lookup", cmd_lists_lookup, "is this hash on the list?")
    p.add_argument("name")
    p.add_argument("hash")

    keys = command(sub, "keys", None, "this workspace's key pair and partner keys").add_subparsers(
        dest="action", metavar="ACTION", required=True)
    command(keys, "create", cmd_keys_create, "create the key pair for sharing lists (admins)")
    command(keys, "show", cmd_keys_show, "print this workspace's public key")
    partner = command(keys, "partner", None, "partner hotlines' public keys").add_subparsers(
        dest="partner_action", metavar="ACTION", required=True)
    p = command(partner, "add", cmd_partner_add, "trust a partner hotline's public key")
    p.add_argument("name")
    p.add_argument("key", help="the partner's key, hotline-pub-1:...")
    command(partner, "list", cmd_partner_list, "the partners and their fingerprints")

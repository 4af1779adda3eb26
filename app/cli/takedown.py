"""Notice and takedown from the command line: providers, notices, referrals, statistics."""

import argparse
from pathlib import Path
from typing import Any

from app.cli.common import desk, emit, table


def cmd_providers_add(args: argparse.Namespace) -> int:
    with desk(args) as d:
        p = d.add_provider(args.asn, args.name, args.email, args.address or "", args.language)
    emit(args, p, lambda: f"AS{p.asn} is {p.name} <{p.email}> ({p.language})")
    return 0


def cmd_providers_list(args: argparse.Namespace) -> int:
    with desk(args) as d:
        providers = d.providers()
    emit(args, providers, lambda: table(["ASN", "provider", "abuse e-mail", "language"], [
        [f"AS{p.asn}", p.name, p.email, p.language] for p in providers]) if providers
        else "no hosting providers yet")
    return 0


def cmd_providers_import(args: argparse.Namespace) -> int:
    with desk(args) as d:
        n = d.import_providers(Path(args.csv))
    emit(args, {"providers": n}, lambda: f"imported {n} providers")
    return 0


def cmd_providers_lookup(args: argparse.Namespace) -> int:
    with desk(args) as d:
        added = d.lookup_providers()
    emit(args, added, lambda: "\n".join(
        [f"RDAP gave {len(added)} new providers"]
        + [f"  AS{p.asn} {p.name} <{p.email}>" for p in added]))
    return 0


def _notice_row(n: Any) -> list[Any]:
    return [n.reference, n.kind, n.country or "", f"AS{n.asn}" if n.asn else "", n.state,
            n.created[:10], (n.sent_at or "")[:10]]


def cmd_notices_build(args: argparse.Namespace) -> int:
    with desk(args) as d:
        r = d.build_notices()
    emit(args, r, lambda: "\n".join(
        [f"built {len(r.notices)} notices and {len(r.referrals)} referrals"]
        + [f"  {n.reference} notice to AS{n.asn}" for n in r.notices]
        + [f"  {n.reference} referral to {n.country}" for n in r.referrals]
        + ([f"  {r.without_hosting} URLs wait: their hosting country is unknown"]
           if r.without_hosting else [])
        + [f"  item {i} left out: its review does not hold from the signed audit entries "
           f"({why})" for i, why in r.untrusted.items()]))
    return 0


def cmd_notices_list(args: argparse.Namespace) -> int:
    with desk(args) as d:
        notices = d.notices(args.state)
    emit(args, notices, lambda: table(
        ["notice", "kind", "country", "network", "state", "created", "sent"],
        [_notice_row(n) for n in notices]) if notices else "no notices")
    return 0


def cmd_notices_show(args: argparse.Namespace) -> int:
    with desk(args) as d:
        v = d.notice(args.id)

    def text() -> str:
        n = v.notice
        head = [f"{n.reference}: {n.kind} {n.state}, {len(v.urls)} URLs, {v.open_urls} online"
                + (" - REMINDER DUE" if v.reminder_due else "")]
        if v.provider:
            head.append(f"to {v.provider.name} <{v.provider.email}> (AS{v.provider.asn})")
        head += [f"  {u.url}  seen {u.seen[:19]}  "
                 + (f"removed {(u.removed_at or '')[:19]}" if u.removed_at else
                    (u.last_result or "not checked yet")) for u in v.urls]
        return "\n".join(head)

    emit(args, v, text)
    return 0


def cmd_notices_pdf(args: argparse.Namespace) -> int:
    with desk(args) as d:
        out = d.notice_pdf(args.id, Path(args.out))
    emit(args, {"pdf": str(out)}, lambda: f"wrote {out}")
    return 0


def cmd_notices_email(args: argparse.Namespace) -> int:
    with desk(args) as d:
        out = d.notice_email(args.id, Path(args.out))
    emit(args, {"eml": str(out)}, lambda: f"wrote {out} (open it in your mail program to send)")
    return 0


def cmd_notices_sent(args: argparse.Namespace) -> int:
    with desk(args) as d:
        n = d.mark_sent(args.id)
    emit(args, n, lambda: f"{n.reference} marked sent at {(n.sent_at or '')[:19]}Z")
    return 0


def cmd_notices_recheck(args: argparse.Namespace) -> int:
    with desk(args) as d:
        results = d.recheck(args.id)
    emit(args, results, lambda: "\n".join(
        f"{r.notice}: {r.checked} checked, {r.removed} removed now, {r.still_online} still "
        f"online, {r.unreachable} unreachable -> {r.state}" for r in results)
        or "no open notices")
    return 0


def cmd_notices_close(args: argparse.Namespace) -> int:
    with desk(args) as d:
        n = d.close_notice(args.id)
    emit(args, n, lambda: f"{n.reference} closed")
    return 0


def cmd_export_referral(args: argparse.Namespace) -> int:
    with desk(args) as d:
        n = d.export_referral(args.country, Path(args.out), args.police)
    emit(args, {"urls": n, "file": args.out}, lambda: f"wrote {n} URLs to {args.out}")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    with desk(args) as d:
        if args.csv:
            n = d.stats_csv(args.start, args.end, Path(args.csv))
            emit(args, {"months": n, "file": args.csv}, lambda: f"wrote {n} months to {args.csv}")
            return 0
        months = d.stats(args.start, args.end)

    def hours(h: float | None) -> str:
        return "" if h is None else f"{h:.1f} h"

    emit(args, [m.as_row() for m in months], lambda: table(
        ["month", "reports", "items", "avoided", "baseline", "national", "not illegal",
         "notices", "removed", "median removal", "p90 removal"],
        [[m.month, m.reports, m.items, f"{m.exposure_avoided:.0%}", m.final_baseline,
          m.final_national, m.final_not_illegal, m.notices_sent, m.urls_removed,
          hours(m.median_removal_hours), hours(m.p90_removal_hours)] for m in months])
        if months else "nothing yet")
    return 0


def cmd_hosting_lookup(args: argparse.Namespace) -> int:
    with desk(args) as d:
        found, problems = d.hosting_lookup(args.ip)
    emit(args, {"ip": args.ip, "country": found.country, "asn": found.asn,
                "organisation": found.organisation, "problems": problems},
         lambda: "\n".join([
             f"{args.ip}: country {found.country or 'unknown'}, "
             + (f"AS{found.asn} {found.organisation or ''}".rstrip() if found.asn
                else "network unknown"),
             *(f"  {p}" for p in problems)]))
    return 0


def register(sub: Any, command: Any) -> None:
    hosting = command(sub, "hosting", None, "where content is hosted").add_subparsers(
        dest="action", metavar="ACTION", required=True)
    p = command(hosting, "lookup", cmd_hosting_lookup,
                "what the hosting databases say about an IP address")
    p.add_argument("ip")
    providers = command(sub, "providers", None, "hosting providers").add_subparsers(
        dest="action", metavar="ACTION", required=True)
    p = command(providers, "add", cmd_providers_add, "add a provider (network -> abuse contact)")
    p.add_argument("--asn", type=int, required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--email", required=True, help="the abuse contact")
    p.add_argument("--address")
    p.add_argument("--language", default="en", help="letter language (en, de)")
    command(providers, "list", cmd_providers_list, "the providers")
    p = command(providers, "import", cmd_providers_import, "add or update providers from CSV")
    p.add_argument("csv", metavar="CSV", help="columns asn, name, email[, address, language]")
    command(providers, "lookup", cmd_providers_lookup,
            "ask RDAP for the abuse contacts of networks that have none yet")

    notices = command(sub, "notices", None, "notices and referrals").add_subparsers(
        dest="action", metavar="ACTION", required=True)
    command(notices, "build", cmd_notices_build,
            "group confirmed illegal URLs into notices (home) and referrals (abroad)")
    p = command(notices, "list", cmd_notices_list, "the notices")
    p.add_argument("--state", choices=["draft", "sent", "partially_removed", "removed", "closed"])
    p = command(notices, "show", cmd_notices_show, "a notice's URLs and their state")
    p.add_argument("id", metavar="ID")
    for name, handler, what in (("pdf", cmd_notices_pdf, "the letter as PDF"),
                                ("email", cmd_notices_email, "the e-mail (.eml, PDF attached)")):
        p = command(notices, name, handler, what)
        p.add_argument("id", metavar="ID")
        p.add_argument("--out", required=True, metavar="FILE")
    p = command(notices, "sent", cmd_notices_sent, "mark a notice sent (again)")
    p.add_argument("id", metavar="ID")
    p = command(notices, "close", cmd_notices_close, "close a notice by hand")
    p.add_argument("id", metavar="ID")
    p = command(notices, "recheck", cmd_notices_recheck,
                "fetch the URLs again: which are removed? (all open notices by default)")
    p.add_argument("id", metavar="ID", nargs="?")

    export = command(sub, "export", None, "referral files").add_subparsers(
        dest="action", metavar="ACTION", required=True)
    p = command(export, "referral", cmd_export_referral,
                "a referral for a country's partner hotline, or for the police (home notices);"
                " JSON, or CSV by the file name")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--country", help="the partner hotline's country")
    which.add_argument("--police", action="store_true", help="for the national police")
    p.add_argument("--out", required=True, metavar="FILE")

    p = command(sub, "stats", cmd_stats, "figures by month")
    p.add_argument("--from", dest="start", metavar="DATE")
    p.add_argument("--to", dest="end", metavar="DATE")
    p.add_argument("--csv", metavar="FILE", help="write the yearly statistics as CSV")

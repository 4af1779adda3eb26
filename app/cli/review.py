"""The review from the command line: queue, item, assess, confirm, reopen, purge."""

import argparse
from typing import Any

from app.cli.common import desk, emit, table
from app.errors import InvalidInput
from app.text import size_text


def _rows_table(rows: list[Any]) -> str:
    return table(
        ["item", "state", "status", "match", "machine verdict", "kind", "size", "host", "report"],
        [[r.item_id, r.state, r.status, r.match, r.machine_verdict or "", r.mime,
          size_text(r.size), r.country or "", r.report] for r in rows])


def cmd_queue(args: argparse.Namespace) -> int:
    with desk(args) as d:
        rows = d.queue(args.limit, args.report)
    emit(args, rows, lambda: _rows_table(rows) if rows else "nothing waiting for you")
    return 0


def cmd_find(args: argparse.Namespace) -> int:
    with desk(args) as d:
        rows = [d.queue_row(i) for i in d.find_items(args.text)[:args.limit]]
    emit(args, rows, lambda: _rows_table(rows) if rows else f"nothing found for {args.text!r}")
    return 0


def cmd_item(args: argparse.Namespace) -> int:
    with desk(args) as d:
        view = d.item(args.item)

    def text() -> str:
        lines = [f"item {view.id}: {view.state} ({view.status}), {view.mime}, "
                 f"{size_text(view.size)}" + (f", {view.width}x{view.height}" if view.width else "")
                 + (f", {view.duration:.1f} s" if view.duration else ""),
                 f"  md5     {view.md5}", f"  sha1    {view.sha1}", f"  sha256  {view.sha256}"]
        if view.pdq:
            lines.append(f"  pdq     {view.pdq} (quality {view.pdq_quality})")
        if not view.content_available:
            lines.append("  content purged; hashes kept")
        for m in view.matches:
            lines.append(f"  match   {m.list_name} ({m.how})"
                         f" verdict {m.verdict or '-'} category {m.category or '-'}"
                         + (f" - {m.note}" if m.note else ""))
        for s in view.sightings:
            lines.append(f"  seen    {s.seen[:19]} {s.source} status {s.http_status} "
                         f"ip {s.ip or '-'} {s.country or ''} AS{s.asn or '-'} "
                         f"{s.organisation or ''}".rstrip())
        if view.blind:
            lines.append("  earlier verdicts hidden until you give yours (blind review)")
        for a in view.assessments or []:
            lines.append(f"  round {a.round} {a.user}: {a.verdict} {a.note}".rstrip())
        lines.append(f"  you may assess it (round {view.next_round})" if view.may_assess
                     else f"  {view.why_not}")
        return "\n".join(lines)

    emit(args, view, text)
    return 0


def cmd_assess(args: argparse.Namespace) -> int:
    with desk(args) as d:
        result = d.assess(args.item, args.verdict, args.age_group, args.gender, args.site_type,
                          args.commercial, args.category, args.note)
    emit(args, result, lambda: f"item {result.item_id}: round {result.round} recorded, now "
                               f"{result.state}"
                               + (f" ({result.final_verdict})" if result.final_verdict else ""))
    return 0


def cmd_confirm(args: argparse.Namespace) -> int:
    if not args.items and not args.report:
        raise InvalidInput("give item numbers or --report REF")
    with desk(args) as d:
        result = d.confirm(args.items, args.report)
    emit(args, result, lambda: "\n".join(
        [f"confirmed {len(result.confirmed)} machine verdicts"]
        + [f"  skipped item {i}: {why}" for i, why in result.skipped]))
    return 0


def cmd_reopen(args: argparse.Namespace) -> int:
    with desk(args) as d:
        result = d.reopen(args.item, args.reason)
    emit(args, result, lambda: f"item {result.item_id} reopened: waiting for round 1")
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    with desk(args) as d:
        count = d.purge()
    emit(args, {"purged": count}, lambda: f"purged the content of {count} items "
                                          "(hashes and verdicts kept)")
    return 0


def cmd_exposure(args: argparse.Namespace) -> int:
    with desk(args) as d:
        e = d.exposure_today(args.of)
    emit(args, e, lambda: f"{e.user} on {e.day}: {e.views} unblurred views, "
                          f"{e.seconds / 60:.1f} minutes")
    return 0


def _fields(p: Any) -> None:
    p.add_argument("--age-group", choices=["infant", "pre_pubescent", "pubescent"])
    p.add_argument("--gender", choices=["girls", "boys", "both", "unknown"])
    p.add_argument("--site-type", help="website, image_host, file_host, forum, ...")
    p.add_argument("--commercial", choices=["yes", "no"])
    p.add_argument("--category", help="the workspace's national category (review.national_scale)")
    p.add_argument("--note")


def register(sub: Any, command: Any) -> None:
    p = command(sub, "find", cmd_find, "items by number, any hash, report or a piece of URL")
    p.add_argument("text")
    p.add_argument("--limit", type=int, default=100)
    p = command(sub, "queue", cmd_queue, "items waiting for you, unknown first")
    p.add_argument("--report", metavar="REF", help="only this report")
    p.add_argument("--limit", type=int, default=200)
    p = command(sub, "item", cmd_item, "an item's hashes, sightings and matches (no content)")
    p.add_argument("item", type=int)
    p = command(sub, "assess", cmd_assess, "give your verdict on an item")
    p.add_argument("item", type=int)
    p.add_argument("verdict", choices=["baseline", "national", "not_illegal"])
    _fields(p)
    p = command(sub, "confirm", cmd_confirm,
                "confirm machine verdicts (exact hits on trusted lists) without opening content")
    p.add_argument("items", type=int, nargs="*", metavar="ITEM")
    p.add_argument("--report", metavar="REF", help="every machine match of this report")
    p = command(sub, "reopen", cmd_reopen, "reopen a settled item (supervisors)")
    p.add_argument("item", type=int)
    p.add_argument("--reason", required=True)
    command(sub, "purge", cmd_purge, "apply the retention period now")
    p = command(sub, "exposure", cmd_exposure, "unblurred views today")
    p.add_argument("--of", metavar="USER", help="another user (default: you)")

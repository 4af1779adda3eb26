"""Taking in reports: hotline import."""

import argparse
import signal
from pathlib import Path
from typing import Any

from app.cli.common import ProgressBar, desk, emit
from app.desk import CancelToken, Desk
from app.errors import InvalidInput


def _summary_text(s: Any) -> str:
    head = (f"report {s.report}{' (new)' if s.new_report else ''}: {s.items} new items "
            f"({s.known} known, {s.near} near, {s.unknown} unknown), "
            f"{s.duplicates} duplicates, {s.links} links to pages, {len(s.errors)} errors")
    lines = [head + (" - CANCELLED, run the same command again to resume" if s.cancelled
                     else " - FAILED: nothing could be taken in" if s.outcome == "failed"
                     else "")]
    lines += [f"  warning: {w}" for w in s.warnings]
    lines += [f"  error: {e.input}: {e.message}" for e in s.errors]
    return "\n".join(lines)


def cmd_import(args: argparse.Namespace) -> int:
    if not (args.url or args.file or args.urls_from):
        raise InvalidInput("give --url, --file or --urls-from")
    Desk.prepare_import(args.url or [], [Path(f) for f in args.file or []],
                        batch=bool(args.urls_from))  # its workers start during the sign-in
    cancel = CancelToken()
    previous = signal.signal(signal.SIGINT, lambda *_: cancel.cancel())
    bar = ProgressBar()
    try:
        with desk(args) as d:
            if args.urls_from:
                summaries = d.import_batch(Path(args.urls_from), args.source, bar, cancel)
            else:
                summaries = [d.import_report(args.url or [], [Path(f) for f in args.file or []],
                                             args.report, args.source, args.note or "",
                                             args.received, bar, cancel)]
    finally:
        bar.close()
        signal.signal(signal.SIGINT, previous)
    emit(args, summaries if args.urls_from else summaries[0],
         lambda: "\n".join(_summary_text(s) for s in summaries))
    if any(s.cancelled for s in summaries):
        return 130
    return 1 if any(s.outcome == "failed" for s in summaries) else 0


def register(sub: Any, command: Any) -> None:
    p = command(sub, "import", cmd_import,
                "take in a report: fetch URLs or read files, hash, match, store")
    p.add_argument("--url", nargs="+", metavar="URL", help="reported URLs (pages or media)")
    p.add_argument("--file", nargs="+", metavar="PATH", help="files, folders or zip archives")
    p.add_argument("--urls-from", metavar="FILE",
                   help="a batch of reports: .txt (one URL a line), .csv or .json")
    p.add_argument("--report", metavar="REF", help="the report's reference (default: new)")
    p.add_argument("--source", default="public",
                   choices=["public", "partner_hotline", "police", "proactive", "other"])
    p.add_argument("--note", help="a note on the report")
    p.add_argument("--received", metavar="DATE", help="when the report came in (default: now)")

"""`hotline` alone opens the window; `hotline demo` builds the demo workspace and opens it."""

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

from app.cli.common import emit, workspace
from app.demo.build import PASSWORD, USERS, build
from app.desk import Desk


def cmd_gui(args: argparse.Namespace) -> int:
    from app.ui.app import run  # Qt is loaded only when a window is wanted

    return run(workspace(args), args.user)


def cmd_demo(args: argparse.Namespace) -> int:
    root = Path(args.workspace).expanduser() if args.workspace else Path(
        tempfile.gettempdir()) / f"hotline-demo-{time.strftime('%Y%m%d-%H%M%S')}"
    demo = build(root)
    s: Any = demo.summary
    info = {"workspace": str(root), "password": PASSWORD, "users": USERS, "site": demo.site.url,
            "report": demo.report, "items": s.items, "known": s.known, "near": s.near,
            "unknown": s.unknown}
    emit(args, info, lambda: "\n".join([
        f"Demo workspace: {root}",
        f"Users (password {PASSWORD!r} for all): "
        + ", ".join(f"{n} ({r})" for n, r in USERS.items()),
        f"Reported page served at {demo.site.url} (synthetic pictures and videos only)",
        f"Report {demo.report}: {s.items} items - {s.known} known, {s.near} near, "
        f"{s.unknown} unknown",
        "" if args.no_gui else "Opening the window as anna (analyst)...",
    ]).rstrip())
    if args.no_gui:
        demo.site.stop()
        return 0
    from app.ui.app import run

    try:
        return run(root, "anna", Desk.open(root, "anna", PASSWORD))
    finally:
        demo.site.stop()


def register(sub: Any, command: Any) -> None:
    p = command(sub, "demo", cmd_demo, "build a demo workspace (synthetic content) and open it")
    p.add_argument("--no-gui", action="store_true", help="build it, print where, and exit")

"""A team at work on one server: 8 client processes on this machine, 2 importing and 6
assessing (3 analysts, 3 supervisors), each signed in with its own database login, for a
while (120 s by default) against one throwaway PostgreSQL server; then the same load on a
single-workstation folder workspace, for comparison.

Reported: verdicts given and lost or duplicated ones (counted against the rows and the
unique rounds), the audit chain (verified in full), p50/p95 of an assessment's round trip
(claim + verdict), items imported, throughput; and how long a queue of 100,000 items takes
to open (its ids, and the first screen of 40 rows).

    python benchmarks/team_load.py [--seconds 120] [--queue 100000]
"""

import argparse
import multiprocessing as mp
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.desk import Desk  # noqa: E402
from app.errors import HotlineError  # noqa: E402
from app.workspace.db import transaction  # noqa: E402
from tests import postgres_server  # noqa: E402
from tests.synthetic import jpeg  # noqa: E402

PASSWORD = "benchmark-password"
IMPORTERS = ("imp1", "imp2")
ANALYSTS = ("ana1", "ana2", "ana3")
SUPERVISORS = ("sup1", "sup2", "sup3")


def importer(location: str, name: str, files: list[str], until: float, out: mp.Queue) -> None:
    done = 0
    with Desk.open(Desk.location_of(location), name, PASSWORD) as desk:
        for start in range(0, len(files), 10):
            if time.time() > until:
                break
            done += desk.import_report(files=[Path(f) for f in files[start:start + 10]]).items
    out.put(("import", name, done, []))


def assessor(location: str, name: str, until: float, out: mp.Queue) -> None:
    times, refused = [], 0
    with Desk.open(Desk.location_of(location), name, PASSWORD) as desk:
        while time.time() < until:
            ids = desk.queue_ids(limit=20)
            if not ids:
                time.sleep(0.05)
                continue
            item = ids[hash(name) % len(ids)]
            start = time.perf_counter()
            try:
                if desk.claim(item):
                    continue  # someone else opened it meanwhile
                desk.assess(item, "baseline")
            except HotlineError:
                refused += 1  # another got there first
                continue
            times.append(time.perf_counter() - start)
    out.put(("assess", name, refused, times))


def run_load(location: str, logins: dict[str, str], seconds: float, files: list[str]
             ) -> dict:
    def where(name: str) -> str:
        login = logins.get(name)
        return f"{location} user={login}" if login else location

    out: mp.Queue = mp.Queue()
    until = time.time() + seconds
    half = len(files) // 2
    procs = [mp.Process(target=importer, args=(where(n), n, chunk, until, out))
             for n, chunk in zip(IMPORTERS, (files[:half], files[half:]), strict=True)]
    procs += [mp.Process(target=assessor, args=(where(n), n, until, out))
              for n in ANALYSTS + SUPERVISORS]
    for p in procs:
        p.start()
    results = [out.get(timeout=seconds + 600) for _ in procs]
    for p in procs:
        p.join()
    times = [t for kind, _, _, ts in results if kind == "assess" for t in ts]
    return {"imported": sum(n for kind, _, n, _ in results if kind == "import"),
            "verdicts": len(times),
            "refused": sum(n for kind, _, n, _ in results if kind == "assess"),
            "times": times}


def check(location: str) -> tuple[int, int, bool]:
    """(assessment rows, rounds given twice, audit chain verified in full)."""
    with Desk.open(Desk.location_of(location), "admin", PASSWORD) as admin:
        db = admin._ws.db  # a benchmark may count rows; the product never does
        rows = db.execute("SELECT count(*) FROM assessments").fetchone()[0]
        twice = db.execute("SELECT count(*) FROM (SELECT item_id, cycle, round FROM "
                           "assessments GROUP BY item_id, cycle, round HAVING count(*) > 1)"
                           " AS d").fetchone()[0]
        return int(rows), int(twice), admin.verify_audit(full=True).ok


def make(location: str | Path) -> dict[str, str]:
    logins = {}
    with Desk.create(location, "admin", PASSWORD) as admin:
        for names, role in ((IMPORTERS + ANALYSTS, "analyst"), (SUPERVISORS, "supervisor")):
            for name in names:
                user = admin.add_user(name, role, PASSWORD)
                if user.login:
                    logins[name] = user.login
    return logins


def queue_open(location: str | Path, items: int) -> tuple[float, float]:
    """Seconds to list the ids of a queue of `items` and to fetch its first 40 rows."""
    with Desk.open(location, "ana1", PASSWORD) as desk:
        ws = desk._ws  # seeding writes the table as the store would, in bulk
        sealer = ws.sealer
        md5, sha1 = sealer.seal("items.md5", ""), sealer.seal("items.sha1", "")
        report = ws.db.execute("SELECT min(id) FROM reports").fetchone()[0]
        with transaction(ws.db):
            ws.db.executemany(
                "INSERT INTO items (sha256, sha256_key, md5, md5_key, sha1, sha1_key, kind, "
                "mime, size, status, first_report, created, state) VALUES (?, ?, ?, '', ?, "
                "'', 'image', 'image/jpeg', 1000, 'unknown', ?, "
                "'2026-11-29T00:00:00.000000Z', 'round1')",
                ([sealer.seal("items.sha256", f"{i:064x}"), os.urandom(16), md5, sha1, report]
                 for i in range(items)))
        start = time.perf_counter()
        ids = desk.queue_ids()
        listed = time.perf_counter() - start
        for item in ids[:40]:
            desk.queue_row(item)
        return listed, time.perf_counter() - start


def summary(label: str, load: dict, rows: int, twice: int, chain: bool, seconds: float
            ) -> str:
    times = sorted(load["times"])
    p50 = statistics.median(times) * 1000 if times else 0
    p95 = times[int(0.95 * (len(times) - 1))] * 1000 if times else 0
    return (f"{label}: {load['verdicts']} verdicts in {seconds:.0f} s "
            f"({load['verdicts'] / seconds:.1f}/s), {load['refused']} refused (another was "
            f"first), {load['imported']} items imported; assessment rows {rows} "
            f"({'none lost' if rows == load['verdicts'] else 'LOST OR EXTRA'}), rounds given "
            f"twice {twice}; audit chain {'verified' if chain else 'BROKEN'}; round trip "
            f"p50 {p50:.0f} ms, p95 {p95:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--queue", type=int, default=100_000)
    parser.add_argument("--images", type=int, default=1200)
    args = parser.parse_args()
    mp.set_start_method("spawn")
    cluster = postgres_server.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            files = []
            for i in range(args.images):
                path = folder / f"{i}.jpg"
                path.write_bytes(jpeg(20000 + i, (320, 240)))
                files.append(str(path))
            lines = []
            for label in ("team server", "folder"):
                if label == "team server":
                    subprocess.run([*cluster.owner, str(cluster.bin / "createdb"), "-h",
                                    str(cluster.socket), "-p", str(cluster.port), "-U",
                                    "postgres", "team"], check=True)
                    location: str | Path = cluster.conninfo("team")
                else:
                    location = folder / "ws"
                logins = make(location)
                load = run_load(str(location), logins, args.seconds, files)
                rows, twice, chain = check(str(location))
                lines.append(summary(label, load, rows, twice, chain, args.seconds))
                listed, first_screen = queue_open(location, args.queue)
                lines.append(f"{label}: a queue of {args.queue:,} items: ids in "
                             f"{listed:.2f} s, the first screen (40 rows) after "
                             f"{first_screen:.2f} s")
                print(lines[-2], lines[-1], sep="\n", flush=True)
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()

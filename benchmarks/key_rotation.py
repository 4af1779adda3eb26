"""What disabling a user costs (the master key rotates), what signing costs, at 10,000 and
100,000 items.

Disabling moves the workspace to a new master key: the database is re-keyed (SQLCipher
`PRAGMA rekey`, which rewrites every page) and new data keys start an epoch, so no blob and no
list file is re-encrypted. The workspace is filled with synthetic rows as intake and review
leave them (an item, its sighting, three assessments and four signed audit entries each);
blobs are not written, since rotation never reads them. For comparison, re-encrypting every
blob (what a rotation without envelope keys would need) is estimated from 200 real 200 KB
vault blobs.

    python benchmarks/key_rotation.py [--items 10000 100000]
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.desk import Desk  # noqa: E402
from app.workspace.db import transaction  # noqa: E402
from app.workspace.vault import Vault  # noqa: E402

PASSWORD = "benchmark-password"


def fill(desk: Desk, items: int) -> None:
    """Rows as intake and review leave them, in batches of 5,000."""
    ws = desk._ws  # a benchmark may fill tables directly; the product never does
    now = "2026-11-28T00:00:00.000000Z"
    ids = {name: ws.users.id_of(name) for name in ("admin", "anna", "sam", "sofia")}
    with transaction(ws.db):
        ws.items.report_or_new("BENCH", "public", now, "", "admin")
    for start in range(0, items, 5000):
        with transaction(ws.db):
            for _ in range(start, min(items, start + 5000)):
                digest = os.urandom(32).hex()
                item = ws.items.add({  # the store seals hashes as intake's items are
                    "sha256": digest, "md5": digest[:32], "sha1": digest[:40],
                    "pdq": os.urandom(32).hex(), "pdq_quality": 100, "kind": "image",
                    "mime": "image/jpeg", "size": 200000, "width": 1600, "height": 1200,
                    "blob": os.urandom(32).hex(), "status": "unknown", "first_report": 1,
                    "state": "final", "final_verdict": "baseline"})
                ws.items.add_sighting({"report_id": 1, "item_id": item, "kind": "media",
                                       "source": f"https://host.example/{digest[:16]}.jpg",
                                       "ip": "192.0.2.1", "country": "NL"})
                for round_, user in ((1, "anna"), (2, "sam"), (3, "sofia")):
                    ws.db.execute(
                        "INSERT INTO assessments (item_id, cycle, round, user_id, verdict, at)"
                        " VALUES (?, 1, ?, ?, 'baseline', ?)", [item, round_, ids[user], now])
                for _ in range(4):
                    ws.audit.append("item.open", str(item), "ok", {"as": "image"})


def reencrypt_estimate(items: int) -> float:
    """Seconds to decrypt and re-encrypt `items` blobs of 200 KB, from 200 measured."""
    with tempfile.TemporaryDirectory() as tmp:
        old = Vault(Path(tmp) / "old", {0: os.urandom(32)}, {0: os.urandom(32)})
        new = Vault(Path(tmp) / "new", {0: os.urandom(32)}, {0: os.urandom(32)})
        names = [old.put(os.urandom(200_000)) for _ in range(200)]
        start = time.perf_counter()
        for name in names:
            new.put(old.get(name))
        return (time.perf_counter() - start) / 200 * items


def run(items: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        with Desk.create(root, "admin", PASSWORD) as admin:
            for name, role in (("anna", "analyst"), ("sam", "supervisor"),
                               ("sofia", "supervisor")):
                admin.add_user(name, role, PASSWORD)
            fill(admin, items)
            size = (root / "workspace.db").stat().st_size
            start = time.perf_counter()
            check = admin.verify_audit(full=True)
            verify = time.perf_counter() - start
            assert check.ok, check.problem
            start = time.perf_counter()
            admin.disable_user("anna")
            disable = time.perf_counter() - start
            start = time.perf_counter()
            assert admin.verify_audit().ok
            again = time.perf_counter() - start
        start = time.perf_counter()
        Desk.open(root, "sam", PASSWORD).close()
        sign_in = time.perf_counter() - start
    print(f"{items:,} items ({check.entries:,} signed audit entries, database "
          f"{size / 1e6:.1f} MB): disable + rotation {disable:.2f} s; "
          f"re-encrypting every 200 KB blob instead: ~{reencrypt_estimate(items):.0f} s "
          f"(estimated from 200); audit verify {verify:.1f} s in full, {again:.1f} s "
          f"after that (signatures checked before are not checked again); a sign-in "
          f"afterwards {sign_in:.2f} s (Argon2id included)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, nargs="+", default=[10_000, 100_000])
    for items in parser.parse_args().items:
        run(items)


if __name__ == "__main__":
    main()

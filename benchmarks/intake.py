"""Intake throughput and memory: `hotline import` of local 2 MP JPEGs vs hashdb's hashing alone.

    python benchmarks/intake.py [--images 1000] [--memory 10000]

In one run, on the same files, both on 2 processes: hashdb's fast path over the files (a pool
of 2 workers), then what `hotline import --file FOLDER` runs, in a fresh process (sign in,
then the import: read, hash and seal in the pool's workers, match against a 100k-entry list,
the main process recording in group commits), then the hashing again; the import is compared
with the better of the two hashing runs. With --memory N, the same also imports N files
(copies of the first ones, each made unique by bytes after the image's end) into a second
workspace, and the peak resident memory of the importing process is printed for both.
"""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.desk import Desk  # noqa: E402
from benchmarks.hashing import fast, make_images, pool_rate  # noqa: E402

PASSWORD = "benchmark-password"


def workspace(root: Path) -> None:
    with Desk.create(root, "admin", PASSWORD) as admin:
        admin.add_user("ann", "analyst", PASSWORD)
        admin.add_user("sue", "supervisor", PASSWORD)
    listing = root.parent / f"{root.name}-list.txt"
    listing.write_text("".join(f"{i:032x}\n" for i in range(100_000)))
    with Desk.open(root, "sue", PASSWORD) as sue:
        sue.import_list(listing, "100k", "baseline")


RUNNER = """
import json, resource, sys, time
from pathlib import Path
from app.desk import Desk
started = time.perf_counter()
with Desk.open(Path(sys.argv[1]), "ann", sys.argv[4]) as ann:
    opened = time.perf_counter()
    summary = ann.import_report(files=[Path(sys.argv[2])], reference=sys.argv[3])
    done = time.perf_counter()
json.dump({"import": done - opened, "signed_in": opened - started, "items": summary.items,
           "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}, sys.stdout)
"""


def imported(root: Path, folder: Path, reference: str) -> dict:
    """The import in a fresh process: the command's whole time, the import's own (from the
    call to its return: the pool started, the files walked, hashed, sealed, recorded) and
    the process's peak resident memory. What `hotline import` runs, timed from inside."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", RUNNER, str(root), str(folder), reference,
                           PASSWORD], check=True, capture_output=True, text=True, cwd=ROOT)
    result = json.loads(done.stdout)
    result["command"] = time.perf_counter() - start
    return result


def copies(source: list[str], folder: Path, count: int) -> None:
    folder.mkdir()
    for i in range(count):
        data = Path(source[i % len(source)]).read_bytes()
        (folder / f"{i:06d}.jpg").write_bytes(data + i.to_bytes(8, "big"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=1000)
    parser.add_argument("--memory", type=int, default=0, metavar="N")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    try:
        folder = tmp / "in"
        folder.mkdir()
        paths = make_images(folder, args.images)
        workspace(tmp / "ws")
        before, _ = pool_rate(fast, paths, 2)
        run = imported(tmp / "ws", folder, "bench")
        after, _ = pool_rate(fast, paths, 2)
        hashing = max(before, after)
        rate, whole = args.images / run["import"], args.images / run["command"]
        print(f"{args.images} JPEGs of about 2 MP, 2 processes")
        print(f"hashdb hashing alone  {hashing:7.1f} images/s (pools already started; runs "
              f"before and after the import: {before:.1f}, {after:.1f})")
        print(f"hotline import        {rate:7.1f} images/s   ratio {rate / hashing:.2f}   "
              f"({run['items']} items in {run['import']:.1f} s, from the call to its return)")
        print(f"  the whole command   {whole:7.1f} images/s   ratio {whole / hashing:.2f}   "
              f"(a fresh Python, sign-in {run['signed_in']:.2f} s, {run['command']:.1f} s)")
        print(f"  peak memory of the importing process: {run['rss_kb'] / 1024:.0f} MB")
        if args.memory:
            many = tmp / "many"
            copies(paths, many, args.memory)
            shutil.rmtree(tmp / "ws")
            workspace(tmp / "ws2")
            big = imported(tmp / "ws2", many, "many")
            print(f"  {args.memory} files: {args.memory / big['import']:.1f} images/s, peak "
                  f"memory {big['rss_kb'] / 1024:.0f} MB (vs {run['rss_kb'] / 1024:.0f} MB for "
                  f"{args.images})")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

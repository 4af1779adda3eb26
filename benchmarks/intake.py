"""Intake throughput and memory: `hotline import` of local 2 MP JPEGs vs hashdb's hashing alone.

    python benchmarks/intake.py [--images 1000] [--rounds 2] [--memory 10000] [--unstored]

In one run, on the same files, both on 2 processes: hashdb's fast path over the files (a pool
of 2 workers), then what `hotline import --file FOLDER` runs, in a fresh process started from
a script as `hotline` is (sign in, then the import: read, hash and seal in the pool's workers,
match against a 100k-entry list, the main process recording in group commits), timed from
inside, then the real `hotline import` command into a second workspace, timed from start to
exit, then the hashing again; both are compared with the best of the hashing runs, and each
round's import with the mean of the hashing runs either side of it (the median of those
ratios: this machine's speed drifts 150-210 images/s between runs minutes apart).
With --unstored, each round also imports with the importing process storing nothing (what
the workers' reading, hashing, sealing and writing and the pool cost, without the records).
With --memory N, the same also imports N files (copies of the first ones, each made unique
by bytes after the image's end) into a third workspace, and the peak resident memory of the
importing process is printed for both.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
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
from app.cli import main  # as the `hotline` script does: its workers import this file again


def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    from app.desk import Desk
    if sys.argv[5:] == ["unstored"]:  # a measuring variant: the importing process stores nothing
        from app.intake import pipeline

        def counted(self, unit, hashes, stashed, report, matcher, summary):
            summary.media += 1
        pipeline.Pipeline._store = counted
    Desk.prepare_import(files=[Path(sys.argv[2])])  # as `hotline import`: before the sign-in
    started = time.perf_counter()
    with Desk.open(Path(sys.argv[1]), "ann", sys.argv[4]) as ann:
        opened, cpu_before = time.perf_counter(), cpu()
        summary = ann.import_report(files=[Path(sys.argv[2])], reference=sys.argv[3])
        done, cpu_used = time.perf_counter(), cpu() - cpu_before
    json.dump({"import": done - opened, "signed_in": opened - started, "items": summary.items,
               "cpu": cpu_used,
               "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}, sys.stdout)
"""


def imported(root: Path, folder: Path, reference: str, unstored: bool = False) -> dict:
    """The import in a fresh process, started from a script file as `hotline` is (the pool's
    workers import it again): the import's own time (from the call to its return: the pool
    started, the files walked, hashed, sealed, recorded), the process's CPU and its peak
    resident memory. `unstored`: the same with the importing process recording nothing (the
    workers still read, hash, seal and write each file): what the rest costs."""
    runner = root.parent / f"{reference}-runner.py"
    runner.write_text(RUNNER)
    done = subprocess.run([sys.executable, str(runner), str(root), str(folder), reference,
                           PASSWORD, *["unstored"] * unstored], check=True,
                          capture_output=True, text=True, cwd=ROOT)
    return json.loads(done.stdout)


def command(root: Path, folder: Path, reference: str) -> float:
    """Seconds of the real `hotline import --file FOLDER` command, start to exit."""
    script = Path(sys.executable).parent / "hotline"
    start = time.perf_counter()
    subprocess.run([str(script), "--workspace", str(root), "--user", "ann", "import",
                    "--file", str(folder), "--report", reference], check=True,
                   capture_output=True, cwd=ROOT,
                   env={**os.environ, "HOTLINE_PASSWORD": PASSWORD})
    return time.perf_counter() - start


def copies(source: list[str], folder: Path, count: int) -> None:
    folder.mkdir()
    for i in range(count):
        data = Path(source[i % len(source)]).read_bytes()
        (folder / f"{i:06d}.jpg").write_bytes(data + i.to_bytes(8, "big"))


def listed(values: Iterable[float]) -> str:
    return ", ".join(f"{v:.1f}" for v in values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=1000)
    parser.add_argument("--memory", type=int, default=0, metavar="N")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--unstored", action="store_true",
                        help="also import with the importing process storing nothing, each round")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    try:
        folder = tmp / "in"
        folder.mkdir()
        paths = make_images(folder, args.images)
        workspace(tmp / "ws")  # copied for each run: every import starts from the same
        rates: list[float] = []
        runs: list[dict] = []
        commands: list[float] = []
        bare: list[dict] = []
        for r in range(args.rounds):  # interleaved: this machine's speed drifts
            rates.append(pool_rate(fast, paths, 2)[0])
            shutil.copytree(tmp / "ws", tmp / f"ws-{r}")
            runs.append(imported(tmp / f"ws-{r}", folder, "bench"))
            shutil.copytree(tmp / "ws", tmp / f"ws-command-{r}")
            commands.append(command(tmp / f"ws-command-{r}", folder, "bench"))
            shutil.rmtree(tmp / f"ws-{r}")
            shutil.rmtree(tmp / f"ws-command-{r}")
            if args.unstored:
                shutil.copytree(tmp / "ws", tmp / f"ws-bare-{r}")
                bare.append(imported(tmp / f"ws-bare-{r}", folder, "bench", unstored=True))
                shutil.rmtree(tmp / f"ws-bare-{r}")
        rates.append(pool_rate(fast, paths, 2)[0])
        hashing = max(rates)
        run = min(runs, key=lambda x: x["import"])
        seconds = min(commands)
        rate, whole = args.images / run["import"], args.images / seconds
        print(f"{args.images} JPEGs of about 2 MP, 2 processes, best of {args.rounds} "
              "interleaved rounds")
        print(f"hashdb hashing alone  {hashing:7.1f} images/s (pools already started; each "
              f"run: {listed(rates)})")
        print(f"hotline import        {rate:7.1f} images/s   ratio {rate / hashing:.2f}   "
              f"({run['items']} items in {run['import']:.1f} s, from the call to its return; "
              f"each run: {listed(args.images / x['import'] for x in runs)})")

        def paired_with_hashing(imports: list[dict]) -> list[float]:
            """Each round's import against the mean of the hashing runs either side of it."""
            return [args.images / x["import"] / statistics.mean(rates[r:r + 2])
                    for r, x in enumerate(imports)]

        paired = paired_with_hashing(runs)
        print(f"  each round's import against the hashing runs either side of it: median "
              f"{statistics.median(paired):.2f} (each round: "
              f"{', '.join(f'{x:.2f}' for x in paired)})")
        if bare:
            ratios = paired_with_hashing(bare)
            print(f"  the same with the importing process storing nothing (the workers still "
                  f"seal and write): median {statistics.median(ratios):.2f} of hashing (each "
                  f"round: {', '.join(f'{x:.2f}' for x in ratios)})")
        print(f"  the importing process's own CPU: {run['cpu'] / args.images * 1000:.2f} ms "
              "an item (its threads included; the workers' not)")
        print(f"  hotline import --file, the whole command: {whole:7.1f} images/s   ratio "
              f"{whole / hashing:.2f}   ({seconds:.1f} s; sign-in alone "
              f"{run['signed_in']:.2f} s; each run: "
              f"{listed(args.images / x for x in commands)})")
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

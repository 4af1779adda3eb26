"""Hashing throughput: hashdb's fast path vs a naive pipeline, on 2 MP JPEGs, both cores.

    python benchmarks/hashing.py [--images 400] [--workers 2]

Naive = full Pillow decode + pdqhash + MD5/SHA-1/SHA-256. Fast = hashdb (JPEG draft decode,
pdqhash, the three digests in one pass). The images are synthetic scenes and Meta's own PDQ
test photos (tests/data/pdq), scaled to 2 MP and re-encoded. Also prints how far the fast
path's hashes are from full-resolution hashes, and from Meta's published reference hashes next
to how far Meta's own 2017 C++ build is from them.
"""

import argparse
import csv
import hashlib
import io
import multiprocessing
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pdqhash
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hashdb.allocator import tune_for_images  # noqa: E402
from hashdb.digests import digest_bytes  # noqa: E402
from hashdb.kinds import hamming  # noqa: E402
from hashdb.pdq import bits_to_hex, pdq_image  # noqa: E402
from tests.synthetic import scene  # noqa: E402

DATA = ROOT / "tests" / "data" / "pdq"
TWO_MP = 2_000_000


def naive(path: str) -> tuple[str, str]:
    data = Path(path).read_bytes()
    digests = (hashlib.md5(data).hexdigest(), hashlib.sha1(data).hexdigest(),
               hashlib.sha256(data).hexdigest())
    rgb = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))
    return digests[2], bits_to_hex(pdqhash.compute(rgb)[0])


def fast(path: str) -> tuple[str, str]:
    data = Path(path).read_bytes()
    return digest_bytes(data).sha256, pdq_image(data).hash


def to_2mp(image: Image.Image) -> Image.Image:
    scale = (TWO_MP / (image.width * image.height)) ** 0.5
    return image.resize((round(image.width * scale), round(image.height * scale)),
                        Image.Resampling.LANCZOS)


def make_images(folder: Path, count: int) -> list[str]:
    photos = sorted((DATA / "repo/pdq/data/bridge-mods").glob("*.jpg"))
    photos = [p for p in photos if Image.open(p).width >= 1000]
    photos += sorted((DATA / "repo/pdq/data/reg-test-input/dih").glob("*.jpg"))
    paths = []
    for i in range(count):
        if i % 2:
            image = to_2mp(Image.open(photos[i // 2 % len(photos)]).convert("RGB"))
            image = image.rotate(i % 7 - 3, resample=Image.Resampling.BILINEAR)
            image.putpixel((i % image.width, 0), (i % 256, 0, 0))  # every file unique
        else:
            image = scene(1000 + i, (1732, 1155))
        path = folder / f"img{i:04d}.jpg"
        image.save(path, "JPEG", quality=85 + i % 8)
        paths.append(str(path))
    return paths


def throughput(fn, paths: list[str], workers: int) -> tuple[float, list]:
    # Both pipelines get the same fresh, tuned workers (hashdb.allocator).
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=tune_for_images) as pool:
        list(pool.map(fn, paths[:workers * 2]))  # warm the workers up
        start = time.perf_counter()
        results = list(pool.map(fn, paths, chunksize=8))
        elapsed = time.perf_counter() - start
    return len(paths) / elapsed, results


def reference_distances() -> None:
    rows = list(csv.DictReader((DATA / "pdq_expected.csv").open()))
    reference = {r["image"]: r["hash"] for r in rows if r["set"] == "cpp_int64"
                 and (not r["quality"] or int(r["quality"]) >= 80)}
    old_cpp = {r["image"]: r["hash"] for r in rows if r["set"] == "cpp_hex_2017"}
    present = [i for i in reference if (DATA / "repo" / i).exists()]
    full = [hamming(pdq_image(DATA / "repo" / i, fast=False).hash, reference[i]) for i in present]
    quick = [hamming(pdq_image(DATA / "repo" / i).hash, reference[i]) for i in present]
    both = [i for i in present if i in old_cpp]
    meta_2017 = [hamming(old_cpp[i], reference[i]) for i in both]
    print(f"\nMeta's reference hashes (cpp_int64, quality >= 80, {len(present)} images):")
    print(f"  hashdb full decode   mean {statistics.mean(full):.2f} bits, max {max(full)}")
    print(f"  hashdb fast path     mean {statistics.mean(quick):.2f} bits, max {max(quick)}")
    print(f"  Meta's 2017 C++ tool mean {statistics.mean(meta_2017):.2f} bits, "
          f"max {max(meta_2017)} ({len(both)} images it published)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=400)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = make_images(Path(tmp), args.images)
        size = statistics.mean(Path(p).stat().st_size for p in paths) / 1e3
        print(f"{len(paths)} JPEGs of about 2 MP ({size:.0f} kB on average), "
              f"{args.workers} worker processes")
        naive_rate, naive_results = throughput(naive, paths, args.workers)
        fast_rate, fast_results = throughput(fast, paths, args.workers)
    distances = [hamming(a[1], b[1]) for a, b in zip(naive_results, fast_results, strict=True)]
    print(f"naive pipeline  {naive_rate:7.1f} images/s")
    print(f"hashdb fast     {fast_rate:7.1f} images/s   ratio {fast_rate / naive_rate:.1f}x")
    print(f"PDQ distance fast vs full decode: mean {statistics.mean(distances):.2f} bits, "
          f"median {statistics.median(distances)}, max {max(distances)}")
    reference_distances()


if __name__ == "__main__":
    main()

"""What padding vault blobs costs (Padmé): the space on the demo's content and on a corpus of
1,000 synthetic 2 MP JPEGs, and how many distinct blob sizes remain.

    python benchmarks/vault_padding.py [--images 1000]
"""

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.demo.site import listed, pictures, videos  # noqa: E402
from app.workspace.vault import padme  # noqa: E402
from benchmarks.hashing import make_images  # noqa: E402

HEADER = 4 + 12 + 16  # magic, nonce, GCM tag: the same with and without padding


def report(name: str, sizes: list[int]) -> None:
    plain = sum(s + HEADER for s in sizes)
    padded = sum(padme(8 + s) + HEADER for s in sizes)
    print(f"{name}: {len(sizes)} files, {plain:,} bytes unpadded, {padded:,} padded "
          f"(+{(padded / plain - 1) * 100:.2f}%); distinct blob sizes "
          f"{len({s + HEADER for s in sizes})} -> {len({padme(8 + s) for s in sizes})}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=1000)
    args = parser.parse_args()
    demo = [len(d) for d in (*listed(), *pictures().values(), *videos().values())]
    report("demo content", demo)
    with tempfile.TemporaryDirectory() as tmp:
        paths = make_images(Path(tmp), args.images)
        report(f"{args.images} synthetic 2 MP JPEGs", [Path(p).stat().st_size for p in paths])


if __name__ == "__main__":
    main()

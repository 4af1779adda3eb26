"""Mutated media for the decoder fuzzer: synthetic pictures in every format intake reads,
with bytes flipped, runs overwritten, chunks cut or repeated (seeded, so a failure is found
again with its seed)."""

import io
import random

from tests.synthetic import scene
from tests.synthetic_video import encode, frames

FORMATS = ("JPEG", "PNG", "GIF", "TIFF", "WEBP", "BMP")


def seed_video() -> bytes:
    """A second of tiny synthetic video (MP4, H.264)."""
    return encode(frames(7100, seconds=1.0, fps=5, size=(64, 48)))


def seed_files() -> dict[str, bytes]:
    files = {}
    for i, fmt in enumerate(FORMATS):
        out = io.BytesIO()
        image = scene(7000 + i, (96, 72))
        image.save(out, fmt)
        files[fmt] = out.getvalue()
    return files


def mutate(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        how = rng.randrange(5)
        at = rng.randrange(len(out)) if out else 0
        if how == 0 and out:  # flip bits
            out[at] ^= 1 << rng.randrange(8)
        elif how == 1 and out:  # an interesting value
            out[at] = rng.choice((0x00, 0xFF, 0x7F, 0x80, 0x01))
        elif how == 2:  # overwrite a run with a big number
            out[at:at + 4] = rng.choice((b"\xff\xff\xff\xff", b"\x7f\xff\xff\xff",
                                         b"\x00\x00\x00\x00", b"\x00\x01\x00\x00"))
        elif how == 3:  # cut
            del out[at:at + rng.randint(1, 64)]
        else:  # repeat a chunk
            out[at:at] = out[at:at + rng.randint(1, 64)]
    return bytes(out)

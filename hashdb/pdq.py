"""PDQ hashes of images: 256 bits as Meta writes them (64 hex characters), with quality.

The fast path asks the JPEG decoder for a reduced image (libjpeg's DCT scaling, Pillow's draft
mode) no smaller than FAST_SIDE on either side, and reduces other large images by whole
factors. PDQ itself low-passes the image down to 64x64, so the hash stays within a few bits
of the full-resolution hash (see benchmarks/hashing.py) at a fraction of the cost.

EXIF orientation is ignored, as in Meta's reference hashes: a rotated copy is found through the
dihedral variants instead.
"""

import io
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pdqhash
from PIL import Image, UnidentifiedImageError

from hashdb.errors import NotAnImage, TooManyPixels, TruncatedImage

FAST_SIDE = 512
DEFAULT_MAX_PIXELS = 150_000_000
# Order of pdqhash.compute_dihedral, as Meta's C++: checked against Meta's dih/ test images.
DIHEDRAL_NAMES = ("original", "rotate-90", "rotate-180", "rotate-270",
                  "flip-x", "flip-y", "flip-plus-1", "flip-minus-1")


@dataclass(frozen=True)
class PdqResult:
    hash: str
    quality: int
    width: int
    height: int
    dihedral: tuple[str, ...] = ()


def bits_to_hex(bits: np.ndarray) -> str:
    """pdqhash's bit vector (first element = Meta's bit 255) as Meta's hex string."""
    return np.packbits(np.asarray(bits, dtype=np.uint8)).tobytes().hex()


def open_image(source: bytes | Path, max_pixels: int = DEFAULT_MAX_PIXELS) -> Image.Image:
    """Open (not yet decode) an image, refusing non-images and pixel bombs with clear errors."""
    stream = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(stream)
    except (UnidentifiedImageError, Image.DecompressionBombWarning,
            Image.DecompressionBombError) as exc:
        if isinstance(exc, UnidentifiedImageError):
            raise NotAnImage("not an image in a format that can be read") from None
        raise TooManyPixels(f"the image declares too many pixels ({exc})") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise NotAnImage(f"not a readable image: {exc}") from None
    except Exception as exc:  # a decoder plugin's own bug on hostile bytes
        raise NotAnImage(f"not a readable image ({type(exc).__name__}: {exc})") from None
    width, height = image.size
    if width * height > max_pixels:
        raise TooManyPixels(f"the image declares {width}x{height} pixels, more than the "
                            f"limit of {max_pixels:,}")
    if width < 1 or height < 1:
        raise NotAnImage("the image has no pixels")
    return image


def decode_rgb(image: Image.Image, fast: bool = True) -> np.ndarray:
    """The first frame as an RGB array; reduced (fast path) or at full resolution."""
    try:
        if fast and image.format == "JPEG":
            image.draft("RGB", (FAST_SIDE, FAST_SIDE))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # palette-transparency and similar notes
            image.load()
            if fast:
                factor = min(image.size) // FAST_SIDE
                if factor >= 2:
                    image = image.reduce(factor)
            rgb = image.convert("RGB")
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise TruncatedImage(f"the image data is truncated or damaged: {exc}") from None
    except Exception as exc:  # e.g. TypeError from a malformed TIFF's tags
        raise TruncatedImage(f"the image data is damaged ({type(exc).__name__}: {exc})"
                             ) from None
    return np.asarray(rgb)


def pdq_array(rgb: np.ndarray, dihedral: bool = False) -> tuple[str, int, tuple[str, ...]]:
    """PDQ of an RGB uint8 array (H, W, 3): (hash, quality, dihedral hashes or ())."""
    rgb = np.ascontiguousarray(rgb, dtype=np.uint8)
    if dihedral:
        vectors, quality = pdqhash.compute_dihedral(rgb)
        hashes = tuple(bits_to_hex(v) for v in vectors)
        return hashes[0], int(quality), hashes
    vector, quality = pdqhash.compute(rgb)
    return bits_to_hex(vector), int(quality), ()


def pdq_image(source: bytes | Path, *, fast: bool = True, dihedral: bool = False,
              max_pixels: int = DEFAULT_MAX_PIXELS) -> PdqResult:
    """PDQ hash and quality of the image in `source` (bytes or a path)."""
    image = open_image(source, max_pixels)
    width, height = image.size
    with image:
        rgb = decode_rgb(image, fast)
    hash_, quality, variants = pdq_array(rgb, dihedral)
    return PdqResult(hash_, quality, width, height, variants)

"""PDQ hashes of images: 256 bits as Meta writes them (64 hex characters), with quality.

The fast path decodes the image reduced by a block of up to 8 pixels (a JPEG by libjpeg's
DCT scaling, Pillow's draft mode; other formats by box averaging), with the block
no wider than PDQ's own filter window allows, and runs PDQ's filter for the full-resolution
image on those block means (hashdb.pdq_linear). So the hash stays within a bit or so of the
full decode's (benchmarks/hashing.py) at the cost of a thumbnail. The full path is Meta's
reference (pdqhash on the RGB pixels), bit for bit.

EXIF orientation is ignored, as in Meta's reference hashes: a rotated copy is found through the
dihedral variants instead.
"""

import io
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np
import pdqhash
from PIL import Image, UnidentifiedImageError

from hashdb.errors import NotAnImage, TooManyPixels, TruncatedImage
from hashdb.pdq_linear import hash_64, rgb_64, window_size

T = TypeVar("T")
WINDOW_BLOCKS = 2.5  # PDQ's box window spans at least this many decoded blocks
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


def reduction(width: int, height: int) -> int:
    """The block (1, 2, 4 or 8) an image is decoded by on the fast path: as coarse as keeps
    PDQ's box window WINDOW_BLOCKS blocks wide along the shorter side."""
    window = window_size(min(width, height))
    return next((block for block in (8, 4, 2) if block * WINDOW_BLOCKS <= window), 1)


def _decoding(image: Image.Image, work: Callable[[Image.Image], T]) -> T:
    """`work(image)` with a decoder's failure said as a damaged image."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # palette-transparency and similar notes
            return work(image)
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise TruncatedImage(f"the image data is truncated or damaged: {exc}") from None
    except Exception as exc:  # e.g. TypeError from a malformed TIFF's tags
        raise TruncatedImage(f"the image data is damaged ({type(exc).__name__}: {exc})"
                             ) from None


def decode_rgb(image: Image.Image) -> np.ndarray:
    """The first frame as an RGB array at full resolution (Meta's reference input)."""
    def work(im: Image.Image) -> np.ndarray:
        im.load()
        return np.asarray(im.convert("RGB"))
    return _decoding(image, work)


def decode_reduced(image: Image.Image) -> tuple[np.ndarray, int]:
    """The first frame in RGB reduced by the fast path's block (block means), and the block.
    RGB, not the decoder's luma: PDQ's luma is of the clamped RGB pixels, and the two differ
    enough in saturated colours to move a bit pair across the median."""
    width, height = image.size
    block = reduction(width, height)

    def work(im: Image.Image) -> tuple[np.ndarray, int]:
        decoded = 1
        if im.format == "JPEG":
            im.draft("RGB", (width // block, height // block))
            decoded = next((b for b in (8, 4, 2) if im.size == (-(-width // b),
                                                                 -(-height // b))), 1)
        im.load()
        rgb = im.convert("RGB")
        if block > decoded:
            rgb = rgb.reduce(block // decoded)
        return np.asarray(rgb), block
    return _decoding(image, work)


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
        if not fast:
            hash_, quality, variants = pdq_array(decode_rgb(image), dihedral)
            return PdqResult(hash_, quality, width, height, variants)
        if reduction(width, height) == 1:  # small: Meta's exact path costs no more
            hash_, quality, variants = pdq_array(decode_rgb(image), dihedral)
            return PdqResult(hash_, quality, width, height, variants)
        rgb, block = decode_reduced(image)
    hash_, quality, variants = hash_64(rgb_64(rgb, height, width, block), dihedral)
    return PdqResult(hash_, quality, width, height, variants)

"""PDQ on synthetic images: edits of an image match it, other images do not."""

import io

import numpy as np
import pytest
from PIL import Image, ImageDraw

from hashdb.errors import NotAnImage, TooManyPixels, TruncatedImage
from hashdb.kinds import hamming
from hashdb.pdq import pdq_image
from tests.hostile import png_header
from tests.synthetic import encode, jpeg, scene

THRESHOLD = 31


@pytest.fixture(scope="module")
def original() -> Image.Image:
    return scene(1, (1200, 900))


def near(a: str, b: str) -> bool:
    return hamming(a, b) <= THRESHOLD


def hash_of(image: Image.Image, fmt: str = "JPEG", **kw: object) -> str:
    return pdq_image(encode(image, fmt, **kw)).hash


def crop_border(image: Image.Image, share: float) -> Image.Image:
    w, h = image.size
    dx, dy = int(w * share), int(h * share)
    return image.crop((dx, dy, w - dx, h - dy))


def watermark(image: Image.Image) -> Image.Image:
    """A site's mark: white text on a half-transparent strip in a corner."""
    marked = image.convert("RGBA")
    layer = Image.new("RGBA", marked.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    w, h = marked.size
    draw.rectangle([w - 260, h - 44, w - 10, h - 10], fill=(0, 0, 0, 110))
    draw.text((w - 250, h - 36), "images.example.org", fill=(255, 255, 255, 230))
    return Image.alpha_composite(marked, layer).convert("RGB")


EDITS = {
    "resize-half": lambda im: im.resize((im.width // 2, im.height // 2)),
    "resize-small": lambda im: im.resize((300, 225)),
    "upscale": lambda im: im.resize((im.width * 3 // 2, im.height * 3 // 2)),
    "crop-1pc-border": lambda im: crop_border(im, 0.01),
    "watermark": watermark,
    "greyscale": lambda im: im.convert("L").convert("RGB"),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_edits_match_the_original(original: Image.Image, edit: str) -> None:
    assert near(hash_of(original), hash_of(EDITS[edit](original)))


@pytest.mark.parametrize("quality", [95, 60, 30])
def test_reencoded_copies_match(original: Image.Image, quality: int) -> None:
    assert hamming(hash_of(original), hash_of(original, quality=quality)) <= 16


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "BMP", "TIFF", "GIF"])
def test_other_formats_match(original: Image.Image, fmt: str) -> None:
    assert near(hash_of(original), hash_of(original, fmt))


@pytest.mark.parametrize("transpose", [Image.Transpose.ROTATE_90, Image.Transpose.ROTATE_180,
                                       Image.Transpose.FLIP_LEFT_RIGHT,
                                       Image.Transpose.FLIP_TOP_BOTTOM,
                                       Image.Transpose.TRANSPOSE])
def test_rotated_and_flipped_copies_match_a_dihedral_variant(
        original: Image.Image, transpose: Image.Transpose) -> None:
    copy = hash_of(original.transpose(transpose))
    assert not near(copy, hash_of(original))  # the plain hash does not see it...
    variants = pdq_image(encode(original), dihedral=True).dihedral
    assert len(variants) == 8
    assert min(hamming(copy, v) for v in variants) <= THRESHOLD  # ...one of the 8 does


def test_unrelated_images_do_not_match() -> None:
    hashes = [pdq_image(jpeg(seed)).hash for seed in range(100, 112)]
    distances = [hamming(a, b) for i, a in enumerate(hashes) for b in hashes[i + 1:]]
    assert min(distances) > THRESHOLD


@pytest.mark.slow
def test_fast_path_stays_close_to_full_decode() -> None:
    distances = []
    for seed in range(20):
        data = jpeg(seed, (1800, 1200))
        distances.append(hamming(pdq_image(data).hash, pdq_image(data, fast=False).hash))
    assert np.mean(distances) <= 1.5


def test_quality_of_a_flat_image_is_low() -> None:
    flat = Image.new("RGB", (400, 300), (128, 128, 128))
    assert pdq_image(encode(flat, "PNG")).quality < 50
    assert pdq_image(jpeg(3)).quality >= 50


def test_animated_gif_is_hashed_by_its_first_frame(original: Image.Image) -> None:
    frames = [original.resize((400, 300)), scene(77, (400, 300))]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100)
    first_only = encode(frames[0], "GIF")
    assert hamming(pdq_image(buffer.getvalue()).hash, pdq_image(first_only).hash) <= 4


def test_modes_are_accepted() -> None:
    image = scene(5, (320, 240))
    for mode in ("L", "LA", "RGBA", "P", "CMYK", "I", "1"):
        assert len(pdq_image(encode(image.convert(mode), "TIFF")).hash) == 64


@pytest.mark.parametrize("data", [b"", b"hello world", b"\x89PNG\r\n\x1a\n", bytes(1000),
                                  b"<html><body>not an image</body></html>"])
def test_not_an_image(data: bytes) -> None:
    with pytest.raises(NotAnImage):
        pdq_image(data)


def test_truncated_jpeg() -> None:
    with pytest.raises(TruncatedImage):
        pdq_image(jpeg(9)[:3000])


def test_pixel_bomb_is_refused_before_decoding() -> None:
    with pytest.raises(TooManyPixels):
        pdq_image(png_header(60000, 60000))


def test_pixel_limit_is_configurable() -> None:
    with pytest.raises(TooManyPixels, match="limit"):
        pdq_image(jpeg(2, (640, 480)), max_pixels=100_000)

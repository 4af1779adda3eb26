"""PDQ's image stage as matrices: Meta's hash bit for bit at full resolution, and close to it
from an image decoded at a reduced scale."""

import io
from pathlib import Path

import numpy as np
import pdqhash
import pytest
from PIL import Image

from hashdb.kinds import hamming
from hashdb.pdq import bits_to_hex, pdq_image, reduction
from hashdb.pdq_linear import axis_matrix, hash_64, rgb_64
from tests.synthetic import encode, scene

DATA = Path(__file__).parent.parent / "data" / "pdq" / "repo" / "pdq" / "data"
META_IMAGES = ["bridge-mods/aaa-orig.jpg", "bridge-mods/shrink-a-lot.jpg",
               "misc-images/wee.jpg", "misc-images/c.png",
               "reg-test-input/labelme-subset/q0122.jpg",
               "reg-test-input/dih/bridge-2-rotate-90.jpg"]


def reference(rgb: np.ndarray) -> tuple[str, int, tuple[str, ...]]:
    """Meta's C++ PDQ (the pdqhash binding) on the full-resolution pixels."""
    vectors, quality = pdqhash.compute_dihedral(np.ascontiguousarray(rgb))
    hashes = tuple(bits_to_hex(v) for v in vectors)
    return hashes[0], int(quality), hashes


@pytest.mark.parametrize("name", META_IMAGES)
def test_full_resolution_is_metas_hash_bit_for_bit(name: str) -> None:
    rgb = np.asarray(Image.open(DATA / name).convert("RGB"))
    height, width = rgb.shape[:2]
    assert hash_64(rgb_64(rgb, height, width, 1), dihedral=True) == reference(rgb)


@pytest.mark.parametrize("size", [(64, 64), (65, 200), (333, 97), (1000, 701)])
def test_odd_sizes_are_metas_hash_too(size: tuple[int, int]) -> None:
    rgb = np.asarray(scene(7, size))
    assert hash_64(rgb_64(rgb, size[1], size[0], 1), dihedral=True) == reference(rgb)


@pytest.mark.parametrize(("side", "block"),
                         [(100, 1), (1155, 4), (1733, 4), (4000, 8), (97, 2)])
def test_each_output_is_a_weighted_mean(side: int, block: int) -> None:
    """A flat image stays flat: every row of an axis matrix sums to one."""
    matrix = axis_matrix(side, block)
    assert matrix.shape == (64, -(-side // block))
    assert np.allclose(matrix.sum(axis=1), 1.0, atol=1e-5)


def test_the_block_follows_pdqs_window() -> None:
    assert reduction(256, 256) == 1  # small images take Meta's exact path
    assert reduction(1600, 1004) == 2
    assert reduction(1732, 1155) == 4  # 2 MP
    assert reduction(4000, 3000) == 8  # 12 MP


@pytest.mark.parametrize(("fmt", "size"), [
    ("JPEG", (1732, 1155)), ("PNG", (1732, 1155)), ("WEBP", (1732, 1155)),
    pytest.param("JPEG", (4000, 3000), marks=pytest.mark.slow)])
def test_reduced_decodes_stay_within_a_bit_or_two_of_the_full_hash(
        fmt: str, size: tuple[int, int]) -> None:
    distances = []
    for seed in range(4):
        options = {"compress_level": 1} if fmt == "PNG" else {}
        data = encode(scene(300 + seed, size), fmt, **options)
        distances.append(hamming(pdq_image(data).hash, pdq_image(data, fast=False).hash))
    assert np.mean(distances) <= 1.5, distances


def test_a_damaged_size_is_refused_not_misread() -> None:
    with pytest.raises(ValueError, match="reduced by 4"):
        rgb_64(np.zeros((100, 100, 3), np.uint8), 1155, 1732, 4)


def test_dihedral_variants_of_a_reduced_decode_find_the_rotated_copy() -> None:
    image = scene(11, (1732, 1155))
    variants = pdq_image(encode(image, "JPEG"), dihedral=True).dihedral
    rotated = pdq_image(encode(image.transpose(Image.Transpose.ROTATE_90), "JPEG")).hash
    assert hamming(rotated, variants[1]) <= 4
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    assert hamming(pdq_image(buffer.getvalue()).hash, variants[0]) <= 4

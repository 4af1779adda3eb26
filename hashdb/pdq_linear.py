"""PDQ's image stage as two small matrix products, for an image decoded at a reduced scale.

Meta's PDQ turns the luma of an image into 64x64 values by two X,Y passes of box filters (the
Jarosz filter, window ceil(side / 128)) and then takes one pixel per output cell. All of that
is linear and separable: the 64x64 values are `P_rows @ luma @ P_cols.T`, where each `P` is
the filter and the sampling of one axis as a 64 x side matrix. A JPEG decoded at 1/2-1/8
scale (libjpeg's DCT scaling: about each block's mean) or any image reduced by box averaging
gives block means; estimating the full-resolution pixels from them (Catmull-Rom) and folding
that into `P` gives the matrix for the reduced image: the full-resolution filter at the cost
of a thumbnail. At block 1 the result is Meta's, bit for bit (tests/hashdb). The DCT, the
median and the quality metric follow Meta's reference exactly.
"""

from functools import lru_cache

import numpy as np

OUTPUT = 64
WINDOW_DIVISOR = 128  # Meta's PDQ_JAROSZ_WINDOW_SIZE_DIVISOR
PASSES = 2  # X,Y,X,Y
LUMA = np.array([0.299, 0.587, 0.114], dtype=np.float32)  # Meta's (Wikipedia's) weights


def window_size(side: int) -> int:
    """Meta's box window for an image side (rounded up)."""
    return (side + WINDOW_DIVISOR - 1) // WINDOW_DIVISOR


def _add_columns(target: np.ndarray, columns: np.ndarray, values: np.ndarray) -> None:
    """target[:, columns[k]] += values[:, k] for sorted `columns` (runs summed in C, which
    np.add.at is too slow for)."""
    starts = np.flatnonzero(np.r_[True, columns[1:] != columns[:-1]])
    target[:, columns[starts]] += np.add.reduceat(values, starts, axis=1)


def _box_after(weights: np.ndarray, window: int) -> np.ndarray:
    """`weights @ B`, B the 1-D box filter of Meta's reference (edges average what there is).

    Output k of the filter is the mean of inputs [k - (window - half), k + half - 1],
    half = (window + 2) // 2, clipped to the vector. So input m feeds every k whose range
    holds m; pushing weights through is a scatter of each k's weight over its range."""
    n = weights.shape[1]
    half = (window + 2) // 2
    k = np.arange(n)
    lo = np.clip(k - (window - half), 0, n - 1)
    hi = np.clip(k + half - 1, 0, n - 1)
    share = weights / (hi - lo + 1)
    edges = np.zeros((weights.shape[0], n + 1))
    _add_columns(edges, lo, share)
    _add_columns(edges, hi + 1, -share)
    return np.cumsum(edges[:, :n], axis=1)


def _through_blocks(weights: np.ndarray, block: int) -> np.ndarray:
    """`weights @ U`, U estimating each full-resolution pixel from the block means around it
    (Catmull-Rom between block centres: exact for a smooth image, unlike taking the pixel
    to be its block's mean, which halves the hash's distance to the full decode)."""
    n = weights.shape[1]
    blocks = -(-n // block)
    t = (np.arange(n) + 0.5) / block - 0.5
    first = np.floor(t).astype(int)
    x = t - first
    taps = ((-x ** 3 + 2 * x ** 2 - x) / 2, (3 * x ** 3 - 5 * x ** 2 + 2) / 2,
            (-3 * x ** 3 + 4 * x ** 2 + x) / 2, (x ** 3 - x ** 2) / 2)
    out = np.zeros((weights.shape[0], blocks))
    for offset, tap in zip((-1, 0, 1, 2), taps, strict=True):
        _add_columns(out, np.clip(first + offset, 0, blocks - 1), weights * tap)
    return out


@lru_cache(maxsize=256)
def axis_matrix(side: int, block: int = 1) -> np.ndarray:
    """The 64 x ceil(side / block) matrix of one axis, for pixels that are the means of
    block x block squares of the full-resolution image (the last ones may be cut short)."""
    sample = ((np.arange(OUTPUT) + 0.5) * side / OUTPUT).astype(int)
    weights = np.zeros((OUTPUT, side))
    weights[np.arange(OUTPUT), sample] = 1.0
    window = window_size(side)
    for _ in range(PASSES):
        weights = _box_after(weights, window)
    if block > 1:
        weights = _through_blocks(weights, block)
    return np.ascontiguousarray(weights, dtype=np.float32)


def rgb_64(rgb: np.ndarray, height: int, width: int, block: int) -> np.ndarray:
    """The 64x64 values of PDQ for an image of `height` x `width` pixels given in RGB reduced
    by `block` (its means over block x block squares). The luma weights are applied between
    the two products, where there are 64 rows rather than the whole image."""
    rows = axis_matrix(height, block)
    cols = axis_matrix(width, block)
    h, w = rgb.shape[:2]
    if (h, w) != (rows.shape[1], cols.shape[1]):
        raise ValueError(f"a {height}x{width} image reduced by {block} is "
                         f"{rows.shape[1]}x{cols.shape[1]}, not {h}x{w}")
    across = (rows @ rgb.reshape(h, w * 3).astype(np.float32)).reshape(OUTPUT, w, 3)
    values: np.ndarray = (across @ LUMA) @ cols.T
    return values


@lru_cache(maxsize=1)
def _dct() -> np.ndarray:
    i = np.arange(1, 17)[:, None]
    j = np.arange(64)[None, :]
    matrix: np.ndarray = np.sqrt(2.0 / 64.0) * np.cos(np.pi / 128.0 * i * (2 * j + 1))
    return matrix


def quality(values: np.ndarray) -> int:
    """Meta's image-domain quality: the count of significant gradients, 0-100."""
    v = values.astype(np.float32)
    down = np.trunc((v[:-1, :] - v[1:, :]) * 100 / 255)
    across = np.trunc((v[:, :-1] - v[:, 1:]) * 100 / 255)
    total = int(np.abs(down).sum() + np.abs(across).sum())
    return min(total // 90, 100)


def dct_16(values: np.ndarray) -> np.ndarray:
    d = _dct()
    coefficients: np.ndarray = d @ values.astype(np.float64) @ d.T
    return coefficients


def _bits_hex(coefficients: np.ndarray) -> str:
    """Bit i*16+j is set when coefficient (i, j) exceeds the median (Torben's: the lower of
    the middle two); Meta's hex writes bit 255 first."""
    flat = coefficients.ravel()
    median = np.partition(flat, 127)[127]
    return np.packbits((flat > median)[::-1]).tobytes().hex()


def dihedral_coefficients(b: np.ndarray) -> tuple[np.ndarray, ...]:
    """The DCT of the seven other rotations and flips, from the original's (Meta's sign and
    transpose rules), in hashdb.pdq.DIHEDRAL_NAMES order."""
    odd = (np.arange(16) % 2).astype(bool)
    rows_odd = odd[:, None] & np.ones((16, 16), bool)
    cols_odd = odd[None, :] & np.ones((16, 16), bool)
    sum_odd = rows_odd ^ cols_odd
    return (
        b,
        np.where(cols_odd, b, -b).T,    # rotate 90
        np.where(sum_odd, -b, b),       # rotate 180
        np.where(rows_odd, b, -b).T,    # rotate 270
        np.where(rows_odd, b, -b),      # flip x
        np.where(cols_odd, b, -b),      # flip y
        b.T,                            # flip plus 1
        np.where(sum_odd, -b, b).T,     # flip minus 1
    )


def hash_64(values: np.ndarray, dihedral: bool = False) -> tuple[str, int, tuple[str, ...]]:
    """(hash, quality, dihedral hashes or ()) of PDQ's 64x64 values."""
    coefficients = dct_16(values)
    q = quality(values)
    if not dihedral:
        return _bits_hex(coefficients), q, ()
    hashes = tuple(_bits_hex(c) for c in dihedral_coefficients(coefficients))
    return hashes[0], q, hashes

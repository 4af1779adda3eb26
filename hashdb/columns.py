"""Compact columns for millions of entries: a variable-width string column."""

from collections.abc import Iterable

import numpy as np


class StringColumn:
    """n strings as one UTF-8 blob and n + 1 offsets; no offsets at all when every string is
    empty (the common case for optional fields, which would otherwise cost 4-8 bytes a row)."""

    def __init__(self, count: int, offsets: np.ndarray | None, blob: np.ndarray) -> None:
        self.count = count
        self.offsets = offsets
        self.blob = blob

    @classmethod
    def build(cls, parts: Iterable[bytes], count: int) -> "StringColumn":
        lengths = np.zeros(count + 1, dtype=np.uint64)
        blob = bytearray()
        for i, part in enumerate(parts):
            blob += part
            lengths[i + 1] = len(part)
        if not blob:
            return cls(count, None, np.zeros(0, dtype=np.uint8))
        offsets = np.cumsum(lengths, dtype=np.uint64)
        if len(blob) < 2**32:
            offsets = offsets.astype(np.uint32)
        return cls(count, offsets, np.frombuffer(bytes(blob), dtype=np.uint8))

    @classmethod
    def stored(cls, count: int, offsets: np.ndarray, blob: np.ndarray) -> "StringColumn":
        """From the arrays a list file holds (empty offsets = all strings empty)."""
        return cls(count, offsets if len(offsets) else None, blob)

    def stored_offsets(self) -> np.ndarray:
        return self.offsets if self.offsets is not None else np.zeros(0, dtype=np.uint32)

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, i: int) -> str:
        if self.offsets is None:
            return ""
        lo, hi = int(self.offsets[i]), int(self.offsets[i + 1])
        return self.blob[lo:hi].tobytes().decode("utf-8") if hi > lo else ""

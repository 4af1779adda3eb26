"""Hash kinds and the one place where hash strings are validated and normalised.

As python-threatexchange's `validate_signal_str`: every string that enters hashdb passes here,
so the rest of the code can rely on lower-case hex of the right length.
"""

import re
from enum import StrEnum

from hashdb.errors import InvalidHash


class Kind(StrEnum):
    MD5 = "md5"
    SHA1 = "sha1"
    SHA256 = "sha256"
    PDQ = "pdq"


HEX_LENGTH = {Kind.MD5: 32, Kind.SHA1: 40, Kind.SHA256: 64, Kind.PDQ: 64}
BYTE_LENGTH = {kind: n // 2 for kind, n in HEX_LENGTH.items()}
DIGESTS = (Kind.MD5, Kind.SHA1, Kind.SHA256)
_HEX = re.compile(r"^[0-9a-f]+$")


def normalise(kind: Kind, text: str) -> str:
    """Lower-case hex of the kind's length, or InvalidHash saying what is wrong."""
    value = text.strip().lower()
    if value.startswith("0x"):
        value = value[2:]
    expected = HEX_LENGTH[kind]
    if len(value) != expected:
        raise InvalidHash(f"{kind.value} must be {expected} hex characters, got {len(value)}")
    if not _HEX.match(value):
        raise InvalidHash(f"{kind.value} {text.strip()[:80]!r} is not hexadecimal")
    return value


def kind_by_length(text: str) -> Kind:
    """The digest kind of a bare hex string, told by its length (plain-text lists).

    64 characters is read as SHA-256: a plain list cannot tell it from PDQ.
    """
    n = len(text.strip().removeprefix("0x"))
    for kind in DIGESTS:
        if HEX_LENGTH[kind] == n:
            return kind
    raise InvalidHash(
        f"a digest of {n} characters is neither MD5 (32), SHA-1 (40) nor SHA-256 (64)")


def hamming(a: str, b: str) -> int:
    """Bits that differ between two hex hashes of the same length."""
    return (int(a, 16) ^ int(b, 16)).bit_count()

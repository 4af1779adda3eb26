"""Values a team's database server must not read (URLs, file names, notes, references, user
names, ...), sealed on the workstation before they are written: AES-256-GCM under the key
epoch's column key, bound to the table and column it belongs in (a value moved to another
column does not open). Equality lookups (a report's reference, a user's name) go through a
keyed hash of the normalised value, so the server can find a row without reading it.

The lookup key does not rotate (a lookup must keep finding rows written before a rotation);
the column keys do, with the other data keys (`data_keys.py`). Team mode step 2 puts this
under the stores (docs/team-mode.md)."""

import hashlib
import hmac
import os
import unicodedata
from collections.abc import Sequence
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.errors import WorkspaceError

_EPOCH = 4
_NONCE = 12
LOOKUP_BYTES = 16


class SealError(WorkspaceError):
    """A sealed value does not open: damaged, moved from another column, or of an unknown
    key epoch."""


def normalised(value: str) -> str:
    """What a lookup compares: NFKC, case-folded, trimmed (`Kate`, `KATE` and `Kate` with
    a Kelvin sign are one name)."""
    return unicodedata.normalize("NFKC", value).casefold().strip()


class Sealer:
    def __init__(self, column_keys: dict[int, bytes], lookup_key: bytes) -> None:
        self.use(column_keys)
        self._lookup_key = lookup_key

    def use(self, column_keys: dict[int, bytes]) -> None:
        """Every epoch's column key; the newest seals from now on (after a rotation, the
        stores holding this sealer seal under the new epoch's key)."""
        self._aeads = {epoch: AESGCM(key) for epoch, key in column_keys.items()}
        self._epoch = max(column_keys)

    def seal(self, where: str, value: str | None) -> bytes | None:
        """`where` is `table.column`; None stays None (SQL's NULL says nothing)."""
        if value is None:
            return None
        nonce = os.urandom(_NONCE)
        body = self._aeads[self._epoch].encrypt(nonce, value.encode(), where.encode())
        return self._epoch.to_bytes(_EPOCH, "big") + nonce + body

    def open(self, where: str, sealed: bytes | memoryview | None) -> str | None:
        if sealed is None:
            return None
        if not isinstance(sealed, bytes | memoryview):
            raise SealError(f"a value in {where} is not sealed")
        raw = bytes(sealed)
        epoch = int.from_bytes(raw[:_EPOCH], "big")
        aead = self._aeads.get(epoch)
        if aead is None:
            raise SealError(f"a value in {where} names a key epoch this workspace never had")
        try:
            plain = aead.decrypt(raw[_EPOCH:_EPOCH + _NONCE], raw[_EPOCH + _NONCE:],
                                 where.encode())
        except InvalidTag:
            raise SealError(f"a value in {where} is damaged or does not belong there") \
                from None
        return plain.decode()

    def lookup(self, where: str, value: str, exact: bool = False) -> bytes:
        """The keyed hash a row is found by: the same for the same normalised value in the
        same column (`exact`: the same value, for URLs, whose paths tell case apart),
        unrelated across columns."""
        text = value if exact else normalised(value)
        message = where.encode() + b"\0" + text.encode()
        return hmac.new(self._lookup_key, message, hashlib.sha256).digest()[:LOOKUP_BYTES]

    def seal_row(self, table: str, values: dict[str, Any],
                 sealed: tuple[str, ...]) -> dict[str, Any]:
        """`values` with the columns named in `sealed` sealed (the others as they are)."""
        return {k: self.seal(f"{table}.{k}", v) if k in sealed else v
                for k, v in values.items()}

    def open_many(self, table: str, columns: tuple[str, ...],
                  values: Sequence[Any], sealed: tuple[str, ...]) -> list[Any]:
        """A row as read: the columns named in `sealed` opened."""
        return [self.open(f"{table}.{c}", v) if c in sealed else v
                for c, v in zip(columns, values, strict=True)]

"""The keys that encrypt the data, one set per key epoch, kept in the workspace's database,
each sealed under a key derived from a master key (AES-256-GCM, bound to its purpose and
epoch), so that a database server holding the rows holds no key it can use, and cannot move
one key into another's place.

The master key only opens these (envelope encryption): moving to a new master key re-seals
the few rows here and adds a new epoch, without re-encrypting a single blob, list file or
sealed column. New blobs and list files use the newest epoch's keys; old ones keep the epoch
they were written under, named in their header.
"""

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.errors import WorkspaceError
from app.workspace.db import Database, transaction
from app.workspace.sealing import Sealer

PURPOSES = ("vault-names", "vault-bodies", "lists", "columns")
LOOKUP = "lookup"  # one key for the workspace's life: lookups must find rows of every epoch
KEY_BYTES = 32
_EPOCH, _NONCE = 4, 12


class DataKeys:
    """`wraps`: the key-sealing keys this session holds, by master key epoch (one, or two
    while a rotation is being finished); the newest seals."""

    def __init__(self, db: Database, wraps: dict[int, bytes]) -> None:
        self._db = db
        self._wraps = dict(wraps)

    def use_wrap(self, epoch: int, wrap: bytes) -> None:
        """A new master key's sealing key (a rotation), the newest from now on."""
        self._wraps[epoch] = wrap

    def _seal(self, purpose: str, epoch: int, key: bytes) -> bytes:
        newest = max(self._wraps)
        nonce = os.urandom(_NONCE)
        body = AESGCM(self._wraps[newest]).encrypt(nonce, key, f"{purpose}:{epoch}".encode())
        return newest.to_bytes(_EPOCH, "big") + nonce + body

    def _open(self, purpose: str, epoch: int, sealed: bytes) -> bytes:
        wrap = self._wraps.get(int.from_bytes(sealed[:_EPOCH], "big"))
        if len(sealed) <= KEY_BYTES or wrap is None:
            raise WorkspaceError(f"the {purpose} key of epoch {epoch} is not sealed under a "
                                 "master key this account holds")
        try:
            return AESGCM(wrap).decrypt(sealed[_EPOCH:_EPOCH + _NONCE], sealed[_EPOCH + _NONCE:],
                                        f"{purpose}:{epoch}".encode())
        except InvalidTag:
            raise WorkspaceError(f"the {purpose} key of epoch {epoch} does not open: damaged, "
                                 "moved from another row, or sealed under another master "
                                 "key") from None

    def put(self, purpose: str, epoch: int, key: bytes) -> None:
        """One key, sealed (inside the caller's transaction); an existing one is kept."""
        self._db.execute("INSERT INTO secrets (purpose, epoch, key) VALUES (?, ?, ?) "
                         "ON CONFLICT DO NOTHING",
                         [purpose, epoch, self._seal(purpose, epoch, key)])

    def add_epoch(self, epoch: int) -> None:
        """Fresh random keys for every purpose at `epoch` (inside the caller's transaction)."""
        for purpose in PURPOSES:
            self.put(purpose, epoch, os.urandom(KEY_BYTES))

    def reseal(self) -> None:
        """Every key sealed anew under the newest master key (a rotation; inside the caller's
        transaction): the old master key opens none of them afterwards."""
        for purpose, epoch, sealed in self._db.execute(
                "SELECT purpose, epoch, key FROM secrets").fetchall():
            key = self._open(purpose, epoch, bytes(sealed))
            self._db.execute("UPDATE secrets SET key = ? WHERE purpose = ? AND epoch = ?",
                             [self._seal(purpose, epoch, key), purpose, epoch])

    def seal_plain_keys(self) -> int:
        """Keys a workspace stored before they were sealed (their rows hold the bare 32
        bytes): sealed now. Only the migration that introduced sealing calls this; ever
        after, a bare key is refused (a server could otherwise plant a key it knows)."""
        rows = self._db.execute("SELECT purpose, epoch, key FROM secrets").fetchall()
        plain = [(p, e, bytes(k)) for p, e, k in rows if len(bytes(k)) == KEY_BYTES]
        for purpose, epoch, key in plain:
            self._db.execute("UPDATE secrets SET key = ? WHERE purpose = ? AND epoch = ?",
                             [self._seal(purpose, epoch, key), purpose, epoch])
        return len(plain)

    def current(self) -> int:
        row = self._db.execute("SELECT max(epoch) FROM secrets").fetchone()
        return -1 if row[0] is None else int(row[0])

    def keys(self, purpose: str) -> dict[int, bytes]:
        rows = self._db.execute("SELECT epoch, key FROM secrets WHERE purpose = ?", [purpose])
        return {int(epoch): self._open(purpose, int(epoch), bytes(key))
                for epoch, key in rows.fetchall()}

    def sealer(self) -> Sealer:
        """Sealed columns under every epoch's column key (the newest seals) and the lookup
        key. A workspace made before sealed columns gets its current epoch's column key and
        its lookup key here, once."""
        epoch = self.current()
        if epoch < 0:
            raise WorkspaceError("the workspace has no data keys yet")
        if epoch not in self.keys("columns") or not self.keys(LOOKUP):
            with transaction(self._db):
                self.put("columns", epoch, os.urandom(KEY_BYTES))
                self.put(LOOKUP, 0, os.urandom(KEY_BYTES))
        return Sealer(self.keys("columns"), self.keys(LOOKUP)[0])

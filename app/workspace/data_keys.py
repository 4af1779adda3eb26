"""The keys that encrypt the data, one set per key epoch, kept inside the encrypted database.

The master key only opens the database (envelope encryption): moving to a new master key
re-keys the database and adds a new epoch here, without re-encrypting a single blob or list
file. New blobs and list files use the newest epoch's keys; old ones keep the epoch they were
written under, named in their header.
"""

import os

from app.errors import WorkspaceError
from app.workspace.db import Database, transaction
from app.workspace.sealing import Sealer

PURPOSES = ("vault-names", "vault-bodies", "lists", "columns")
LOOKUP = "lookup"  # one key for the workspace's life: lookups must find rows of every epoch


class DataKeys:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add_epoch(self, epoch: int) -> None:
        """Fresh random keys for every purpose at `epoch` (inside the caller's transaction)."""
        for purpose in PURPOSES:
            self._db.execute("INSERT INTO secrets (purpose, epoch, key) VALUES (?, ?, ?) "
                             "ON CONFLICT DO NOTHING",
                             [purpose, epoch, os.urandom(32)])

    def current(self) -> int:
        row = self._db.execute("SELECT max(epoch) FROM secrets").fetchone()
        return -1 if row[0] is None else int(row[0])

    def keys(self, purpose: str) -> dict[int, bytes]:
        rows = self._db.execute("SELECT epoch, key FROM secrets WHERE purpose = ?", [purpose])
        return {int(epoch): bytes(key) for epoch, key in rows.fetchall()}

    def sealer(self) -> Sealer:
        """Sealed columns under every epoch's column key (the newest seals) and the lookup
        key. A workspace made before sealed columns gets its current epoch's column key and
        its lookup key here, once."""
        epoch = self.current()
        if epoch < 0:
            raise WorkspaceError("the workspace has no data keys yet")
        if epoch not in self.keys("columns") or not self.keys(LOOKUP):
            with transaction(self._db):
                for purpose, at in (("columns", epoch), (LOOKUP, 0)):
                    self._db.execute("INSERT INTO secrets (purpose, epoch, key) VALUES "
                                     "(?, ?, ?) ON CONFLICT DO NOTHING",
                                     [purpose, at, os.urandom(32)])
        return Sealer(self.keys("columns"), self.keys(LOOKUP)[0])

"""What a workspace keeps at rest, read as someone holding the storage would: the folder's
files, or a pg_dump of a team server's database (what a PostgreSQL administrator holds)."""

import subprocess
from collections.abc import Iterable, Iterator
from pathlib import Path

from app.desk import Desk
from tests import postgres_server


def stored(desk: Desk) -> Iterator[tuple[str, bytes]]:
    location = desk.location
    if isinstance(location, Path):
        for path in sorted(location.rglob("*")):
            if path.is_file():
                yield str(path), path.read_bytes()
        return
    binaries = postgres_server.binaries()
    assert binaries is not None
    dump = subprocess.run([str(binaries / "pg_dump"), "--no-owner", "-d", location],
                          capture_output=True, check=True, timeout=120).stdout
    yield "pg_dump", dump


def found(desk: Desk, needles: Iterable[bytes]) -> list[tuple[str, bytes]]:
    """(where, needle) for every needle readable at rest: as it is, or as the hex text a
    dump writes bytea values in."""
    needles = list(needles)
    return [(where, needle) for where, data in stored(desk) for needle in needles
            if needle in data or needle.hex().encode() in data]


def list_files(desk: Desk) -> list[str]:
    """The hash-list files the workspace keeps (in its folder, or in the server's table)."""
    location = desk.location
    if isinstance(location, Path):
        folder = location / "lists"
        return sorted(p.name for p in folder.iterdir()) if folder.exists() else []
    return sorted({r[0] for r in desk._ws.db.execute("SELECT name FROM list_files")})

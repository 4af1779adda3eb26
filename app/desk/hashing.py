"""`hotline hash`: digests and PDQ of files, with no workspace (nothing is stored)."""

from dataclasses import dataclass
from pathlib import Path

from hashdb.digests import digest_bytes
from hashdb.errors import HashdbError
from hashdb.pdq import pdq_image


@dataclass(frozen=True)
class FileHash:
    path: str
    size: int | None = None
    md5: str | None = None
    sha1: str | None = None
    sha256: str | None = None
    pdq: str | None = None
    quality: int | None = None
    width: int | None = None
    height: int | None = None
    dihedral: tuple[str, ...] = ()
    error: str | None = None


def hash_file(path: Path, dihedral: bool = False, full: bool = False) -> FileHash:
    """Every hash of one file; a file that is not an image still gets its digests."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return FileHash(str(path), error=f"cannot read: {exc.strerror or exc}")
    d = digest_bytes(data)
    try:
        p = pdq_image(data, fast=not full, dihedral=dihedral)
    except HashdbError as exc:
        return FileHash(str(path), d.size, d.md5, d.sha1, d.sha256, error=str(exc))
    return FileHash(str(path), d.size, d.md5, d.sha1, d.sha256, p.hash, p.quality, p.width,
                    p.height, p.dihedral)


def hash_files(paths: list[Path], dihedral: bool = False, full: bool = False) -> list[FileHash]:
    return [hash_file(p, dihedral, full) for p in paths]

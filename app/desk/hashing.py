"""`hotline hash`: digests and PDQ of files (frame PDQs of videos), with no workspace."""

from dataclasses import dataclass
from pathlib import Path

from app.intake.hashing import hash_media


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
    duration: float | None = None
    frame_count: int | None = None
    frames: tuple[tuple[float, str, int], ...] = ()


def hash_file(path: Path, dihedral: bool = False, full: bool = False) -> FileHash:
    """Every hash of one file; a file that is not an image still gets its digests."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return FileHash(str(path), error=f"cannot read: {exc.strerror or exc}")
    h = hash_media(data, dihedral, full)
    return FileHash(str(path), h.size, h.md5, h.sha1, h.sha256, h.pdq, h.pdq_quality, h.width,
                    h.height, h.dihedral, h.error, h.duration, h.frame_count, h.frames)


def hash_files(paths: list[Path], dihedral: bool = False, full: bool = False) -> list[FileHash]:
    return [hash_file(p, dihedral, full) for p in paths]

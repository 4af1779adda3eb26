"""Media from files, folders and zip archives, read into memory one at a time.

Archives are read member by member (never extracted to disk) with caps on the number of
members, the bytes unpacked and the compression ratio; a member's name is only a label, never
a path, so `../` and absolute names cannot write anywhere.
"""

import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from app.intake.sniff import FileKind, sniff

READ_CHUNK = 1 << 20


@dataclass(frozen=True)
class MediaLimits:
    max_bytes: int = 200_000_000
    max_members: int = 10_000
    max_total_bytes: int = 4_000_000_000
    max_ratio: int = 200


@dataclass(frozen=True)
class LocalMedia:
    """A file to read where it is hashed (`path`, its size at the walk), or an archive
    member read already (`data`)."""

    name: str   # the path, or archive.zip!member/name
    data: bytes = b""
    path: Path | None = None
    size: int = 0


@dataclass(frozen=True)
class LocalError:
    name: str
    message: str


def _capped_size(path: Path, cap: int) -> int:
    size = path.stat().st_size
    if size > cap:
        raise ValueError(f"larger than the limit of {cap:,} bytes ({size:,})")
    return size


def read_capped(path: Path, cap: int) -> bytes:
    """The file's content, refused when larger than `cap` (also if it grew since the walk)."""
    with path.open("rb") as fh:
        # sized by the file, not the cap: read(cap + 1) allocates the cap (200 MB) first
        size = os.fstat(fh.fileno()).st_size
        data = fh.read(min(size, cap) + 1)
        if len(data) > size:  # it grew since: the rest, up to the cap
            data += fh.read(cap + 1 - len(data))
    if len(data) > cap:
        raise ValueError(f"larger than the limit of {cap:,} bytes")
    return data


def walk(paths: list[Path], limits: MediaLimits) -> Iterator[LocalMedia | LocalError]:
    """Every file under the given files and folders (sorted; symlinked folders not followed),
    archives opened member by member."""
    for root in paths:
        if root.is_dir():
            files = _files_under(root)
            if not files:
                yield LocalError(str(root), "the folder holds no files")
        elif root.exists():
            files = [root]
        else:
            yield LocalError(str(root), "no such file or folder")
            continue
        for path in files:
            yield from _one_file(path, limits)


def _files_under(root: Path) -> list[Path]:
    """The files below a folder, sorted; symlinks (to files or folders) are not followed."""
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def count_inputs(paths: list[Path], limits: MediaLimits) -> int:
    """How many results `walk` will give (files, archive members, errors), counted before
    reading any content: the total of an import's progress bar."""
    total = 0
    for root in paths:
        if root.is_dir():
            files = _files_under(root)
            total += sum(_count_file(p, limits) for p in files) or 1
        else:
            total += _count_file(root, limits) if root.exists() else 1
    return total


def _count_file(path: Path, limits: MediaLimits) -> int:
    try:
        with path.open("rb") as fh:
            if sniff(fh.read(512))[0] is not FileKind.ARCHIVE:
                return 1
        with zipfile.ZipFile(path) as archive:
            members = sum(1 for m in archive.infolist() if not m.is_dir())
    except (OSError, zipfile.BadZipFile, ValueError):
        return 1
    return min(members, limits.max_members) + (members > limits.max_members)


def _one_file(path: Path, limits: MediaLimits) -> Iterator[LocalMedia | LocalError]:
    try:
        with path.open("rb") as fh:
            head = fh.read(512)
    except OSError as exc:
        yield LocalError(str(path), f"cannot read: {exc.strerror or exc}")
        return
    if sniff(head)[0] is FileKind.ARCHIVE:
        yield from read_zip(path, limits)
        return
    try:
        yield LocalMedia(str(path), path=path, size=_capped_size(path, limits.max_bytes))
    except (OSError, ValueError) as exc:
        yield LocalError(str(path), f"cannot read: {getattr(exc, 'strerror', None) or exc}")


def read_zip(path: Path, limits: MediaLimits) -> Iterator[LocalMedia | LocalError]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        yield LocalError(str(path), f"not a readable zip archive: {exc}")
        return
    with archive:
        if archive.infolist() and min(m.header_offset for m in archive.infolist()) != 0:
            # zipfile found a directory that does not describe this file from its start:
            # data before the archive, or a damaged archive whose last stored member (an
            # inner zip) lent its own directory. Neither is opened.
            yield LocalError(str(path), "a damaged zip archive (its directory does not "
                                        "start at the beginning of the file); not opened")
            return
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) > limits.max_members:
            yield LocalError(str(path), f"{len(members):,} files, more than the limit of "
                                        f"{limits.max_members:,}; only the first are read")
            members = members[:limits.max_members]
        unpacked = 0
        for member in members:
            label = f"{path}!{member.filename}"
            if member.flag_bits & 0x1:
                yield LocalError(label, "the member is encrypted")
                continue
            if member.file_size > limits.max_bytes:
                yield LocalError(label, f"larger than the limit of {limits.max_bytes:,} bytes")
                continue
            if member.compress_size and member.file_size / member.compress_size > limits.max_ratio \
                    and member.file_size > 1_000_000:
                yield LocalError(label, f"compressed {member.file_size // member.compress_size:,}"
                                        f" to 1, more than the limit of {limits.max_ratio} "
                                        "(a zip bomb?)")
                continue
            if unpacked + member.file_size > limits.max_total_bytes:
                yield LocalError(label, f"the archive unpacks to more than "
                                        f"{limits.max_total_bytes:,} bytes; the rest is not read")
                return
            try:
                data = _read_member(archive, member, limits.max_bytes)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError,
                    NotImplementedError, RuntimeError) as exc:
                yield LocalError(label, f"cannot unpack: {exc}")
                continue
            unpacked += len(data)
            if sniff(data[:512])[0] is FileKind.ARCHIVE:
                yield LocalError(label, "an archive inside an archive is not opened; "
                                        "import it on its own")
                continue
            yield LocalMedia(label, data)


def _read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, cap: int) -> bytes:
    """Read in chunks and stop at the declared size or the cap, whatever the header claims."""
    limit = min(cap, member.file_size)
    out = bytearray()
    with archive.open(member) as fh:
        while chunk := fh.read(READ_CHUNK):
            out += chunk
            if len(out) > limit:
                raise ValueError("the member is larger than its header says")
    return bytes(out)

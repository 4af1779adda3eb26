"""Hostile files, made on the spot: nothing here is an image anybody should see."""

import io
import os
import struct
import zipfile
import zlib
from pathlib import Path

from tests.synthetic import jpeg


def png_header(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(
            ">I", zlib.crc32(kind + body))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                            0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" * 1000)) + chunk(b"IEND", b""))


def zip_bomb(path: Path, members: int = 3, size: int = 400_000_000) -> None:
    """Members that unpack to `size` zero bytes each (a few hundred kB packed)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for i in range(members):
            with archive.open(f"bomb{i}.jpg", "w", force_zip64=True) as fh:
                block = bytes(1 << 20)
                for _ in range(size >> 20):
                    fh.write(block)


def traversal_zip(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("../../escaped.jpg", jpeg(31))
        archive.writestr("/abs/olute.jpg", jpeg(32))
        archive.writestr("C:\\windows\\evil.jpg", jpeg(33))
        archive.writestr("fine/ok.jpg", jpeg(34))


def hostile_folder(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "empty.jpg").write_bytes(b"")
    (folder / "truncated.jpg").write_bytes(jpeg(40)[:2500])
    (folder / "random.jpg").write_bytes(os.urandom(5000))
    (folder / "text.jpg").write_text("this is not an image at all\n" * 10)
    (folder / "huge.png").write_bytes(png_header(60000, 60000))
    (folder / "good.jpg").write_bytes(jpeg(41))
    zip_bomb(folder / "bomb.zip")
    traversal_zip(folder / "traversal.zip")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as inner:
        inner.writestr("inner.jpg", jpeg(42))
    with zipfile.ZipFile(folder / "nested.zip", "w") as outer:
        outer.writestr("inner.zip", buffer.getvalue())
        outer.writestr("outer.jpg", jpeg(43))
    (folder / "broken.zip").write_bytes(b"PK\x03\x04" + os.urandom(200))
    # found by the fuzzing campaign: a video whose damaged header names no codec
    regression = Path(__file__).parent / "data" / "fuzz-regressions" / "mp4-11-8013.bin"
    (folder / "no-codec.mp4").write_bytes(regression.read_bytes())
    # a damaged zip whose stored inner zip would lend its directory
    damaged = io.BytesIO()
    with zipfile.ZipFile(damaged, "w", zipfile.ZIP_STORED) as outer:
        outer.writestr("shown.jpg", jpeg(44))
        outer.writestr("inner.zip", buffer.getvalue())
    data = bytearray(damaged.getvalue())
    end = data.rfind(b"PK\x05\x06")
    data[end:end + 4] = b"XXXX"
    (folder / "damaged.zip").write_bytes(bytes(data))

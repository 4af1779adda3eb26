"""What a file is, told by its first bytes: never by its name or an HTTP header."""

from enum import StrEnum


class FileKind(StrEnum):
    IMAGE = "image"
    VIDEO = "video"
    HTML = "html"
    ARCHIVE = "archive"
    OTHER = "other"


_IMAGE_MAGIC = (
    (b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"), (b"GIF89a", "image/gif"), (b"BM", "image/bmp"),
    (b"II*\x00", "image/tiff"), (b"MM\x00*", "image/tiff"), (b"\x00\x00\x01\x00", "image/x-icon"),
    (b"\xff\x0a", "image/jxl"), (b"\x00\x00\x00\x0cJXL ", "image/jxl"),
)
_VIDEO_MAGIC = (
    (b"\x1a\x45\xdf\xa3", "video/webm"), (b"FLV\x01", "video/x-flv"),
    (b"\x00\x00\x01\xba", "video/mpeg"), (b"\x00\x00\x01\xb3", "video/mpeg"),
    (b"\x30\x26\xb2\x75\x8e\x66\xcf\x11", "video/x-ms-wmv"),
)
_IMAGE_BRANDS = {b"avif", b"avis", b"heic", b"heix", b"mif1", b"msf1", b"hevc"}


def sniff(head: bytes) -> tuple[FileKind, str]:
    """(kind, MIME type) of content starting with `head` (give it 64 bytes or more)."""
    for magic, mime in _IMAGE_MAGIC:
        if head.startswith(magic):
            return FileKind.IMAGE, mime
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return FileKind.IMAGE, "image/webp"
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return FileKind.VIDEO, "video/x-msvideo"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _IMAGE_BRANDS:
            return FileKind.IMAGE, "image/avif" if brand.startswith(b"avi") else "image/heic"
        return FileKind.VIDEO, "video/quicktime" if brand == b"qt  " else "video/mp4"
    if len(head) > 188 and head[0] == 0x47 and head[188] == 0x47:
        return FileKind.VIDEO, "video/mp2t"
    for magic, mime in _VIDEO_MAGIC:
        if head.startswith(magic):
            return FileKind.VIDEO, mime
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return FileKind.ARCHIVE, "application/zip"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or b"<html" in text[:512]:
        return FileKind.HTML, "text/html"
    if text.startswith(b"<svg") or (text.startswith(b"<?xml") and b"<svg" in text[:512]):
        return FileKind.OTHER, "image/svg+xml"
    return FileKind.OTHER, "application/octet-stream"

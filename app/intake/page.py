"""The media a reported page points at: img src and srcset, picture/source, video and its
sources and poster, links (to be sniffed), simple CSS background images, data: URIs."""

import base64
import binascii
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import unquote_to_bytes, urljoin, urlsplit

_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""", re.IGNORECASE)
MAX_CANDIDATES = 2000


@dataclass(frozen=True)
class Candidate:
    url: str
    how: str  # img, srcset, source, video, poster, css, link


def _srcset(value: str) -> list[str]:
    """The URLs of a srcset, as the HTML standard parses it: a URL runs to the next white
    space (trailing commas dropped), its descriptors to the next comma outside parentheses,
    so `a.jpg 1x,b.jpg 2x` is two URLs and `data:...,xyz 1x` one."""
    urls, i, n = [], 0, len(value)
    while i < n:
        while i < n and (value[i].isspace() or value[i] == ","):
            i += 1
        start = i
        while i < n and not value[i].isspace():
            i += 1
        url = value[start:i]
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            depth = 0
            while i < n and not (value[i] == "," and depth == 0):
                depth += {"(": 1, ")": -1 if depth else 0}.get(value[i], 0)
                i += 1
        if url:
            urls.append(url)
    return urls


def _joined(base: str, url: str) -> str:
    """`url` resolved against `base`; as it stands if it cannot be parsed (it then fails
    alone, as that candidate's error, when it is fetched)."""
    try:
        return urljoin(base, url)
    except ValueError:
        return url


def _scheme(url: str) -> str:
    try:
        return urlsplit(url).scheme.lower()
    except ValueError:
        head, colon, _ = url.partition(":")
        return head.lower() if colon and head.isalpha() else ""


class _Collector(HTMLParser):
    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.found: list[Candidate] = []
        self._in_style = False

    def _add(self, url: str | None, how: str) -> None:
        if url and url.strip() and len(self.found) < MAX_CANDIDATES:
            url = url.strip()
            if not url.startswith("data:"):
                url = _joined(self.base, url)
            self.found.append(Candidate(url, how))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): v for k, v in attrs if v is not None}
        if tag == "base" and a.get("href"):
            self.base = _joined(self.base, a["href"])
        elif tag == "img":
            self._add(a.get("src"), "img")
            for lazy in ("data-src", "data-original", "data-lazy-src"):
                self._add(a.get(lazy), "img")
            for url in _srcset(a.get("srcset", "")):
                self._add(url, "srcset")
        elif tag == "source":
            self._add(a.get("src"), "source")
            for url in _srcset(a.get("srcset", "")):
                self._add(url, "srcset")
        elif tag in ("video", "audio"):
            self._add(a.get("src"), "video")
            self._add(a.get("poster"), "poster")
        elif tag == "a":
            self._add(a.get("href"), "link")
        elif tag == "style":
            self._in_style = True
        if "style" in a:
            for match in _CSS_URL.finditer(a["style"]):
                self._add(match.group(2), "css")

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            for match in _CSS_URL.finditer(data):
                self._add(match.group(2), "css")


def find_media(html: str, base_url: str) -> list[Candidate]:
    """Candidates in page order, each URL once (its first mention decides how it was found).
    Links to anything but http(s) and data: are dropped."""
    collector = _Collector(base_url)
    collector.feed(html)
    collector.close()
    seen: dict[str, Candidate] = {}
    for c in collector.found:
        scheme = _scheme(c.url)
        if scheme in ("http", "https", "data") and c.url.split("#")[0] not in seen:
            seen[c.url.split("#")[0]] = Candidate(c.url.split("#")[0], c.how)
    return list(seen.values())


def decode_data_uri(uri: str, max_bytes: int) -> bytes | None:
    """The bytes of a data: URI, or None if it is malformed or too large."""
    header, _, payload = uri.partition(",")
    if not header.startswith("data:") or len(payload) > max_bytes * 4 // 3 + 8:
        return None
    try:
        if header.endswith(";base64"):
            return base64.b64decode(payload, validate=False)
        return unquote_to_bytes(payload)
    except (binascii.Error, ValueError):
        return None


_META_CHARSET = re.compile(rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([a-z0-9_.:-]{1,40})""",
                           re.IGNORECASE)


def decode_html(body: bytes, content_type: str | None) -> str:
    """The page's text, in the encoding the HTML standard would pick: a byte order mark, the
    Content-Type header's charset, a <meta charset> (or http-equiv) in the first 1024 bytes,
    else UTF-8. An unknown encoding name falls back to UTF-8; bad bytes are replaced."""
    for bom, name in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"),
                      (b"\xfe\xff", "utf-16")):
        if body.startswith(bom):
            return body.decode(name, errors="replace")
    charset = None
    if content_type and "charset=" in content_type.lower():
        charset = content_type.lower().split("charset=")[1].split(";")[0].strip(" \"'")
    if not charset:
        found = _META_CHARSET.search(body[:1024])
        charset = found.group(1).decode("ascii").lower() if found else "utf-8"
    try:
        return body.decode(charset, errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")

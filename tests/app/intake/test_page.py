"""Reading a reported page as a browser would: srcset and the page's encoding."""

import pytest

from app.intake.page import decode_html, find_media


@pytest.mark.parametrize(("srcset", "urls"), [
    ("a.jpg 1x,b.jpg 2x", ["a.jpg", "b.jpg"]),  # no space after the comma
    ("a.jpg 1x, b.jpg 2x", ["a.jpg", "b.jpg"]),
    ("a.jpg, b.jpg", ["a.jpg", "b.jpg"]),
    ("  a.jpg  ,  ", ["a.jpg"]),
    ("data:image/png;base64,AAAA 1x, b.jpg 2x", ["data:image/png;base64,AAAA", "b.jpg"]),
    ("a.jpg (min-width: 10px, foo) 1x, b.jpg", ["a.jpg", "b.jpg"]),
    ("", []),
])
def test_srcset_is_parsed_as_the_html_standard_says(srcset: str, urls: list[str]) -> None:
    page = f'<img srcset="{srcset}">'
    found = [c.url.rsplit("/", 1)[-1] if not c.url.startswith("data:") else c.url
             for c in find_media(page, "http://h.example/p/") if c.how == "srcset"]
    assert found == urls


def test_a_meta_charset_is_honoured_when_the_header_names_none() -> None:
    text = "Фото"  # Cyrillic: windows-1251 bytes that are not UTF-8
    body = f'<html><head><meta charset="windows-1251"></head><body>{text}</body>'.encode(
        "windows-1251")
    assert text in decode_html(body, "text/html")
    http_equiv = (b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
                  + text.encode("windows-1251"))
    assert text in decode_html(http_equiv, None)


def test_the_header_wins_over_the_meta_and_a_bom_over_both() -> None:
    body = '<meta charset="windows-1251">é'.encode()
    assert "é" in decode_html(body, "text/html; charset=utf-8")
    assert "é" in decode_html(b"\xef\xbb\xbf" + body, "text/html; charset=windows-1251")


def test_an_unknown_encoding_name_falls_back_to_utf8() -> None:
    assert decode_html('<meta charset="klingon">ok é'.encode(), None).endswith("ok é")

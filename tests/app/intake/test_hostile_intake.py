"""One input can fail only itself: whatever a reported page or file does, the other inputs
of the report are taken in, the batch goes on, and the audit says how the import ended."""

import io
import json
from pathlib import Path

import pytest
from PIL import Image

from app.desk import Desk
from app.intake.hashing import hash_media
from tests.app.intake.site import Site
from tests.synthetic import jpeg


def ends(desk: Desk) -> list[tuple[str, dict]]:
    return [(e.outcome, e.detail) for e in desk.audit_entries(action="report.import.done")]


def test_unparseable_urls_on_a_page_fail_alone(analyst: Desk, site: Site) -> None:
    s = analyst.import_report([f"{site.base}/bad-urls", f"{site.base}/img/1.jpg"],
                              reference="R-bad-urls")
    assert s.items == 2  # 0.jpg from the page, and the second reported URL
    messages = " | ".join(e.message for e in s.errors)
    assert len(s.errors) >= 3, messages
    assert "not a valid URL" in messages
    assert ends(analyst)[0][0] == "partial"


def test_an_unparseable_reported_url_fails_alone(analyst: Desk, site: Site) -> None:
    s = analyst.import_report(["http://[oops/a.jpg", f"{site.base}/img/2.jpg"])
    assert s.items == 1
    assert s.errors[0].input == "http://[oops/a.jpg"


def test_a_picture_that_breaks_the_decoder_is_that_items_error(monkeypatch) -> None:
    """Any exception from a decoder (the fuzzed TIFF raised TypeError) is the item's error."""
    import app.intake.hashing as hashing

    def broken(*args: object, **kwargs: object) -> None:
        raise TypeError("'NoneType' object is not subscriptable")

    monkeypatch.setattr(hashing, "pdq_image", broken)
    h = hash_media(jpeg(5))
    assert h.error is not None
    assert "cannot be decoded" in h.error
    assert h.md5  # the digests are still there


def test_a_malformed_tiff_beside_good_files(analyst: Desk, tmp_path: Path) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 10, 10)).save(buffer, "TIFF")
    data = bytearray(buffer.getvalue())
    # corrupt the IFD: an absurd count and offsets for the strip tags
    for i in range(8, min(len(data), 200)):
        data[i] = (data[i] * 7 + 13) & 0xFF
    (tmp_path / "bad.tif").write_bytes(bytes(data))
    (tmp_path / "good.jpg").write_bytes(jpeg(77))
    s = analyst.import_report(files=[tmp_path / "bad.tif", tmp_path / "good.jpg"])
    assert s.items == 1
    assert len(s.errors) == 1


def test_an_import_whose_every_input_fails_ends_as_failed(analyst: Desk, site: Site) -> None:
    s = analyst.import_report([f"{site.base}/missing.jpg", "http://[oops/"], reference="R-f")
    assert s.items == 0
    assert s.outcome == "failed"
    outcome, detail = ends(analyst)[0]
    assert outcome == "failed"
    assert detail["errors"] == 2


def test_an_unexpected_failure_ends_the_import_in_the_audit(analyst: Desk, site: Site,
                                                          monkeypatch) -> None:
    """Something no input caused (a bug, a full disk): the import's end is audited as failed
    with why, and the error reaches the caller."""
    from app.intake import pipeline

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pipeline.Pipeline, "_consume", disk_full)
    with pytest.raises(OSError, match="No space left"):
        analyst.import_report([f"{site.base}/img/3.jpg"], reference="R-disk")
    outcome, detail = ends(analyst)[0]
    assert outcome == "failed"
    assert "No space left" in json.dumps(detail)


@pytest.mark.parametrize("ip", [
    "169.254.169.254", "fd00:ec2::254", "100.100.100.200", "192.0.0.192", "168.63.129.16",
    "fe80::1", "::ffff:169.254.169.254", "64:ff9b::a9fe:a9fe", "2002:a9fe:a9fe::1",
    "::a9fe:a9fe", "192.0.0.8",
])
def test_cloud_metadata_is_refused_even_with_private_networks_allowed(ip: str) -> None:
    from app.web import address_refusal

    assert address_refusal(ip, allow_private=True) is not None
    assert address_refusal(ip, allow_private=False) is not None


@pytest.mark.parametrize("ip", ["127.0.0.1", "10.1.2.3", "192.168.1.5", "100.64.1.1"])
def test_private_networks_stay_a_setting(ip: str) -> None:
    from app.web import address_refusal

    assert address_refusal(ip, allow_private=True) is None
    assert address_refusal(ip, allow_private=False) is not None


def test_a_resumed_import_records_each_failure_once(analyst: Desk, site: Site) -> None:
    urls = [f"{site.base}/missing.jpg", f"{site.base}/img/4.jpg"]
    for _ in range(3):
        analyst.import_report(urls, reference="R-resume")
    kinds = [s.kind for s in analyst.report("R-resume").sightings]
    assert sorted(kinds) == ["error", "media"]

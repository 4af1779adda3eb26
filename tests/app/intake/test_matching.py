"""Items are matched against every enabled list and against the workspace itself."""

import io
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from mmdb_writer import MMDBWriter
from netaddr import IPSet
from PIL import Image

from app.desk import Desk
from app.intake.hashing import MediaHashes
from app.intake.matcher import NEAREST_ITEMS, Matcher
from hashdb.digests import digest_bytes
from hashdb.index import codes_of
from hashdb.pdq import pdq_image
from tests.app.intake.site import IMAGES, Site
from tests.synthetic import encode, jpeg, scene


@pytest.fixture
def supervisor(open_as: Callable[..., Desk]) -> Desk:
    return open_as("sue", "supervisor")


def write(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    return folder / name


def test_known_near_unknown(analyst: Desk, supervisor: Desk, tmp_path: Path) -> None:
    exact, near_original, other = jpeg(600), scene(601, (800, 600)), jpeg(602)
    edited = encode(near_original.resize((400, 300)), "JPEG", quality=70)
    listing = tmp_path / "list.csv"
    listing.write_text("sha1,pdq,category\n"
                       f"{digest_bytes(exact).sha1},,A\n"
                       f",{pdq_image(encode(near_original)).hash},B\n")
    supervisor.import_list(listing, "Partner", "baseline")
    folder = tmp_path / "in"
    write(folder, "a.jpg", exact)
    write(folder, "b.jpg", edited)
    write(folder, "c.jpg", other)
    s = analyst.import_report(files=[folder / "a.jpg", folder / "b.jpg", folder / "c.jpg"])
    assert (s.known, s.near, s.unknown) == (1, 1, 1)
    items = [analyst.item(i) for i in s.item_ids]
    assert [i.status for i in items] == ["known", "near", "unknown"]
    [hit] = analyst.item(items[0].id).matches
    assert (hit.list_name, hit.hash_kind, hit.distance, hit.verdict, hit.category) == (
        "Partner", "sha1", 0, "baseline", "A")
    [near] = analyst.item(items[1].id).matches
    assert (near.list_name, near.hash_kind, near.verdict) == ("Partner", "pdq", "baseline")
    assert 0 < near.distance <= 31


def test_disabled_lists_are_not_matched(analyst: Desk, supervisor: Desk,
                                        tmp_path: Path) -> None:
    data = jpeg(610)
    listing = tmp_path / "l.txt"
    listing.write_text(digest_bytes(data).md5 + "\n")
    supervisor.import_list(listing, "Off", "baseline")
    supervisor.set_list_enabled("Off", False)
    s = analyst.import_report(files=[write(tmp_path / "in", "x.jpg", data)])
    assert s.unknown == 1


@pytest.mark.parametrize("dihedral", [True, False])
def test_rotated_copies_need_the_dihedral_setting(admin_desk: Desk, analyst: Desk,
                                                  supervisor: Desk, tmp_path: Path,
                                                  dihedral: bool) -> None:
    original = scene(620, (800, 600))
    listing = tmp_path / "l.csv"
    listing.write_text(f"pdq\n{pdq_image(encode(original)).hash}\n")
    supervisor.import_list(listing, "P", "national")
    admin_desk.set_setting("pdq.dihedral", str(dihedral))
    rotated = encode(original.transpose(Image.Transpose.ROTATE_90))
    s = analyst.import_report(files=[write(tmp_path / "in", "r.jpg", rotated)])
    assert (s.near, s.unknown) == ((1, 0) if dihedral else (0, 1))


def test_near_copies_of_workspace_items(analyst: Desk, tmp_path: Path) -> None:
    original = scene(630, (900, 700))
    first = analyst.import_report(files=[write(tmp_path / "a", "o.jpg", encode(original))])
    resized = encode(original.resize((450, 350)), "PNG")
    s = analyst.import_report(files=[write(tmp_path / "b", "o.png", resized)])
    assert s.near == 1
    [m] = analyst.item(s.item_ids[0]).matches
    assert (m.list_name, m.other_item) == ("workspace", first.item_ids[0])


def test_low_quality_images_are_not_near_matched(analyst: Desk, tmp_path: Path) -> None:
    flat = Image.new("RGB", (300, 200), (90, 90, 90))
    analyst.import_report(files=[write(tmp_path / "a", "flat.png", encode(flat, "PNG"))])
    s = analyst.import_report(files=[write(tmp_path / "b", "flat.jpg", encode(flat))])
    assert (s.near, s.unknown) == (0, 1)


def make_mmdb(path: Path, kind: str) -> None:
    writer = MMDBWriter(ip_version=6, ipv4_compatible=True,
                        database_type="GeoLite2-Country" if kind == "country" else "GeoLite2-ASN")
    if kind == "country":
        writer.insert_network(IPSet(["127.0.0.0/8"]), {"country": {"iso_code": "NL"}})
    else:
        writer.insert_network(IPSet(["127.0.0.0/8"]), {
            "autonomous_system_number": 64500,
            "autonomous_system_organization": "Test Hosting B.V."})
    writer.to_db_file(str(path))


def test_hosting_country_and_network(admin_desk: Desk, analyst: Desk, site: Site,
                                     tmp_path: Path) -> None:
    make_mmdb(tmp_path / "country.mmdb", "country")
    make_mmdb(tmp_path / "asn.mmdb", "asn")
    admin_desk.set_setting("hosting.country_db", str(tmp_path / "country.mmdb"))
    admin_desk.set_setting("hosting.asn_db", str(tmp_path / "asn.mmdb"))
    s = analyst.import_report([f"{site.base}/img/3.jpg"], reference="R-host")
    [sighting] = analyst.item(s.item_ids[0]).sightings
    assert (sighting.country, sighting.asn, sighting.organisation) == (
        "NL", 64500, "Test Hosting B.V.")
    assert analyst.item_content(s.item_ids[0]) == IMAGES["/img/3.jpg"]


def test_a_broken_hosting_database_never_stops_an_import(admin_desk: Desk, analyst: Desk,
                                                         tmp_path: Path) -> None:
    """The database was fine when set and broke later (replaced, truncated): the hosting is
    unknown, the import says why once, and the content is taken in."""
    country = tmp_path / "country.mmdb"
    make_mmdb(country, "country")
    admin_desk.set_setting("hosting.country_db", str(country))
    country.write_bytes(b"not a database")
    s = analyst.import_report(files=[write(tmp_path / "in", "x.jpg", jpeg(640))])
    assert s.items == 1
    assert s.outcome == "ok"
    assert len(s.warnings) == 1
    assert "hosting.country_db" in s.warnings[0]
    assert "hosting is unknown" in s.warnings[0]


def test_parallel_hashing_of_a_folder(analyst: Desk, tmp_path: Path) -> None:
    folder = tmp_path / "many"
    for i in range(12):
        write(folder, f"{i}.png", encode(scene(700 + i, (200, 150)), "PNG"))
    data = io.BytesIO()
    Image.new("RGB", (10, 10)).save(data, "PNG")
    s = analyst.import_report(files=[folder])
    assert s.items == 12


def test_a_listed_video_is_known_by_digest_and_near_by_its_frames(
        analyst: Desk, supervisor: Desk, tmp_path: Path) -> None:
    from hashdb.video import hash_video
    from tests.synthetic_video import encode as encode_video
    from tests.synthetic_video import frames

    clip = frames(31, seconds=8)
    original = encode_video(clip)
    listing = tmp_path / "videos.csv"
    listing.write_text("md5,vpdq,category\n"
                       f"{digest_bytes(original).md5},{';'.join(hash_video(original).usable)},V\n")
    supervisor.import_list(listing, "Videos", "national")
    folder = tmp_path / "in"
    write(folder, "same.mp4", original)
    write(folder, "copy.webm", encode_video(clip, codec="libvpx-vp9", container="webm",
                                            size=(160, 120)))
    write(folder, "other.mp4", encode_video(frames(32, seconds=8)))
    s = analyst.import_report(files=[folder / "same.mp4", folder / "copy.webm",
                                     folder / "other.mp4"])
    items = [analyst.item(i) for i in s.item_ids]
    assert [i.status for i in items] == ["known", "near", "unknown"]
    assert items[0].machine_verdict == "national"
    assert items[1].machine_verdict is None  # a perceptual match: a person decides
    listed = [m for m in analyst.item(items[1].id).matches if m.list_name == "Videos"]
    assert [(m.hash_kind, m.verdict, m.category) for m in listed] == [("vpdq", "national", "V")]
    assert listed[0].distance <= 20
    assert "Videos (video frames" in analyst.queue_row(items[1].id).match
    [how] = [m.how for m in analyst.item(items[1].id).matches if m.list_name == "Videos"]
    assert how == f"video frames, {100 - listed[0].distance}%"
    assert analyst.item(items[1].id).duration == pytest.approx(8, abs=0.2)


def test_a_hosting_database_setting_is_checked_when_set(admin_desk: Desk,
                                                        tmp_path: Path) -> None:
    """A JSON file, a missing file, or the ASN database in the country slot: refused with
    the reason; the right database is taken, and lookups say what the app sees."""
    make_mmdb(tmp_path / "country.mmdb", "country")
    make_mmdb(tmp_path / "asn.mmdb", "asn")
    (tmp_path / "x.json").write_text("{}")
    from app.errors import InvalidInput

    for value, says in ((tmp_path / "x.json", "not a MaxMind-format database"),
                        (tmp_path / "missing.mmdb", "no file at"),
                        (tmp_path / "asn.mmdb", "needs a Country or City database")):
        with pytest.raises(InvalidInput, match=says):
            admin_desk.set_setting("hosting.country_db", str(value))
    with pytest.raises(InvalidInput, match="needs a ASN or ISP database"):
        admin_desk.set_setting("hosting.asn_db", str(tmp_path / "country.mmdb"))
    admin_desk.set_setting("hosting.country_db", str(tmp_path / "country.mmdb"))
    found, problems = admin_desk.hosting_lookup("127.0.0.1")
    assert found.country == "NL"
    assert problems == ["set hosting.country_db and hosting.asn_db to look both up"]
    admin_desk.set_setting("hosting.asn_db", str(tmp_path / "asn.mmdb"))
    found, problems = admin_desk.hosting_lookup("127.0.0.1")
    assert (found.asn, found.organisation, problems) == (64500, "Test Hosting B.V.", [])


def test_a_series_of_near_copies_records_the_nearest_items_only() -> None:
    """Every new photo of a series of 30 is near every earlier one: the 20 closest are kept."""
    base = int("a5" * 32, 16)
    hexes = [f"{base ^ ((1 << (i + 1)) - 1):064x}" for i in range(30)]  # i + 1 bits apart
    matcher = Matcher([], np.arange(100, 130), codes_of(hexes), 31, 50, False)
    query = MediaHashes("image", "image/jpeg", 1, "", "", "", pdq=f"{base:064x}",
                        pdq_quality=100)
    found = matcher.match(query)
    assert len(found) == NEAREST_ITEMS
    assert [m.other_item for m in found] == list(range(100, 100 + NEAREST_ITEMS))
    assert {m.list_name for m in found} == {"workspace"}


@settings(max_examples=60)
@given(st.lists(st.binary(min_size=32, max_size=32), min_size=1, max_size=40),
       st.binary(min_size=32, max_size=32), st.integers(0, 256), st.booleans())
@example([bytes(32)], b"\xff" * 32, 256, False)  # every bit differs
def test_workspace_distances_are_the_bits_that_differ(stored: list[bytes], query: bytes,
                                                      threshold: int, grown: bool) -> None:
    """Every workspace item within the threshold, at its true distance (up to 256: all bits
    differ), whether it was there when the import began or joined during it."""
    hexes = [code.hex() for code in stored]
    if grown:  # items of this import, remembered one by one
        matcher = Matcher([], np.zeros(0, np.int64), codes_of([]), threshold, 0, False)
        for i, h in enumerate(hexes):
            matcher.remember(i, MediaHashes("image", "image/jpeg", 1, "", "", "", pdq=h,
                                            pdq_quality=100))
    else:
        matcher = Matcher([], np.arange(len(hexes)), codes_of(hexes), threshold, 0, False)
    q = MediaHashes("image", "image/jpeg", 1, "", "", "", pdq=query.hex(), pdq_quality=100)
    truth = sorted((bin(int(h, 16) ^ int(query.hex(), 16)).count("1"), i)
                   for i, h in enumerate(hexes))
    expected = [(d, i) for d, i in truth if d <= threshold][:NEAREST_ITEMS]
    assert [(m.distance, m.other_item) for m in matcher.match(q)] == expected

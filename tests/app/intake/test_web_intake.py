"""A reported page with everything a hostile site does, through the whole pipeline."""

import time

from app.desk import Desk
from tests.app import at_rest
from tests.app.intake.site import IMAGES, Site


def errors_by_source(summary) -> dict[str, str]:
    return {e.input.rsplit("/", 1)[-1]: e.message for e in summary.errors}


def test_the_hostile_page(analyst: Desk, site: Site) -> None:
    start = time.monotonic()
    s = analyst.import_report([f"{site.base}/page"], reference="R-page")
    elapsed = time.monotonic() - start
    assert elapsed < 20, "bounded time"
    # New: 0, 1, 2 (srcset), 3 (picture source), 5 (CSS), big.png, 4 (the link), the data: URI.
    assert s.items == 8
    # Seen again: copy-of-0.jpg (same bytes as 0), 4.jpg at the end of the redirect chain,
    # liar-html.png (big.png's bytes served as text/html: sniffed, so still media).
    assert s.duplicates == 3
    assert s.unknown == s.items
    assert s.links == 1  # /other-page: recorded, not crawled
    errors = errors_by_source(s)
    assert set(errors) == {"missing.jpg", "a", "slow.jpg", "endless.jpg", "liar.jpg",
                           "metadata"}, errors
    assert errors["missing.jpg"].startswith("HTTP 404")
    assert errors["a"] == "redirect loop"
    assert "timed out" in errors["slow.jpg"]
    assert "timed out" in errors["endless.jpg"] or "larger than" in errors["endless.jpg"]
    assert errors["liar.jpg"] == "not an image or video (a web page)"
    assert "link-local" in errors["metadata"]


def test_rerunning_a_report_queues_nothing_new(analyst: Desk, site: Site) -> None:
    first = analyst.import_report([f"{site.base}/img/1.jpg", f"{site.base}/img/2.jpg"],
                                  reference="R-again")
    assert first.items == 2
    again = analyst.import_report([f"{site.base}/img/1.jpg", f"{site.base}/img/2.jpg"],
                                  reference="R-again")
    assert (again.items, again.duplicates, again.media) == (0, 0, 0)
    other = analyst.import_report([f"{site.base}/img/1.jpg"], reference="R-other")
    assert (other.items, other.duplicates) == (0, 1)


def test_private_addresses_are_refused_by_default(admin_desk: Desk, site: Site) -> None:
    admin_desk.add_user("bob", "analyst", "correct-horse-battery")
    bob = Desk.open(admin_desk.location, "bob", "correct-horse-battery")
    s = bob.import_report([f"{site.base}/img/1.jpg", "http://localhost:1/x.jpg"])
    assert s.items == 0
    assert all("loopback or private" in e.message for e in s.errors)
    bob.close()


def test_bad_urls(analyst: Desk) -> None:
    s = analyst.import_report(["ftp://example.org/a.jpg", "not a url",
                               "http://no-such-host.invalid/a.jpg"])
    assert len(s.errors) == 3
    assert "not an http(s) URL" in s.errors[0].message
    assert "cannot be resolved" in s.errors[2].message


def test_sightings_record_where_and_when(analyst: Desk, site: Site) -> None:
    s = analyst.import_report([f"{site.base}/redirect/2"], reference="R-redirect")
    assert s.items == 1
    [sighting] = analyst.report("R-redirect").sightings
    assert sighting.source == f"{site.base}/redirect/2"
    assert sighting.final_url == f"{site.base}/img/4.jpg"
    assert sighting.http_status == 200
    assert sighting.ip == "127.0.0.1"
    assert sighting.seen.endswith("Z")
    assert analyst.item_content(s.item_ids[0]) == IMAGES["/img/4.jpg"]


def test_nothing_readable_at_rest(analyst: Desk, site: Site) -> None:
    analyst.import_report([f"{site.base}/page"], reference="R-secret-reference")
    needles = [IMAGES["/img/1.jpg"][2000:2064], b"127.0.0.1", b"/img/1.jpg", b"R-secret",
               b"other-page"]
    assert at_rest.found(analyst, needles) == []

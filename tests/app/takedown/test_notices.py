"""Notices and referrals from confirmed URLs, letters, re-checks and time to removal."""

import email
import threading
from collections.abc import Callable, Iterator
from email import policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pypdf
import pytest
from mmdb_writer import MMDBWriter
from netaddr import IPSet

from app.desk import Desk
from app.errors import InvalidInput, NotFound, PermissionDenied
from hashdb.digests import digest_bytes
from tests.synthetic import jpeg


class Host:
    """A hosting server on one loopback address whose files can be taken down."""

    def __init__(self, address: str) -> None:
        self.files: dict[str, bytes] = {}
        files = self.files

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                data = files.get(self.path)
                if data is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._handler = Handler
        self.server = ThreadingHTTPServer((address, 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = f"http://{address}:{self.server.server_address[1]}"

    def restart(self) -> None:
        """Up again on the same port, after its socket was closed."""
        self.stop()
        self.server = ThreadingHTTPServer(
            (self.server.server_address[0], self.server.server_address[1]), self._handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hosts() -> Iterator[tuple[Host, Host]]:
    home, abroad = Host("127.0.0.1"), Host("127.0.0.2")
    yield home, abroad
    home.stop()
    abroad.stop()


def mmdbs(folder: Path) -> tuple[Path, Path]:
    country = MMDBWriter(ip_version=6, ipv4_compatible=True, database_type="GeoLite2-Country")
    country.insert_network(IPSet(["127.0.0.1/32"]), {"country": {"iso_code": "NL"}})
    country.insert_network(IPSet(["127.0.0.2/32"]), {"country": {"iso_code": "DE"}})
    asn = MMDBWriter(ip_version=6, ipv4_compatible=True, database_type="GeoLite2-ASN")
    asn.insert_network(IPSet(["127.0.0.1/32"]), {"autonomous_system_number": 64500,
                                                 "autonomous_system_organization": "Home Host"})
    asn.insert_network(IPSet(["127.0.0.2/32"]), {"autonomous_system_number": 64501,
                                                 "autonomous_system_organization": "Far Host"})
    country.to_db_file(str(folder / "c.mmdb"))
    asn.to_db_file(str(folder / "a.mmdb"))
    return folder / "c.mmdb", folder / "a.mmdb"


@pytest.fixture
def setup(admin_desk: Desk, open_as: Callable[..., Desk], hosts: tuple[Host, Host],
          tmp_path: Path) -> dict:
    home, abroad = hosts
    country_db, asn_db = mmdbs(tmp_path)
    for key, value in (("allow_private_networks", "on"), ("hotline.country", "NL"),
                       ("hotline.name", "Test Hotline"), ("hotline.email", "hotline@test.example"),
                       ("hosting.country_db", str(country_db)), ("hosting.asn_db", str(asn_db)),
                       ("fetch.read_timeout_s", "3")):
        admin_desk.set_setting(key, value)
    ann, sue = open_as("ann", "analyst"), open_as("sue", "supervisor")
    pictures = {f"/{i}.jpg": jpeg(5000 + i, (200, 150)) for i in range(12)}
    for path, data in pictures.items():
        (home if int(path[1:-4]) < 10 else abroad).files[path] = data
    listing = tmp_path / "list.txt"
    listing.write_text("".join(digest_bytes(d).md5 + "\n" for p, d in pictures.items()
                               if p != "/9.jpg"))  # 9.jpg stays unconfirmed
    sue.import_list(listing, "Partner", "baseline")
    urls = [f"{home.base}/{i}.jpg" for i in range(10)] + [
        f"{abroad.base}/{i}.jpg" for i in (10, 11)]
    ann.import_report(urls, reference="R-NT", received="2026-11-01T00:00:00Z")
    ann.confirm(report="R-NT")
    sue.add_provider(64500, "Home Host B.V.", "abuse@home-host.example", "Street 1, Amsterdam",
                     "en")
    return {"ann": ann, "sue": sue, "home": home, "abroad": abroad, "urls": urls}


def test_nine_confirmed_urls_on_one_host_make_one_notice(setup: dict, tmp_path: Path) -> None:
    sue = setup["sue"]
    built = sue.build_notices()
    assert len(built.notices) == 1
    assert [r.country for r in built.referrals] == ["DE"]  # abroad: a referral, not a notice
    notice = built.notices[0]
    assert notice.asn == 64500
    view = sue.notice(notice.reference)
    assert len(view.urls) == 9
    assert f"{setup['home'].base}/9.jpg" not in {u.url for u in view.urls}  # unconfirmed
    pdf_path = sue.notice_pdf(notice.reference, tmp_path / "n.pdf")
    reader = pypdf.PdfReader(pdf_path)
    text = "".join(page.extract_text() for page in reader.pages).replace("\n", "")
    assert "Home Host B.V." in text
    for i in range(9):
        assert f"{i}.jpg" in text
    assert "INTERPOL" in text
    assert all(not page.images for page in reader.pages)
    eml = email.message_from_bytes(sue.notice_email(notice.reference, tmp_path / "n.eml")
                                   .read_bytes(), policy=policy.default)
    assert eml["To"] == "abuse@home-host.example"
    assert notice.reference in eml["Subject"]
    [attachment] = list(eml.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert sue.build_notices().notices == []  # nothing twice


def test_recheck_and_time_to_removal(setup: dict) -> None:
    sue = setup["sue"]
    notice = sue.build_notices().notices[0]
    sue.mark_sent(notice.reference)
    [first] = sue.recheck(notice.reference)
    assert (first.removed, first.still_online, first.state) == (0, 9, "sent")
    setup["home"].server.server_close()  # the host is down: nobody can tell
    [down] = sue.recheck(notice.reference)
    assert (down.removed, down.still_online, down.unreachable, down.state) == (0, 0, 9, "sent")
    setup["home"].restart()
    for i in range(9):
        del setup["home"].files[f"/{i}.jpg"]  # the host removes the media
    [again] = sue.recheck()
    assert (again.removed, again.still_online, again.state) == (9, 0, "removed")
    [month] = [m for m in sue.stats() if m.urls_removed]
    assert month.urls_removed == 9
    assert month.median_removal_hours > 24  # received on 2026-11-01, removed today
    assert month.notices_sent == 1


def test_foreign_hosting_gives_a_referral_file(setup: dict, tmp_path: Path) -> None:
    sue = setup["sue"]
    built = sue.build_notices()
    referral = built.referrals[0]
    with pytest.raises(InvalidInput, match="referral"):
        sue.notice_pdf(referral.reference, tmp_path / "x.pdf")
    assert sue.export_referral("de", tmp_path / "de.json") == 2
    data = (tmp_path / "de.json").read_text()
    assert "127.0.0.2" in data
    assert '"verdict": "baseline"' in data
    assert sue.export_referral("DE", tmp_path / "de.csv") == 2
    assert (tmp_path / "de.csv").read_text().startswith("url,seen,ip,country")
    with pytest.raises(NotFound):
        sue.export_referral("FR", tmp_path / "fr.json")
    assert sue.export_referral(None, tmp_path / "police.json", police=True) == 9
    assert '"kind": "police referral"' in (tmp_path / "police.json").read_text()
    with pytest.raises(InvalidInput, match="either"):
        sue.export_referral("DE", tmp_path / "x.json", police=True)
    closed = sue.close_notice(built.notices[0].reference)
    assert (closed.state, closed.closed_at is not None) == ("closed", True)


def test_roles_and_missing_pieces(setup: dict, admin_desk: Desk, tmp_path: Path) -> None:
    ann, sue = setup["ann"], setup["sue"]
    with pytest.raises(PermissionDenied):
        ann.build_notices()
    admin_desk.set_setting("hotline.country", "")
    with pytest.raises(InvalidInput, match=r"hotline\.country"):
        sue.build_notices()
    with pytest.raises(InvalidInput, match="not an e-mail"):
        sue.add_provider(1, "X", "nobody")
    with pytest.raises(InvalidInput, match="no letter template"):
        sue.add_provider(1, "X", "a@b.example", language="xx")


def test_providers_import(setup: dict, tmp_path: Path) -> None:
    sue = setup["sue"]
    (tmp_path / "p.csv").write_text("asn,name,email,language\nAS64500,Renamed,abuse@r.example,de"
                                    "\n64502,Third,abuse@t.example,\n")
    assert sue.import_providers(tmp_path / "p.csv") == 2
    names = {p.asn: (p.name, p.language) for p in sue.providers()}
    assert names[64500] == ("Renamed", "de")
    (tmp_path / "bad.csv").write_text("asn,name,email\nx,Y,z@z.example\n")
    with pytest.raises(InvalidInput, match="line 2"):
        sue.import_providers(tmp_path / "bad.csv")


def test_german_letter(setup: dict, tmp_path: Path) -> None:
    sue = setup["sue"]
    sue.import_providers(_csv(tmp_path, "asn,name,email,language\n64500,Heim,a@h.example,de\n"))
    notice = sue.build_notices().notices[0]
    text = "".join(p.extract_text() for p in pypdf.PdfReader(
        sue.notice_pdf(notice.reference, tmp_path / "de.pdf")).pages)
    assert "Aktenzeichen" in text


def _csv(folder: Path, text: str) -> Path:
    (folder / "x.csv").write_text(text)
    return folder / "x.csv"


class RdapServer:
    def __init__(self, answer: bytes) -> None:
        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                if self.path.startswith("/ip/127.0.0."):
                    body = answer
                    self.send_response(200)
                    self.send_header("Content-Type", "application/rdap+json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                else:
                    self.send_error(404)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"


def test_rdap_fills_the_abuse_contact(setup: dict, admin_desk: Desk) -> None:
    answer = (Path(__file__).parent.parent.parent / "data" / "rdap" / "ip-network.json")
    rdap = RdapServer(answer.read_bytes())
    admin_desk.set_setting("hosting.rdap_url", rdap.url)
    sue = setup["sue"]
    added = sue.lookup_providers()  # AS64501 (abroad) has none yet; AS64500 has one
    assert [(p.asn, p.name, p.email) for p in added] == [
        (64501, "Test Hosting B.V.", "abuse@test-hosting.example")]
    assert sue.lookup_providers() == []
    rdap.server.shutdown()
    admin_desk.set_setting("hosting.rdap_url", "")
    with pytest.raises(InvalidInput, match="RDAP is off"):
        sue.lookup_providers()


def test_rdap_answers_without_an_abuse_contact() -> None:
    from app.takedown.rdap import abuse_contact

    assert abuse_contact({"name": "X", "entities": [{"roles": ["technical"]}]}) is None
    assert abuse_contact({}) is None
    assert abuse_contact({"entities": [{"roles": ["abuse"], "vcardArray": ["vcard", "junk"]}]}) \
        is None


def test_national_rows_cite_the_configured_law_and_are_refused_without_it(
        setup: dict, admin_desk: Desk, tmp_path: Path) -> None:
    """A letter never claims INTERPOL's Baseline for a row assessed under national law, and
    never sends a national row without naming the provision it breaks."""
    sue, ann = setup["sue"], setup["ann"]
    setup["home"].files["/20.jpg"] = jpeg(5020, (200, 150))
    national = tmp_path / "national.txt"
    national.write_text(digest_bytes(setup["home"].files["/20.jpg"]).md5 + "\n")
    sue.import_list(national, "National partner", "national")
    ann.import_report([f"{setup['home'].base}/20.jpg"], reference="R-NT")
    ann.confirm(report="R-NT")
    with pytest.raises(InvalidInput, match=r"notice\.legal_text"):
        sue.build_notices()
    admin_desk.set_setting("notice.legal_text", "Article 240b of the Dutch Criminal Code")
    notice = sue.build_notices().notices[0]
    verdicts = {u.verdict for u in sue.notice(notice.reference).urls}
    assert verdicts == {"baseline", "national"}
    text = " ".join(pypdf.PdfReader(sue.notice_pdf(notice.reference, tmp_path / "m.pdf"))
                    .pages[0].extract_text().split())
    assert 'Addresses marked "INTERPOL Baseline" meet INTERPOL\'s Baseline criteria' in text
    assert ('Addresses marked "national law" are illegal under Article 240b of the Dutch '
            "Criminal Code") in text
    assert "The content meets INTERPOL's Baseline criteria" not in text  # no blanket claim

"""hotline import through the real command line."""

import json
from pathlib import Path

from tests.app.intake.site import serve
from tests.synthetic import jpeg


def setup(hotline) -> None:
    assert hotline("init", "--admin", "admin", user=None).returncode == 0
    assert hotline("user", "add", "ann", "--role", "analyst").returncode == 0
    assert hotline("settings", "set", "allow_private_networks", "on").returncode == 0


def test_import_urls_and_files(hotline, tmp_path: Path) -> None:
    setup(hotline)
    for site in serve():
        r = hotline("import", "--url", f"{site.base}/img/0.jpg", f"{site.base}/missing.jpg",
                    "--report", "R-cli", "--source", "partner_hotline", "--json", user="ann")
        assert r.returncode == 0, r.stderr
        summary = json.loads(r.stdout)
        assert (summary["report"], summary["items"], summary["unknown"]) == ("R-cli", 1, 1)
        assert summary["errors"] == [{"input": f"{site.base}/missing.jpg",
                                      "message": "HTTP 404 Not Found"}]
    (tmp_path / "a.jpg").write_bytes(jpeg(900))
    r = hotline("import", "--file", str(tmp_path / "a.jpg"), user="ann")
    assert r.returncode == 0, r.stderr
    assert "1 new items (0 known, 0 near, 1 unknown)" in r.stdout
    r = hotline("import", "--file", str(tmp_path / "a.jpg"), user="ann")
    assert "0 new items" in r.stdout
    assert "1 duplicates" in r.stdout


def test_import_needs_input_and_a_role(hotline) -> None:
    setup(hotline)
    r = hotline("import", user="ann")
    assert r.returncode == 1
    assert r.stderr == "hotline: give --url, --file or --urls-from\n"
    r = hotline("import", "--url", "http://127.0.0.1:9/x.jpg")  # admin
    assert r.returncode == 1
    assert "only analyst or supervisor users may take in reports" in r.stderr


def test_an_import_whose_every_input_was_refused_exits_1(hotline) -> None:
    setup(hotline)
    for site in serve():
        r = hotline("import", "--url", f"{site.base}/missing.jpg", "http://[oops/a.jpg",
                    "--json", user="ann")
        assert r.returncode == 1, r.stdout
        assert json.loads(r.stdout)["outcome"] == "failed"
        r = hotline("import", "--url", f"{site.base}/missing.jpg", user="ann")
        assert r.returncode == 1
        assert "FAILED: nothing could be taken in" in r.stdout
        r = hotline("audit", "show", "--json", user="ann")
        ends = [e for e in json.loads(r.stdout) if e["action"] == "report.import.done"]
        assert {e["outcome"] for e in ends} == {"failed"}

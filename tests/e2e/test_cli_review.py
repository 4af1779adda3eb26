"""queue, item, assess, confirm, reopen and purge through the real command line."""

import json
from pathlib import Path

from tests.synthetic import jpeg


def test_review_from_the_command_line(hotline, tmp_path: Path) -> None:
    assert hotline("init", "--admin", "admin", user=None).returncode == 0
    for name, role in (("ann", "analyst"), ("sue", "supervisor"), ("sam", "supervisor")):
        assert hotline("user", "add", name, "--role", role).returncode == 0
    (tmp_path / "a.jpg").write_bytes(jpeg(77))
    assert hotline("import", "--file", str(tmp_path / "a.jpg"), "--report", "R",
                   user="ann").returncode == 0
    [row] = json.loads(hotline("queue", "--json", user="ann").stdout)
    item = str(row["item_id"])
    r = hotline("assess", item, "baseline", "--age-group", "pubescent", user="ann")
    assert r.returncode == 0, r.stderr
    assert "now round2" in r.stdout
    assert "blind review" in hotline("item", item, user="sue").stdout
    assert "now round3" in hotline("assess", item, "baseline", user="sue").stdout
    r = hotline("assess", item, "baseline", user="sue")
    assert r.returncode == 1
    assert "each person gives one verdict" in r.stderr
    assert "now final (baseline)" in hotline("assess", item, "baseline", user="sam").stdout
    assert "round 3 sam: baseline" in hotline("item", item, user="ann").stdout
    r = hotline("reopen", item, "--reason", "second look", user="ann")
    assert r.returncode == 1
    assert "only supervisor users may reopen items" in r.stderr
    assert hotline("reopen", item, "--reason", "second look", user="sue").returncode == 0
    assert json.loads(hotline("queue", "--json", user="ann").stdout)[0]["state"] == "round1"
    assert "purged the content of 0 items" in hotline("purge", user="sue").stdout
    r = hotline("confirm", user="ann")
    assert r.returncode == 1
    assert "give item numbers or --report" in r.stderr


def test_takedown_commands(hotline, tmp_path: Path) -> None:
    assert hotline("init", "--admin", "admin", user=None).returncode == 0
    assert hotline("user", "add", "sue", "--role", "supervisor").returncode == 0
    r = hotline("providers", "add", "--asn", "64500", "--name", "Host", "--email",
                "abuse@host.example", user="sue")
    assert r.returncode == 0, r.stderr
    assert "AS64500" in hotline("providers", "list", user="sue").stdout
    r = hotline("notices", "build", user="sue")
    assert r.returncode == 1
    assert "set hotline.country first" in r.stderr
    assert hotline("settings", "set", "hotline.country", "NL").returncode == 0
    assert "built 0 notices and 0 referrals" in hotline("notices", "build", user="sue").stdout
    assert hotline("stats", "--json", user="sue").returncode == 0
    r = hotline("stats", "--csv", str(tmp_path / "s.csv"), user="sue")
    assert r.returncode == 0, r.stderr

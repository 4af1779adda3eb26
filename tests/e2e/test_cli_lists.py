"""hash and lists through the real command line."""

import json
from pathlib import Path

from tests.e2e.conftest import FOLDER_ONLY
from tests.synthetic import jpeg


@FOLDER_ONLY  # it checks that no folder was made
def test_hash_needs_no_workspace(tmp_path: Path, hotline) -> None:
    image = tmp_path / "a.jpg"
    image.write_bytes(jpeg(1))
    other = tmp_path / "notes.txt"
    other.write_text("not an image")
    r = hotline("hash", "--json", "--dihedral", str(image), str(other), user=None)
    assert r.returncode == 0, r.stderr
    first, second = json.loads(r.stdout)
    assert len(first["pdq"]) == 64
    assert first["quality"] >= 50
    assert len(first["dihedral"]) == 8
    assert second["pdq"] is None
    assert second["sha256"]
    assert "not an image" in second["error"]
    assert not hotline.workspace.exists()


def test_hash_of_a_missing_file_is_exit_1(hotline) -> None:
    r = hotline("hash", "/no/such/file.jpg", user=None)
    assert r.returncode == 1
    assert "cannot read" in r.stdout


def test_import_show_export(tmp_path: Path, hotline) -> None:
    assert hotline("init", "--admin", "admin", user=None).returncode == 0
    listing = tmp_path / "list.txt"
    listing.write_text("".join(f"{i:032x}\n" for i in range(1, 101)) + "bogus\n")
    r = hotline("lists", "import", str(listing), "--name", "Demo list", "--scope", "baseline")
    assert r.returncode == 0, r.stderr
    assert "100 entries (101 read, 1 skipped, 0 duplicate)" in r.stdout
    assert "line 101" in r.stdout
    shown = json.loads(hotline("lists", "show", "--json").stdout)
    assert shown[0]["name"] == "Demo list"
    assert shown[0]["counts"]["md5"] == 100
    out = tmp_path / "out.csv"
    r = hotline("lists", "export", "Demo list", "--out", str(out), "--format", "csv")
    assert r.returncode == 0, r.stderr
    assert len(out.read_text().splitlines()) == 101
    r = hotline("lists", "lookup", "Demo list", f"{7:032x}")
    assert r.returncode == 0
    assert "verdict=baseline" in r.stdout
    r = hotline("lists", "import", str(listing), "--name", "Demo list", "--scope", "baseline")
    assert r.returncode == 1
    assert r.stderr.startswith("hotline: a hash list named 'Demo list' exists already")


def test_hash_a_video(tmp_path: Path, hotline) -> None:
    from tests.synthetic_video import encode, frames

    video = tmp_path / "clip.mp4"
    video.write_bytes(encode(frames(3, seconds=6)))
    r = hotline("hash", "--json", str(video), user=None)
    assert r.returncode == 0, r.stderr
    [result] = json.loads(r.stdout)
    assert 5.5 <= result["duration"] <= 6.5
    assert result["frame_count"] == 60
    assert len(result["frames"]) >= 2
    assert all(len(pdq) == 64 for _, pdq, _ in result["frames"])
    assert "video   " in hotline("hash", str(video), user=None).stdout


def test_bare_pdq_hashes_need_their_kind_said(tmp_path: Path, hotline) -> None:
    """A file of bare 64-hex PDQ hashes (as Meta's PDQ tools write them) is refused with what
    would fix it, then taken with --kind pdq: never silently read as SHA-256."""
    assert hotline("init", "--admin", "admin", user=None).returncode == 0
    pdq = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"
    listing = tmp_path / "pdq.txt"
    listing.write_text(f"{pdq}\n")
    r = hotline("lists", "import", str(listing), "--name", "PDQ", "--scope", "baseline")
    assert r.returncode == 1
    assert "pdq.txt, line 1:" in r.stderr
    assert "say --kind sha256 or --kind pdq" in r.stderr
    r = hotline("lists", "import", str(listing), "--name", "PDQ", "--scope", "baseline",
                "--kind", "pdq")
    assert r.returncode == 0, r.stderr
    shown = json.loads(hotline("lists", "show", "--json").stdout)
    assert shown[0]["counts"]["pdq"] == 1

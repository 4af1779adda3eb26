"""The program's log: what ran and how it ended, never content, metadata or secrets."""

from pathlib import Path

from tests.e2e.conftest import PASSWORD
from tests.synthetic import jpeg


def test_the_log_says_what_ran_and_nothing_it_must_not(hotline, tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    assert hotline("init", "--admin", "admin", user=None, log_dir=logs).returncode == 0
    assert hotline("user", "add", "ann", "--role", "analyst", log_dir=logs).returncode == 0
    assert hotline("settings", "set", "allow_private_networks", "on",
                   log_dir=logs).returncode == 0
    wrong = hotline("user", "list", password="a-wrong-password-123", log_dir=logs)
    assert wrong.returncode == 1
    (tmp_path / "secret-name.jpg").write_bytes(jpeg(77))
    imported = hotline("import", "--file", str(tmp_path / "secret-name.jpg"), "--url",
                       "http://127.0.0.1:9/reported-path-xyz", user="ann", log_dir=logs)
    assert imported.returncode == 0, imported.stderr
    text = (logs / "hotline.log").read_text()
    assert "command init, Python" in text
    assert "end command user add, exit status 0" in text
    assert "command user list refused: AuthError" in text
    assert "end command import, exit status 0" in text
    for secret in (PASSWORD, "a-wrong-password-123", "reported-path-xyz", "secret-name",
                   "127.0.0.1:9"):
        assert secret not in text, secret


def test_an_unwritable_log_folder_does_not_stop_the_program(hotline, tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the log folder should be")
    r = hotline("init", "--admin", "admin", user=None, log_dir=blocked / "logs")
    assert r.returncode == 0, r.stderr

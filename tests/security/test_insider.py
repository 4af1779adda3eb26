"""The threat model, read top to bottom: an insider with a valid password, the workspace
folder and a Python prompt. Each test is one attack and what stops it.

What this module shows holds today (session 3). Still open (issue 13, per-user signing keys):
any user's password unwraps the one master key, so a Python prompt can still act through the
Desk "as" another user name, rewrite the audit chain with the MAC key, or paste an old key
slot back. The README says so plainly.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.desk import Desk
from app.errors import AuthError, Conflict, InvalidInput
from tests.app.conftest import PASSWORD
from tests.synthetic import jpeg

# ---------------------------------------------------------------- look-alike user names

def test_a_kelvin_sign_cannot_take_over_kate(admin_desk: Desk, workspace: Path) -> None:
    """`user add "Kate"` written with U+212A KELVIN SIGN case-folds to "kate": it overwrote
    supervisor kate's key slot. Names are plain ASCII now, and equal whatever their case."""
    admin_desk.add_user("kate", "supervisor", PASSWORD)
    with pytest.raises(InvalidInput, match="look-alike"):
        admin_desk.add_user("\u212aate", "analyst", "another-password-1")
    with pytest.raises(InvalidInput, match="look-alike"):
        admin_desk.add_user("k\u0430te", "analyst", "another-password-1")  # Cyrillic а
    with pytest.raises(Conflict, match="exists already"):
        admin_desk.add_user("KATE", "analyst", "another-password-1")
    with Desk.open(workspace, "kate", PASSWORD) as kate:  # her slot is untouched
        assert kate.user.role.value == "supervisor"
    with pytest.raises(AuthError):
        Desk.open(workspace, "kate", "another-password-1")


# ---------------------------------------------------------------- blind rounds

def test_a_blind_supervisor_cannot_read_round_1_through_the_audit_log(
        open_as, tmp_path: Path) -> None:
    """`hotline audit show --item N` printed {"round": 1, "verdict": "national"} to the
    supervisor about to give round 2. Verdicts (and the states they led to) of an unsettled
    item are hidden from whoever has not given theirs, on this read path too."""
    ann, sam = open_as("ann", "analyst"), open_as("sam", "supervisor")
    (tmp_path / "a.jpg").write_bytes(jpeg(5151))
    [item] = ann.import_report(files=[tmp_path / "a.jpg"]).item_ids
    ann.assess(item, "national")

    def seen_by(desk: Desk) -> list[dict]:
        return [e.detail for e in desk.audit_entries(target=str(item), action="item.assess")]

    assert seen_by(ann) == [{"round": 1, "verdict": "national", "state": "round2"}]
    [hidden] = seen_by(sam)
    assert "national" not in json.dumps(hidden)
    assert "round2" not in json.dumps(hidden)
    sam.assess(item, "national")  # once he has given his, he may see the others'
    assert {d["verdict"] for d in seen_by(sam)} == {"national"}


def test_the_blind_audit_read_holds_through_the_cli(open_as, workspace: Path,
                                                     tmp_path: Path) -> None:
    ann, _ = open_as("ann", "analyst"), open_as("sam", "supervisor")
    (tmp_path / "b.jpg").write_bytes(jpeg(5252))
    [item] = ann.import_report(files=[tmp_path / "b.jpg"]).item_ids
    ann.assess(item, "baseline")
    out = subprocess.run([sys.executable, "-m", "app", "--workspace", str(workspace),
                          "--user", "sam", "audit", "show", "--item", str(item), "--json"],
                         env={**os.environ, "HOTLINE_PASSWORD": PASSWORD},
                         capture_output=True, text=True, check=True).stdout
    assert "baseline" not in out

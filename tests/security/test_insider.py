"""The threat model, read top to bottom: an insider with a valid password, the workspace
folder and a Python prompt. Each test is one attack and what stops it.

What holds: nobody can act or sign in another person's name (each person's key pair is sealed
under their own password; every audit entry is signed; keys and roles are certified by admins'
signed entries, never read from the editable users table); three pairs of eyes is re-checked
from the signed entries alone before an item is used for a notice, referral or export; a
disabled user's old key file opens nothing (the master key moves on); a log cut short or put
back is noticed by the workstations that saw it; list files cannot be swapped or rolled back;
the key file confirms no user name.

What does not: whoever holds the master key (any active user, with a Python prompt) can read
everything in the workspace and can write its tables. What they write behind the Desk's back is
not signed, so it is found (`audit verify`, the notice check) - not prevented.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.desk import Desk
from app.errors import AuthError, Conflict, InvalidInput, PermissionDenied, WorkspaceError
from app.workspace.audit import AuditLog
from app.workspace.data_keys import DataKeys
from app.workspace.db import connect, transaction
from app.workspace.keys import Session, subkey
from app.workspace.workspace import DATA_KEYS, Workspace
from tests.app.conftest import PASSWORD
from tests.app.takedown.test_notices import hosts, setup
from tests.synthetic import jpeg

__all__ = ["hosts", "setup"]


def python_prompt(workspace: Path, name: str) -> Workspace:
    """What an insider has: her own name and password, the folder, and Python."""
    return Workspace.unlock(workspace, name, PASSWORD)


def write(ws: Workspace, sql: str, args: list | None = None) -> None:
    with transaction(ws.db):
        ws.db.execute(sql, args or [])


def cli_place(workspace: Path | str) -> list[str]:
    """The command line's way to the test's workspace: its folder or its server."""
    return ["--server", workspace] if isinstance(workspace, str) else [
        "--workspace", str(workspace)]


FOLDER_ONLY = pytest.mark.parametrize("workspace", ["folder"], indirect=True)


def named(ws: Workspace, name: str) -> bytes:
    """The keyed lookup a users row is found by (she holds the lookup key)."""
    return ws.sealer.lookup("users.name", name)


def signed_as(ws: Workspace, name: str) -> AuditLog:
    """An audit log that writes entries naming `name`, signed with the insider's own key
    (the only key she has)."""
    return AuditLog(ws.db, Session(name, ws.session.keys, ws.session.slot), ws.sealer)


def cut_log(ws: Workspace, keep: int) -> list[tuple[str, str, str, dict]]:
    """Delete every entry after `keep` and point the head at it, as an insider can; returns
    what the deleted entries said (action, target, outcome, detail)."""
    rows = [r for r in ws.audit.records() if r.seq > keep]
    write(ws, "DELETE FROM audit WHERE seq > ?", [keep])
    write(ws, "DELETE FROM audit_index WHERE seq > ?", [keep])  # the chain's index too
    write(ws, "UPDATE audit_head SET seq = ?, mac = (SELECT mac FROM audit WHERE seq = ?)",
          [keep, keep])
    return [(r.action, r.target, r.outcome, r.detail) for r in rows]


def item_from(desk: Desk, tmp_path: Path, seed: int) -> int:
    (tmp_path / f"{seed}.jpg").write_bytes(jpeg(seed))
    [item] = desk.import_report(files=[tmp_path / f"{seed}.jpg"]).item_ids
    return item


# ---------------------------------------------------------------- impersonation

def test_a_session_is_the_key_that_opened_it_not_a_name(open_as, workspace: Path) -> None:
    """An analyst opened the workspace "as" the admin: the Desk took the user name as an
    argument. A session is now the key pair from her slot; naming the admin with her key is
    refused, because the admin's certified key is another."""
    open_as("ann", "analyst")
    ws = python_prompt(workspace, "ann")
    ws.session = Session("admin", ws.session.keys, ws.session.slot)
    with pytest.raises(AuthError):
        Desk(ws)


def test_a_role_written_into_the_users_table_gives_no_power(open_as, workspace: Path) -> None:
    """She made herself admin in the users table and turned on private networks. Roles come
    from admins' signed entries (certificates), not from the table."""
    ann = open_as("ann", "analyst")
    ws = python_prompt(workspace, "ann")
    write(ws, "UPDATE users SET role = 'admin' WHERE name_key = ?", [named(ws, "ann")])
    with pytest.raises(PermissionDenied):
        ann.set_setting("allow_private_networks", "on")
    with pytest.raises(PermissionDenied):
        ann.add_user("mole", "supervisor", "a-long-password")
    assert ann.user.role.value == "analyst"
    assert {u.name: u.role.value for u in ann.list_users()}["ann"] == "analyst"


def test_an_entry_in_the_admins_name_signed_with_another_key_fails_verify(
        admin_desk: Desk, open_as, workspace: Path) -> None:
    """She wrote an audit entry naming the admin (an admin's setting change, say). It can only
    carry her signature, which is not the admin's certified key."""
    open_as("ann", "analyst")
    ws = python_prompt(workspace, "ann")
    with transaction(ws.db):
        signed_as(ws, "admin").append("settings.set", "allow_private_networks", "ok",
                                      {"value": True})
    check = admin_desk.verify_audit()
    assert not check.ok
    assert "not signed by admin's certified key" in check.problem


def test_a_user_added_behind_the_desk_cannot_sign_in(admin_desk: Desk, open_as,
                                                      workspace: Path) -> None:
    """With the master key she can add a slot and a users row for a supervisor of her own
    making. No admin certified the key, so the Desk refuses it."""
    open_as("ann", "analyst")
    ws = python_prompt(workspace, "ann")
    from hashdb.identity import Identity
    mole = Identity.generate()
    with ws.change_slots() as keys:
        keys.set_slot("mole", PASSWORD, mole)
        keys.grant(mole.public(), ws.epoch, ws.master)
    write(ws, "INSERT INTO users (name, name_key, role, disabled, created, password_changed,"
              " public_key) VALUES (?, ?, 'supervisor', 0, '2026', '2026', ?)",
          [ws.sealer.seal("users.name", "mole"), named(ws, "mole"), mole.public().text()])
    with pytest.raises(AuthError):
        Desk.open(workspace, "mole", PASSWORD)


# ---------------------------------------------------------------- three pairs of eyes

def test_rounds_written_into_the_tables_keep_the_item_out_of_notices(
        setup: dict, workspace: Path) -> None:
    """One analyst gave rounds 1, 2 and 3 by writing the tables in two other people's names;
    the item became final national. Its signed entries say otherwise, so it is left out of
    notices (and referrals and exports), with why."""
    sue = setup["sue"]
    [item] = list(sue.find_items("/9.jpg"))
    ws = python_prompt(workspace, "ann")
    for round_, who in ((1, "ann"), (2, "sue"), (3, "admin")):
        write(ws, "INSERT INTO assessments (item_id, cycle, round, user_id, verdict, at) "
                  "VALUES (?, 0, ?, ?, 'baseline', '2026-11-28')",
              [item, round_, ws.users.id_of(who)])
    write(ws, "UPDATE items SET state = 'final', final_verdict = 'baseline' WHERE id = ?",
          [item])
    built = sue.build_notices()
    assert item in built.untrusted
    urls = {u.url for u in sue.notice(built.notices[0].reference).urls}
    assert not any(u.endswith("/9.jpg") for u in urls)
    assert len(urls) == 9


def test_one_person_signing_three_rounds_breaks_verify(open_as, workspace: Path,
                                                        tmp_path: Path) -> None:
    """Signed in her own name, rounds 2 and 3 by the round-1 analyst break the review rules,
    which `audit verify` re-checks from the signed entries alone."""
    ann, sam = open_as("ann", "analyst"), open_as("sam", "supervisor")
    item = item_from(ann, tmp_path, 6161)
    ann.assess(item, "national")
    ws = python_prompt(workspace, "ann")
    with transaction(ws.db):
        ws.audit.append("item.assess", str(item), "ok",
                        {"round": 2, "verdict": "national", "state": "round3"})
    check = sam.verify_audit()
    assert not check.ok
    assert "review rule broken" in check.problem
    assert "assessed this item already" in check.problem


def test_rounds_signed_in_supervisors_names_break_verify(open_as, workspace: Path,
                                                          tmp_path: Path) -> None:
    ann, sam = open_as("ann", "analyst"), open_as("sam", "supervisor")
    item = item_from(ann, tmp_path, 6262)
    ann.assess(item, "national")
    ws = python_prompt(workspace, "ann")
    with transaction(ws.db):
        signed_as(ws, "sam").append("item.assess", str(item), "ok",
                                    {"round": 2, "verdict": "national", "state": "round3"})
    check = sam.verify_audit()
    assert not check.ok
    assert "not signed by sam's certified key" in check.problem


def test_round_2_by_someone_certified_as_analyst_breaks_verify(
        admin_desk: Desk, open_as, workspace: Path, tmp_path: Path) -> None:
    """Rounds 2 and 3 need a supervisor as certified when the entry was signed: an analyst
    whose row says supervisor does not count."""
    ann, _bob = open_as("ann", "analyst"), open_as("bob", "analyst")
    item = item_from(ann, tmp_path, 6363)
    ann.assess(item, "baseline")
    ws = python_prompt(workspace, "bob")
    write(ws, "UPDATE users SET role = 'supervisor' WHERE name_key = ?", [named(ws, "bob")])
    with transaction(ws.db):
        ws.audit.append("item.assess", str(item), "ok",
                        {"round": 2, "verdict": "baseline", "state": "round3"})
    check = admin_desk.verify_audit()
    assert not check.ok
    assert "only supervisors give round 2" in check.problem


# ---------------------------------------------------------------- disabled users

@FOLDER_ONLY  # the key file and SQLCipher; a server's data keys: the test after this one
def test_a_disabled_users_old_key_file_opens_nothing(admin_desk: Desk, open_as,
                                                     workspace: Path) -> None:
    """A disabled user pasted her old key slot back and signed in. Disabling now moves the
    workspace to a new master key granted only to the others: her old key file, put back
    whole, and the old master key she kept from memory, open nothing."""
    open_as("ann", "analyst")
    saved = (workspace / "workspace.keys").read_bytes()
    old_master = python_prompt(workspace, "ann").master
    admin_desk.disable_user("ann")
    current = (workspace / "workspace.keys").read_bytes()
    (workspace / "workspace.keys").write_bytes(saved)
    with pytest.raises(AuthError):
        Desk.open(workspace, "ann", PASSWORD)
    with pytest.raises(WorkspaceError, match="cannot be decrypted"):
        connect(workspace / "workspace.db", subkey(old_master, "database"))
    (workspace / "workspace.keys").write_bytes(current)
    with Desk.open(workspace, "admin", PASSWORD) as admin:  # the others carry on
        assert admin.verify_audit().ok


def test_a_disabled_users_old_master_key_opens_no_data_key(admin_desk: Desk, open_as,
                                                          workspace: Path) -> None:
    """Where the database itself is not re-encrypted (a team's server), the data keys are
    what a rotation protects: they are sealed anew under the new master key, so the old one
    she kept from memory opens none of them, even with the rows in front of her."""
    open_as("ann", "analyst")
    ws = python_prompt(workspace, "ann")
    old = ws.epoch, subkey(ws.master, DATA_KEYS)
    admin_desk.disable_user("ann")
    with Desk.open(workspace, "admin", PASSWORD) as admin:
        rows = DataKeys(admin._ws.db, dict([old]))
        for purpose in ("vault-bodies", "lists", "columns"):
            with pytest.raises(WorkspaceError, match=r"does not open|not sealed under"):
                rows.keys(purpose)


def test_blobs_stored_after_a_disable_are_under_keys_the_disabled_user_never_had(
        admin_desk: Desk, open_as, workspace: Path, tmp_path: Path) -> None:
    _ann, sam = open_as("ann", "analyst"), open_as("sam", "supervisor")
    ws = python_prompt(workspace, "ann")
    old_vault = ws.vault
    admin_desk.disable_user("ann")
    item = item_from(sam, tmp_path, 6464)
    blob = sam._ws.items.get(item).blob
    with pytest.raises(WorkspaceError, match="epoch"):
        old_vault.get(blob)
    assert sam.item_content(item)[:2] == b"\xff\xd8"


# ---------------------------------------------------------------- truncation, rollback

def test_cutting_the_end_off_the_log_is_said_at_the_next_sign_in(
        admin_desk: Desk, open_as, workspace: Path, tmp_path: Path) -> None:
    """The last entries were deleted and the head pointed at the new last one. Each
    workstation remembers the head it saw: the next sign-in says so, and audits it."""
    ann = open_as("ann", "analyst")
    item_from(ann, tmp_path, 6565)
    ann.close()
    ws = python_prompt(workspace, "admin")
    cut_log(ws, ws.audit.head()[0] - 3)
    ws.close()
    with Desk.open(workspace, "ann", PASSWORD) as again:
        [warning] = again.warnings
        assert "behind" in warning
        [entry] = again.audit_entries(action="audit.rollback")
        assert entry.outcome == "detected"


@FOLDER_ONLY  # the folder's files copied back; a server's equivalent is an old dump restored
def test_an_older_copy_of_the_workspace_put_back_is_said(admin_desk: Desk, workspace: Path,
                                                         tmp_path: Path) -> None:
    admin_desk.set_setting("hotline.name", "Before")
    admin_desk.close()
    shutil.copytree(workspace, tmp_path / "old")
    with Desk.open(workspace, "admin", PASSWORD) as desk:
        desk.set_setting("hotline.name", "After")
    shutil.rmtree(workspace)
    shutil.copytree(tmp_path / "old", workspace)
    with Desk.open(workspace, "admin", PASSWORD) as desk:
        assert any("behind" in w or "beside" in w for w in desk.warnings)


def test_a_written_down_anchor_catches_a_rewritten_log(admin_desk: Desk, open_as,
                                                       workspace: Path) -> None:
    """`hotline audit anchor` prints the head as a short code. A log cut back and written on
    no longer holds that entry, and `audit verify --anchor CODE` says so."""
    open_as("ann", "analyst")
    code = admin_desk.audit_anchor()
    ws = python_prompt(workspace, "admin")
    cut_log(ws, ws.audit.head()[0] - 2)
    admin_desk.set_setting("hotline.name", "Written on")  # the log grows past the anchor again
    check = admin_desk.verify_audit(anchor=code)
    assert not check.ok
    assert "beside" in check.problem or "behind" in check.problem


def test_a_log_re_chained_with_the_insiders_own_key_fails_verify(
        admin_desk: Desk, open_as, workspace: Path) -> None:
    """With the old MAC key anyone could re-chain the log after an edit. Entries are signed
    now: she can recompute every hash, but sign only as herself."""
    open_as("ann", "analyst")
    ws = python_prompt(workspace, "ann")
    rows = cut_log(ws, 1)
    with transaction(ws.db):
        for action, target, outcome, detail in rows:
            signed_as(ws, "admin").append(action, target, outcome, detail)
    check = admin_desk.verify_audit()
    assert (check.ok, check.first_bad) == (False, 2)


def test_a_remembered_verification_does_not_hide_a_rewrite_before_it(
        admin_desk: Desk, open_as, workspace: Path) -> None:
    """`audit verify` skips the signatures an earlier run on this workstation checked; the
    entries up to there must still hash to where that run ended."""
    open_as("ann", "analyst")
    assert admin_desk.verify_audit().ok
    ws = python_prompt(workspace, "admin")
    rows = cut_log(ws, 1)
    with transaction(ws.db):
        for action, target, outcome, detail in rows:  # the admin's own key
            ws.audit.append(action, target, outcome,
                            {**detail, "edited": True} if action == "user.add" else detail)
    check = admin_desk.verify_audit()
    assert not check.ok


# ---------------------------------------------------------------- list files

def test_list_files_swapped_or_rolled_back_do_not_open(admin_desk: Desk, open_as,
                                                       tmp_path: Path) -> None:
    """A list file copied over another list's, or an older version copied back after a
    retraction, was accepted. Files are bound to their list and version."""
    sue = open_as("sue", "supervisor")
    for name, seed in (("A", 1), ("B", 2)):
        (tmp_path / f"{name}.csv").write_text(
            "md5\n" + "".join(f"{seed:02x}{i:030x}\n" for i in range(3)))
        sue.import_list(tmp_path / f"{name}.csv", name, "baseline")
    ws = sue._ws
    files = ws.place.files(ws.db)  # the lists folder, or the server's list_files table
    file_of = {n: ws.db.execute("SELECT file FROM lists WHERE name_key = ?",
                                [ws.lists.key_of(n)]).fetchone()[0] for n in ("A", "B")}
    with files.read(file_of["A"]) as fh:
        old_a = fh.read()
    files.write(file_of["B"], lambda fh: fh.write(old_a))  # A's file in B's place
    with Desk.open(sue.location, "sue", PASSWORD) as fresh, \
            pytest.raises(WorkspaceError, match="swapped with another list's file"):
        fresh.list_lookup("B", f"02{0:030x}")
    sue.retract_entry("A", f"01{0:030x}", "wrongly listed")
    new_file = ws.db.execute("SELECT file FROM lists WHERE name_key = ?",
                             [ws.lists.key_of("A")]).fetchone()[0]
    files.write(new_file, lambda fh: fh.write(old_a))  # the version before, put back
    with Desk.open(sue.location, "sue", PASSWORD) as fresh, \
            pytest.raises(WorkspaceError, match="older copy put back"):
        fresh.list_lookup("A", f"01{0:030x}")


# ---------------------------------------------------------------- user names

@FOLDER_ONLY  # the key file as a file; on a server it is a row of the same JSON
def test_the_key_file_confirms_no_user_name(admin_desk: Desk, workspace: Path) -> None:
    """Slot ids were keyed with a salt stored beside them, so a name could be confirmed
    offline. A slot's id now comes from name and password together."""
    admin_desk.add_user("kate", "supervisor", PASSWORD)
    data = json.loads((workspace / "workspace.keys").read_text())
    assert "kate" not in json.dumps(data)
    from app.workspace.keys import KeyFile
    keys = KeyFile.load(workspace / "workspace.keys")
    assert keys._derive("kate", "a wrong guess")[1] not in data["slots"]
    assert keys._derive("kate", PASSWORD)[1] in data["slots"]  # only with the password


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


@pytest.mark.parametrize("command", [
    ["audit", "show"], ["item", "{item}"], ["queue"], ["find", "{item}"], ["stats"],
])
def test_blind_means_blind_on_every_read_command(open_as, workspace: Path, tmp_path: Path,
                                                 command: list[str]) -> None:
    """Round 1 said "not_illegal"; the supervisor about to give round 2 reads the item, the
    queue, a search, the statistics and the audit log through the CLI and never sees it."""
    ann, _ = open_as("ann", "analyst"), open_as("sam", "supervisor")
    item = item_from(ann, tmp_path, 5353)
    ann.assess(item, "not_illegal")
    args = [a.format(item=item) for a in command]
    run = subprocess.run([sys.executable, "-m", "app", *cli_place(workspace),
                          "--user", "sam", "--json", *args],
                         env={**os.environ, "HOTLINE_PASSWORD": PASSWORD},
                         capture_output=True, text=True, check=True)
    assert '"not_illegal"' not in run.stdout  # as a value: the figures' names may say it
    assert "not illegal" not in run.stdout.lower()
    if command == ["stats"]:
        assert all(m["final_not_illegal"] == 0 for m in json.loads(run.stdout))


def test_the_blind_audit_read_holds_through_the_cli(open_as, workspace: Path,
                                                     tmp_path: Path) -> None:
    ann, _ = open_as("ann", "analyst"), open_as("sam", "supervisor")
    (tmp_path / "b.jpg").write_bytes(jpeg(5252))
    [item] = ann.import_report(files=[tmp_path / "b.jpg"]).item_ids
    ann.assess(item, "baseline")
    out = subprocess.run([sys.executable, "-m", "app", *cli_place(workspace),
                          "--user", "sam", "audit", "show", "--item", str(item), "--json"],
                         env={**os.environ, "HOTLINE_PASSWORD": PASSWORD},
                         capture_output=True, text=True, check=True).stdout
    assert "baseline" not in out


# ---------------------------------------------------------------- settings

def test_a_setting_written_into_the_table_does_not_count(admin_desk: Desk, open_as,
                                                         workspace: Path) -> None:
    """She turned on private networks (and so fetching from the hotline's own network) by
    writing the settings table. Settings are what admins' signed entries set."""
    ann = open_as("ann", "analyst")
    admin_desk.set_setting("hotline.name", "Signed Name")
    ws = python_prompt(workspace, "ann")
    write(ws, "INSERT INTO settings (key, value, changed, changed_by) VALUES "
              "('allow_private_networks', ?, '2026', ?) ON CONFLICT (key) DO UPDATE SET "
              "value = excluded.value", [ws.sealer.seal("settings.value", "true"),
                                         ws.users.id_of("admin")])
    write(ws, "UPDATE settings SET value = ? WHERE key = 'hotline.name'",
          [ws.sealer.seal("settings.value", '"Forged"')])
    with Desk.open(workspace, "ann", PASSWORD) as fresh:
        assert fresh.setting("allow_private_networks") is False
        assert fresh.setting("hotline.name") == "Signed Name"
    assert ann.setting("hotline.name") == "Signed Name"


def test_a_review_rewritten_after_the_notice_was_built_stops_the_letter(
        setup: dict, workspace: Path, tmp_path: Path) -> None:
    sue = setup["sue"]
    notice = sue.build_notices().notices[0]
    [item] = sue.find_items("/3.jpg")
    ws = python_prompt(workspace, "ann")
    write(ws, "UPDATE items SET state = 'final', final_verdict = 'national' WHERE id = ?", [item])
    with pytest.raises(InvalidInput, match="no longer holds from the signed audit"):
        sue.notice_pdf(notice.reference, tmp_path / "n.pdf")

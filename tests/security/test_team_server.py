"""A team's server enforces the review's rules itself: the threat is a hotline user who
connects to the database with their own login and a Python prompt, past the Desk.

Each test signs the users in with their own database logins (made by `user add`), as a team
does; the attacks are direct psycopg connections with those logins."""

from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest

from app.desk import Desk
from app.errors import PermissionDenied
from tests.app.conftest import PASSWORD
from tests.synthetic import jpeg


@pytest.fixture
def team(pg_conninfo: str, tmp_path: Path) -> dict:
    """A team workspace: admin (the database owner's connection set it up), an analyst and
    two supervisors with their own logins, and one item ann has given round 1 on."""
    with Desk.create(pg_conninfo, "admin", PASSWORD) as admin:
        logins = {name: admin.add_user(name, role, PASSWORD).login
                  for name, role in (("ann", "analyst"), ("sue", "supervisor"),
                                     ("sam", "supervisor"))}
    as_login: Callable[[str], str] = lambda name: f"{pg_conninfo} user={logins[name]}"  # noqa: E731
    (tmp_path / "a.jpg").write_bytes(jpeg(4242))
    with Desk.open(as_login("ann"), "ann", PASSWORD) as ann:
        [item] = ann.import_report(files=[tmp_path / "a.jpg"]).item_ids
        ann.assess(item, "national")
        ids = {u.name: u.id for u in ann.list_users()}
    return {"conninfo": pg_conninfo, "login": as_login, "item": item, "ids": ids}


def sql(team: dict, name: str, statement: str, args: tuple = ()) -> list[tuple]:
    """One statement on `name`'s own database login, as she could type it."""
    with psycopg.connect(team["login"](name), autocommit=True) as conn:
        cursor = conn.execute(statement, args)
        return cursor.fetchall() if cursor.description else []


def test_an_analyst_cannot_write_round_2(team: dict) -> None:
    for who, user in (("ann", "ann"), ("ann", "sue")):  # herself, or in a supervisor's name
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            sql(team, who, "INSERT INTO assessments (item_id, cycle, round, user_id, verdict,"
                " at) VALUES (%s, 1, 2, %s, 'national', 'now')",
                (team["item"], team["ids"][user]))


def test_nobody_writes_in_another_persons_name(team: dict) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
        sql(team, "sue", "INSERT INTO assessments (item_id, cycle, round, user_id, verdict, "
            "at) VALUES (%s, 1, 2, %s, 'national', 'now')", (team["item"], team["ids"]["sam"]))


def test_a_supervisor_reads_no_verdict_before_giving_hers(team: dict) -> None:
    """The round-1 verdict is not in sue's reach until she has given round 2: the server
    leaves the row out, whatever the client asks."""
    query = "SELECT round, verdict FROM assessments WHERE item_id = %s ORDER BY round"
    assert sql(team, "sue", query, (team["item"],)) == []
    with Desk.open(team["login"]("sue"), "sue", PASSWORD) as sue:
        assert sue.item(team["item"]).assessments is None  # the Desk says the same
        assert sue.assess(team["item"], "national").round == 2
    assert sql(team, "sue", query, (team["item"],)) == [(1, "national"), (2, "national")]
    assert sql(team, "sam", query, (team["item"],)) == []  # sam has not given his


def test_three_people_finish_a_review_on_their_own_logins(team: dict) -> None:
    item = team["item"]
    with Desk.open(team["login"]("sue"), "sue", PASSWORD) as sue:
        sue.assess(item, "national")
    with Desk.open(team["login"]("sam"), "sam", PASSWORD) as sam:
        result = sam.assess(item, "national")
        assert (result.round, result.state, result.final_verdict) == (3, "final", "national")
    with Desk.open(team["conninfo"], "admin", PASSWORD) as admin:
        assert admin.verify_audit().ok


def test_the_audit_log_is_append_only(team: dict) -> None:
    for who in ("ann", "sue"):
        for statement in ("UPDATE audit SET outcome = 'ok'", "DELETE FROM audit",
                          "UPDATE audit_head SET seq = 1",
                          "INSERT INTO audit_head (id, seq, mac) VALUES (1, 1, 'x') "
                          "ON CONFLICT (id) DO UPDATE SET seq = 1"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                sql(team, who, statement)


def test_an_analyst_changes_no_user_role_or_setting(team: dict) -> None:
    me = team["ids"]["ann"]
    for statement, args in (
            ("UPDATE users SET role = 'admin' WHERE id = %s", (me,)),
            ("UPDATE users SET disabled = 1 WHERE id <> %s", (me,)),
            ("DELETE FROM settings", ()),
            ("INSERT INTO settings (key, value, changed) VALUES ('x', 'y', 'now')", ()),
            ("DELETE FROM secrets", ()),
            ("INSERT INTO logins (user_id, role) VALUES (%s, 'postgres')", (me,))):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            sql(team, "ann", statement, args)


def test_an_analyst_keeps_no_hash_list(team: dict) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        sql(team, "ann", "DELETE FROM lists")


def test_a_login_signs_in_only_its_own_user(team: dict) -> None:
    with pytest.raises(PermissionDenied, match="belongs to another hotline user"):
        Desk.open(team["login"]("ann"), "sue", PASSWORD)


def test_the_audit_log_keeps_a_verdict_blind_too(team: dict) -> None:
    """Every user holds the keys that open the log's sealed details, so the server leaves
    out the entries that carry another's verdict on an open item, as it does the
    assessment rows; the chain still verifies for them (the entries' hashes are in the
    chain's index, which everyone may read)."""
    query = "SELECT count(*) FROM audit WHERE item_id = %s AND action = 'item.assess'"
    assert sql(team, "sue", query, (team["item"],)) == [(0,)]
    assert sql(team, "ann", query, (team["item"],)) == [(1,)]  # her own
    with Desk.open(team["login"]("sue"), "sue", PASSWORD) as sue:
        assert sue.verify_audit().ok
        sue.assess(team["item"], "national")
    assert sql(team, "sue", query, (team["item"],)) == [(2,)]
    with Desk.open(team["login"]("sam"), "sam", PASSWORD) as sam:
        check = sam.verify_audit()
        assert check.ok, check.problem


def test_nobody_writes_an_audit_entry_in_anothers_name(team: dict) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
        sql(team, "ann", "INSERT INTO audit (seq, at, actor, actor_key, action, target, "
            "target_key, outcome, detail, mac, actor_id) VALUES (999, 'now', '', '', 'x', '', "
            "'', 'ok', '', 'x', %s)", (team["ids"]["sue"],))


def test_a_dump_of_the_database_reads_as_noise(pg_conninfo: str, tmp_path: Path) -> None:
    """What the server's administrator holds: a pg_dump with none of what was reported."""
    from app.workspace.places import Server
    from tests.app import at_rest

    picture = jpeg(777)
    (tmp_path / "holiday-secret-name.jpg").write_bytes(picture)
    with Desk.create(pg_conninfo, "admin", PASSWORD) as admin:
        admin.add_user("kate-confidential", "analyst", PASSWORD)
    with Desk.open(pg_conninfo, "kate-confidential", PASSWORD) as kate:
        [item] = kate.import_report(files=[tmp_path / "holiday-secret-name.jpg"],
                                    reference="REF-CONFIDENTIAL", note="note-confidential"
                                    ).item_ids
        kate.assess(item, "national", note="assessment-confidential")
        digest = kate.item(item).sha256
        assert isinstance(kate._ws.place, Server)
        needles = [b"holiday-secret", b"kate-confidential", b"REF-CONFIDENTIAL",
                   b"note-confidential", b"assessment-confidential", digest.encode(),
                   bytes.fromhex(digest), picture[1000:1032], picture[-64:]]
        assert at_rest.found(kate, needles) == []


def test_a_refusal_reaches_the_program_as_a_refusal(team: dict) -> None:
    """Through the program's own driver, what the server refuses is said as a refusal (not a
    crash): a client that skipped the Desk's role check still gets no further."""
    from app.workspace.postgres import PostgresDatabase

    db = PostgresDatabase.connect(team["login"]("ann"))
    try:
        with pytest.raises(PermissionDenied, match="the team server refused it"):
            db.execute("DELETE FROM settings WHERE key = ?", ["hotline.name"])
        with pytest.raises(PermissionDenied, match="row-level security"), db.transaction():
            db.execute("INSERT INTO assessments (item_id, cycle, round, user_id, verdict, at)"
                       " VALUES (?, 1, 2, ?, 'national', 'now')",
                       [team["item"], team["ids"]["ann"]])
    finally:
        db.close()

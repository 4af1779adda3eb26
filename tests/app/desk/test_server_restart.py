"""The team server restarts mid-session: reading connects again by itself; work cut off
inside its transaction is said to be lost (it never committed) and the next action connects
again; nothing committed is lost, and a listening window hears again."""

import subprocess
from pathlib import Path

import pytest

from app.desk import Desk
from tests import postgres_server
from tests.app.conftest import PASSWORD
from tests.synthetic import jpeg


@pytest.mark.slow
def test_a_server_restart_is_said_and_the_work_goes_on(tmp_path: Path) -> None:
    if postgres_server.binaries() is None:
        pytest.skip("needs PostgreSQL (apt-get install postgresql)")
    cluster = postgres_server.start()  # its own: this test restarts it
    try:
        subprocess.run([*cluster.owner, str(cluster.bin / "createdb"), "-h",
                        str(cluster.socket), "-p", str(cluster.port), "-U", "postgres",
                        "team"], check=True, capture_output=True)
        conninfo = cluster.conninfo("team")
        with Desk.create(conninfo, "admin", PASSWORD) as admin:
            admin.add_user("ann", "analyst", PASSWORD)
        for i in range(2):
            (tmp_path / f"{i}.jpg").write_bytes(jpeg(9100 + i))
        with Desk.open(conninfo, "ann", PASSWORD) as ann:
            [first] = ann.import_report(files=[tmp_path / "0.jpg"]).item_ids
            heard = ann.changes()
            assert heard is not None
            cluster.ctl("-m", "fast", "-l", str(cluster.base / "server.log"), "-w", "restart")
            assert ann.queue_ids() == [first]  # connected again; nothing committed lost
            [second] = ann.import_report(files=[tmp_path / "1.jpg"]).item_ids
            assert sorted(ann.queue_ids()) == [first, second]
            assert heard.wait(1.0)  # listening again (and told that it missed something)
            heard.close()
            assert ann.verify_audit().ok
    finally:
        cluster.stop()


def test_a_transaction_cut_by_the_server_is_said_and_the_next_connects_again(
        pg_conninfo: str) -> None:
    """The connection dies inside a transaction (here: the server ends it): that work is
    lost and said to be; the next use connects again."""
    import psycopg

    from app.workspace.postgres import PostgresDatabase, ServerLost

    db = PostgresDatabase.connect(pg_conninfo)
    db.execute("CREATE TABLE t (x INTEGER)")
    pid = db.execute("SELECT pg_backend_pid()").fetchone()[0]
    with pytest.raises(ServerLost, match="your last action was not saved"), db.transaction():
        db.execute("INSERT INTO t VALUES (1)")
        with psycopg.connect(pg_conninfo, autocommit=True) as other:
            other.execute("SELECT pg_terminate_backend(%s)", (pid,))
        db.execute("INSERT INTO t VALUES (2)")
    assert db.execute("SELECT count(*) FROM t").fetchone()[0] == 0  # nothing half-saved
    db.execute("INSERT INTO t VALUES (3)")
    assert db.execute("SELECT count(*) FROM t").fetchone()[0] == 1
    db.close()

"""Shared fixtures. Everything a test needs is made here, synthetic and in tmp_path."""

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# The program's log goes to a scratch folder, not the user's log folder.
if "HOTLINE_LOG_DIR" not in os.environ:
    import tempfile

    os.environ["HOTLINE_LOG_DIR"] = tempfile.mkdtemp(prefix="hotline-test-logs-")
# Qt's per-user settings (the theme) go to a scratch folder too, not the user's config.
if "HOTLINE_TEST_CONFIG" not in os.environ:
    import tempfile

    os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="hotline-test-config-")
    os.environ["HOTLINE_TEST_CONFIG"] = os.environ["XDG_CONFIG_HOME"]

# What each workstation remembers of a workspace's audit head goes to a scratch folder too.
if "HOTLINE_TEST_STATE" not in os.environ:
    import tempfile

    os.environ["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="hotline-test-state-")
    os.environ["HOTLINE_TEST_STATE"] = os.environ["XDG_STATE_HOME"]

# A team workspace's folder on this workstation (relative paths, import markers) likewise.
if "HOTLINE_TEST_DATA" not in os.environ:
    import tempfile

    os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="hotline-test-data-")
    os.environ["HOTLINE_TEST_DATA"] = os.environ["XDG_DATA_HOME"]

# Workspaces made by the tests in this process use a cheap Argon2id (a sign-in costs ~1.5 s at
# the product's 64 MiB / 3 passes). The product never does: KdfParams() keeps OWASP's cost,
# and a key file keeps the cost it was made with (tests/app/workspace/test_keys.py).
import app.workspace.keys as _keys

_keys.DEFAULT_KDF = _keys.KdfParams(memory_kib=1024, iterations=1, lanes=1)

# Property tests: the suite's default, and a long campaign (HYPOTHESIS_PROFILE=fuzz).
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile("default", max_examples=200,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=20_000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow,
                                                 HealthCheck.function_scoped_fixture])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Markers by folder: tests/gui are `gui`, tests/e2e `e2e` and `slow` (each runs the
    command in other processes), the fuzz campaign `slow`: `pytest -m "not slow"` is the
    quick loop while working."""
    for item in items:
        parts = item.path.parts
        if "gui" in parts:
            item.add_marker(pytest.mark.gui)
        if "e2e" in parts:
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.slow)
        if item.get_closest_marker("fuzz"):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def pg_cluster():
    """One throwaway PostgreSQL server for the whole run (tests/postgres_server.py). CI
    installs PostgreSQL and sets HOTLINE_PG_REQUIRED, so these never skip there."""
    from tests import postgres_server

    if postgres_server.binaries() is None:
        if os.environ.get("HOTLINE_PG_REQUIRED"):
            pytest.fail("PostgreSQL is required here (apt-get install postgresql)")
        pytest.skip("needs PostgreSQL (apt-get install postgresql)")
    cluster = postgres_server.start()
    yield cluster
    cluster.stop()


@pytest.fixture
def pg_conninfo(pg_cluster):
    """A new, empty database on the test server for one test; dropped afterwards."""
    import secrets

    import psycopg

    name = f"t_{secrets.token_hex(6)}"
    with psycopg.connect(pg_cluster.conninfo(), autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    yield pg_cluster.conninfo(name)
    with psycopg.connect(pg_cluster.conninfo(), autocommit=True) as admin:
        admin.execute(f"DROP DATABASE {name} WITH (FORCE)")

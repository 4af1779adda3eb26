"""Shared fixtures. Everything a test needs is made here, synthetic and in tmp_path."""

import atexit
import os
import shutil
import tempfile

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _scratch(variable: str, marker: str, prefix: str) -> None:
    """Point `variable` at a scratch folder of this test session (unless `marker` says an outer
    session already did), removed when the session ends: runs share the machine's disk."""
    if marker in os.environ:
        return
    folder = tempfile.mkdtemp(prefix=prefix)
    atexit.register(shutil.rmtree, folder, True)
    os.environ[variable] = folder
    os.environ[marker] = folder


# The program's log goes to a scratch folder, not the user's log folder.
_scratch("HOTLINE_LOG_DIR", "HOTLINE_LOG_DIR", "hotline-test-logs-")
# Qt's per-user settings (the theme) go to a scratch folder too, not the user's config.
_scratch("XDG_CONFIG_HOME", "HOTLINE_TEST_CONFIG", "hotline-test-config-")
# What each workstation remembers of a workspace's audit head goes to a scratch folder too.
_scratch("XDG_STATE_HOME", "HOTLINE_TEST_STATE", "hotline-test-state-")
# A team workspace's folder on this workstation (relative paths, import markers) likewise.
_scratch("XDG_DATA_HOME", "HOTLINE_TEST_DATA", "hotline-test-data-")

# Workspaces made by the tests in this process use a cheap Argon2id (a sign-in costs ~1.5 s at
# the product's 64 MiB / 3 passes). The product never does: KdfParams() keeps OWASP's cost,
# and a key file keeps the cost it was made with (tests/app/workspace/test_keys.py).
import app.workspace.keys as _keys  # noqa: E402 (after the scratch folders are set)

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

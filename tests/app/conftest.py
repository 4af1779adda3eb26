"""Fixtures for the application: a fresh workspace with an admin, and users of each role."""

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.desk import Desk

PASSWORD = "correct-horse-battery"


BACKENDS = [b for b in os.environ.get("HOTLINE_BACKENDS", "folder,server").split(",") if b]


@pytest.fixture(params=BACKENDS)
def workspace(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """Where the test's workspace lives: a folder, or a team server's database (a fresh one
    on the test cluster). Every test that takes this fixture runs on both backends;
    `folder_workspace` is for the tests whose subject is the folder's files."""
    if request.param == "server":
        return str(request.getfixturevalue("pg_conninfo"))
    return tmp_path / "ws"


@pytest.fixture
def folder_workspace(tmp_path: Path) -> Path:
    return tmp_path / "ws"


@pytest.fixture
def admin_desk(workspace: Path) -> Iterator[Desk]:
    desk = Desk.create(workspace, "admin", PASSWORD)
    yield desk
    desk.close()


@pytest.fixture
def open_as(workspace: Path, admin_desk: Desk) -> Iterator[Callable[..., Desk]]:
    """open_as(name, role) adds the user (once) and returns a Desk logged in as them."""
    opened: list[Desk] = []

    def _open(name: str, role: str = "analyst") -> Desk:
        if name not in {u.name for u in admin_desk.list_users()}:
            admin_desk.add_user(name, role, PASSWORD)
        desk = Desk.open(workspace, name, PASSWORD)
        opened.append(desk)
        return desk

    yield _open
    for desk in opened:
        desk.close()

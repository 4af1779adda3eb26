"""Fixtures for the application: a fresh workspace with an admin, and users of each role."""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.desk import Desk

PASSWORD = "correct-horse-battery"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
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

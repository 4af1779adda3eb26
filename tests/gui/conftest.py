"""GUI tests run offscreen on a fresh demo workspace (synthetic content only)."""

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.demo.build import PASSWORD, build
from app.desk import Desk


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    demo = build(tmp_path_factory.mktemp("demo") / "ws")
    demo.site.stop()
    return demo.workspace


@pytest.fixture
def workspace(demo_template: Path, tmp_path: Path) -> Path:
    """A private copy of the demo workspace for each test."""
    copy = tmp_path / "ws"
    shutil.copytree(demo_template, copy)
    return copy


@pytest.fixture
def desk_of(workspace: Path) -> Iterator:
    opened: list[Desk] = []

    def _open(name: str) -> Desk:
        desk = Desk.open(workspace, name, PASSWORD)
        opened.append(desk)
        return desk

    yield _open
    for desk in opened:
        desk.close()

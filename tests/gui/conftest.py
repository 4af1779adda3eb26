"""GUI tests run offscreen on a fresh demo workspace (synthetic content only)."""

import gc
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.demo.build import PASSWORD, build
from app.desk import Desk


@pytest.fixture(autouse=True)
def collected_in_the_gui_thread() -> Iterator[None]:
    """As the application does (`app.ui.app.collect_in_the_gui_thread`): no automatic cycle
    collection while a GUI test runs, whose background workers could otherwise destroy a Qt
    widget left in a cycle (a crash); the GUI thread collects after each test."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect()


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

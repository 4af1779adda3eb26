"""The queue screen: model, viewer, keyboard flow."""

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.ui.main_window import MainWindow
from app.ui.models import QueueModel
from app.ui.queue_page import QueuePage


def page_for(qtbot: QtBot, desk) -> QueuePage:
    page = QueuePage(desk, "Queue")
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    page.refresh()
    return page


def space(widget, kind: QEvent.Type) -> None:
    event = QKeyEvent(kind, Qt.Key.Key_Space, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)


def test_model_fetches_rows_lazily(desk_of) -> None:
    anna = desk_of("anna")
    fetched = []
    model = QueueModel(anna.queue_ids, lambda i: fetched.append(i) or anna.queue_row(i))
    model.refresh()
    assert model.rowCount() == 10
    assert fetched == []
    assert model.data(model.index(0, 2)) == "unknown"
    assert fetched == [model.item_id(0)]
    model.data(model.index(0, 3))
    assert len(fetched) == 1  # cached


def test_queue_orders_unknown_near_known(qtbot: QtBot, desk_of) -> None:
    page = page_for(qtbot, desk_of("anna"))
    statuses = [page.model.data(page.model.index(r, 2)) for r in range(page.model.rowCount())]
    assert statuses == ["unknown"] * 5 + ["near"] * 2 + ["known"] * 3


def test_content_is_blurred_until_revealed(qtbot: QtBot, desk_of) -> None:
    anna = desk_of("anna")
    page = page_for(qtbot, anna)
    viewer = page.viewer
    assert viewer.item_id == page.current_item()
    assert not viewer.is_revealed
    blurred = viewer.current_pixmap().toImage()
    with qtbot.waitSignal(viewer.revealed) as blocker:
        space(page.table, QEvent.Type.KeyPress)
        assert viewer.is_revealed
        sharp = viewer.current_pixmap().toImage()
        space(page.table, QEvent.Type.KeyRelease)
    assert not viewer.is_revealed
    assert blurred != sharp
    assert blocker.args[0] == page.current_item()
    assert anna.exposure_today().views == 1
    actions = [e.action for e in anna.audit_entries(target=str(page.current_item()))]
    assert "item.reveal" in actions
    assert "item.open" in actions


def test_moving_on_blurs_again(qtbot: QtBot, desk_of) -> None:
    page = page_for(qtbot, desk_of("anna"))
    page.viewer.reveal()
    with qtbot.waitSignal(page.viewer.revealed):
        qtbot.keyClick(page.table, Qt.Key.Key_J)
    assert not page.viewer.is_revealed
    assert page.table.currentIndex().row() == 1


def test_losing_focus_blurs_again(qtbot: QtBot, desk_of) -> None:
    page = page_for(qtbot, desk_of("anna"))
    page.viewer.reveal()
    QApplication.sendEvent(page.table, QEvent(QEvent.Type.FocusOut))
    assert not page.viewer.is_revealed


def test_classify_the_queue_by_keys_alone(qtbot: QtBot, desk_of) -> None:
    anna = desk_of("anna")
    page = page_for(qtbot, anna)
    page.table.setFocus()
    for key in (Qt.Key.Key_B, Qt.Key.Key_N, Qt.Key.Key_X, Qt.Key.Key_B, Qt.Key.Key_B,
                Qt.Key.Key_N, Qt.Key.Key_B):
        qtbot.keyClick(page.table, key)
    # the seven human items are assessed; the three machine matches wait for confirmation
    assert [anna.queue_row(i).state for i in anna.queue_ids()] == ["machine"] * 3
    for _ in range(3):
        qtbot.keyClick(page.table, Qt.Key.Key_C)
    assert anna.queue_ids() == []
    assert page.model.rowCount() == 0


def test_undo_the_last_verdict(qtbot: QtBot, desk_of) -> None:
    anna = desk_of("anna")
    page = page_for(qtbot, anna)
    first = page.current_item()
    qtbot.keyClick(page.table, Qt.Key.Key_B)
    assert first not in anna.queue_ids()
    qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert first in anna.queue_ids()
    assert page.current_item() == first


def test_greyscale_toggle(qtbot: QtBot, desk_of) -> None:
    page = page_for(qtbot, desk_of("anna"))
    before = page.viewer.greyscale
    qtbot.keyClick(page.table, Qt.Key.Key_G)
    assert page.viewer.greyscale is not before


def test_blind_review_for_the_second_round(qtbot: QtBot, desk_of) -> None:
    anna, sam = desk_of("anna"), desk_of("sam")
    item = anna.queue_ids()[0]
    anna.assess(item, "national", note="anna's note")
    page = page_for(qtbot, sam)
    assert page.current_item() == item
    text = page.details.toPlainText()
    assert "national" not in text
    assert "anna's note" not in text
    assert "Blind review" in text


def test_window_screens_by_role(qtbot: QtBot, desk_of) -> None:
    analyst = MainWindow(desk_of("anna"))
    qtbot.addWidget(analyst)
    assert list(analyst.pages) == ["Queue", "New report", "Reports", "Lists", "Statistics",
                                   "Audit"]
    supervisor = MainWindow(desk_of("sam"))
    qtbot.addWidget(supervisor)
    assert next(iter(supervisor.pages)) == "Reviews"
    admin = MainWindow(desk_of("admin"))
    qtbot.addWidget(admin)
    assert "Settings" in admin.pages
    assert "Queue" not in admin.pages
    assert "anna (analyst)" in analyst.who.text()

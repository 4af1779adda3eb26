"""The queue screen: model, viewer, keyboard flow."""

import pytest
from PySide6.QtCore import QEvent, QItemSelection, QItemSelectionModel, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from app.ui import queue_page
from app.ui.main_window import MainWindow
from app.ui.models import QueueModel
from app.ui.queue_loading import FIRST_ROWS
from app.ui.queue_page import QueuePage


def page_for(qtbot: QtBot, desk) -> QueuePage:
    page = QueuePage(desk, "Queue")
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    page.refresh()
    shown(qtbot, page)
    return page


def shown(qtbot: QtBot, page: QueuePage) -> None:
    """Wait for the current picture: it is decoded in the background, never on the GUI
    thread (a known item, a video or an empty queue shows a message at once)."""
    qtbot.waitUntil(lambda: page.viewer.item_id == page.current_item()
                    or "Opening" not in page.viewer._label.text(), timeout=30_000)


def space(widget, kind: QEvent.Type) -> None:
    event = QKeyEvent(kind, Qt.Key.Key_Space, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)


def test_model_fetches_rows_lazily(desk_of) -> None:
    anna = desk_of("anna")
    fetched = []
    model = QueueModel(anna.queue_ids, lambda i: fetched.append(i) or anna.queue_row(i))
    model.refresh()
    assert model.rowCount() == 12
    assert fetched == []
    assert model.data(model.index(0, QueueModel.STATUS)) == "unknown"
    assert fetched == [model.item_id(0)]
    model.data(model.index(0, 3))
    assert len(fetched) == 1  # cached


def test_the_whole_list_replaces_first_screens_that_changed_meanwhile(desk_of) -> None:
    anna = desk_of("anna")
    model = QueueModel(lambda: anna.queue_ids(limit=4), anna.queue_row)
    model.refresh()
    everything = anna.queue_ids()
    assert model.grow(everything)  # the first screens are its beginning: rows appended
    assert model.rowCount() == len(everything)
    assert not model.grow(everything[1:])  # the first item went meanwhile: replaced
    assert [model.item_id(r) for r in range(model.rowCount())] == everything[1:]


def test_queue_orders_unknown_near_known(qtbot: QtBot, desk_of) -> None:
    page = page_for(qtbot, desk_of("anna"))
    statuses = [page.model.data(page.model.index(r, QueueModel.STATUS))
                for r in range(page.model.rowCount())]
    assert statuses == ["unknown"] * 6 + ["near"] * 3 + ["known"] * 3


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
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    page.table.setFocus()
    space(page.table, QEvent.Type.KeyPress)
    assert page.viewer.is_revealed
    with qtbot.waitSignal(page.viewer.revealed):
        page.details.setFocus()  # a click on the details pane while Space is held
    assert not page.viewer.is_revealed
    space(page.details, QEvent.Type.KeyRelease)  # the release comes later, elsewhere
    assert not page.viewer.is_revealed


def test_classify_the_queue_by_keys_alone(qtbot: QtBot, desk_of) -> None:
    anna = desk_of("anna")
    page = page_for(qtbot, anna)
    page.table.setFocus()
    for key in (Qt.Key.Key_B, Qt.Key.Key_N, Qt.Key.Key_X, Qt.Key.Key_B, Qt.Key.Key_B,
                Qt.Key.Key_N, Qt.Key.Key_B, Qt.Key.Key_X, Qt.Key.Key_N):
        qtbot.keyClick(page.table, key)
    # the nine human items (two videos) are assessed; three machine matches wait for confirmation
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


def test_filters(qtbot: QtBot, desk_of) -> None:
    page = page_for(qtbot, desk_of("anna"))
    page.status_filter.setCurrentText("near")
    assert page.model.rowCount() == 3
    page.status_filter.setCurrentText("all")
    page.list_filter.setCurrentText("Demo partner list (synthetic)")
    assert page.model.rowCount() == 6  # 3 exact hits, 2 near pictures, 1 near video
    page.list_filter.setCurrentIndex(0)
    page.report_filter.setText("DEMO-1")
    page.refresh()
    assert page.model.rowCount() == 12
    page.report_filter.setText("NO-SUCH-REPORT")
    page.refresh()
    assert page.model.rowCount() == 0
    assert "no report" in page.viewer._label.text()


def test_a_long_queue_grows_in_the_background_and_keeps_the_item_on_screen(
        qtbot: QtBot, desk_of, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queue_page, "FIRST_ROWS", 4)
    anna = desk_of("anna")
    page = page_for(qtbot, anna)
    qtbot.waitUntil(lambda: page.model.rowCount() == 12)  # 4 at once, then the rest
    page.select(2)
    shown(qtbot, page)
    on_screen = page.current_item()
    desk_of("anna").assess(page.model.item_id(0), "baseline")  # from another window
    page.refresh_live()  # the first screens again, then the rest: the item stays on screen
    qtbot.waitUntil(lambda: page.model.rowCount() == 11)
    assert page.current_item() == on_screen
    page.select(9)  # far down the list: the first screens reach past it
    page.refresh()
    assert page.model.rowCount() >= 10
    assert page.model.item_id(9) is not None


def test_a_queue_of_100000_items_stays_fast(qtbot: QtBot, desk_of) -> None:
    import time

    anna = desk_of("anna")
    db = anna._ws.db
    first_report = db.execute("SELECT id FROM reports").fetchone()[0]
    sealer = anna._ws.sealer  # seeding writes the table as the store would
    md5, sha1 = sealer.seal("items.md5", ""), sealer.seal("items.sha1", "")
    with db.conn:
        db.conn.executemany(
            "INSERT INTO items (sha256, sha256_key, md5, md5_key, sha1, sha1_key, kind, mime,"
            " size, status, first_report, created, state) VALUES (?, ?, ?, '', ?, '', 'image',"
            " 'image/jpeg', 1000, 'unknown', ?, '2026-11-23T00:00:00.000000Z', 'round1')",
            ((sealer.seal("items.sha256", f"{i:064x}"), i.to_bytes(16, "big"), md5, sha1,
              first_report) for i in range(100_000)))
    page = page_for(qtbot, anna)
    fetched: list[int] = []
    original = page.model._fetch_row
    page.model._fetch_row = lambda i: fetched.append(i) or original(i)
    start = time.perf_counter()
    page.refresh()
    assert page.model.rowCount() == FIRST_ROWS  # the first screens at once...
    qtbot.waitUntil(lambda: page.model.rowCount() == 100_012, timeout=10_000)  # ...then all
    assert page.current_item() == page.model.item_id(0)
    for row in (0, 50_000, 99_999):
        page.table.scrollTo(page.model.index(row, 0))
        qtbot.wait(10)
    elapsed = time.perf_counter() - start
    assert elapsed < 10, elapsed
    assert len(fetched) < 500  # only the rows on screen were fetched


def test_zoom_and_fit(qtbot: QtBot, desk_of) -> None:
    page = page_for(qtbot, desk_of("anna"))
    fitted = page.viewer.current_pixmap().size()
    qtbot.keyClick(page.table, Qt.Key.Key_Plus)
    qtbot.keyClick(page.table, Qt.Key.Key_Plus)
    zoomed = page.viewer.current_pixmap().size()
    assert zoomed.width() > fitted.width()
    assert not page.viewer.is_revealed  # zooming never reveals
    qtbot.keyClick(page.table, Qt.Key.Key_F)
    assert page.viewer.zoom is None
    assert page.viewer.current_pixmap().size() == fitted


def test_every_action_is_in_the_menus(qtbot: QtBot, desk_of) -> None:
    anna = desk_of("anna")
    window = MainWindow(anna)
    qtbot.addWidget(window)
    menus = {m.title().replace("&", ""): m for m in window.menuBar().findChildren(QMenu)}
    assess = {a.text().split("\t")[0]: a for a in menus["Assess"].actions()}
    assert {"Baseline", "National", "Not illegal", "Confirm machine verdict", "Next item",
            "Previous item", "Greyscale", "Undo last verdict", "Optional fields...",
            "Confirm every machine match of this report",
            "Open a known item (counted as a look)",
            "Take back the selected recent verdict"} <= set(assess)
    first = window.queue.current_item()
    assess["Baseline"].trigger()
    assert first not in anna.queue_ids()
    go = menus["Go"].actions()
    go[2].trigger()
    assert window.stack.currentIndex() == 2


def video_page(qtbot: QtBot, desk) -> QueuePage:
    page = page_for(qtbot, desk)
    row = next(r for r in range(page.model.rowCount())
               if page.model.data(page.model.index(r, QueueModel.STATUS)) == "unknown"
               and desk.queue_row(page.model.item_id(r)).kind == "video")
    page.select(row)
    qtbot.waitUntil(lambda: not page.strip.is_loading and len(page.strip.stills) > 0,
                    timeout=10_000)
    return page


def test_a_video_shows_a_blurred_keyframe_strip(qtbot: QtBot, desk_of) -> None:
    anna = desk_of("anna")
    page = video_page(qtbot, anna)
    item = page.current_item()
    assert page.strip.isVisible()
    assert len(page.strip.stills) == page.strip.list.count() >= 3
    assert page.viewer.item_id == item
    assert not page.viewer.is_revealed
    assert "Keyframe 1 of" in page.viewer._caption.text()
    blurred = page.viewer.current_pixmap().toImage()
    qtbot.keyClick(page.table, Qt.Key.Key_Right)
    assert "Keyframe 2 of" in page.viewer._caption.text()
    assert page.viewer.current_pixmap().toImage() != blurred
    # each keyframe is revealed like a picture, and each reveal is counted
    for _ in range(2):
        with qtbot.waitSignal(page.viewer.revealed):
            space(page.table, QEvent.Type.KeyPress)
            assert page.viewer.is_revealed
            space(page.table, QEvent.Type.KeyRelease)
        qtbot.keyClick(page.table, Qt.Key.Key_Left)
    assert anna.exposure_today().views == 2
    assert [e.detail.get("as") for e in anna.audit_entries(target=str(item))
            if e.action == "item.open"] == ["video"]


def test_playback_only_on_request_and_it_stops_on_moving_on(qtbot: QtBot, desk_of) -> None:
    page = video_page(qtbot, desk_of("anna"))
    assert not page.strip.is_playing
    shown: list[float] = []
    page.strip.frame.connect(lambda still: shown.append(still.seconds))
    qtbot.keyClick(page.table, Qt.Key.Key_P)
    assert page.strip.is_playing
    qtbot.waitUntil(lambda: len(shown) >= 5, timeout=10_000)
    assert "muted" in page.viewer._caption.text()
    assert not page.viewer.is_revealed  # playback is blurred too until Space is held
    assert shown == sorted(shown)
    qtbot.keyClick(page.table, Qt.Key.Key_J)  # moving on stops it
    assert not page.strip.is_playing
    count = len(shown)
    qtbot.wait(300)
    assert len(shown) == count


@pytest.mark.slow
def test_playback_runs_at_the_videos_pace_and_ends(qtbot: QtBot, desk_of) -> None:
    import time

    page = video_page(qtbot, desk_of("anna"))
    started = time.monotonic()
    with qtbot.waitSignal(page.strip.playing_changed, timeout=30_000,
                          check_params_cb=lambda playing: not playing):
        page.strip.toggle_play()
    elapsed = time.monotonic() - started
    assert 11 <= elapsed < 20  # the demo's new clip lasts 12 s
    assert page.strip.play_button.text().startswith("&Play")


def test_playback_starts_at_the_keyframe_picked_and_follows_the_arrows(qtbot: QtBot,
                                                                       desk_of) -> None:
    page = video_page(qtbot, desk_of("anna"))
    qtbot.waitUntil(lambda: len(page.strip.stills) >= 6, timeout=10_000)
    qtbot.keyClick(page.table, Qt.Key.Key_Right)
    qtbot.keyClick(page.table, Qt.Key.Key_Right)
    picked = page.strip.stills[2].seconds
    shown: list[float] = []
    page.strip.frame.connect(lambda still: shown.append(still.seconds))
    qtbot.keyClick(page.table, Qt.Key.Key_P)
    qtbot.waitUntil(lambda: len(shown) >= 2, timeout=10_000)
    assert shown[0] == pytest.approx(picked, abs=0.01)
    later = page.strip.stills[5].seconds
    shown.clear()
    page.strip.list.setCurrentRow(5)  # a click on a keyframe while playing
    assert page.strip.is_playing
    qtbot.waitUntil(lambda: len(shown) >= 2, timeout=10_000)
    assert shown[0] == pytest.approx(later, abs=0.01)
    qtbot.keyClick(page.table, Qt.Key.Key_P)
    assert not page.strip.is_playing


@pytest.mark.qt_log_level_fail("CRITICAL")  # Qt Multimedia reports the missing sound server
def test_sound_is_off_unless_turned_on_and_stays_off_without_a_device(
        qtbot: QtBot, desk_of) -> None:
    from app.ui.sound import SoundOutput

    page = video_page(qtbot, desk_of("anna"))
    assert not page.strip.sound_on  # muted by default
    assert page.strip.sound_button.text() == "Muted (M)"
    page.strip.sound_button.setChecked(True)  # sound was on for the last video ...
    video_row = page.table.currentIndex().row()
    qtbot.keyClick(page.table, Qt.Key.Key_J)
    page.select(video_row)
    assert not page.strip.sound_on  # ... and each video starts muted again
    reason = SoundOutput.unavailable()
    qtbot.keyClick(page.table, Qt.Key.Key_M)
    if reason is not None:  # this machine has no sound output: sound stays off, and says why
        assert not page.strip.sound_on
        assert reason in page.strip.status.text()
        return
    assert page.strip.sound_on  # a machine with sound: the demo clip's tone plays
    assert page.strip.sound_button.text() == "Sound on (M)"
    qtbot.keyClick(page.table, Qt.Key.Key_P)
    qtbot.waitUntil(lambda: page.strip.output.playing, timeout=10_000)
    qtbot.keyClick(page.table, Qt.Key.Key_P)
    assert not page.strip.output.playing


def test_optional_fields_belong_to_the_item_they_were_entered_for(qtbot: QtBot,
                                                                     desk_of) -> None:
    anna = desk_of("anna")
    page = page_for(qtbot, anna)
    first = page.current_item()
    page.set_pending_fields({"age_group": "pubescent"})
    assert page.fields_label.isVisible()
    assert "age group pubescent" in page.fields_label.text()
    qtbot.keyClick(page.table, Qt.Key.Key_J)  # moving on drops them, visibly
    assert page.pending_fields == {}
    assert not page.fields_label.isVisible()
    second = page.current_item()
    qtbot.keyClick(page.table, Qt.Key.Key_B)
    mine = list(anna.item(second).assessments)
    assert mine
    assert all(not a.age_group for a in mine)
    assert first != second


def test_focus_is_on_the_queue_after_login_and_after_a_screen_switch(qtbot: QtBot,
                                                                    desk_of) -> None:
    window = MainWindow(desk_of("anna"))
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert QApplication.focusWidget() is window.queue.table
    window.nav.setCurrentRow(2)
    window.nav.setFocus()
    window.nav.setCurrentRow(0)
    assert QApplication.focusWidget() is window.queue.table


def test_the_queue_says_how_much_is_left_and_what_was_just_given(qtbot: QtBot,
                                                                desk_of) -> None:
    page = page_for(qtbot, desk_of("anna"))
    assert page.left_label.text() == "12 of 12 left"
    first = page.current_item()
    qtbot.keyClick(page.table, Qt.Key.Key_B)
    assert page.left_label.text() == "11 of 12 left"
    assert page.last_verdict.text() == f"Item {first}: baseline \u2014 Ctrl+Z to undo"
    qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert page.left_label.text() == "12 of 12 left"
    assert page.last_verdict.text() == f"Item {first}: verdict taken back"


def test_known_items_are_not_opened_unless_asked(qtbot: QtBot, desk_of) -> None:
    """Each item.open is exposure: a machine match is shown as metadata; O opens it."""
    anna = desk_of("anna")
    page = page_for(qtbot, anna)
    page.select(page.model.rowCount() - 1)  # the known items are last
    item = page.current_item()
    assert anna.queue_row(item).state == "machine"
    assert page.viewer.item_id is None
    assert "Known: an exact hit" in page.viewer._label.text()
    assert not anna.audit_entries(target=str(item), action="item.open")
    qtbot.keyClick(page.table, Qt.Key.Key_O)
    assert "Opening" in page.viewer._label.text()  # decoded in the background
    qtbot.waitUntil(lambda: page.viewer.item_id == item, timeout=30_000)
    assert len(anna.audit_entries(target=str(item), action="item.open")) == 1


def test_confirm_every_machine_match_of_a_report_without_opening_any(qtbot: QtBot,
                                                                    desk_of) -> None:
    anna = desk_of("anna")
    page = page_for(qtbot, anna)
    qtbot.keyClick(page.table, Qt.Key.Key_C, Qt.KeyboardModifier.ShiftModifier)
    assert [anna.queue_row(i).state for i in anna.queue_ids()].count("machine") == 0
    assert page.last_verdict.text() == "Report DEMO-1: 3 machine verdicts confirmed"
    assert not anna.audit_entries(action="item.open")[1:]  # only the first item, shown


def test_one_verdict_for_several_selected_items(qtbot: QtBot, desk_of) -> None:
    anna = desk_of("anna")
    page = page_for(qtbot, anna)
    first, second, third = (page.model.item_id(r) for r in range(3))
    page.table.selectionModel().select(
        QItemSelection(page.model.index(0, 0), page.model.index(2, 0)),
        QItemSelectionModel.SelectionFlag.ClearAndSelect
        | QItemSelectionModel.SelectionFlag.Rows)
    assert page.selected_items() == [first, second, third]
    qtbot.keyClick(page.table, Qt.Key.Key_X)
    assert {first, second, third}.isdisjoint(anna.queue_ids())
    assert page.last_verdict.text() == "3 items: not illegal"


def test_take_back_any_recent_verdict(qtbot: QtBot, desk_of) -> None:
    anna = desk_of("anna")
    page = page_for(qtbot, anna)
    first = page.current_item()
    qtbot.keyClick(page.table, Qt.Key.Key_B)
    second = page.current_item()
    qtbot.keyClick(page.table, Qt.Key.Key_N)
    assert [page.recent.list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(page.recent.list.count())] == [second, first]
    page.recent.list.setCurrentRow(1)  # the older one
    qtbot.keyClick(page.table, Qt.Key.Key_U)
    assert first in anna.queue_ids()
    assert second not in anna.queue_ids()
    assert anna.audit_entries(action="item.assess.undo")[0].target == str(first)


def test_find_by_item_hash_url_or_report(qtbot: QtBot, desk_of) -> None:
    anna = desk_of("anna")
    page = page_for(qtbot, anna)
    some = anna.queue_ids()[4]
    view = anna.item(some)
    url = view.sightings[0].source
    for text in (str(some), view.md5, view.sha1.upper(), view.sha256, url.rsplit("/", 1)[-1]):
        page.find_box.setText(text)
        page.find_box.returnPressed.emit()
        assert page.model.rowCount() >= 1, text
        assert some in [page.model.item_id(r) for r in range(page.model.rowCount())], text
    page.find_box.setText("DEMO-1")
    page.find_box.returnPressed.emit()
    assert page.model.rowCount() == 12
    page.find_box.setText("no-such-thing-anywhere")
    page.find_box.returnPressed.emit()
    assert page.model.rowCount() == 0
    page.find_box.clear()
    page.find_box.returnPressed.emit()
    assert page.model.rowCount() == 12


def test_supervisors_review_settled_items(qtbot: QtBot, desk_of) -> None:
    sam = desk_of("sam")
    sam.confirm(report="DEMO-1")
    page = page_for(qtbot, sam)
    page.status_filter.setCurrentText("settled")
    assert page.model.rowCount() == 3
    analyst = page_for(qtbot, desk_of("anna"))
    assert analyst.status_filter.findText("settled") == -1


def test_the_deciding_columns_fit_beside_the_viewer(qtbot: QtBot, desk_of) -> None:
    """Item, status, match, host, size and report are visible without scrolling, the match
    text uncut, in the window's default size."""
    window = MainWindow(desk_of("anna"))
    qtbot.addWidget(window)
    window.show()
    table = window.queue.table
    header = table.horizontalHeader()
    last = QueueModel.COLUMNS.index("Report")
    assert header.sectionViewportPosition(last) + header.sectionSize(last) <= \
        table.viewport().width()
    metrics = table.fontMetrics()
    widest = max(metrics.horizontalAdvance(window.queue.model.data(
        window.queue.model.index(r, 2)) or "") for r in range(window.queue.model.rowCount()))
    assert header.sectionSize(2) >= widest + 8


def test_a_near_match_beside_what_it_matched(qtbot: QtBot, desk_of, tmp_path) -> None:
    """A re-encoded copy of a workspace item: both blurred side by side; 1 and 2 reveal one
    at a time, each reveal counted against the item it showed."""
    import io

    from PIL import Image

    from app.ui.compare_dialog import CompareDialog
    from tests.synthetic import jpeg

    anna = desk_of("anna")
    original = jpeg(6161, (640, 480))
    (tmp_path / "a.jpg").write_bytes(original)
    copy = io.BytesIO()
    Image.open(io.BytesIO(original)).resize((480, 360)).save(copy, "JPEG", quality=70)
    (tmp_path / "b.jpg").write_bytes(copy.getvalue())
    [first] = anna.import_report(files=[tmp_path / "a.jpg"]).item_ids
    [second] = anna.import_report(files=[tmp_path / "b.jpg"]).item_ids
    [match] = [m for m in anna.item(second).matches if m.other_item == first]
    dialog = CompareDialog(anna, second, match, 24, True)
    qtbot.addWidget(dialog)
    dialog.show()
    left, right = dialog.viewers
    qtbot.waitUntil(lambda: (left.item_id, right.item_id) == (second, first), timeout=30_000)
    assert left._caption.text().endswith("Hold 1 to look.")  # not Space: that is the queue's
    for key, viewer, other in ((Qt.Key.Key_1, left, right), (Qt.Key.Key_2, right, left)):
        QApplication.sendEvent(dialog, QKeyEvent(QEvent.Type.KeyPress, key,
                                                 Qt.KeyboardModifier.NoModifier))
        assert viewer.is_revealed
        assert not other.is_revealed
    with qtbot.waitSignal(right.revealed):
        QApplication.sendEvent(dialog, QKeyEvent(QEvent.Type.KeyRelease, Qt.Key.Key_2,
                                                 Qt.KeyboardModifier.NoModifier))
    reveals = {e.target for e in anna.audit_entries(action="item.reveal")}
    assert {str(first), str(second)} <= reveals


def test_a_supervisor_reopens_a_settled_item_with_a_reason(qtbot: QtBot, desk_of,
                                                          monkeypatch) -> None:
    from PySide6.QtWidgets import QInputDialog

    sam = desk_of("sam")
    sam.confirm(report="DEMO-1")
    page = page_for(qtbot, sam)
    page.status_filter.setCurrentText("settled")
    item = page.current_item()
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("hash collision", True))
    qtbot.keyClick(page.table, Qt.Key.Key_R)
    assert page.model.rowCount() == 2
    assert page.last_verdict.text() == f"Item {item}: reopened"
    [entry] = sam.audit_entries(action="item.reopen")
    assert entry.target == str(item)

"""The other screens: new report (drop, progress, cancel), lists, audit, settings, login,
idle lock."""

import shutil
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QInputDialog
from pytestqt.qtbot import QtBot

from app.demo.build import PASSWORD
from app.desk import Desk
from app.ui.import_page import ImportPage
from app.ui.login import LoginDialog
from app.ui.main_window import MainWindow
from app.ui.pages import AuditPage, ListsPage
from hashdb.digests import digest_bytes
from tests.app.intake.site import serve
from tests.synthetic import jpeg


def drop(widget, paths: list[Path]) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    widget.dropEvent(event)


def test_drop_files_and_import_them(qtbot: QtBot, desk_of, tmp_path: Path) -> None:
    for i in range(3):
        (tmp_path / f"{i}.jpg").write_bytes(jpeg(3000 + i, (320, 240)))
    anna = desk_of("anna")
    page = ImportPage(anna)
    qtbot.addWidget(page)
    drop(page, [tmp_path / f"{i}.jpg" for i in range(3)])
    assert page.files.count() == 3
    page.reference.setText("R-gui")
    with qtbot.waitSignal(page.imported, timeout=60_000) as blocker:
        page.start_import()
        assert not page.start_button.isEnabled()
        assert page.cancel_button.isEnabled()
    summary = blocker.args[0]
    assert (summary.report, summary.items) == ("R-gui", 3)
    assert "3 new items" in page.status.text()
    assert page.files.count() == 0
    assert page.start_button.isEnabled()


def test_progress_of_files_is_a_fraction(qtbot: QtBot, desk_of, tmp_path: Path) -> None:
    import zipfile

    for i in range(4):
        (tmp_path / f"{i}.jpg").write_bytes(jpeg(3200 + i, (160, 120)))
    with zipfile.ZipFile(tmp_path / "more.zip", "w") as archive:
        for i in range(3):
            archive.writestr(f"z{i}.jpg", jpeg(3300 + i, (160, 120)))
    page = ImportPage(desk_of("anna"))
    qtbot.addWidget(page)
    page.add_paths([tmp_path / f"{i}.jpg" for i in range(4)] + [tmp_path / "more.zip"])
    seen: list[tuple[int, int | None]] = []
    with qtbot.waitSignal(page.imported, timeout=60_000):
        page.start_import()
        page.task.signals.progress.connect(lambda p: seen.append((p.done, p.total)))
    assert seen[-1] == (7, 7)
    assert all(total == 7 for _, total in seen)
    assert page.progress.maximum() == 1  # finished: the bar is full
    assert page.progress.value() == 1


def test_dropped_web_links_become_urls(qtbot: QtBot, desk_of) -> None:
    page = ImportPage(desk_of("anna"))
    qtbot.addWidget(page)
    mime = QMimeData()
    mime.setUrls([QUrl("https://reported.example/page")])
    page.dropEvent(QDropEvent(QPointF(1, 1), Qt.DropAction.CopyAction, mime,
                              Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier))
    assert page.urls.toPlainText() == "https://reported.example/page"


def test_cancel_an_import(qtbot: QtBot, desk_of, tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(60):
        (folder / f"{i}.jpg").write_bytes(jpeg(3100 + i, (320, 240)))
    page = ImportPage(desk_of("anna"))
    qtbot.addWidget(page)
    page.add_paths([folder])
    with qtbot.waitSignal(page.imported, timeout=60_000) as blocker:
        page.start_import()
        page.cancel()
    summary = blocker.args[0]
    assert summary.cancelled
    assert summary.items < 60
    assert "cancelled" in page.status.text()


def test_adding_a_folder_starts_the_hashing_workers_ahead(
        qtbot: QtBot, desk_of, tmp_path: Path, monkeypatch) -> None:
    """While the analyst fills in the reference and the note, the pool's fork server starts
    (Desk.prepare_import): the import's workers are ready when Import is pressed."""
    asked: list[list[Path]] = []
    monkeypatch.setattr(Desk, "prepare_import",
                        staticmethod(lambda urls, files: asked.append(list(files))))
    page = ImportPage(desk_of("anna"))
    qtbot.addWidget(page)
    page.add_paths([tmp_path / "one.jpg"])
    page.add_paths([tmp_path])
    assert asked == [[tmp_path / "one.jpg"], [tmp_path / "one.jpg", tmp_path]]


def test_nothing_to_import(qtbot: QtBot, desk_of) -> None:
    page = ImportPage(desk_of("anna"))
    qtbot.addWidget(page)
    page.start_import()
    assert page.status.text() == "Paste URLs or add files first."


def test_lists_page(qtbot: QtBot, desk_of) -> None:
    page = ListsPage(desk_of("sam"))
    qtbot.addWidget(page)
    page.refresh()
    assert page.model.rowCount() == 1
    assert page.model.data(page.model.index(0, 0)) == "Demo partner list (synthetic)"
    page.view.selectRow(0)
    page.toggle()
    assert page.model.data(page.model.index(0, 3)) == "off"


def test_a_list_is_imported_and_removed_from_the_lists_screen(qtbot: QtBot, desk_of,
                                                              tmp_path: Path,
                                                              monkeypatch) -> None:
    from app.ui.list_import import ListImportDialog

    listing = tmp_path / "partner.csv"
    rows = [f"{i:032x},national" for i in range(5000)] + ["not-a-hash,national"]
    listing.write_text("md5,verdict\n" + "\n".join(rows) + "\n")
    sam = desk_of("sam")
    page = ListsPage(sam)
    qtbot.addWidget(page)
    page.refresh()

    def fill(dialog: ListImportDialog) -> int:
        dialog.path.setText(str(listing))
        dialog.name.setText("Partner CSV")
        dialog.scope.setCurrentText("national")
        return 1

    monkeypatch.setattr(ListImportDialog, "exec", fill)
    with qtbot.waitSignal(page.importer.finished, timeout=60_000):
        page.import_list()
        assert not page.importer.isHidden()
    assert page.importer.isHidden()
    assert "Partner CSV: 5,000 entries (5,001 read, 1 skipped" in page.message.text()
    assert "line 5002" in page.message.text()
    names = [page.model.data(page.model.index(r, 0)) for r in range(page.model.rowCount())]
    assert "Partner CSV" in names
    page.view.selectRow(names.index("Partner CSV"))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a: ("superseded", True))
    page.remove()
    assert "Partner CSV" not in [i.name for i in sam.lists()]
    assert any(e.detail.get("reason") == "superseded"
               for e in sam.audit_entries(target="Partner CSV"))


def test_a_bad_list_file_is_a_clear_message(qtbot: QtBot, desk_of, tmp_path: Path,
                                            monkeypatch) -> None:
    from app.ui.list_import import ListImportDialog

    (tmp_path / "empty.csv").write_text("md5\n")
    page = ListsPage(desk_of("sam"))
    qtbot.addWidget(page)

    def fill(dialog: ListImportDialog) -> int:
        dialog.path.setText(str(tmp_path / "empty.csv"))
        dialog.name.setText("Empty")
        return 1

    monkeypatch.setattr(ListImportDialog, "exec", fill)
    with qtbot.waitSignal(page.importer.failed, timeout=60_000):
        page.import_list()
    assert "The import failed: empty.csv: no entry could be read" in page.message.text()


def test_bare_pdq_hashes_through_the_dialog_with_their_kind(qtbot: QtBot, desk_of,
                                                           tmp_path: Path,
                                                           monkeypatch) -> None:
    """The file cannot say SHA-256 or PDQ: the import says so, and the kind field fixes it."""
    from app.ui.list_import import ListImportDialog

    (tmp_path / "pdq.txt").write_text(
        "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22\n")
    page = ListsPage(desk_of("sam"))
    qtbot.addWidget(page)
    kind = {"value": 0}

    def fill(dialog: ListImportDialog) -> int:
        dialog.path.setText(str(tmp_path / "pdq.txt"))
        dialog.name.setText("PDQ")
        dialog.kind.setCurrentIndex(kind["value"])
        return 1

    monkeypatch.setattr(ListImportDialog, "exec", fill)
    with qtbot.waitSignal(page.importer.failed, timeout=60_000):
        page.import_list()
    assert "pdq.txt, line 1:" in page.message.text()
    assert "say --kind sha256 or --kind pdq" in page.message.text()
    kind["value"] = 1 + list(page.desk.HASH_KINDS).index("pdq")
    with qtbot.waitSignal(page.importer.finished, timeout=60_000):
        page.import_list()
    assert "PDQ: 1 entries" in page.message.text()


def test_a_held_list_is_shown_and_released(qtbot: QtBot, desk_of, tmp_path: Path,
                                           monkeypatch) -> None:
    admin, sam = desk_of("admin"), desk_of("sam")
    admin.set_setting("flood.list_items", "2")
    blobs = [jpeg(950 + i) for i in range(3)]
    (tmp_path / "l.txt").write_text("".join(digest_bytes(b).md5 + "\n" for b in blobs))
    sam.import_list(tmp_path / "l.txt", "Flooding", "baseline")
    (tmp_path / "in").mkdir()
    for i, data in enumerate(blobs):
        (tmp_path / "in" / f"{i}.jpg").write_bytes(data)
    sam.import_report(files=[tmp_path / "in"])
    page = ListsPage(sam)
    qtbot.addWidget(page)
    page.refresh()
    names = [page.model.data(page.model.index(r, 0)) for r in range(page.model.rowCount())]
    row = names.index("Flooding")
    assert page.model.data(page.model.index(row, 8)) == "the whole list"
    page.view.selectRow(row)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a: ("checked: real finds", True))
    page.release()
    assert page.message.text().startswith("Released Flooding (1 hold)")
    assert page.model.data(page.model.index(row, 8)) == ""


def test_analysts_cannot_import_lists(qtbot: QtBot, desk_of) -> None:
    page = ListsPage(desk_of("anna"))
    qtbot.addWidget(page)
    labels = [page.bar.itemAt(i).widget().text() for i in range(page.bar.count())
              if page.bar.itemAt(i).widget()]
    assert "&Import..." not in labels


def test_audit_page_verifies(qtbot: QtBot, desk_of) -> None:
    page = AuditPage(desk_of("admin"))
    qtbot.addWidget(page)
    page.refresh()
    assert page.model.rowCount() > 10
    page.verify()  # in the background: the window stays responsive on a long log
    qtbot.waitUntil(lambda: page.message.text().startswith("The audit log is intact"),
                    timeout=20_000)
    assert "Anchor to write down" in page.message.text()
    page.filter.setText("DEMO-1")
    page.refresh()
    assert {page.model.data(page.model.index(r, 4)) for r in range(page.model.rowCount())} == {
        "DEMO-1"}


def test_login_dialog(qtbot: QtBot, workspace: Path) -> None:
    dialog = LoginDialog(workspace, "anna")
    qtbot.addWidget(dialog)
    dialog.password.setText("wrong password!")
    dialog.sign_in()
    assert dialog.error.text() == "wrong user name or password"
    assert dialog.desk is None
    dialog.password.setText(PASSWORD)
    dialog.sign_in()
    assert dialog.desk is not None
    assert dialog.desk.user.name == "anna"
    dialog.desk.close()


def test_idle_lock_hides_the_item_and_says_when_the_password_is_wrong(
        qtbot: QtBot, desk_of) -> None:
    anna = desk_of("anna")
    window = MainWindow(anna)
    qtbot.addWidget(window)
    window.show()
    item = window.queue.current_item()
    md5 = anna.item(item).md5
    window.queue.viewer.reveal()
    window.idle.limit = 0
    window.idle.check()
    assert window.is_locked
    assert not window.queue.viewer.is_revealed  # blurred before anything else
    # nothing of the item is on screen: not the picture, not its URL or hashes
    assert not window.queue.isVisible()
    assert window.queue.viewer.item_id is None
    assert md5 not in window.queue.details.toPlainText()
    assert not window.menuBar().isEnabled()  # no B, N, X behind the lock
    window.lock_screen.password.setText("nope")
    window.lock_screen.password.returnPressed.emit()
    assert window.is_locked
    assert "Wrong password" in window.lock_screen.error.text()
    window.lock_screen.password.setText(PASSWORD)
    window.lock_screen.password.returnPressed.emit()
    assert not window.is_locked
    assert not window.idle.locked
    assert window.queue.current_item() == item
    outcomes = [(e.action, e.outcome) for e in anna.audit_entries()
                if e.action.startswith("session.") and e.action != "session.open"]
    assert sorted(outcomes) == sorted([("session.lock", "ok"), ("session.unlock", "refused"),
                                       ("session.unlock", "ok")])


def test_unlock_takes_the_password_as_it_is_now(qtbot: QtBot, desk_of) -> None:
    """An admin reset the password while the window was open: the old one no longer unlocks.
    A reset gives the user a new key pair, so this session cannot go on: the window signs
    out, and the login says why."""
    anna = desk_of("anna")
    window = MainWindow(anna)
    qtbot.addWidget(window)
    desk_of("admin").change_password("anna", "a-new-password-2026")
    window.lock()
    window.lock_screen.password.setText(PASSWORD)
    window.lock_screen.password.returnPressed.emit()
    assert window.signing_out
    assert "reset" in window.ended_because
    assert not window.isVisible() or window.is_locked


def test_imported_items_join_the_queue_while_the_item_on_screen_stays(
        qtbot: QtBot, desk_of, tmp_path: Path) -> None:
    from app.ui.main_window import MainWindow

    folder = tmp_path / "incoming"
    folder.mkdir()
    for i in range(40):
        (folder / f"{i}.jpg").write_bytes(jpeg(3400 + i, (320, 240)))
    anna = desk_of("anna")
    window = MainWindow(anna)
    qtbot.addWidget(window)
    queue = window.queue
    before = queue.model.rowCount()
    shown = queue.current_item()
    assert window.jobs_label.text() == "No background work"
    window.importer.add_paths([folder])
    with qtbot.waitSignal(window.importer.imported, timeout=120_000):
        with qtbot.waitSignal(window.importer.arrived, timeout=60_000):
            window.importer.start_import()
            assert window.jobs_label.text() == "Background: importing"
        qtbot.waitUntil(lambda: queue.model.rowCount() > before, timeout=30_000)
        assert queue.current_item() == shown
    # the board drops the job on the same signal: wait for the label, not for time
    qtbot.waitUntil(lambda: window.jobs_label.text() == "No background work", timeout=10_000)
    assert queue.model.rowCount() == before + 40
    assert queue.current_item() == shown
    opened = [e for e in anna.audit_entries(target=str(shown)) if e.action == "item.open"]
    assert len(opened) == 1  # the item on screen was not opened again


def test_the_demo_keeps_its_hosting_databases_in_the_workspace(
        desk_of, workspace: Path, tmp_path: Path) -> None:
    """Reinstalling the program (the README's second command) must not break the demo: its
    hosting databases live in the workspace, named relative to it, so even a moved workspace
    still finds them."""
    admin = desk_of("admin")
    for key in ("hosting.country_db", "hosting.asn_db"):
        value = admin.setting(key)
        assert not Path(value).is_absolute()
        assert (workspace / value).is_file()
    admin.close()
    moved = tmp_path / "moved"
    shutil.move(workspace, moved)

    anna = Desk.open(moved, "anna", PASSWORD)
    try:
        for site in serve():
            s = anna.import_report([f"{site.base}/img/5.jpg"])
            [item] = s.item_ids
            assert anna.item(item).sightings[0].country == "NL"
    finally:
        anna.close()


def test_a_failed_import_ends_as_failed(qtbot: QtBot, desk_of, tmp_path: Path) -> None:
    """Every input refused: the bar ends empty and says so, the summary too, and the URLs stay
    in the box to be corrected (it showed a full bar and 'ok')."""
    (tmp_path / "empty.jpg").write_bytes(b"")
    page = ImportPage(desk_of("anna"))
    qtbot.addWidget(page)
    drop(page, [tmp_path / "empty.jpg"])
    with qtbot.waitSignal(page.imported, timeout=60_000) as blocker:
        page.start_import()
    assert blocker.args[0].outcome == "failed"
    assert page.progress.value() == 0
    assert page.progress.format() == "Failed"
    assert page.status.text().startswith("IMPORT FAILED")
    assert page.files.count() == 1


def test_sign_out_without_quitting_and_quit_asks_while_work_runs(
        qtbot: QtBot, desk_of, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from app.ui import workers

    window = MainWindow(desk_of("anna"))
    qtbot.addWidget(window)
    window.show()
    monkeypatch.setattr(workers.board(), "names", lambda: ["importing"])
    asked = []

    def answer(*args: object) -> QMessageBox.StandardButton:
        asked.append(args[2])
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", answer)
    window.close()
    assert window.isVisible()  # "No": the import goes on
    assert "Still running: importing" in asked[0]
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(window.signed_out):
        window.sign_out()
    assert not window.isVisible()


def test_a_dark_theme_chosen_is_applied_and_remembered(qtbot: QtBot, desk_of) -> None:
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QApplication

    from app.ui import theme

    window = MainWindow(desk_of("anna"))
    qtbot.addWidget(window)
    window._theme("dark")
    app = QApplication.instance()
    assert app.palette().color(QPalette.ColorRole.Window).lightness() < 80
    assert theme.saved() == "dark"
    window._theme("light")
    assert app.palette().color(QPalette.ColorRole.Window).lightness() > 180
    assert theme.saved() == "light"
    window._theme("system")


def test_audit_filters_by_user_action_and_date_with_readable_details(qtbot: QtBot,
                                                                    desk_of) -> None:
    from PySide6.QtCore import QDate

    page = AuditPage(desk_of("admin"))
    qtbot.addWidget(page)
    page.refresh()
    page.by.setCurrentText("anna")
    page.action.setCurrentText("report.import.done")
    rows = [[page.model.data(page.model.index(r, c)) for c in range(7)]
            for r in range(page.model.rowCount())]
    assert rows
    assert {(r[2], r[3]) for r in rows} == {("anna", "report.import.done")}
    assert "items 12, known 3" in rows[0][6]  # words, not JSON
    assert "{" not in rows[0][6]
    page.since.setDate(QDate.currentDate().addDays(1))
    page.until.setDate(QDate.currentDate().addDays(2))
    assert page.model.rowCount() == 0

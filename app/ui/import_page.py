"""New report: paste URLs, drop files, folders or zip archives; the import runs in the
background with a progress bar and a cancel button; the summary appears when it is done."""

import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.desk import Desk
from app.ui.workers import Task, start

SOURCES = ["public", "partner_hotline", "police", "proactive", "other"]


LIVE_SECONDS = 2.0  # how often the queue takes in the items an import has stored so far


class ImportPage(QWidget):
    imported = Signal(object)  # the IntakeSummary
    arrived = Signal()          # some items were stored (at most every LIVE_SECONDS)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._last_arrival = 0.0
        self.desk = desk
        self.task: Task | None = None
        self.setAcceptDrops(True)
        self.urls = QPlainTextEdit()
        self.urls.setPlaceholderText("Paste reported URLs here, one a line")
        self.files = QListWidget()
        self.files.setToolTip("Drop files, folders or zip archives here")
        self.reference = QLineEdit()
        self.reference.setPlaceholderText("e.g. R-2026-0042 (empty: one is made)")
        self.source = QComboBox()
        self.source.addItems(SOURCES)
        self.note = QLineEdit()
        add_files = QPushButton("Add &files...")
        add_files.clicked.connect(self._choose_files)
        add_folder = QPushButton("Add f&older...")
        add_folder.clicked.connect(self._choose_folder)
        clear = QPushButton("Clear")
        clear.clicked.connect(self.files.clear)
        self.start_button = QPushButton("&Import")
        self.start_button.clicked.connect(self.start_import)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout()
        form.addRow("&URLs", self.urls)
        file_buttons = QHBoxLayout()
        for b in (add_files, add_folder, clear):
            file_buttons.addWidget(b)
        form.addRow("Files", self.files)
        form.addRow("", _wrap(file_buttons))
        form.addRow("&Reference", self.reference)
        form.addRow("&Source", self.source)
        form.addRow("N&ote", self.note)
        run = QHBoxLayout()
        run.addWidget(self.start_button)
        run.addWidget(self.cancel_button)
        run.addWidget(self.progress, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>New report</b>"))
        layout.addLayout(form)
        layout.addLayout(run)
        layout.addWidget(self.status)

    def add_paths(self, paths: list[Path]) -> None:
        present = {self.files.item(i).text() for i in range(self.files.count())}
        for p in paths:
            if str(p) not in present:
                self.files.addItem(str(p))
        # a folder or many files: the hashing workers start while the user finishes the form
        Desk.prepare_import([], [Path(self.files.item(i).text())
                                 for i in range(self.files.count())])

    def _choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "Files or zip archives")
        self.add_paths([Path(n) for n in names])

    def _choose_folder(self) -> None:
        name = QFileDialog.getExistingDirectory(self, "A folder")
        if name:
            self.add_paths([Path(name)])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        local, remote = list[QUrl](), list[QUrl]()
        for url in event.mimeData().urls():
            (local if url.isLocalFile() else remote).append(url)
        self.add_paths([Path(u.toLocalFile()) for u in local])
        if remote:
            text = self.urls.toPlainText().strip()
            self.urls.setPlainText("\n".join([text] * bool(text)
                                             + [u.toString() for u in remote]))
        event.acceptProposedAction()

    def start_import(self) -> None:
        urls = [u.strip() for u in self.urls.toPlainText().splitlines() if u.strip()]
        files = [Path(self.files.item(i).text()) for i in range(self.files.count())]
        if not urls and not files:
            self.status.setText("Paste URLs or add files first.")
            return
        reference = self.reference.text().strip() or None
        source, note = self.source.currentText(), self.note.text()
        background = self.desk.session_copy()

        def work(progress: Any, cancel: Any) -> Any:
            try:
                return background.import_report(urls, files, reference, source, note,
                                                progress=progress, cancel=cancel)
            finally:
                background.close()

        self.task = Task(work, "importing")
        self.task.signals.progress.connect(self._progress)
        self.task.signals.finished.connect(self._finished)
        self.task.signals.failed.connect(self._failed)
        self.start_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setRange(0, 0)  # busy: the total is not known while crawling
        self.status.setText("Importing...")
        start(self.task)

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel.cancel()
            self.status.setText("Cancelling: what was stored stays; import again to resume.")

    @Slot(object)
    def _progress(self, p: Any) -> None:
        now = time.monotonic()
        if now - self._last_arrival >= LIVE_SECONDS:
            self._last_arrival = now
            self.arrived.emit()
        if p.total:
            self.progress.setRange(0, p.total)
            self.progress.setValue(p.done)
            self.status.setText(f"Importing: {p.done:,} of {p.total:,} files done")
        else:
            self.status.setText(f"Importing: {p.done:,} inputs done (pages are still being "
                                "read, so the total is not known yet)")

    def _done(self, outcome: str) -> None:
        """The bar ends full only when the import ended well; otherwise it is emptied and
        says how it ended."""
        self.start_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(1 if outcome in ("ok", "partial") else 0)
        self.progress.setFormat({"ok": "Done", "partial": "Done, with errors",
                                 "failed": "Failed", "cancelled": "Cancelled"}[outcome])
        self.task = None

    @Slot(object)
    def _finished(self, s: Any) -> None:
        self._done(s.outcome)
        lines = [("IMPORT FAILED: nothing could be taken in. " if s.outcome == "failed" else "")
                 + f"Report {s.report}: {s.items} new items ({s.known} known, {s.near} near, "
                 f"{s.unknown} unknown), {s.duplicates} duplicates, {s.links} links to pages, "
                 f"{len(s.errors)} errors" + (" - cancelled" if s.cancelled else "")]
        lines += [f"warning: {w}" for w in s.warnings]
        lines += [f"error: {e.input}: {e.message}" for e in s.errors[:20]]
        self.status.setText("\n".join(lines))
        if s.outcome in ("ok", "partial"):
            self.urls.clear()
            self.files.clear()
            self.reference.clear()
        self.imported.emit(s)

    @Slot(str)
    def _failed(self, message: str) -> None:
        self._done("failed")
        self.status.setText(f"The import stopped: {message}")


def _wrap(layout: QHBoxLayout) -> QWidget:
    widget = QWidget()
    widget.setLayout(layout)
    layout.setContentsMargins(0, 0, 0, 0)
    return widget

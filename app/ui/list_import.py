"""Importing a hash list from the Lists screen: the file and how to read it, then the import
in a worker on its own Desk connection, with progress and cancel."""

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QWidget,
)

from app.desk import Desk
from app.ui.forms import PathField, ok_cancel
from app.ui.workers import Task, start


class ListImportDialog(QDialog):
    """Which file, under which name, with which scope and trust; how to read it."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import a hash list")
        self.path = PathField("Hash list", filter_="Hash lists (*.csv *.txt *.json *.hlist);;"
                                                   "All (*)")
        self.path.chosen.connect(self._chosen)
        self.name = QLineEdit()
        self.scope = QComboBox()
        self.scope.addItems(list(desk.LIST_SCOPES))
        self.trust = QComboBox()
        self.trust.addItems(list(desk.LIST_TRUSTS))
        self.format = QComboBox()
        self.format.addItems(["detect", *desk.LIST_FORMATS])
        self.kind = QComboBox()
        self.kind.addItems(["as the file says", *desk.HASH_KINDS])
        self.kind.setToolTip("Bare 64-character hashes may be SHA-256 or PDQ: say which")
        self.column = QLineEdit()
        self.column.setPlaceholderText("only for a CSV whose hash column's name does not say")
        self.categories = QComboBox()
        self.categories.addItems(["(none)", *desk.CATEGORY_PRESETS])
        self.passphrase = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText("only for a list file sealed with a passphrase")
        self.source = QLineEdit()
        form = QFormLayout(self)
        form.addRow("&File", self.path)
        form.addRow("&Name", self.name)
        form.addRow("&Scope", self.scope)
        form.addRow("&Trust", self.trust)
        form.addRow("F&ormat", self.format)
        form.addRow("Hash &kind", self.kind)
        form.addRow("Hash co&lumn", self.column)
        form.addRow("VICS &categories", self.categories)
        form.addRow("&Passphrase", self.passphrase)
        form.addRow("Sou&rce", self.source)
        ok_cancel(self, form)

    def _chosen(self, path: str) -> None:
        if not self.name.text():
            self.name.setText(Path(path).stem)

    def arguments(self) -> dict[str, Any]:
        """The Desk's import_list arguments."""
        fmt = self.format.currentText()
        categories = self.categories.currentText()
        return {"path": Path(self.path.text().strip()), "name": self.name.text(),
                "scope": self.scope.currentText(), "trust": self.trust.currentText(),
                "fmt": None if fmt == "detect" else fmt,
                "categories": None if categories == "(none)" else categories,
                "source": self.source.text().strip(),
                "passphrase": self.passphrase.text() or None,
                "kind": None if self.kind.currentIndex() == 0 else self.kind.currentText(),
                "column": self.column.text().strip() or None}


class ListImporter(QWidget):
    """A progress bar and Cancel under the lists while an import runs."""

    finished = Signal(object)  # ListImport
    failed = Signal(str)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.task: Task | None = None
        self.bar = QProgressBar()
        self.label = QLabel()
        self.cancel_button = QPushButton("Cancel import")
        self.cancel_button.clicked.connect(self.cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar, 1)
        layout.addWidget(self.cancel_button)
        self.hide()

    def run(self, arguments: dict[str, Any]) -> None:
        background = self.desk.session_copy()

        def work(progress: Any, cancel: Any) -> Any:
            try:
                return background.import_list(**arguments, progress=progress, cancel=cancel)
            finally:
                background.close()

        self.task = Task(work, "importing a hash list")
        self.task.signals.progress.connect(self._progress)
        self.task.signals.finished.connect(self._finished)
        self.task.signals.failed.connect(self._failed)
        self.bar.setRange(0, 0)
        self.label.setText(f"Importing {arguments['path'].name}...")
        self.show()
        start(self.task)

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel.cancel()
            self.label.setText("Cancelling...")

    @Slot(object)
    def _progress(self, p: Any) -> None:
        if p.total:
            self.bar.setRange(0, p.total)
            self.bar.setValue(p.done)
        self.label.setText(f"{p.stage}: {p.done:,} entries")

    @Slot(object)
    def _finished(self, result: Any) -> None:
        self.task = None
        self.hide()
        self.finished.emit(result)

    @Slot(str)
    def _failed(self, message: str) -> None:
        self.task = None
        self.hide()
        self.failed.emit(message)

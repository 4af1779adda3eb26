"""Pieces the dialogs share: OK/Cancel buttons, and a path typed or chosen with Browse."""

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

Buttons = QDialogButtonBox.StandardButton


def ok_cancel(dialog: QDialog, form: QFormLayout, on_ok: Callable[[], None] | None = None,
              extra: Buttons = Buttons.NoButton) -> QDialogButtonBox:
    """OK and Cancel (and `extra`) as the form's last row; OK accepts unless `on_ok` decides."""
    buttons = QDialogButtonBox(Buttons.Ok | Buttons.Cancel | extra)
    buttons.accepted.connect(on_ok or dialog.accept)
    buttons.rejected.connect(dialog.reject)
    form.addRow(buttons)
    return buttons


class PathField(QWidget):
    """A file (or folder) path: typed, or chosen with Browse."""

    chosen = Signal(str)  # a path picked with Browse

    def __init__(self, title: str, text: str = "", folder: bool = False,
                 filter_: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title, self._folder, self._filter = title, folder, filter_
        self.edit = QLineEdit(text)
        browse = QPushButton("&Browse...")
        browse.clicked.connect(self._browse)
        line = QHBoxLayout(self)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.edit, 1)
        line.addWidget(browse)

    def text(self) -> str:
        return self.edit.text()

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's spelling, as QLineEdit)
        self.edit.setText(text)

    def _browse(self) -> None:
        if self._folder:
            path = QFileDialog.getExistingDirectory(self, self._title, self.text())
        else:
            path, _ = QFileDialog.getOpenFileName(self, self._title, self.text(), self._filter)
        if path:
            self.setText(path)
            self.chosen.emit(path)

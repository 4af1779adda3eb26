"""A near match side by side with what it matched: both blurred; hold 1 to look at this item,
2 at the other (one at a time: pressing one key ends the other's reveal). Each opening and each
reveal is audited against the item it shows. A hash list holds no pictures: a list hit shows
its list, kind of hash and distance instead."""


from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QGridLayout, QLabel, QMessageBox, QWidget

from app.desk import Desk
from app.desk.review import MatchView
from app.errors import HotlineError
from app.ui.picture_loader import load_picture
from app.ui.reveal import RevealKeys
from app.ui.viewer import ContentViewer
from app.ui.workers import Task

KEYS = (Qt.Key.Key_1, Qt.Key.Key_2)


class CompareDialog(QDialog):
    def __init__(self, desk: Desk, item_id: int, match: MatchView, blur: int,
                 grey: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.setWindowTitle(f"Item {item_id} beside what it matched")
        self.resize(1100, 640)
        layout = QGridLayout(self)
        self.viewers: list[ContentViewer] = []
        self._loading: list[Task] = []
        self._closed = False  # a picture decoded after the dialog closed is dropped
        self._keys: list[RevealKeys] = []
        other = match.other_item
        sides = [(item_id, f"Item {item_id} (hold 1 to look)")]
        if other is not None:
            sides.append((int(other), f"Workspace item {other}, {match.how} (hold 2 to look)"))
        for column, (shown, caption) in enumerate(sides):
            viewer = ContentViewer(blur, grey, how_to_look=f"Hold {column + 1} to look.")
            viewer.revealed.connect(self._revealed)
            layout.addWidget(QLabel(caption), 0, column)
            layout.addWidget(viewer, 1, column)
            self.viewers.append(viewer)
            self._keys.append(RevealKeys(self, viewer, KEYS[column]))
            self._load(viewer, shown)
        if other is None:
            layout.addWidget(QLabel(
                f"<b>{match.list_name}</b><br>{match.how}<br>category "
                f"{match.category or '-'}<br><br>A hash list holds hashes, not "
                "pictures: there is nothing to show beside this item."), 1, 1,
                Qt.AlignmentFlag.AlignTop)
        layout.setRowStretch(1, 1)

    def _load(self, viewer: ContentViewer, item_id: int) -> None:
        self._loading.append(load_picture(self.desk, viewer, item_id, lambda: not self._closed))

    def _revealed(self, item_id: int, seconds: float) -> None:
        try:
            self.desk.record_reveal(item_id, seconds)
        except HotlineError as exc:  # the look happened: say it could not be recorded
            QMessageBox.warning(self, "Hotline Triage", str(exc))

    def done(self, result: int) -> None:
        self._closed = True
        for viewer in self.viewers:
            viewer.conceal()
        super().done(result)

"""The queue: the items waiting for this user, one viewer, one key per verdict.

B baseline, N national, X not illegal, J/Down next, K/Up previous, hold Space to reveal,
G greyscale, E optional fields, C confirm a machine verdict, Ctrl+Z undo the last verdict,
+/- zoom, F fit; for videos Left/Right step through the keyframes, P plays, M turns sound on
(playback is muted by default)."""

import html
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QObject,
    QSize,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.desk import Capability, Desk
from app.errors import HotlineError
from app.ui.item_details import details_html
from app.ui.models import QueueModel
from app.ui.picture_loader import load_picture
from app.ui.queue_actions import QueueActions
from app.ui.queue_keys import bindings
from app.ui.queue_loading import FIRST_ROWS, QueueQuery, RestLoader
from app.ui.recent_verdicts import RecentVerdicts
from app.ui.reveal import RevealKeys
from app.ui.video_strip import KeyframeStrip, clock
from app.ui.viewer import ContentViewer
from app.ui.workers import Task

SETTLED = "settled"


class _TableSide(QWidget):
    """The queue's side of the splitter: wide enough for item, status, match, host, size and
    report unscrolled (the other columns scroll)."""

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(660, super().sizeHint().height())


class QueuePage(QueueActions, QWidget):
    changed = Signal()          # a verdict or confirmation changed the workspace
    exposure = Signal(object)   # the Desk's Exposure after a reveal

    def __init__(self, desk: Desk, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.pending_fields: dict[str, Any] = {}
        self._query_error = ""
        self._last_assessed: int | None = None
        self._shown_item: int | None = None
        self._loading: Task | None = None  # the picture on its way to the viewer
        self._open_anyway: int | None = None  # a known item the user asked to open (O)
        self._live = False
        self._soon = QTimer(self, singleShot=True, interval=300)  # changes heard elsewhere
        self._soon.timeout.connect(self.refresh_live)
        self.status_filter = QComboBox()
        self.status_filter.addItems(["all", "unknown", "near", "known"])
        if desk.may(Capability.SUPERVISE):
            self.status_filter.addItem(SETTLED)  # the team's settled items, to review
        self.find_box = QLineEdit()
        self.find_box.setPlaceholderText("find: item, hash, URL or report")
        self.find_box.setClearButtonEnabled(True)
        self.find_box.returnPressed.connect(self._find)
        self.report_filter = QLineEdit()
        self.report_filter.setPlaceholderText("report reference")
        self.list_filter = QComboBox()
        self.list_filter.addItem("any list")
        self.list_filter.addItems([i.name for i in desk.lists()])
        self.status_filter.currentIndexChanged.connect(lambda _: self._filters_changed())
        self.list_filter.currentIndexChanged.connect(lambda _: self._filters_changed())
        self.report_filter.returnPressed.connect(self._filters_changed)
        self._first_rows = FIRST_ROWS
        self._rest = RestLoader(desk)
        self._rest.arrived.connect(self._rest_arrived)
        self._rest.failed.connect(self._rest_failed)
        self.model = QueueModel(self._ids, desk.queue_row)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Shift/Ctrl select several for one verdict (where the rules allow it for each)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _: self._show(cur.row()))
        settings = {s.key: s.value for s in desk.settings()}
        self.viewer = ContentViewer(settings["viewer.blur_radius"], settings["viewer.greyscale"])
        self.viewer.revealed.connect(self._revealed)
        self.strip = KeyframeStrip(settings["viewer.blur_radius"], settings["viewer.greyscale"])
        self.strip.picked.connect(self._keyframe)
        self.strip.frame.connect(lambda still: self.viewer.show_frame(
            still.image, f"Playing {clock(still.seconds)}"
            + ("" if self.strip.output.playing else ", muted")))
        self.strip.failed.connect(self.viewer.show_message)
        self.strip.listened.connect(self._listened)
        self.strip.hide()
        self.details = QTextBrowser()
        self.details.setMaximumHeight(200)
        self.fields_label = QLabel()  # optional fields waiting for this item's verdict
        self.fields_label.setWordWrap(True)
        self.fields_label.hide()
        self.heading = QLabel(f"<b>{title}</b>")
        self.left_label = QLabel()       # "n of m left"
        self.last_verdict = QLabel()     # "Item 7: baseline - Ctrl+Z to undo"
        self._most = 0                   # the most items waiting since the filters changed
        self.buttons: dict[str, QPushButton] = {}
        row = QGridLayout()  # two rows of buttons: the viewer side stays narrow enough
        for key, label, slot in (("B", "&Baseline (B)", lambda: self.assess("baseline")),
                                 ("N", "&National (N)", lambda: self.assess("national")),
                                 ("X", "Not illegal (&X)", lambda: self.assess("not_illegal")),
                                 ("C", "&Confirm machine verdict (C)", self.confirm),
                                 ("E", "Fi&elds (E)", self.edit_fields)):
            button = QPushButton(label)
            button.clicked.connect(slot)
            row.addWidget(button, *divmod(len(self.buttons), 4))
            self.buttons[key] = button
        # Space (wherever the focus is in the window) and this button reveal; the hold is
        # one state machine, whatever widget has the focus.
        self.reveal_keys = RevealKeys(self, self.viewer)
        self.reveal_button = QPushButton("Reveal (hold Space)")
        self.reveal_button.pressed.connect(self.reveal_keys.button_pressed)
        self.reveal_button.released.connect(self.reveal_keys.button_released)
        self.grey_button = QPushButton("&Greyscale (G)")
        self.grey_button.setCheckable(True)
        self.grey_button.setChecked(self.viewer.greyscale)
        self.grey_button.toggled.connect(self.viewer.set_greyscale)
        self.grey_button.toggled.connect(self.strip.set_greyscale)
        row.addWidget(self.reveal_button, 1, 1, 1, 2)
        row.addWidget(self.grey_button, 1, 3)
        for button in (*self.buttons.values(), self.reveal_button, self.grey_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys stay with the queue
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.viewer, 1)
        right_layout.addWidget(self.strip)
        right_layout.addLayout(row)
        right_layout.addWidget(self.fields_label)
        right_layout.addWidget(self.details)
        splitter = self.splitter = QSplitter()
        self.recent = RecentVerdicts(desk)
        self.recent.undo_requested.connect(self.undo_item)
        left = _TableSide()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.recent)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 0)  # the table keeps room for its deciding columns,
        splitter.setStretchFactor(1, 1)  # the viewer takes what the window gains
        for column, width in enumerate((48, 64, 320, 44, 60, 90, 70, 110, 90)):
            self.table.setColumnWidth(column, width)
        filters = QHBoxLayout()
        filters.addWidget(self.heading)
        filters.addWidget(self.left_label)
        filters.addWidget(self.last_verdict)
        filters.addStretch()
        for label, widget in (("Status", self.status_filter), ("Report", self.report_filter),
                              ("List", self.list_filter), ("Find", self.find_box)):
            filters.addWidget(QLabel(label))
            filters.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        # One key per action, handled here rather than as window shortcuts, so that they work
        # wherever the focus is inside the page (the table, the viewer, a button).
        self.keys = bindings(self)  # the one key map; the menus list the same
        watched: tuple[QWidget, ...] = (
            self.table, self.viewer, *self.buttons.values(), self.reveal_button,
            self.grey_button, self.strip.list, self.strip.play_button, self.strip.sound_button)
        for one in watched:
            one.installEventFilter(self)

    # ------------------------------------------------------------ the list

    def _query(self) -> QueueQuery:
        status = self.status_filter.currentText()
        return QueueQuery(
            find=self.find_box.text().strip(), settled=status == SETTLED,
            report=self.report_filter.text().strip() or None,
            status=None if status in ("all", SETTLED) else status,
            list_name=None if self.list_filter.currentIndex() == 0
            else self.list_filter.currentText())

    def _ids(self) -> list[int]:
        """The first screens of the queue, down past the current row; the rest follows
        (queue_loading)."""
        query = self._query()
        try:
            ids, more = query.ids(self.desk, self._first_rows)
        except HotlineError as exc:
            self._query_error = str(exc)
            return []
        if more:
            self._rest.load(query)
        return ids

    @Slot(object)
    def _rest_arrived(self, ids: list[int]) -> None:
        shown = self._shown_item
        self._live = True
        try:
            if not self.model.grow(ids) and shown is not None:
                row = self.model.row_of(shown)
                if row is not None:
                    self.select(row)
        finally:
            self._live = False
        self._count_left()

    @Slot(str)
    def _rest_failed(self, message: str) -> None:
        self.left_label.setText(f"only the first {self.model.rowCount():,} listed: {message}")

    def _filters_changed(self) -> None:
        self._most = 0
        self.refresh()

    def _find(self) -> None:
        """Search results replace the queue until the box is cleared (Enter on it empty)."""
        self._filters_changed()
        if self.model.rowCount():
            self.table.setFocus()
        elif self.find_box.text().strip():
            self.viewer.show_message(f"Nothing found for {self.find_box.text().strip()!r}.")

    def _count_left(self) -> None:
        left = self.model.rowCount()
        self._most = max(self._most, left)
        self.left_label.setText(f"{left:,} of {self._most:,} left" if self._most else "")

    def refresh(self, keep_row: int | None = None) -> None:
        """Query again and stay at the same row (after a verdict: the next item)."""
        current = self.table.currentIndex().row() if keep_row is None else keep_row
        self._reload(lambda: current)

    @Slot()
    def heard_of_changes(self) -> None:
        """Another workstation added, assessed or opened items: refresh soon (one refresh for
        a burst), the item on screen staying where it is."""
        if not self._soon.isActive():
            self._soon.start()

    def refresh_live(self) -> None:
        """Items arrived while the user works (an import running): the list grows, the item on
        screen stays where it is in the list."""
        shown = self._shown_item
        self._reload(lambda: self.model.row_of(shown) if shown is not None else 0)

    def _reload(self, row_after: Any) -> None:
        """Refresh the model; an item that stays on screen is not opened again (no second
        `item.open`, no re-blur, its keyframes kept), only its details are brought up to date.
        """
        shown = self._shown_item
        self._query_error = ""
        self._live = True
        self._rest.drop()
        self._first_rows = FIRST_ROWS + max(self.table.currentIndex().row(), 0)
        try:
            self.model.refresh()
            row = row_after()
            if self.model.rowCount():
                row = min(max(row if row is not None else 0, 0), self.model.rowCount() - 1)
                self.select(row)
        finally:
            self._live = False
        self._count_left()
        if not self.model.rowCount():
            self._shown_item = None
            self.strip.clear()
            self.strip.hide()
            self.viewer.show_message(self._query_error or "Nothing waiting for you. Well done.")
            self.details.setHtml("")
        elif self.model.item_id(row) != shown:
            self._show(row)
        elif shown is not None:
            self._update_details(shown)

    def _update_details(self, item_id: int) -> None:
        try:
            self.details.setHtml(details_html(self.desk.item(item_id)))
        except HotlineError as exc:
            self.details.setPlainText(str(exc))

    def select(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)

    def current_item(self) -> int | None:
        return self.model.item_id(self.table.currentIndex().row())

    def next(self) -> None:
        self.select(min(self.table.currentIndex().row() + 1, self.model.rowCount() - 1))

    def previous(self) -> None:
        self.select(max(self.table.currentIndex().row() - 1, 0))

    def _show(self, row: int) -> None:
        if self._live:
            return
        self.blur()  # moving on always blurs
        self.strip.clear()
        self.strip.hide()
        item_id = self.model.item_id(row)
        if item_id != self._shown_item:
            self.set_pending_fields({})  # fields belong to the item they were entered for
        self._shown_item = item_id
        if item_id is None:
            return
        try:
            view = self.desk.item(item_id)
            holder = self.desk.claim(item_id)  # others' queues leave it out while it is open
            self.details.setHtml(details_html(view) + (
                f"<p><b>{html.escape(holder)} has this item open too.</b></p>" if holder
                else ""))
            if not view.content_available:
                self.viewer.show_message("The content was purged; the hashes remain.")
            elif view.state == "machine" and self._open_anyway != item_id:
                # known material is not shown unless asked: every opening is exposure
                self.viewer.show_message(
                    f"Known: an exact hit on {view.machine_list} ({view.machine_verdict}).\n"
                    "C confirms it from its details, Shift+C every machine match of its report;"
                    "\nO opens it (counted as a look).")
            elif view.kind == "video":
                self.viewer.show_message("Decoding the keyframes...")
                self.strip.show()
                self.strip.load(self.desk.open_video(item_id))
            elif view.kind != "image":
                self.viewer.show_message(f"A {view.mime} file: no preview; assess it from its "
                                         "metadata.")
            else:
                self._loading = load_picture(self.desk, self.viewer, item_id,
                                             lambda: self._shown_item == item_id)
        except HotlineError as exc:
            self.viewer.show_message(str(exc))

    def _keyframe(self, still: Any) -> None:
        item_id = self.current_item()
        if item_id is not None:
            n = len(self.strip.stills)
            at = next((i + 1 for i, s in enumerate(self.strip.stills) if s is still), n)
            self.viewer.set_image(item_id, still.image,
                                  f"Keyframe {at} of {n}+ at {clock(still.seconds)}"
                                  if self.strip.is_loading else
                                  f"Keyframe {at} of {n} at {clock(still.seconds)}")

    def toggle_grey(self) -> None:
        self.grey_button.toggle()

    def _revealed(self, item_id: int, seconds: float) -> None:
        try:
            self.exposure.emit(self.desk.record_reveal(item_id, seconds))
        except HotlineError as exc:
            QMessageBox.warning(self, "Hotline Triage", str(exc))

    def _listened(self, seconds: float) -> None:
        if self._shown_item is not None:
            try:
                self.desk.record_listen(self._shown_item, seconds)
            except HotlineError as exc:
                QMessageBox.warning(self, "Hotline Triage", str(exc))

    def _key(self, event: QKeyEvent) -> bool:
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        for binding in self.keys:
            if binding.matches(event.key(), modifiers):
                binding.slot()
                return True
        return False

    def hide_content(self) -> None:
        """The window is locked: the picture and the item's details leave the screen (the
        queue comes back with a refresh)."""
        self._shown_item = None
        self.viewer.show_message("")
        self.details.clear()

    def blur(self, key_still_down: bool = True) -> None:
        """End any reveal now (moving on, a verdict, another screen, the lock)."""
        self.reveal_keys.blur(key_still_down)
        self.viewer.conceal()  # also a reveal made without the keys (a test, a script)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """The page's one-key actions, wherever the focus is in the page (Space is the
        window's: `RevealKeys`)."""
        if event.type() == QEvent.Type.KeyPress:
            key_event: QKeyEvent = event  # type: ignore[assignment]
            if key_event.key() != Qt.Key.Key_Space:
                return self._key(key_event)
        return super().eventFilter(watched, event)

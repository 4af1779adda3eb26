"""What the queue does with the item on screen (or the items selected): verdicts, one or many,
confirmations (one item, or every machine match of a report, none opened), taking verdicts
back, optional fields. A mixin of QueuePage, which holds the widgets it uses."""

from typing import Any

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QInputDialog, QLabel, QMessageBox, QTableView, QWidget

from app.desk import Desk
from app.errors import HotlineError
from app.ui.compare_dialog import CompareDialog
from app.ui.fields_dialog import FieldsDialog
from app.ui.models import QueueModel
from app.ui.recent_verdicts import RecentVerdicts
from app.ui.viewer import ContentViewer


class QueueActions:
    """What it needs from the page, declared here so that a type checker holds both to it."""

    desk: Desk
    model: QueueModel
    table: QTableView
    viewer: ContentViewer
    recent: RecentVerdicts
    last_verdict: QLabel
    fields_label: QLabel
    pending_fields: dict[str, Any]
    _last_assessed: int | None
    _open_anyway: int | None
    _shown_item: int | None
    changed: SignalInstance

    def refresh(self, keep_row: int | None = None) -> None:
        raise NotImplementedError

    def blur(self, key_still_down: bool = True) -> None:
        raise NotImplementedError

    def current_item(self) -> int | None:
        raise NotImplementedError

    def select(self, row: int) -> None:
        raise NotImplementedError

    def _show(self, row: int) -> None:
        raise NotImplementedError

    def _widget(self) -> QWidget:
        """The page itself, as the parent of the dialogs it opens."""
        assert isinstance(self, QWidget)
        return self

    def _act(self, work: Any) -> bool:
        try:
            work()
        except HotlineError as exc:
            QMessageBox.warning(self._widget(), "Hotline Triage", str(exc))
            return False
        self.changed.emit()
        return True

    def selected_items(self) -> list[int]:
        rows = sorted(i.row() for i in self.table.selectionModel().selectedRows())
        return [i for i in (self.model.item_id(r) for r in rows) if i is not None]

    def assess(self, verdict: str) -> None:
        item_id = self.current_item()
        if item_id is None:
            return
        self.blur()
        row = self.table.currentIndex().row()
        several = self.selected_items()
        if len(several) > 1:
            self._assess_many(several, verdict, row)
            return
        if self._act(lambda: self.desk.assess(item_id, verdict, **self.pending_fields)):
            self._last_assessed = item_id
            self.last_verdict.setText(f"Item {item_id}: {verdict.replace('_', ' ')} "
                                      "\u2014 Ctrl+Z to undo")
            self.set_pending_fields({})
            self.refresh(keep_row=row)
            self.recent.refresh()

    def _assess_many(self, item_ids: list[int], verdict: str, row: int) -> None:
        """One verdict for several selected items, each under the rules (a round you may not
        give is skipped with why); optional fields are for one item, so none go with it."""
        given, skipped = [], []
        for item_id in item_ids:
            try:
                self.desk.assess(item_id, verdict)
                given.append(item_id)
            except HotlineError as exc:
                skipped.append(f"item {item_id}: {exc}")
        self.set_pending_fields({})
        if given:
            self._last_assessed = given[-1]
            self.changed.emit()
        self.last_verdict.setText(f"{len(given)} items: {verdict.replace('_', ' ')}"
                                  + (f", {len(skipped)} skipped" if skipped else ""))
        if skipped:
            QMessageBox.information(self._widget(), "Hotline Triage", "Not given:\n" + "\n".join(
                skipped[:20]))
        self.refresh(keep_row=min(row, max(0, self.model.rowCount() - 1)))
        self.recent.refresh()

    def confirm_report(self) -> None:
        """Confirm every machine match of the current item's report, from metadata alone:
        none of them is opened."""
        row = self.model.row(self.table.currentIndex().row()) if self.model.rowCount() else None
        if row is None:
            return
        report = row.report
        result: list[Any] = []
        if self._act(lambda: result.append(self.desk.confirm(report=report))):
            done = result[0]
            self.last_verdict.setText(f"Report {report}: {len(done.confirmed)} machine "
                                      "verdicts confirmed")
            self.refresh()

    def open_known(self) -> None:
        """Open a known item's content on purpose (it is exposure, so only when asked)."""
        item_id = self.current_item()
        if item_id is not None:
            self._open_anyway = item_id
            self._shown_item = None
            self._show(self.table.currentIndex().row())

    def confirm(self) -> None:
        item_id = self.current_item()
        if item_id is not None:
            row = self.table.currentIndex().row()
            if self._act(lambda: self._confirm_one(item_id)):
                self.refresh(keep_row=row)

    def _confirm_one(self, item_id: int) -> None:
        result = self.desk.confirm([item_id])
        if result.skipped:
            raise HotlineError(result.skipped[0][1])

    def undo(self) -> None:
        if self._last_assessed is not None:
            self.undo_item(self._last_assessed)

    def undo_item(self, item_id: int) -> None:
        if self._act(lambda: self.desk.undo_assessment(item_id)):
            if self._last_assessed == item_id:
                self._last_assessed = None
            self.last_verdict.setText(f"Item {item_id}: verdict taken back")
            self.recent.refresh()
            self.refresh()
            row = self.model.row_of(item_id)
            if row is not None:
                self.select(row)

    def edit_fields(self) -> None:
        scale = [c.strip() for c in str(self.desk.setting("review.national_scale")).split(",")
                 if c.strip()]
        dialog = FieldsDialog(scale, self._widget())
        if dialog.exec():
            self.set_pending_fields({k: v for k, v in dialog.values().items() if v})

    def set_pending_fields(self, fields: dict[str, Any]) -> None:
        """Fields for the next verdict on the item on screen, shown so none is given unseen."""
        self.pending_fields = fields
        self.fields_label.setText("<b>With the next verdict:</b> " + ", ".join(
            f"{k.replace('_', ' ')} {v}" for k, v in fields.items()) if fields else "")
        self.fields_label.setVisible(bool(fields))

    def compare(self) -> None:
        """A near match side by side with what it matched (V)."""
        item_id = self.current_item()
        if item_id is None:
            return
        try:
            view = self.desk.item(item_id)
        except HotlineError as exc:
            QMessageBox.warning(self._widget(), "Hotline Triage", str(exc))
            return
        near = [m for m in view.matches if m.near]
        if not near:
            QMessageBox.information(self._widget(), "Hotline Triage",
                                    f"Item {item_id} has no near match to compare.")
            return
        self.blur()
        dialog = CompareDialog(self.desk, item_id, near[0], self.viewer.blur_strength,
                               self.viewer.greyscale, self._widget())
        dialog.exec()

    def reopen(self) -> None:
        """A supervisor reopens a settled item (error correction), saying why (R)."""
        item_id = self.current_item()
        if item_id is None:
            return
        reason, ok = QInputDialog.getText(self._widget(), "Reopen",
                                          f"Why is item {item_id} reopened? (audited)")
        if ok and self._act(lambda: self.desk.reopen(item_id, reason)):
            self.last_verdict.setText(f"Item {item_id}: reopened")
            self.refresh()

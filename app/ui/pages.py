"""The smaller screens: reports, hash lists, audit log."""

from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.desk import Capability, Desk
from app.errors import HotlineError
from app.ui import workers
from app.ui.list_import import ListImportDialog, ListImporter
from app.ui.models import RowsModel


def table_for(model: RowsModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    return view


class TablePage(QWidget):
    def __init__(self, title: str, model: RowsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.view = table_for(model)
        self.bar = QHBoxLayout()
        self.message = QLabel("")
        self.box = QVBoxLayout(self)  # pages add what they show below the table here
        self.box.addWidget(QLabel(f"<b>{title}</b>"))
        self.box.addLayout(self.bar)
        self.box.addWidget(self.view, 1)
        self.box.addWidget(self.message)

    def refresh(self) -> None:
        """Query again; the selected row stays selected."""
        rows = self.view.selectionModel().selectedRows()
        try:
            self.model.refresh()
        except HotlineError as exc:
            self.message.setText(str(exc))
        if rows and rows[0].row() < self.model.rowCount():
            self.view.selectRow(rows[0].row())

    def button(self, text: str, slot: Any) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(slot)
        self.bar.addWidget(button)
        return button

    def selected(self) -> Any:
        rows = self.view.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None


class ReportsPage(TablePage):
    opened = Signal(str)  # a report's reference: show its items in the queue

    def __init__(self, desk: Desk) -> None:
        super().__init__("Reports", RowsModel(
            ["Reference", "Source", "Received (UTC)", "Note", "By"], desk.reports,
            lambda r: [r.reference, r.source, r.received[:19], r.note, r.created_by]))
        if desk.may(Capability.REVIEW):
            self.button("&Show its items (Enter)", self.open_selected)
            self.view.activated.connect(lambda _: self.open_selected())
        self.bar.addStretch()

    def open_selected(self) -> None:
        report = self.selected()
        if report is not None:
            self.opened.emit(report.reference)


class ListsPage(TablePage):
    def __init__(self, desk: Desk) -> None:
        super().__init__("Hash lists", RowsModel(
            ["List", "Scope", "Trust", "Enabled", "Entries", "Hashes", "Imported", "By",
             "Held (flood)"],
            desk.lists,
            lambda i: [i.name, i.scope, i.trust, "on" if i.enabled else "off",
                       f"{i.entries:,}", ", ".join(f"{k} {v:,}" for k, v in i.counts.items()
                                                   if k != "entries" and v),
                       i.imported[:10], i.imported_by, i.held_text]))
        self.desk = desk
        self.button("Enable / disable", self.toggle)
        if desk.may(Capability.KEEP_LISTS):
            self.button("&Import...", self.import_list)
            self.button("Re&lease...", self.release)
            self.button("&Remove...", self.remove)
        self.bar.addStretch()
        self.importer = ListImporter(desk)
        self.importer.finished.connect(self._imported)
        self.importer.failed.connect(lambda m: self._report(f"The import failed: {m}"))
        self.box.addWidget(self.importer)

    def _report(self, text: str) -> None:
        self.message.setText(text)
        self.refresh()

    def toggle(self) -> None:
        info = self.selected()
        if info is None:
            return
        try:
            self.desk.set_list_enabled(info.name, not info.enabled)
        except HotlineError as exc:
            QMessageBox.warning(self, "Hotline Triage", str(exc))
        self.refresh()

    def release(self) -> None:
        """Lift a flood's hold, after a look at what the list hit (audited, with why)."""
        info = self.selected()
        if info is None or not info.held:
            self.message.setText("Select a held list (the Held column) to release it.")
            return
        reason, ok = QInputDialog.getText(
            self, "Release a held list", f"{info.name}: {info.held_text} held after a flood. "
            "Why is it safe to count its hits again?")
        if not ok:
            return
        try:
            released = self.desk.release_list(info.name, reason)
        except HotlineError as exc:
            QMessageBox.warning(self, "Hotline Triage", str(exc))
            return
        self._report(f"Released {info.name} ({released} hold{'' if released == 1 else 's'}); "
                     "its hits give machine verdicts again.")

    def import_list(self) -> None:
        dialog = ListImportDialog(self.desk, self)
        if dialog.exec():
            self.importer.run(dialog.arguments())

    def _imported(self, result: Any) -> None:
        problems = "".join(f"\nline {line}: {why}" for line, why in result.problems[:5])
        self._report(f"{result.list.name}: {result.list.entries:,} entries ({result.read:,} "
                     f"read, {result.skipped:,} skipped, {result.duplicates:,} duplicates)"
                     + (f", signed by {result.signed_by}" if result.signed_by else "")
                     + problems)

    def remove(self) -> None:
        info = self.selected()
        if info is None:
            return
        reason, ok = QInputDialog.getText(self, "Remove the list",
                                          f"Why is {info.name} removed? (kept in the audit log)")
        if not ok:
            return
        try:
            self.desk.remove_list(info.name, reason)
        except HotlineError as exc:
            QMessageBox.warning(self, "Hotline Triage", str(exc))
        else:
            self.message.setText(f"{info.name} was removed.")
        self.refresh()


def readable(detail: dict[str, Any]) -> str:
    """An entry's detail as words, not JSON: `round 1, verdict national, state round2`."""
    def value(v: Any) -> str:
        if isinstance(v, bool):
            return "yes" if v else "no"
        if isinstance(v, list):
            return ", ".join(value(x) for x in v) if v else "none"
        if isinstance(v, dict):
            return "; ".join(f"{k} {value(x)}" for k, x in v.items())
        return str(v)
    return ", ".join(f"{k.replace('_', ' ')} {value(v)}" for k, v in detail.items())


ANY = "any"


class AuditPage(TablePage):
    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Target (item number, list, user name)")
        self.by = QComboBox()
        self.action = QComboBox()
        self.since = QDateEdit()
        self.until = QDateEdit()
        today = QDate.currentDate()
        for edit, day in ((self.since, today.addDays(-30)), (self.until, today)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(day)
        super().__init__("Audit log", RowsModel(
            ["#", "Time (UTC)", "User", "Action", "Target", "Outcome", "Detail"], self._query,
            lambda e: [e.seq, e.at[:19], e.user, e.action, e.target, e.outcome,
                       readable(e.detail)]))
        self.filter.returnPressed.connect(self.refresh)
        for label, widget in (("By", self.by), ("Action", self.action), ("From", self.since),
                              ("To", self.until)):
            self.bar.addWidget(QLabel(label))
            self.bar.addWidget(widget)
        self.bar.addWidget(self.filter, 1)
        self._choices()
        for combo in (self.by, self.action):
            combo.currentIndexChanged.connect(lambda _: self.refresh())
        for edit in (self.since, self.until):
            edit.dateChanged.connect(lambda _: self.refresh())
        self.button("Ve&rify the chain", self.verify)

    def _choices(self) -> None:
        """Users and actions to filter by (analysts see only their own entries anyway)."""
        for combo, values in ((self.by, [u.name for u in self.desk.list_users()]),
                              (self.action, self.desk.audit_actions())):
            chosen = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItems([ANY, *values])
            combo.setCurrentText(chosen if chosen in values else ANY)
            combo.blockSignals(False)

    def _query(self) -> list[Any]:
        target = self.filter.text().strip() or None
        by, action = self.by.currentText(), self.action.currentText()
        return self.desk.audit_entries(
            target=target, user=None if by == ANY else by,
            action=None if action == ANY else action, limit=1000,
            since=self.since.date().toString("yyyy-MM-dd"),
            until=self.until.date().addDays(1).toString("yyyy-MM-dd"))

    def verify(self) -> None:
        """In the background: a full first check of a long log takes minutes."""
        self.message.setText("Verifying the audit log...")
        self.task = workers.desk_op(
            self.desk, "verifying the audit log",
            lambda desk: (desk.verify_audit(), desk.audit_anchor()), self._verified,
            lambda message: self.message.setText(f"Could not verify: {message}"))

    def _verified(self, result: tuple[Any, str]) -> None:
        check, anchor = result
        self.message.setText(
            f"The audit log is intact: {check.entries} entries, each signed by its author's "
            f"certified key; review rules hold. Root key {self.desk.root_fingerprint}. "
            f"Anchor to write down: {anchor}"
            if check.ok else f"The audit log is BROKEN at entry {check.first_bad}: "
                             f"{check.problem}")
        self.refresh()

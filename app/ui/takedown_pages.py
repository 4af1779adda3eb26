"""Notices (build, preview the letter, save it, mark sent, re-check), hosting providers, and
statistics with charts."""

from pathlib import Path
from typing import Any

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.desk import Desk
from app.errors import HotlineError
from app.ui.forms import ok_cancel
from app.ui.models import RowsModel
from app.ui.pages import TablePage
from app.ui.workers import Task, desk_op


class PdfPreview(QDialog):
    """The letter as the provider will see it, rendered from memory."""

    def __init__(self, pdf: bytes, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(760, 900)
        self._data = QByteArray(pdf)
        self._buffer = QBuffer(self._data)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)
        view = QPdfView(self)
        view.setDocument(self.document)
        view.setPageMode(QPdfView.PageMode.MultiPage)
        view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        layout = QVBoxLayout(self)
        layout.addWidget(view)


class NoticesPage(TablePage):
    def __init__(self, desk: Desk) -> None:
        super().__init__("Notices and referrals", RowsModel(
            ["Reference", "Kind", "Provider or country", "URLs online", "State", "Due",
             "Last check", "Created", "Sent"], desk.notices, self._columns))
        self.desk = desk
        self.task: Task | None = None
        self.previewed: PdfPreview | None = None
        self.button("&Build notices", self.build)
        self.button("&Preview letter", self.preview)
        self.button("Save &PDF...", lambda: self.save("pdf"))
        self.button("Save &e-mail...", lambda: self.save("eml"))
        self.button("Mark &sent", self.sent)
        self.button("Re-check &this", lambda: self.recheck(one=True))
        self.button("&Re-check all", self.recheck)
        self.bar.addStretch()
        self.view.doubleClicked.connect(lambda _: self.show_urls())

    def _columns(self, n: Any) -> list[Any]:
        """One notice as the table shows it: who it goes to, how many of its URLs are still
        online, whether a reminder is due, when it was last checked."""
        view = self.desk.notice(n.reference)
        checks = [u.last_check for u in view.urls if u.last_check]
        who = view.provider.name if view.provider else (
            f"AS{n.asn} (no provider)" if n.asn else n.country)
        if n.kind == "referral":
            who = f"partner hotline, {n.country}"
        return [n.reference, n.kind, who, f"{view.open_urls} of {len(view.urls)}", n.state,
                "reminder due" if view.reminder_due else "", max(checks)[:16] if checks else "",
                n.created[:10], (n.sent_at or "")[:10]]

    def _warn(self, exc: HotlineError) -> None:
        QMessageBox.warning(self, "Hotline Triage", str(exc))

    def build(self) -> None:
        """In the background: hosting lookups may go to the network."""
        self.message.setText("Building notices...")
        self.task = desk_op(self.desk, "building notices", lambda d: d.build_notices(),
                            self._built, self._failed)

    def _failed(self, message: str) -> None:
        self.message.setText("")
        QMessageBox.warning(self, "Hotline Triage", message)

    def _built(self, r: Any) -> None:
        self.message.setText(f"Built {len(r.notices)} notices and {len(r.referrals)} referrals"
                             + (f"; {r.without_hosting} URLs wait for hosting information"
                                if r.without_hosting else "")
                             + (f"; {len(r.untrusted)} items left out: their review does not "
                                "hold from the signed audit (see Audit, verify)"
                                if r.untrusted else ""))
        self.refresh()

    def show_urls(self) -> None:
        n = self.selected()
        if n is None:
            return
        view = self.desk.notice(n.reference)
        self.message.setText("\n".join(
            [f"{n.reference}: {len(view.urls)} URLs, {view.open_urls} still online"
             + (" - reminder due" if view.reminder_due else "")]
            + [f"{u.url} - " + (f"removed {(u.removed_at or '')[:19]}Z" if u.removed_at
                                   else u.last_result or "not checked") for u in view.urls]))

    def preview(self) -> None:
        """The letter, rendered in the background, then shown (`self.previewed`)."""
        n = self.selected()
        if n is None:
            return
        reference = n.reference
        self.task = desk_op(self.desk, "rendering the letter",
                            lambda d: d.notice_pdf_bytes(reference),
                            lambda pdf: self._show_pdf(reference, pdf), self._failed)

    def _show_pdf(self, reference: str, pdf: bytes) -> None:
        self.previewed = PdfPreview(pdf, f"Letter {reference}", self)
        self.previewed.show()

    def save(self, kind: str) -> None:
        n = self.selected()
        if n is None:
            return
        name, _ = QFileDialog.getSaveFileName(self, "Save", f"{n.reference}.{kind}")
        if not name:
            return
        reference, target = n.reference, Path(name)
        self.task = desk_op(
            self.desk, "writing the letter",
            lambda d: (d.notice_pdf if kind == "pdf" else d.notice_email)(reference, target),
            lambda _: self.message.setText(f"Wrote {name}"), self._failed)

    def sent(self) -> None:
        n = self.selected()
        if n is None:
            return
        try:
            self.desk.mark_sent(n.reference)
        except HotlineError as exc:
            self._warn(exc)
        self.refresh()

    def recheck(self, one: bool = False) -> None:
        """Re-check every open notice, or (`one`) the selected one, in the background."""
        chosen = self.selected() if one else None
        if one and chosen is None:
            return
        reference = chosen.reference if chosen is not None else None
        self.message.setText(f"Re-checking {reference}..." if reference else
                             "Re-checking the open notices...")
        self.task = desk_op(self.desk, "re-checking notices", lambda d: d.recheck(reference),
                            self._rechecked,
                            lambda message: self.message.setText(f"Re-check failed: {message}"))

    def _rechecked(self, results: list[Any]) -> None:
        self.message.setText("\n".join(
            f"{r.notice}: {r.removed} removed now, {r.still_online} still online, "
            f"{r.unreachable} unreachable -> {r.state}" for r in results) or "No open notices.")
        self.refresh()


class ProviderDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Hosting provider")
        form = QFormLayout(self)
        self.asn = QSpinBox()
        self.asn.setRange(1, 4_294_967_295 // 2)
        self.name = QLineEdit()
        self.email = QLineEdit()
        self.address = QLineEdit()
        self.language = QLineEdit("en")
        for label, widget in (("&ASN", self.asn), ("&Name", self.name),
                              ("Abuse &e-mail", self.email), ("A&ddress", self.address),
                              ("&Language", self.language)):
            form.addRow(label, widget)
        ok_cancel(self, form)


class ProvidersPage(TablePage):
    def __init__(self, desk: Desk) -> None:
        super().__init__("Hosting providers", RowsModel(
            ["ASN", "Provider", "Abuse e-mail", "Address", "Language"], desk.providers,
            lambda p: [f"AS{p.asn}", p.name, p.email, p.address, p.language]))
        self.desk = desk
        self.button("&Add...", self.add)
        self.button("&Import CSV...", self.import_csv)
        self.button("&Look up missing (RDAP)", self.lookup)
        self.bar.addStretch()

    def add(self) -> None:
        dialog = ProviderDialog(self)
        if dialog.exec():
            self.save(dialog)

    def save(self, dialog: ProviderDialog) -> None:
        try:
            self.desk.add_provider(dialog.asn.value(), dialog.name.text(), dialog.email.text(),
                                   dialog.address.text(), dialog.language.text() or "en")
        except HotlineError as exc:
            QMessageBox.warning(self, "Hotline Triage", str(exc))
        self.refresh()

    def lookup(self) -> None:
        """RDAP over the network: in the background."""
        self.message.setText("Asking RDAP for the providers of the hosting networks...")
        self.task = desk_op(self.desk, "looking up providers", lambda d: d.lookup_providers(),
                            self._looked_up, self.message.setText)

    def _looked_up(self, added: list[Any]) -> None:
        self.message.setText(f"RDAP gave {len(added)} new providers: "
                             + ", ".join(f"AS{p.asn} {p.name}" for p in added))
        self.refresh()

    def import_csv(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Providers CSV", "", "CSV (*.csv)")
        if not name:
            return
        try:
            n = self.desk.import_providers(Path(name))
            self.message.setText(f"Imported {n} providers")
        except HotlineError as exc:
            QMessageBox.warning(self, "Hotline Triage", str(exc))
        self.refresh()


class StatsPage(TablePage):
    def __init__(self, desk: Desk) -> None:
        super().__init__("Statistics by month", RowsModel(
            ["Month", "Reports", "Items", "Exposure avoided", "Baseline", "National",
             "Not illegal", "Notices sent", "URLs removed", "Median removal", "P90 removal"],
            desk.stats,
            lambda m: [m.month, m.reports, m.items, f"{m.exposure_avoided:.0%}",
                       m.final_baseline, m.final_national, m.final_not_illegal, m.notices_sent,
                       m.urls_removed, _hours(m.median_removal_hours),
                       _hours(m.p90_removal_hours)]))
        self.desk = desk
        self.button("Export &CSV...", self.export)
        self.bar.addStretch()
        self.chart = QChart()
        self.chart.setTitle("Reports, items and final verdicts by month")
        self.chart_view = QChartView(self.chart)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(260)
        self.box.addWidget(self.chart_view)

    def refresh(self) -> None:
        super().refresh()
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        months = self.model.rows
        if not months:
            return
        series = QBarSeries()
        for label, values in (("Reports", [m.reports for m in months]),
                              ("Items", [m.items for m in months]),
                              ("Final illegal", [m.final_baseline + m.final_national
                                                 for m in months]),
                              ("Final not illegal", [m.final_not_illegal for m in months])):
            bars = QBarSet(label)
            bars.append([float(v) for v in values])
            series.append(bars)
        self.chart.addSeries(series)
        x = QBarCategoryAxis()
        x.append([m.month for m in months])
        y = QValueAxis()
        y.setRange(0, max(1, max(max(m.reports, m.items) for m in months)))
        self.chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x)
        series.attachAxis(y)

    def export(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Yearly statistics", "statistics.csv")
        if name:
            n = self.desk.stats_csv(None, None, Path(name))
            self.message.setText(f"Wrote {n} months to {name}")


def _hours(h: float | None) -> str:
    return "" if h is None else f"{h:.1f} h"

"""Desk actions that take in reports: URLs, files, folders, archives, batch files."""

from dataclasses import dataclass
from pathlib import Path

from app.desk.base import REVIEWERS, DeskBase
from app.errors import InvalidInput
from app.intake.batch import ReportSpec, parse_received, read_batch
from app.intake.pipeline import IntakeRequest, IntakeSummary, Pipeline, prepare
from app.jobs import CancelToken, ProgressCallback, no_progress
from app.workspace.db import transaction
from app.workspace.items import SOURCES, Report, Sighting


@dataclass(frozen=True)
class ReportView:
    """A report and everything seen in it: media, links and the inputs that failed."""

    report: Report
    sightings: list[Sighting]


class IntakeActions(DeskBase):
    @staticmethod
    def prepare_import(urls: tuple[str, ...] | list[str] = (),
                       files: tuple[Path, ...] | list[Path] = (), batch: bool = False) -> None:
        """Before signing in to import these inputs (`batch`: a batch file's reports): if
        the import will hash in a pool, start the pool's fork server now, so that its workers
        are ready when the import begins instead of ~0.3 s later."""
        prepare(list(urls), [Path(f) for f in files], batch)

    def import_report(self, urls: tuple[str, ...] | list[str] = (),
                      files: tuple[Path, ...] | list[Path] = (), reference: str | None = None,
                      source: str = "public", note: str = "", received: str | None = None,
                      progress: ProgressCallback = no_progress,
                      cancel: CancelToken | None = None) -> IntakeSummary:
        """Fetch, hash, match and store one report. Each piece of content is committed when
        it is ready; the audit log has the start and the outcome of the import."""
        if not urls and not files:
            raise InvalidInput("give URLs or files to import")
        if source not in SOURCES:
            raise InvalidInput(f"unknown source {source!r}: {', '.join(SOURCES)}")
        request = IntakeRequest(tuple(urls), tuple(Path(f) for f in files), reference, source,
                                note, parse_received(received) if received else None)
        target = reference or ""
        with self._action("report.import", target, REVIEWERS, "take in reports") as detail:
            detail.update(urls=len(request.urls), files=len(request.files), source=source)
        try:
            summary = Pipeline(self._ws, self._user.name, progress, cancel).run(request)
        except BaseException as exc:
            # not one input's fault (a bug, a full disk): the import's end is still audited
            self._audit_end(target, "failed", {"why": f"{type(exc).__name__}: {exc}"[:300]})
            raise
        self._audit_end(summary.report, summary.outcome, {
            "items": summary.items, "known": summary.known, "near": summary.near,
            "unknown": summary.unknown, "duplicates": summary.duplicates,
            "links": summary.links, "errors": len(summary.errors),
            "cancelled": summary.cancelled, "warnings": summary.warnings})
        return summary

    def _audit_end(self, report: str, outcome: str, detail: dict[str, object]) -> None:
        with transaction(self._ws.db):
            self._ws.audit.append("report.import.done", report, outcome,
                                  detail)

    def import_batch(self, path: Path, source: str = "public",
                     progress: ProgressCallback = no_progress,
                     cancel: CancelToken | None = None) -> list[IntakeSummary]:
        """Every report of a batch file, one after the other."""
        self._check_role("report.import", path.name, REVIEWERS, "take in reports")
        specs: list[ReportSpec] = read_batch(path, source)
        summaries = []
        for spec in specs:
            summary = self.import_report(spec.urls, (), spec.reference, spec.source, spec.note,
                                         spec.received, progress, cancel)
            summaries.append(summary)
            if summary.cancelled:
                break
        return summaries

    def reports(self) -> list[Report]:
        self._refresh_user()
        return self._ws.items.reports()

    def report(self, reference: str) -> ReportView:
        self._refresh_user()
        report = self._ws.items.report(reference)
        return ReportView(report, self._ws.items.sightings(report_id=report.id))

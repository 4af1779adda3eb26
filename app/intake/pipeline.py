"""The intake pipeline: fetch or read -> read, hash and seal (process pool) -> match ->
database.

Items are committed in groups as they are hashed (BATCH_ITEMS or BATCH_SECONDS), so a
cancelled or killed import keeps everything but its last group; running the same report again
skips what was stored and creates no second item for content already in the workspace.
"""

import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from app.intake.crawl import Crawler, Found, Link, Problem, Unit
from app.intake.hashing import (
    InlineExecutor,
    MediaHashes,
    hashing_pool,
    intake_group,
    start_workers,
    warm_pool,
)
from app.intake.hosting import Hosting, HostingLookup
from app.intake.matcher import Matcher, machine_verdict, status_of
from app.intake.media import LocalError, MediaLimits, count_inputs, walk
from app.jobs import Cancelled, CancelToken, Progress, ProgressCallback, no_progress
from app.web import Fetcher, FetchLimits
from app.workspace.db import transaction
from app.workspace.integrity import import_running
from app.workspace.items import Match, Report, new_reference
from app.workspace.stash import Stashed, adopt, make_durable, stash_for
from app.workspace.states import initial
from app.workspace.workspace import Workspace

POOL_FROM = 8  # fewer inputs than this are hashed in this process: a pool costs more
INFLIGHT_ITEMS = 32  # queued for hashing at most: keeps both cores busy while items are stored
INFLIGHT_BYTES = 256 << 20  # ... and at most this much content in memory
GROUP_FILES = 8  # local files hashed by one task at most (app.intake.hashing.intake_group)
BATCH_ITEMS = 64  # items committed together (a crash loses at most one batch, redone on resume)
BATCH_SECONDS = 1.0


@dataclass(frozen=True)
class IntakeRequest:
    urls: tuple[str, ...] = ()
    files: tuple[Path, ...] = ()
    reference: str | None = None
    source: str = "public"
    note: str = ""
    received: str | None = None


@dataclass(frozen=True)
class IntakeProblem:
    input: str
    message: str


@dataclass
class IntakeSummary:
    report: str
    new_report: bool
    media: int = 0
    items: int = 0
    known: int = 0
    near: int = 0
    unknown: int = 0
    duplicates: int = 0
    links: int = 0
    cancelled: bool = False
    errors: list[IntakeProblem] = field(default_factory=list)
    item_ids: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # about the import, not one input

    @property
    def outcome(self) -> str:
        """ok | partial (some inputs failed) | failed (every input failed) | cancelled."""
        if self.cancelled:
            return "cancelled"
        if not self.errors:
            return "ok"
        return "partial" if self.media or self.links else "failed"


def uses_pool(urls: Sequence[str], files: Sequence[Path]) -> bool:
    """Whether an import of these inputs hashes in a process pool (a folder, or enough
    inputs to pay for one), or in the importing process."""
    return len(urls) + len(files) >= POOL_FROM or any(p.is_dir() for p in files)


def prepare(urls: Sequence[str], files: Sequence[Path], batch: bool = False) -> None:
    """Before an import that will use a pool (`batch`: a batch file's reports, whose URLs
    are not read yet): start its workers' fork server now (app.intake.hashing.warm_pool),
    while the caller signs in or the user chooses."""
    if batch or uses_pool(urls, files):
        warm_pool()


class Pipeline:
    def __init__(self, ws: Workspace, user: str, progress: ProgressCallback = no_progress,
                 cancel: CancelToken | None = None, workers: int = 2) -> None:
        self._ws = ws
        self._user = user
        self._progress = progress
        self._cancel = cancel or CancelToken()
        self._workers = workers
        s = ws.settings
        self._hosting = HostingLookup.configured(ws.root, s.get)
        self._fetcher = Fetcher(FetchLimits.from_settings(s.get))
        self._media_limits = MediaLimits(s.get("fetch.max_media_bytes"),
                                         s.get("archive.max_members"),
                                         s.get("archive.max_total_bytes"),
                                         s.get("archive.max_ratio"))
        self._dihedral = bool(s.get("pdq.dihedral"))
        # read once: each read checks the settings are current (a query), three an item
        self._flood_hours = s.get("flood.hours")
        self._flood_limits = {"entry": s.get("flood.entry_items"),
                              "list": s.get("flood.list_items")}
        self._total: int | None = None  # known when only local files are imported
        self._resumed = 0               # inputs an earlier, interrupted import stored

    def _matcher(self) -> Matcher:
        s = self._ws.settings
        lists = [(info, self._ws.lists.load(info)) for info in self._ws.lists.all()
                 if info.enabled]
        ids, codes = self._ws.items.pdq_codes(s.get("pdq.min_quality"))
        return Matcher(lists, ids, codes, s.get("pdq.threshold"), s.get("pdq.min_quality"),
                       self._dihedral, self._ws.items.video_frames(s.get("pdq.min_quality")),
                       (s.get("video.match_pct"), s.get("video.match_pct_other")),
                       {(q.list_name, q.entry) for q in self._ws.floods.active()})

    def run(self, request: IntakeRequest) -> IntakeSummary:
        many = uses_pool(request.urls, request.files)
        executor = hashing_pool(self._workers) if many else InlineExecutor()
        try:
            start_workers(executor, self._workers)  # they start while the lists load
            with transaction(self._ws.db):
                report, new = self._ws.items.report_or_new(
                    request.reference or new_reference(), request.source, request.received,
                    request.note, self._user)
            summary = IntakeSummary(report.reference, new)
            if not request.urls:
                self._total = count_inputs(list(request.files), self._media_limits)
            matcher = self._matcher()
            s = self._ws.settings
            crawler = Crawler(self._fetcher, s.get("fetch.max_page_bytes"),
                              s.get("fetch.max_media_bytes"), s.get("fetch.max_report_bytes"),
                              s.get("fetch.concurrency"), self._cancel)

            def done(url: str) -> bool:
                return self._ws.items.has_sighting(report.id, "media", url)

            units = chain(crawler.crawl(request.urls, done),
                          self._local(request.files, report, resumed=not new))
            try:
                with import_running(self._ws):
                    self._consume(units, executor, report, matcher, summary)
            except Cancelled:
                summary.cancelled = True
            summary.warnings.extend(self._hosting.problems)
            return summary
        finally:
            executor.shutdown(wait=True, cancel_futures=True)
            self._hosting.close()

    def _local(self, files: Iterable[Path], report: Report, resumed: bool) -> Iterator[Unit]:
        """The files to import; of a report imported before (`resumed`), those it lacks."""
        for local in walk(list(files), self._media_limits):
            self._cancel.check()
            if isinstance(local, LocalError):
                yield Problem(local.name, local.message)
            elif not resumed or not self._ws.items.has_sighting(report.id, "media",
                                                                local.name):
                yield Found(local.name, local.data, path=local.path, size=local.size)
            else:
                self._resumed += 1

    def _consume(self, units: Iterator[Unit], executor: Executor, report: Report,
                 matcher: Matcher, summary: IntakeSummary) -> None:
        inflight: dict[Future[list[tuple[MediaHashes | str, Stashed | None]]],
                       list[Found]] = {}
        batch = _Batch(self._ws)
        stash = stash_for(self._ws.vault)
        grouped: list[Found] = []  # local files waiting to be submitted together
        group_size = self._group_size()

        def submit(group: list[Found]) -> None:
            contents = tuple(u.path if u.path is not None else u.data for u in group)
            inflight[executor.submit(intake_group, contents, self._dihedral, stash,
                                     self._media_limits.max_bytes)] = group

        def flush() -> None:
            if grouped:
                submit(grouped[:])
                grouped.clear()

        def drain(items: int, size: int) -> None:
            # Oldest first: items are stored in the order they were found.
            while inflight and (sum(map(len, inflight.values())) > items or sum(
                    u.bytes_held for group in inflight.values() for u in group) > size):
                future = next(iter(inflight))
                group = inflight.pop(future)
                try:
                    results = future.result()
                except Exception as exc:  # a worker that died on these inputs
                    failed = f"could not be hashed ({type(exc).__name__}: {exc})"[:300]
                    results = [(failed, None)] * len(group)
                for unit, (hashes, stashed) in zip(group, results, strict=True):
                    batch.begin()
                    if stashed is not None:  # (a server's are rows: nothing to sync)
                        batch.blobs.append(stashed.name)
                    if isinstance(hashes, str):
                        self._record(Problem(unit.source, hashes, unit.page, unit.final_url,
                                             unit.http_status, unit.ip), report, summary)
                    else:
                        self._store(unit, hashes, stashed, report, matcher, summary)
                    batch.maybe_commit()

        try:
            for unit in units:
                self._cancel.check()
                if isinstance(unit, Found) and unit.path is not None:
                    grouped.append(unit)
                    if len(grouped) >= group_size:
                        flush()
                        drain(INFLIGHT_ITEMS - 1, INFLIGHT_BYTES)
                elif isinstance(unit, Found):
                    flush()
                    submit([unit])
                    drain(INFLIGHT_ITEMS - 1, INFLIGHT_BYTES)
                else:
                    batch.begin()
                    self._record(unit, report, summary)
                    batch.maybe_commit()
            flush()
            drain(0, 0)
        finally:
            batch.commit()

    def _group_size(self) -> int:
        """Local files per task: a few, so that submitting costs little, and not so many
        that one worker hashes the last group while the other waits (a small import)."""
        if self._total is None:
            return GROUP_FILES // 2
        return max(1, min(GROUP_FILES, self._total // (4 * self._workers)))

    def _tick(self, summary: IntakeSummary) -> None:
        done = summary.media + summary.links + len(summary.errors) + self._resumed
        total = None if self._total is None else max(self._total, done)
        self._progress(Progress(done, total, "importing"))

    def _record(self, unit: Problem | Link, report: Report, summary: IntakeSummary) -> None:
        hosting = self._hosting.lookup(unit.ip)
        common = {"report_id": report.id, "source": unit.source, "page": unit.page,
                  "final_url": unit.final_url, "http_status": unit.http_status, "ip": unit.ip,
                  **_hosting_columns(hosting)}
        with transaction(self._ws.db):  # a savepoint inside the batch
            if isinstance(unit, Link):
                self._ws.items.add_sighting({**common, "kind": "link",
                                             "content_type": unit.content_type})
                summary.links += 1
            else:
                # a resumed import meets the same failure again: one error row per input
                if not self._ws.items.has_sighting(report.id, "error", unit.source):
                    self._ws.items.add_sighting({**common, "kind": "error",
                                                 "error": unit.message})
                summary.errors.append(IntakeProblem(unit.source, unit.message))
        self._tick(summary)

    def _store(self, unit: Found, h: MediaHashes, stashed: Stashed | None, report: Report,
               matcher: Matcher, summary: IntakeSummary) -> None:
        if h.error:
            self._record(Problem(unit.source, h.error, unit.page, unit.final_url,
                                 unit.http_status, unit.ip), report, summary)
            return
        hosting = self._hosting.lookup(unit.ip)
        sighting = {"report_id": report.id, "kind": "media", "source": unit.source,
                    "page": unit.page, "final_url": unit.final_url,
                    "http_status": unit.http_status, "content_type": unit.content_type,
                    "ip": unit.ip, **_hosting_columns(hosting)}
        with transaction(self._ws.db):
            existing = self._ws.items.by_sha256(h.sha256)
            if existing is not None:
                self._ws.items.add_sighting({**sighting, "item_id": existing.id,
                                             "duplicate": 1})
                summary.duplicates += 1
                item_id = existing.id
            else:
                matches = matcher.match(h)
                self._flood_control(matches, matcher, summary)
                status = status_of(matches)
                machine = machine_verdict(matches, matcher.held)
                assert stashed is not None  # media without an error is always stashed
                blob = adopt(self._ws.vault, stashed, h.sha256)
                item_id = self._ws.items.add({
                    "sha256": h.sha256, "md5": h.md5, "sha1": h.sha1, "pdq": h.pdq,
                    "pdq_quality": h.pdq_quality, "kind": h.kind, "mime": h.mime,
                    "size": h.size, "width": h.width, "height": h.height, "blob": blob,
                    "status": status, "first_report": report.id,
                    "state": initial(machine[0] if machine else None).value,
                    "machine_verdict": machine[0] if machine else None,
                    "machine_list": machine[1] if machine else None,
                    "duration": h.duration})
                self._ws.items.add_frames(item_id, h.frames)
                self._ws.items.add_matches(item_id, matches)
                self._ws.items.add_sighting({**sighting, "item_id": item_id})
                summary.items += 1
                setattr(summary, status, getattr(summary, status) + 1)
                matcher.remember(item_id, h)
        summary.media += 1
        summary.item_ids.append(item_id)
        self._tick(summary)

    def _flood_control(self, matches: list[Match], matcher: Matcher,
                       summary: IntakeSummary) -> None:
        """Hold a list entry, or a list, that this item makes hit too many different items
        within `flood.hours` (the item is counted, not yet stored): audited, said in the
        import's warnings; items still waiting on its machine verdict go to a person."""
        hours, limits = self._flood_hours, self._flood_limits
        hits = {(m.list_name, m.entry) for m in matches
                if m.list_name != "workspace" and not m.negative and m.entry is not None}
        candidates = sorted(hits, key=str) + sorted({(name, None) for name, _ in hits}, key=str)
        for name, entry in candidates:
            limit = limits["list" if entry is None else "entry"]
            if not limit or (name, entry) in matcher.held or (name, None) in matcher.held:
                continue
            items = self._ws.floods.items_hit(name, entry, hours) + 1
            if items < limit:
                continue
            waiting = self._ws.floods.hold(name, entry, items, hours)
            self._ws.audit.append("list.quarantine", name, "held", {
                "entry": entry, "items": items, "hours": hours, "waiting": waiting})
            matcher.held.add((name, entry))
            what = f"list {name!r}" if entry is None else f"entry {entry} of list {name!r}"
            summary.warnings.append(
                f"{what} hit {items} different items in {hours} hours: held (a flood: a "
                "blank image, a logo?); its hits give no machine verdict until a list keeper "
                f"releases it{f'; {len(waiting)} items go to a person' if waiting else ''}")


def _hosting_columns(hosting: Hosting) -> dict[str, object]:
    return {"country": hosting.country, "asn": hosting.asn, "organisation": hosting.organisation}


class _Batch:
    """Group commit: several items in one transaction, committed every BATCH_ITEMS items or
    BATCH_SECONDS, and always at the end (also on cancel or error). The blobs the workers
    wrote for its items are made durable first: no committed item without its content."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws
        self._open: transaction | None = None  # type: ignore[valid-type]
        self._count = 0
        self._started = 0.0
        self.blobs: list[str] = []  # written by the workers for this batch, not yet durable

    def begin(self) -> None:
        if self._open is None:
            self._open = transaction(self._ws.db)
            self._open.__enter__()
            self._count, self._started = 0, time.monotonic()

    def maybe_commit(self) -> None:
        self._count += 1
        if self._count >= BATCH_ITEMS or time.monotonic() - self._started >= BATCH_SECONDS:
            self.commit()

    def commit(self) -> None:
        if self._open is not None:
            opened, self._open = self._open, None
            blobs, self.blobs = self.blobs, []
            try:
                make_durable(self._ws.vault, blobs)
            except BaseException as exc:
                opened.__exit__(type(exc), exc, exc.__traceback__)
                raise
            opened.__exit__(None, None, None)

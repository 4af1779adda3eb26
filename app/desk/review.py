"""Desk actions of the review: the queue, an item's view, assessments, confirmation of machine
matches, reopening, retention, and exposure accounting."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from app.desk.base import REVIEWERS, SUPERVISOR, DeskBase
from app.errors import Conflict, HotlineError, InvalidInput, NotFound
from app.intake.matcher import PERCEPTUAL, is_held
from app.review import workflow
from app.review.video_view import VideoView
from app.review.vocabulary import Fields, verdict_given
from app.review.workflow import Given, State
from app.workspace.assessments import Assessment, Verified
from app.workspace.clock import parse_utc, utc_now
from app.workspace.db import transaction
from app.workspace.items import Match, Sighting
from app.workspace.places import Changes
from app.workspace.users import Role
from hashdb.entry import Verdict


@dataclass(frozen=True)
class QueueRow:
    item_id: int
    state: str
    round: int
    status: str
    kind: str
    mime: str
    size: int
    width: int | None
    height: int | None
    match: str
    machine_verdict: str | None
    country: str | None
    report: str


@dataclass(frozen=True)
class RecentVerdict:
    item_id: int
    round: int
    verdict: str
    at: str
    undo_left: float  # seconds in which it can still be taken back


@dataclass(frozen=True)
class MatchView:
    """A match as a reader sees it: the stored match, how it matched in words (`md5`,
    `PDQ 8`, `video frames 94%`) and whether it is a near (perceptual) one."""

    list_name: str
    list_trust: str | None
    hash_kind: str
    distance: int
    verdict: str | None
    category: str | None
    other_item: int | None
    entry: int | None
    negative: bool  # a list of known false positives: this hit overrides the others
    how: str
    near: bool
    held: bool = False  # its list or entry is quarantined after a flood: no machine verdict

    @property
    def note(self) -> str:
        """Why this hit does not count as the others do, in words (GUI and CLI alike)."""
        if self.negative:
            return "a known false positive: it overrides the other lists' hits"
        if self.held:
            return ("held: this list hit too many different items too fast (a flood); no "
                    "machine verdict until a list keeper releases it")
        return ""


@dataclass(frozen=True)
class ItemView:
    id: int
    state: str
    status: str
    kind: str
    mime: str
    size: int
    width: int | None
    height: int | None
    md5: str
    sha1: str
    sha256: str
    pdq: str | None
    pdq_quality: int | None
    content_available: bool
    machine_verdict: str | None
    machine_list: str | None
    final_verdict: str | None
    next_round: int
    blind: bool
    may_assess: bool
    why_not: str
    matches: list[MatchView]
    sightings: list[Sighting]
    assessments: list[Assessment] | None  # None while blind
    duration: float | None = None  # videos: seconds


@dataclass(frozen=True)
class AssessResult:
    item_id: int
    round: int
    state: str
    final_verdict: str | None


@dataclass(frozen=True)
class ConfirmResult:
    confirmed: list[int]
    skipped: list[tuple[int, str]]


@dataclass(frozen=True)
class Exposure:
    user: str
    day: str
    views: int
    seconds: float


def _how(m: Match) -> str:
    """How an item matched, in words: `md5`, `PDQ 8`, `video frames 94%`."""
    if m.hash_kind == "pdq":
        return f"PDQ {m.distance}"
    if m.hash_kind == "vpdq":
        return f"video frames, {100 - m.distance}%"
    return m.hash_kind


def _match_text(matches: list[Match]) -> str:
    if not matches:
        return ""
    m = matches[0]
    where = "workspace item" if m.list_name == "workspace" else m.list_name
    return f"{where} ({_how(m)})"


class ReviewActions(DeskBase):
    # ------------------------------------------------------------ queue

    def _queue_states(self) -> tuple[str, ...]:
        if self._user.role is Role.SUPERVISOR:
            return (State.ROUND2, State.ROUND3, State.DISPUTED)
        if self._user.role is Role.ANALYST:
            return (State.ROUND1, State.MACHINE)
        return ()

    def queue_ids(self, limit: int = 1_000_000, report: str | None = None,
                  status: str | None = None, list_name: str | None = None) -> list[int]:
        """This user's work, in order: unknown first, then near, then known; optionally only
        one report, one status (unknown, near, known) or items matching one list."""
        self._refresh_user()
        if status is not None and status not in ("unknown", "near", "known"):
            raise InvalidInput(f"unknown status {status!r}: unknown, near or known")
        report_id = self._ws.items.report(report).id if report else None
        return self._ws.assessments.queue(self._queue_states(), self._user.name, limit,
                                          report_id, status, list_name)

    def changes(self) -> Changes | None:
        """What other workstations change, heard as it happens (on a team's server; None for
        a folder): for a queue that refreshes itself. The caller closes it."""
        return self._ws.place.changes()

    def claim(self, item_id: int) -> str:
        """The item is open at this workstation: others' queues leave it out for
        `queue.claim_minutes` (this user's previous claim is given back). '' when it is this
        user's; otherwise who else has it open (shown it before this queue refreshed)."""
        if self._user.role not in REVIEWERS:
            return ""
        with transaction(self._ws.db):
            holder, _ = self._ws.claims.claim(item_id, self._user.name,
                                              self._ws.settings.get("queue.claim_minutes"))
        return "" if holder.casefold() == self._user.name.casefold() else holder

    def find_items(self, text: str) -> list[int]:
        """Search: an item number, any hash, a report reference or a piece of a URL. Finding
        shows no content and no verdict a blind reader may not see (the item view decides)."""
        self._refresh_user()
        if not text.strip():
            raise InvalidInput("type an item number, a hash, a report reference or a URL")
        return self._ws.items.find(text)

    def settled_ids(self) -> list[int]:
        """Settled items (final or confirmed), for supervisors reviewing the team's work."""
        self._check_role("items.settled", "", SUPERVISOR, "review settled items")
        return self._ws.items.settled()

    def queue_row(self, item_id: int) -> QueueRow:
        """One row of the queue, fetched when a view shows it. No earlier verdict in it."""
        item = self._ws.items.get(item_id)
        sightings = self._ws.items.sightings(item_id=item_id)
        first = sightings[0] if sightings else None
        report = self._ws.items.reference_of(item.first_report)
        return QueueRow(item.id, item.state, workflow.next_round(State(item.state)),
                        item.status, item.kind, item.mime, item.size, item.width, item.height,
                        _match_text(self._ws.items.matches(item_id)), item.machine_verdict,
                        first.country if first else None, report)

    def queue(self, limit: int = 200, report: str | None = None) -> list[QueueRow]:
        return [self.queue_row(i) for i in self.queue_ids(limit, report)]

    # ------------------------------------------------------------ one item

    def _given(self, item_id: int, cycle: int) -> list[Given]:
        return [Given(a.user, a.round, Verdict(a.verdict))
                for a in self._ws.assessments.of_item(item_id, cycle)]

    def blind_to(self, item_id: int) -> bool:
        """Must this user not see the verdicts given so far on this item?"""
        item = self._ws.items.get(item_id)
        return workflow.blind(State(item.state), self._given(item.id, item.cycle),
                              self._user.name, self._user.role)

    def item(self, item_id: int) -> ItemView:
        """Everything about an item but its content; earlier verdicts only when not blind."""
        self._refresh_user()
        item = self._ws.items.get(item_id)
        state = State(item.state)
        given = self._given(item.id, item.cycle)
        blind = workflow.blind(state, given, self._user.name, self._user.role)
        try:
            workflow.may_assess(state, given, self._user.name, self._user.role)
            may, why = True, ""
        except HotlineError as exc:  # the rule's answer; anything else is a bug, not a rule
            may, why = False, str(exc)
        assessments = None if blind else self._ws.assessments.of_item(item.id)
        held = {(q.list_name, q.entry) for q in self._ws.floods.active()}
        return ItemView(
            item.id, item.state, item.status, item.kind, item.mime, item.size, item.width,
            item.height, item.md5, item.sha1, item.sha256, item.pdq, item.pdq_quality,
            item.blob is not None, item.machine_verdict, item.machine_list,
            None if blind else item.final_verdict, workflow.next_round(state), blind, may, why,
            [MatchView(**vars(m), how=_how(m), near=m.hash_kind in PERCEPTUAL,
                       held=is_held(m, held))
             for m in self._ws.items.matches(item.id)],
            self._ws.items.sightings(item_id=item.id), assessments, item.duration)

    def item_content(self, item_id: int) -> bytes:
        """The content, for the viewer to show blurred. Audited: who opened what, when. The
        vault is read after the audit entry commits, so the write lock is not held while a
        large blob is read and decrypted."""
        with self._action("item.open", str(item_id), REVIEWERS, "open content"):
            item = self._ws.items.get(item_id)
            if item.blob is None:
                raise NotFound(f"item {item_id}'s content was purged; its hashes remain")
        return self._ws.vault.get(item.blob)

    def open_video(self, item_id: int) -> VideoView:
        """A video's content for the viewer's keyframe strip and playback, decoded in memory
        by whoever iterates it. Audited as an opening of the content."""
        with self._action("item.open", str(item_id), REVIEWERS, "open content") as detail:
            item = self._ws.items.get(item_id)
            if item.kind != "video":
                raise InvalidInput(f"item {item_id} is not a video")
            if item.blob is None:
                raise NotFound(f"item {item_id}'s content was purged; its hashes remain")
            detail["as"] = "video"
            seconds = [s for s, _, _ in self._ws.items.frames_of(item_id)]
        blob, vault = item.blob, self._ws.vault  # read (and decrypted) by the decoding worker
        return VideoView(item_id, lambda: vault.view(blob), seconds, item.duration)

    def record_reveal(self, item_id: int, seconds: float) -> Exposure:
        """The viewer showed content unblurred for `seconds`: exposure accounting."""
        with self._timed_look("item.reveal", item_id, seconds, "a reveal"):
            self._ws.assessments.add_exposure(self._user.name, item_id, seconds)
        return self.exposure_today()

    def record_listen(self, item_id: int, seconds: float) -> None:
        """Playback's sound was on for `seconds`: listening is exposure too, so it is audited
        (it is not counted as an unblurred view)."""
        with self._timed_look("item.listen", item_id, seconds, "listening"):
            pass

    @contextmanager
    def _timed_look(self, action: str, item_id: int, seconds: float,
                    what: str) -> Iterator[None]:
        """One audited stretch of looking or listening at an item, with its seconds."""
        if not 0 <= seconds < 86_400:
            raise InvalidInput(f"{what} lasts between 0 seconds and a day")
        with self._action(action, str(item_id), REVIEWERS) as detail:
            self._ws.items.get(item_id)
            detail["seconds"] = round(seconds, 2)
            yield

    def exposure_today(self, user: str | None = None) -> Exposure:
        self._refresh_user()
        who = user or self._user.name
        day = utc_now()[:10]
        views, seconds = self._ws.assessments.exposure(who, day)
        return Exposure(who, day, views, seconds)

    # ------------------------------------------------------------ assessing

    def assess(self, item_id: int, verdict: str, age_group: str | None = None,
               gender: str | None = None, site_type: str | None = None,
               commercial: str | bool | None = None, category: str | None = None,
               note: str | None = None) -> AssessResult:
        chosen = verdict_given(verdict)
        scale = tuple(c.strip() for c in self._ws.settings.get("review.national_scale")
                      .split(",") if c.strip())
        fields = Fields.parse(age_group, gender, site_type, commercial, category, note, scale)
        purge = None
        with self._action("item.assess", str(item_id), REVIEWERS, "assess items") as detail:
            item = self._ws.items.get(item_id, lock=True)
            state = State(item.state)
            workflow.may_assess(state, self._given(item.id, item.cycle), self._user.name,
                                self._user.role)
            # One's own verdict first: until it is given, a team's server shows nobody the
            # others' (row-level security, the workflow's blind rule); then the outcome.
            self._ws.assessments.add(
                item.id, item.cycle, workflow.next_round(state), self._user.name,
                chosen.value, {k: (v.value if hasattr(v, "value") else v)
                               for k, v in vars(fields).items()})
            others = [g for g in self._given(item.id, item.cycle)
                      if g.user.casefold() != self._user.name.casefold()]
            outcome = workflow.assess(state, others, self._user.name, self._user.role, chosen)
            changes: dict[str, Any] = {"state": outcome.state.value}
            if outcome.final_verdict is not None:
                changes.update(final_verdict=outcome.final_verdict.value, final_at=utc_now())
                if outcome.final_verdict is Verdict.NOT_ILLEGAL and item.blob:
                    changes.update(blob=None, purged_at=utc_now())
                    purge = item.blob
            self._ws.assessments.set_state(item.id, **changes)
            detail.update(round=outcome.round, verdict=chosen.value, state=outcome.state.value)
        if purge:
            self._ws.vault.delete(purge)  # data minimisation: not illegal = deleted at once
        return AssessResult(item_id, outcome.round, outcome.state.value,
                            outcome.final_verdict.value if outcome.final_verdict else None)

    def my_recent_verdicts(self, limit: int = 10) -> list[RecentVerdict]:
        """My latest verdicts, newest first, and for how many seconds each can still be taken
        back (0: no longer)."""
        self._refresh_user()
        now = datetime.now(UTC)
        return [RecentVerdict(a.item_id, a.round, a.verdict, a.at, max(
            0.0, workflow.UNDO_SECONDS - (now - parse_utc(a.at)).total_seconds()))
            for a in self._ws.assessments.recent_by(self._user.name, limit)]

    def undo_assessment(self, item_id: int) -> AssessResult:
        """Take back one's own last verdict on an item within a minute, unless it settled it."""
        with self._action("item.assess.undo", str(item_id), REVIEWERS, "assess items"):
            item = self._ws.items.get(item_id)
            rows = self._ws.assessments.of_item(item.id, item.cycle)
            mine = [a for a in rows if a.user.casefold() == self._user.name.casefold()]
            age = (datetime.now(UTC) - parse_utc(mine[-1].at)).total_seconds() if mine else 0
            last, previous = workflow.undo(State(item.state), self._given(item.id, item.cycle),
                                           self._user.name, age, item.machine_verdict is not None)
            self._ws.assessments.delete(mine[-1].id)
            self._ws.assessments.set_state(item.id, state=previous.value)
        return AssessResult(item_id, last.round, previous.value, None)

    def confirm(self, item_ids: list[int] | None = None, report: str | None = None,
                ) -> ConfirmResult:
        """A person confirms machine verdicts (exact hits on trusted lists) in a batch, from
        metadata alone: no content is opened."""
        if not item_ids and not report:
            raise InvalidInput("give items or a report to confirm")
        confirmed: list[int] = []
        skipped: list[tuple[int, str]] = []
        purges: list[str] = []
        target = report or ",".join(str(i) for i in item_ids or [])
        with self._action("item.confirm", target, REVIEWERS, "confirm machine matches") as d:
            ids = list(item_ids or [])
            if report:
                ids += self._ws.assessments.items_in_state(
                    State.MACHINE.value, self._ws.items.report(report).id)
            for item_id in dict.fromkeys(ids):
                try:
                    item = self._ws.items.get(item_id)
                except NotFound as exc:
                    skipped.append((item_id, str(exc)))
                    continue
                try:
                    confirmed_state = workflow.confirm(State(item.state))
                except Conflict as exc:
                    skipped.append((item_id, str(exc)))
                    continue
                changes: dict[str, Any] = {"state": confirmed_state.value,
                                           "final_verdict": item.machine_verdict,
                                           "final_at": utc_now(),
                                           "confirmed_by": self._user.name}
                if item.machine_verdict == Verdict.NOT_ILLEGAL.value and item.blob:
                    changes.update(blob=None, purged_at=utc_now())
                    purges.append(item.blob)
                self._ws.assessments.set_state(item.id, **changes)
                confirmed.append(item.id)
            d.update(confirmed=confirmed, skipped=len(skipped))
        for blob in purges:
            self._ws.vault.delete(blob)
        return ConfirmResult(confirmed, skipped)

    def reopen(self, item_id: int, reason: str) -> AssessResult:
        """Error correction: a settled item starts its review again (its hashes leave the own
        lists until it is final again)."""
        if not reason.strip():
            raise InvalidInput("say why the item is reopened (--reason)")
        with self._action("item.reopen", str(item_id), SUPERVISOR, "reopen items") as detail:
            item = self._ws.items.get(item_id)
            state = workflow.reopen(State(item.state), self._user.role)
            self._ws.assessments.set_state(item.id, state=state.value,
                                           cycle=item.cycle + 1, final_verdict=None,
                                           final_at=None, confirmed_by=None)
            detail.update(reason=reason, was=item.final_verdict, cycle=item.cycle + 1)
        return AssessResult(item_id, 1, state.value, None)

    # ------------------------------------------------------------ retention, own lists

    def purge(self) -> int:
        """Apply the retention period now: settled content older than `retention.days` leaves
        the vault; its hashes and verdicts stay. Returns how many blobs were deleted."""
        days = self._ws.settings.get("retention.days")
        with self._action("retention.purge", "", REVIEWERS | {Role.ADMIN},
                          "apply retention") as detail:
            expired = self._ws.assessments.expired(days)
            for item_id, _ in expired:
                self._ws.assessments.set_state(item_id, blob=None, purged_at=utc_now())
            detail.update(purged=len(expired), days=days)
        for _, blob in expired:
            self._ws.vault.delete(blob)
        return len(expired)

    def own_list(self, which: str = "verified") -> list[Verified]:
        """The hotline's own lists: `verified` (final baseline and national items, with their
        assessors) or `not_illegal`."""
        self._refresh_user()
        verdicts = {"verified": ("baseline", "national"), "not_illegal": ("not_illegal",)}
        if which not in verdicts:
            raise InvalidInput("the own lists are verified and not_illegal")
        return self._ws.assessments.verified(verdicts[which])

    def purge_if_due(self) -> int:
        """Retention is applied whenever somebody opens the workspace."""
        if self._ws.assessments.expired(self._ws.settings.get("retention.days")):
            return self.purge()
        return 0

"""Desk actions of notice and takedown: providers, notices, letters, re-checks, referrals,
statistics."""

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from app.desk.base import ANYONE, REVIEWERS, SUPERVISOR, SUPERVISORS_ADMINS, DeskBase
from app.errors import InvalidInput, NotFound
from app.stats.figures import Month, monthly
from app.takedown import exports, letter, rdap
from app.takedown.notices import (
    ONLINE,
    REMOVED,
    UNREACHABLE,
    after_closing,
    after_recheck,
    after_sending,
    check_url,
    group,
)
from app.web import Fetcher, FetchLimits
from app.workspace.clock import parse_utc, utc_now
from app.workspace.notices import Notice, NoticeUrl, Provider
from app.workspace.states import OPEN_NOTICES, NoticeState
from hashdb.atomicfile import atomic_writer


@dataclass(frozen=True)
class BuildResult:
    notices: list[Notice]
    referrals: list[Notice]
    without_hosting: int
    untrusted: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class NoticeView:
    notice: Notice
    provider: Provider | None
    urls: list[NoticeUrl]
    open_urls: int
    reminder_due: bool


@dataclass(frozen=True)
class RecheckResult:
    notice: str
    checked: int
    removed: int
    still_online: int
    state: str
    unreachable: int = 0  # no answer that tells: neither removed nor still online


def _check_email(email: str) -> str:
    email = email.strip()
    if "@" not in email or " " in email or email.startswith("@") or email.endswith("@"):
        raise InvalidInput(f"{email!r} is not an e-mail address")
    return email


class TakedownActions(DeskBase):
    # ------------------------------------------------------------ providers

    def providers(self) -> list[Provider]:
        self._refresh_user()
        return self._ws.notices.providers()

    def add_provider(self, asn: int, name: str, email: str, address: str = "",
                     language: str = "en") -> Provider:
        if asn <= 0:
            raise InvalidInput("an ASN is a positive number")
        if language not in letter.languages():
            raise InvalidInput(f"no letter template for {language!r}: "
                               f"{', '.join(letter.languages())}")
        email = _check_email(email)
        with self._action("provider.add", f"AS{asn}", SUPERVISORS_ADMINS,
                          "edit hosting providers") as detail:
            provider = self._ws.notices.save_provider(asn, name.strip(), email, address,
                                                      language, self._user.name)
            detail.update(name=provider.name)
        return provider

    def import_providers(self, path: Path) -> int:
        """CSV with columns asn, name, email and optionally address, language; updates
        existing providers. Returns how many were written."""
        try:
            rows = list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidInput(f"cannot read {path}: {exc}") from None
        if not rows or not {"asn", "name", "email"} <= {k.strip().lower() for k in rows[0]}:
            raise InvalidInput(f"{path.name}: the CSV needs the columns asn, name, email")
        parsed = []
        for line, row in enumerate(rows, start=2):
            r = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
            if not r["asn"].removeprefix("AS").isdigit():
                raise InvalidInput(f"{path.name} line {line}: ASN {r['asn']!r} is not a number")
            try:
                email = _check_email(r["email"])
            except InvalidInput as exc:
                raise InvalidInput(f"{path.name} line {line}: {exc}") from None
            parsed.append((int(r["asn"].removeprefix("AS")), r["name"], email,
                           r.get("address", ""), r.get("language") or "en"))
        with self._action("provider.import", path.name, SUPERVISORS_ADMINS,
                          "edit hosting providers") as detail:
            for asn, name, email, address, language in parsed:
                self._ws.notices.save_provider(asn, name, email, address, language,
                                               self._user.name, replace=True)
            detail["providers"] = len(parsed)
        return len(parsed)

    def lookup_providers(self) -> list[Provider]:
        """Fill the directory from RDAP for every network that has confirmed URLs waiting or
        on a notice but no provider yet. Returns the providers added."""
        base = self._ws.settings.get("hosting.rdap_url")
        if not base:
            raise InvalidInput("RDAP is off (hosting.rdap_url is empty)")
        self._check_role("provider.lookup", "", SUPERVISORS_ADMINS, "edit hosting providers")
        wanted: dict[int, str] = {}
        for c in self._ws.notices.candidates():
            if c.asn and c.ip and self._ws.notices.provider(c.asn) is None:
                wanted.setdefault(c.asn, c.ip)
        for n in self._ws.notices.notices():
            if n.asn and self._ws.notices.provider(n.asn) is None:
                urls = self._ws.notices.urls(n.id)
                if urls and urls[0].ip:
                    wanted.setdefault(n.asn, urls[0].ip)
        fetcher = self._fetcher()
        found = {asn: rdap.lookup(fetcher, base, ip) for asn, ip in wanted.items()}
        added = []
        with self._action("provider.lookup", "", SUPERVISORS_ADMINS) as detail:
            for asn, contact in found.items():
                if contact is not None:
                    added.append(self._ws.notices.save_provider(
                        asn, contact.organisation or contact.network or f"AS{asn}",
                        contact.email, "", "en", self._user.name))
            detail.update(asked=sorted(wanted), found=[p.asn for p in added])
        return added

    def _fetcher(self) -> Fetcher:
        return Fetcher(FetchLimits.from_settings(self._ws.settings.get))

    # ------------------------------------------------------------ notices

    def build_notices(self) -> BuildResult:
        """Group every confirmed illegal URL not on a notice yet: a notice per provider at
        home, a referral per country abroad. Only items a person confirmed are used."""
        home = self._ws.settings.get("hotline.country")
        if not home:
            raise InvalidInput("set hotline.country first (`hotline settings set "
                               "hotline.country NL`): it decides notice or referral")
        self._check_role("notices.build", "", SUPERVISOR, "build notices")
        candidates = self._ws.notices.candidates()
        untrusted = self._untrusted(c.item_id for c in candidates)
        candidates = [c for c in candidates if c.item_id not in untrusted]
        if not str(self._ws.settings.get("notice.legal_text")).strip() and any(
                c.final_verdict == "national" and c.country == home for c in candidates):
            raise InvalidInput(letter.NEEDS_LEGAL_TEXT)
        with self._action("notices.build", "", SUPERVISOR, "build notices") as detail:
            groups, unknown = group(candidates, home)
            made = [self._ws.notices.create(g.kind, g.country, g.asn, g.urls, self._user.name)
                    for g in groups]
            detail.update(notices=[n.reference for n in made], without_hosting=len(unknown),
                          untrusted=untrusted)
        return BuildResult([n for n in made if n.kind == "notice"],
                           [n for n in made if n.kind == "referral"], len(unknown), untrusted)

    def notices(self, state: str | None = None) -> list[Notice]:
        self._refresh_user()
        return self._ws.notices.notices(state)

    def notice(self, ref: str) -> NoticeView:
        self._refresh_user()
        notice = self._ws.notices.notice(ref)
        urls = self._ws.notices.urls(notice.id)
        open_urls = sum(1 for u in urls if not u.removed_at)
        due = False
        if notice.sent_at and notice.state in OPEN_NOTICES:
            days = self._ws.settings.get("notice.reminder_days")
            age = (datetime.now(UTC) - parse_utc(notice.sent_at)).total_seconds() / 86400
            due = age >= days
        return NoticeView(notice, self._ws.notices.provider(notice.asn), urls, open_urls, due)

    def _letterhead(self) -> letter.Letterhead:
        s = self._ws.settings
        return letter.Letterhead(s.get("hotline.name") or "Hotline", s.get("hotline.address"),
                                 s.get("hotline.email"), s.get("hotline.phone"),
                                 s.get("hotline.logo"), s.get("notice.legal_text"))

    def _addressee(self, view: NoticeView) -> tuple[dict[str, str], str]:
        """Who the letter goes to; refused while an item on it no longer holds from the signed
        audit entries (its review was rewritten after the notice was built)."""
        untrusted = self._untrusted({u.item_id for u in view.urls})
        if untrusted:
            item, why = next(iter(untrusted.items()))
            raise InvalidInput(f"{view.notice.reference} names item {item}, whose review no "
                               f"longer holds from the signed audit entries ({why}); no letter "
                               "is made: run `hotline audit verify` and tell your admin")
        if view.notice.kind != "notice":
            raise InvalidInput(f"{view.notice.reference} is a referral for the partner hotline "
                               f"of {view.notice.country}; export it with `hotline export "
                               "referral`")
        if view.provider is None:
            raise NotFound(f"no hosting provider for AS{view.notice.asn}; add one with "
                           f"`hotline providers add --asn {view.notice.asn} ...`")
        p = view.provider
        return {"name": p.name, "address": p.address, "email": p.email}, p.language

    def notice_pdf_bytes(self, ref: str) -> bytes:
        """The letter as PDF bytes, signed by the current supervisor (for a preview)."""
        view = self.notice(ref)
        addressee, language = self._addressee(view)
        with self._action("notice.pdf", view.notice.reference, SUPERVISOR, "sign notices"):
            return letter.render_pdf(self._letterhead(), view.notice.reference,
                                     utc_now()[:10], addressee, view.urls, self._user.name,
                                     language)

    def notice_pdf(self, ref: str, out: Path) -> Path:
        pdf = self.notice_pdf_bytes(ref)
        with atomic_writer(out) as fh:
            fh.write(pdf)
        return out

    def notice_email(self, ref: str, out: Path) -> Path:
        view = self.notice(ref)
        addressee, language = self._addressee(view)
        head = self._letterhead()
        pdf = letter.render_pdf(head, view.notice.reference, utc_now()[:10], addressee,
                                view.urls, self._user.name, language)
        eml = letter.render_eml(head, view.notice.reference, addressee, view.urls,
                                self._user.name, language, pdf)
        with self._action("notice.email", view.notice.reference, SUPERVISOR, "sign notices"), \
                atomic_writer(out) as fh:
            fh.write(eml)
        return out

    def mark_sent(self, ref: str) -> Notice:
        with self._action("notice.sent", ref, SUPERVISOR, "send notices") as detail:
            notice = self._ws.notices.notice(ref)
            state = after_sending(NoticeState(notice.state))
            self._ws.notices.set_state(notice.id, state=state.value, sent_at=utc_now(),
                                       sent_by=self._user.name)
            detail["resent"] = notice.sent_at is not None
        return self._ws.notices.notice(ref)

    def recheck(self, ref: str | None = None) -> list[RecheckResult]:
        """Fetch every open URL again (through the intake fetcher and its guard): removed when
        it answers 404/410 or serves other content. Without ref: every open notice."""
        self._check_role("notice.recheck", ref or "", REVIEWERS, "re-check notices")
        fetcher = self._fetcher()
        notices = [self._ws.notices.notice(ref)] if ref else [
            n for n in self._ws.notices.notices() if n.state in OPEN_NOTICES]
        results = []
        for notice in notices:
            counts = {REMOVED: 0, ONLINE: 0, UNREACHABLE: 0}
            outcomes = []
            for u in self._ws.notices.urls(notice.id):
                if u.removed_at:
                    continue
                seen, what = check_url(fetcher, u.url, u.sha256)
                outcomes.append((u.id, what, seen == REMOVED))
                counts[seen] += 1
            checked, removed = sum(counts.values()), counts[REMOVED]
            with self._action("notice.recheck", notice.reference, REVIEWERS) as detail:
                for url_id, what, gone in outcomes:
                    self._ws.notices.record_check(url_id, what, gone)
                urls = self._ws.notices.urls(notice.id)
                left = sum(1 for u in urls if not u.removed_at)
                state = after_recheck(NoticeState(notice.state), left, len(urls))
                if state.value != notice.state or state in OPEN_NOTICES:
                    self._ws.notices.set_state(notice.id, state=state.value,
                                               closed_at=utc_now() if left == 0 else None)
                detail.update(checked=checked, removed=removed, still_online=counts[ONLINE],
                              unreachable=counts[UNREACHABLE])
            results.append(RecheckResult(notice.reference, checked, removed, counts[ONLINE],
                                         state.value, counts[UNREACHABLE]))
        return results

    def close_notice(self, ref: str) -> Notice:
        """Close a notice by hand (the provider answered, the case went to the police...)."""
        with self._action("notice.close", ref, SUPERVISOR, "close notices"):
            notice = self._ws.notices.notice(ref)
            state = after_closing(NoticeState(notice.state))
            self._ws.notices.set_state(notice.id, state=state.value, closed_at=utc_now())
        return self._ws.notices.notice(ref)

    def export_referral(self, country: str | None, out: Path, police: bool = False) -> int:
        """A referral file (JSON or CSV by the name): for the partner hotline of a country (its
        referrals), or with `police` for the national police (the notices at home). URLs with
        hashes, verdicts and optional fields. Never content."""
        if police == (country is not None):
            raise InvalidInput("a referral is either for a --country's partner hotline or for "
                               "the --police")
        country = country.strip().upper() if country else None
        target = country or "police"
        with self._action("referral.export", target, SUPERVISOR, "export referrals") as d:
            urls = []
            for n in self._ws.notices.notices():
                if (police and n.kind == "notice") or (
                        n.kind == "referral" and n.country == country):
                    urls += self._ws.notices.urls(n.id)
            untrusted = self._untrusted({u.item_id for u in urls})
            urls = [u for u in urls if u.item_id not in untrusted]
            if not urls:
                raise NotFound(f"no referral for {target}; build notices first")
            d["untrusted"] = untrusted
            hashes = {i: self._ws.items.get(i) for i in {u.item_id for u in urls}}
            rows = exports.rows_of(urls, hashes)
            meta = {"from": self._ws.settings.get("hotline.name"),
                    "country": country or self._ws.settings.get("hotline.country"),
                    "created": utc_now(),
                    "kind": "police referral" if police else "partner hotline referral"}
            data = exports.to_csv(rows) if out.suffix.lower() == ".csv" else \
                exports.to_json(meta, rows)
            with atomic_writer(out) as fh:
                fh.write(data)
            d.update(urls=len(rows), file=out.name)
        return len(rows)

    # ------------------------------------------------------------ statistics

    def stats(self, start: str | None = None, end: str | None = None) -> list[Month]:
        self._check_role("stats", "", ANYONE, "see statistics")
        return monthly(self._ws.figures, start, end)

    def stats_csv(self, start: str | None, end: str | None, out: Path) -> int:
        months = self.stats(start, end)
        buffer = io.StringIO()
        rows = [m.as_row() for m in months]
        if rows:
            writer = csv.DictWriter(buffer, list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        with atomic_writer(out) as fh:
            fh.write(buffer.getvalue().encode())
        return len(rows)

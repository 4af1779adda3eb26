"""Every workspace setting, declared once with its type, default and meaning.

Values are stored as JSON in the encrypted database; a setting not stored has its default.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.errors import InvalidInput
from app.workspace.clock import utc_now
from app.workspace.db import Database
from app.workspace.sealing import Sealer
from app.workspace.users import UserStore


@dataclass(frozen=True)
class Setting:
    key: str
    kind: type
    default: Any
    help: str
    check: Callable[[Any], bool] = lambda value: True
    rule: str = ""


def _between(lo: float, hi: float) -> Callable[[Any], bool]:
    return lambda value: lo <= value <= hi


def _country(value: str) -> bool:
    return value == "" or (len(value) == 2 and value.isalpha() and value.isupper())


SCHEMA: dict[str, Setting] = {s.key: s for s in [
    Setting("allow_private_networks", bool, False,
            "Let the fetcher connect to loopback and private addresses (tests, lab setups)."),
    Setting("hotline.name", str, "", "The hotline's name, for letters and referrals."),
    Setting("queue.claim_minutes", int, 5,
            "Minutes an item stays with whoever has it open (others' queues leave it out).",
            _between(1, 120), "1 to 120"),
    Setting("hotline.country", str, "", "ISO 3166 two-letter code of the hotline's country.",
            _country, "two capital letters, e.g. DE"),
    Setting("hotline.address", str, "", "Postal address on letters."),
    Setting("hotline.email", str, "", "Contact e-mail on letters."),
    Setting("hotline.phone", str, "", "Contact telephone on letters."),
    Setting("hotline.logo", str, "", "Path of a PNG or JPEG logo for the letterhead."),
    Setting("notice.legal_text", str, "",
            "The national provision that makes the content illegal, quoted in notices."),
    Setting("notice.reminder_days", int, 1,
            "Days after which an open notice is due to be sent again (Arachnid: 1).",
            _between(1, 90), "1 to 90"),
    Setting("hosting.rdap_url", str, "https://rdap.org",
            "RDAP service for abuse contacts of networks (empty: never ask)."),
    Setting("hosting.country_db", str, "", "Path of a MaxMind-format country database "
            "(a relative path is inside the workspace folder)."),
    Setting("hosting.asn_db", str, "", "Path of a MaxMind-format ASN database "
            "(a relative path is inside the workspace folder)."),
    Setting("pdq.threshold", int, 31, "Largest PDQ distance that counts as a near match.",
            _between(0, 128), "0 to 128"),
    Setting("pdq.min_quality", int, 50, "PDQ hashes of lower quality are not near-matched.",
            _between(0, 100), "0 to 100"),
    Setting("pdq.dihedral", bool, True, "Also match rotated and mirrored copies."),
    Setting("video.match_pct", float, 80.0,
            "Two videos match when this share of one video's frames match the other...",
            _between(1, 100), "1 to 100"),
    Setting("video.match_pct_other", float, 50.0,
            "... and this share of the other's match the first (a trimmed copy matches).",
            _between(0, 100), "0 to 100"),
    Setting("flood.entry_items", int, 20,
            "A list entry that hits this many different items within flood.hours is held: "
            "its hits give no machine verdict until a list keeper releases it (0: never).",
            _between(0, 1_000_000), "0 to 1000000"),
    Setting("flood.list_items", int, 500,
            "A list that hits this many different items within flood.hours is held as a "
            "whole (0: never).", _between(0, 10_000_000), "0 to 10000000"),
    Setting("flood.hours", int, 24, "The window of flood.entry_items and flood.list_items.",
            _between(1, 24 * 365), "1 to 8760"),
    Setting("retention.days", int, 90,
            "Days confirmed material is kept after its notice is closed.",
            _between(0, 3650), "0 to 3650"),
    Setting("review.national_scale", str, "",
            "The national category scale assessments may carry, comma-separated (e.g. A,B,C)."),
    Setting("session.idle_lock_minutes", int, 10, "Lock the window after this many idle minutes.",
            _between(1, 240), "1 to 240"),
    Setting("welfare.break_minutes", int, 20,
            "Suggest a break after this many minutes of unblurred viewing in a day.",
            _between(1, 480), "1 to 480"),
    Setting("viewer.blur_radius", int, 24, "Blur strength of the viewer.",
            _between(4, 100), "4 to 100"),
    Setting("viewer.greyscale", bool, True, "Show content in greyscale by default."),
    Setting("fetch.connect_timeout_s", float, 10.0, "Seconds to wait for a connection.",
            _between(0.1, 120), "0.1 to 120"),
    Setting("fetch.read_timeout_s", float, 30.0, "Seconds a download may take in all.",
            _between(0.1, 600), "0.1 to 600"),
    Setting("fetch.max_page_bytes", int, 5_000_000, "Largest page that is read.",
            _between(1_000, 100_000_000), "1 kB to 100 MB"),
    Setting("fetch.max_media_bytes", int, 200_000_000, "Largest media file that is downloaded.",
            _between(1_000, 4_000_000_000), "1 kB to 4 GB"),
    Setting("fetch.max_report_bytes", int, 2_000_000_000,
            "Most bytes downloaded for one report in all.",
            _between(1_000, 100_000_000_000), "1 kB to 100 GB"),
    Setting("fetch.concurrency", int, 4, "Downloads at the same time.", _between(1, 32),
            "1 to 32"),
    Setting("archive.max_members", int, 10_000, "Most files read from one archive.",
            _between(1, 1_000_000), "1 to 1,000,000"),
    Setting("archive.max_total_bytes", int, 4_000_000_000,
            "Most bytes unpacked from one archive.", _between(1_000, 100_000_000_000),
            "1 kB to 100 GB"),
    Setting("archive.max_ratio", int, 200,
            "Largest compression ratio of an archive member (zip bombs exceed it).",
            _between(2, 100_000), "2 to 100,000"),
]}


def parse_value(key: str, text: str) -> Any:
    """Turn the text a user typed into the setting's type, or say why it does not fit."""
    setting = SCHEMA.get(key)
    if setting is None:
        raise InvalidInput(f"unknown setting {key!r}; `hotline settings show` lists them")
    try:
        if setting.kind is bool:
            lowered = text.strip().lower()
            if lowered not in {"true", "false", "yes", "no", "on", "off", "1", "0"}:
                raise ValueError
            value: Any = lowered in {"true", "yes", "on", "1"}
        else:
            value = setting.kind(text.strip() if setting.kind is not str else text)
    except ValueError:
        raise InvalidInput(f"{key} takes a {setting.kind.__name__}, not {text!r}") from None
    if not setting.check(value):
        raise InvalidInput(f"{key} must be {setting.rule}, not {text!r}")
    return value


class SettingsStore:
    """The settings, as the table holds them or, once the Desk has pinned a source, as that
    source says: the Desk pins the values admins' signed entries set, so that a value written
    into the table behind its back does not count."""

    def __init__(self, db: Database, users: UserStore, sealer: Sealer) -> None:
        self._db = db
        self._users = users
        self._sealer = sealer
        self._source: Callable[[], dict[str, Any]] | None = None

    def pin(self, source: Callable[[], dict[str, Any]]) -> None:
        self._source = source

    @property
    def source(self) -> Callable[[], dict[str, Any]] | None:
        return self._source

    def _stored(self) -> dict[str, Any]:
        if self._source is not None:
            return self._source()
        return {k: json.loads(self._sealer.open("settings.value", v) or "null")
                for k, v in self._db.execute("SELECT key, value FROM settings")}

    def get(self, key: str) -> Any:
        return self._stored().get(key, SCHEMA[key].default)

    def all(self) -> dict[str, Any]:
        stored = self._stored()
        return {key: stored.get(key, s.default) for key, s in SCHEMA.items()}

    def set(self, key: str, value: Any, by: str) -> None:
        self._db.execute(
            "INSERT INTO settings (key, value, changed, changed_by) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value,"
            " changed = excluded.changed, changed_by = excluded.changed_by",
            [key, self._sealer.seal("settings.value", json.dumps(value)), utc_now(),
             self._users.id_of(by)])

"""Where content is hosted: IP address -> country and network (ASN, organisation), read from
MaxMind-format databases the hotline supplies (GeoLite2/GeoIP2 Country and ASN, or any
database with the same fields). Without them the hosting is simply unknown."""

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import maxminddb

from app.errors import InvalidInput


@dataclass(frozen=True)
class Hosting:
    country: str | None = None
    asn: int | None = None
    organisation: str | None = None


class HostingLookup:
    """Lookups never stop an import: a database that cannot be opened or read makes the
    hosting unknown, and `problems` says why (the import reports it once)."""

    def __init__(self, country_db: str = "", asn_db: str = "") -> None:
        self.problems: list[str] = []
        self._country = self._open(country_db, "hosting.country_db")
        self._asn = self._open(asn_db, "hosting.asn_db")

    def _open(self, path: str, setting: str) -> Any:
        if not path:
            return None
        try:
            return maxminddb.open_database(str(Path(path).expanduser()))
        except Exception as exc:  # an unreadable database: hosting unknown
            self.problems.append(f"{setting}: cannot read the database {path}: {exc}; "
                                 "hosting is unknown for this import")
            return None

    @classmethod
    def configured(cls, root: Path, setting: Callable[[str], Any]) -> "HostingLookup":
        """The databases a workspace's settings name (relative paths inside `root`)."""
        return cls(in_workspace(root, setting("hosting.country_db")),
                   in_workspace(root, setting("hosting.asn_db")))

    def _record(self, db: Any, ip: str, setting: str) -> dict[str, Any]:
        try:
            record = db.get(ip)
        except Exception as exc:  # a corrupt record: this IP's hosting unknown
            problem = f"{setting}: the record for {ip} is unreadable: {exc}"
            if problem not in self.problems:
                self.problems.append(problem)
            return {}
        return record if isinstance(record, dict) else {}

    def lookup(self, ip: str | None) -> Hosting:
        if not ip:
            return Hosting()
        try:
            ipaddress.ip_address(ip)
        except ValueError:
            return Hosting()
        country = asn = organisation = None
        if self._country is not None:
            record = self._record(self._country, ip, "hosting.country_db")
            place = record.get("country") or record.get("registered_country") or {}
            code = place.get("iso_code") if isinstance(place, dict) else None
            country = code if isinstance(code, str) else None
        if self._asn is not None:
            record = self._record(self._asn, ip, "hosting.asn_db")
            number = record.get("autonomous_system_number")
            name = record.get("autonomous_system_organization")
            asn = number if isinstance(number, int) else None
            organisation = name if isinstance(name, str) else None
        return Hosting(country, asn, organisation)

    def close(self) -> None:
        for db in (self._country, self._asn):
            if db is not None:
                db.close()


# What each setting's database must be, by the type its metadata declares (MaxMind's
# GeoLite2/GeoIP2 names, and the same words in other vendors' MaxMind-format databases).
EXPECTED_TYPES = {"hosting.country_db": ("Country", "City"), "hosting.asn_db": ("ASN", "ISP")}


def check_database(path: Path, setting: str) -> str:
    """Refuse, with the reason, a file that is not a MaxMind-format database of the kind the
    setting needs; returns the database type it declares."""
    try:
        db = maxminddb.open_database(str(path))
    except FileNotFoundError:
        raise InvalidInput(f"{setting}: no file at {path}") from None
    except Exception as exc:  # any reason it cannot be read is the answer
        raise InvalidInput(f"{setting}: {path} is not a MaxMind-format database ({exc})") from None
    try:
        declared = str(db.metadata().database_type)
    finally:
        db.close()
    wanted = EXPECTED_TYPES[setting]
    if not any(word.lower() in declared.lower() for word in wanted):
        raise InvalidInput(f"{setting}: {path} is a {declared!r} database; this setting needs "
                           f"a {' or '.join(wanted)} database")
    return declared


def in_workspace(root: Path, value: str) -> str:
    """A database setting's path: a relative one is inside the workspace folder (the demo
    keeps its own copies there, so reinstalling the program breaks nothing)."""
    return str(root / value) if value and not Path(value).expanduser().is_absolute() else value

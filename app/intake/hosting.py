"""Where content is hosted: IP address -> country and network (ASN, organisation), read from
MaxMind-format databases the hotline supplies (GeoLite2/GeoIP2 Country and ASN, or any
database with the same fields). Without them the hosting is simply unknown."""

import ipaddress
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
    def __init__(self, country_db: str = "", asn_db: str = "") -> None:
        self._country = self._open(country_db, "hosting.country_db")
        self._asn = self._open(asn_db, "hosting.asn_db")

    @staticmethod
    def _open(path: str, setting: str) -> Any:
        if not path:
            return None
        try:
            return maxminddb.open_database(str(Path(path).expanduser()))
        except (OSError, ValueError, maxminddb.InvalidDatabaseError) as exc:
            raise InvalidInput(f"{setting}: cannot read the database {path}: {exc}") from None

    def lookup(self, ip: str | None) -> Hosting:
        if not ip:
            return Hosting()
        try:
            ipaddress.ip_address(ip)
        except ValueError:
            return Hosting()
        country = asn = organisation = None
        if self._country is not None:
            record = self._country.get(ip) or {}
            place = record.get("country") or record.get("registered_country") or {}
            country = place.get("iso_code")
        if self._asn is not None:
            record = self._asn.get(ip) or {}
            asn = record.get("autonomous_system_number")
            organisation = record.get("autonomous_system_organization")
        return Hosting(country, asn, organisation)

    def close(self) -> None:
        for db in (self._country, self._asn):
            if db is not None:
                db.close()

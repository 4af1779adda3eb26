"""Desk actions on settings: anyone reads them, only an admin changes them."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.desk.base import ADMIN, DeskBase
from app.intake.hosting import (
    EXPECTED_TYPES,
    Hosting,
    HostingLookup,
    check_database,
    in_workspace,
)
from app.workspace.settings import SCHEMA, parse_value

# Settings that name a file: the GUI offers a file chooser.
PATH_SETTINGS = {"hosting.country_db", "hosting.asn_db", "hotline.logo"}


@dataclass(frozen=True)
class SettingView:
    key: str
    value: Any
    default: Any
    help: str
    kind: str = "str"  # bool, int, float, str or path: which editor fits
    rule: str = ""     # what values are allowed, when not every value of the kind is


def _view(key: str, value: Any) -> SettingView:
    s = SCHEMA[key]
    kind = "path" if key in PATH_SETTINGS else s.kind.__name__
    return SettingView(key, value, s.default, s.help, kind, s.rule)


class SettingActions(DeskBase):
    def hosting_lookup(self, ip: str) -> tuple[Hosting, list[str]]:
        """What the app sees for an address: country, ASN and organisation from the
        configured databases, and why any of it is unknown."""
        self._refresh_user()
        s = self._ws.settings
        lookup = HostingLookup.configured(self._ws.root, s.get)
        try:
            found = lookup.lookup(ip)
        finally:
            lookup.close()
        problems = list(lookup.problems)
        if not s.get("hosting.country_db") or not s.get("hosting.asn_db"):
            problems.append("set hosting.country_db and hosting.asn_db to look both up")
        return found, problems

    def settings(self) -> list[SettingView]:
        """Every setting as admins' signed entries set it (another process may have)."""
        self._refresh_user()
        values = self._ws.settings.all()
        return [_view(k, values[k]) for k in SCHEMA]

    def setting(self, key: str) -> Any:
        self._refresh_user()
        return self._ws.settings.get(key)

    def set_setting(self, key: str, text: str) -> SettingView:
        """Set from the text a user typed; the value is checked against the schema first."""
        value = parse_value(key, text)
        if key in EXPECTED_TYPES and value:
            self._check_role("settings.set", key, ADMIN, "change settings")
            check_database(Path(in_workspace(self._ws.root, str(value))).expanduser(), key)
        with self._action("settings.set", key, ADMIN, "change settings") as detail:
            detail["value"] = value
            self._ws.settings.set(key, value, by=self._user.name)
        return _view(key, value)

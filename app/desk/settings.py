"""Desk actions on settings: anyone reads them, only an admin changes them."""

from dataclasses import dataclass
from typing import Any

from app.desk.base import ADMIN, DeskBase
from app.workspace.settings import SCHEMA, parse_value


@dataclass(frozen=True)
class SettingView:
    key: str
    value: Any
    default: Any
    help: str


class SettingActions(DeskBase):
    def settings(self) -> list[SettingView]:
        values = self._ws.settings.all()
        return [SettingView(k, values[k], s.default, s.help) for k, s in SCHEMA.items()]

    def setting(self, key: str) -> Any:
        return self._ws.settings.get(key)

    def set_setting(self, key: str, text: str) -> SettingView:
        """Set from the text a user typed; the value is checked against the schema first."""
        value = parse_value(key, text)
        with self._action("settings.set", key, ADMIN, "change settings") as detail:
            detail["value"] = value
            self._ws.settings.set(key, value, by=self._user.name)
        s = SCHEMA[key]
        return SettingView(key, value, s.default, s.help)

"""This workstation's saved team server: the connection string `hotline connect` (or the
window's sign-in) remembered, so that `hotline` alone opens the team's workspace. Never a
password: one written into the string is left out (libpq reads it from PGPASSFILE)."""

from pathlib import Path

import platformdirs
import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from app.errors import InvalidInput
from app.workspace.atomic import write_atomic


def _file() -> Path:
    return platformdirs.user_config_path("hotline-triage", appauthor=False) / "server"


def without_password(conninfo: str) -> str:
    try:
        fields = conninfo_to_dict(conninfo)
    except psycopg.ProgrammingError as exc:
        raise InvalidInput(f"not a PostgreSQL connection string: {exc}") from None
    fields.pop("password", None)
    return make_conninfo(**{k: str(v) for k, v in fields.items()})


def saved() -> str | None:
    try:
        text = _file().read_text().strip()
    except OSError:
        return None
    return text or None


def save(conninfo: str) -> str:
    """Remember the server (its password, if any, left out); returns what was saved."""
    clean = without_password(conninfo)
    path = _file()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    write_atomic(path, clean.encode())
    return clean


def forget() -> None:
    _file().unlink(missing_ok=True)

"""How figures and choices read for people, the same in the window and on the command line."""

from enum import StrEnum
from typing import TypeVar

from app.errors import InvalidInput

E = TypeVar("E", bound=StrEnum)


def size_text(n: int) -> str:
    """A file size: `2.4 MB`, `310 kB`."""
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.0f} kB"


def parse_choice(kind: type[E], text: str | None, what: str) -> E | None:
    """A member of an enum from what a user typed (None stays None): `not-illegal`,
    `Not illegal` and `not_illegal` are one choice."""
    if text is None or str(text).strip() == "":
        return None
    raw = str(text).strip().lower()
    for candidate in (raw, raw.replace("-", "_").replace(" ", "_")):
        try:
            return kind(candidate)
        except ValueError:
            continue
    allowed = ", ".join(v.value for v in kind)
    raise InvalidInput(f"unknown {what} {text!r}: {allowed}")

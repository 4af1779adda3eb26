"""What a hash list holds: its metadata and its entries."""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum

from hashdb.errors import InvalidHash
from hashdb.kinds import Kind, normalise


class Verdict(StrEnum):
    BASELINE = "baseline"
    NATIONAL = "national"
    NOT_ILLEGAL = "not_illegal"


class Scope(StrEnum):
    BASELINE = "baseline"
    NATIONAL = "national"
    NOT_ILLEGAL = "not_illegal"
    MIXED = "mixed"
    NEGATIVE = "negative"  # known false positives: a hit overrides other lists' hits


class Trust(StrEnum):
    """A trusted list's exact hits give an automated verdict; a reference list's only inform."""

    TRUSTED = "trusted"
    REFERENCE = "reference"


VERDICT_CODE: dict[Verdict | None, int] = {
    None: 0, Verdict.BASELINE: 1, Verdict.NATIONAL: 2, Verdict.NOT_ILLEGAL: 3}
CODE_VERDICT = {code: verdict for verdict, code in VERDICT_CODE.items()}


def parse_verdict(text: str | None) -> Verdict | None:
    if text is None or text.strip() == "":
        return None
    try:
        return Verdict(text.strip().lower())
    except ValueError:
        raise InvalidHash(f"unknown verdict {text!r}: baseline, national or not_illegal") from None


@dataclass(frozen=True)
class Entry:
    """One entry: any of the four computed hashes, a video's frame hashes (PDQ of sampled
    frames, in the manner of vPDQ), and other hashes kept as given."""

    md5: str | None = None
    sha1: str | None = None
    sha256: str | None = None
    pdq: str | None = None
    pdq_quality: int | None = None
    verdict: Verdict | None = None
    category: str = ""
    source_id: str = ""
    other: tuple[tuple[str, str], ...] = field(default=())
    frames: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        for kind in Kind:
            value = getattr(self, kind.value)
            if value is not None:
                object.__setattr__(self, kind.value, normalise(kind, value))
        if self.pdq_quality is not None and not 0 <= self.pdq_quality <= 100:
            raise InvalidHash(f"PDQ quality must be 0 to 100, got {self.pdq_quality}")
        if len(self.frames) > MAX_FRAMES:
            raise InvalidHash(f"a video entry has at most {MAX_FRAMES} frame hashes")
        object.__setattr__(self, "frames", tuple(normalise(Kind.PDQ, f) for f in self.frames))
        if not (self.md5 or self.sha1 or self.sha256 or self.pdq or self.other or self.frames):
            raise InvalidHash("the entry has no hash")

    def hashes(self) -> dict[str, str]:
        """Every hash of the entry by kind name, computed and other (frames joined)."""
        found = {k.value: getattr(self, k.value) for k in Kind if getattr(self, k.value)}
        found.update(dict(self.other))
        if self.frames:
            found["vpdq"] = join_frames(self.frames)
        return found


MAX_FRAMES = 100_000
FRAME_SEPARATORS = re.compile(r"[\s;,|]+")


def split_frames(text: str | None) -> tuple[str, ...]:
    """Frame hashes from one text field: hex hashes separated by ';' (or spaces, commas, |).
    Normalised and checked when the Entry is made."""
    if not text or not text.strip():
        return ()
    return tuple(part for part in FRAME_SEPARATORS.split(text.strip()) if part)


def join_frames(frames: tuple[str, ...] | list[str]) -> str:
    return ";".join(frames)


@dataclass(frozen=True)
class ListMeta:
    name: str
    scope: Scope
    trust: Trust = Trust.TRUSTED
    source: str = ""
    description: str = ""
    created: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    version: int = 1

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "scope": self.scope.value, "trust": self.trust.value,
                "source": self.source, "description": self.description,
                "created": self.created, "version": self.version}

    @classmethod
    def from_json(cls, data: dict[str, object]) -> "ListMeta":
        return cls(name=str(data["name"]), scope=Scope(str(data["scope"])),
                   trust=Trust(str(data.get("trust", "trusted"))),
                   source=str(data.get("source", "")),
                   description=str(data.get("description", "")),
                   created=str(data.get("created", "")),
                   version=int(str(data.get("version", 1))))

    def verdict_of(self, entry_verdict: Verdict | None) -> Verdict | None:
        """An entry's own verdict, else the one its list's scope implies."""
        if self.scope is Scope.NEGATIVE:
            return None  # a known false positive carries no verdict
        if entry_verdict is not None or self.scope is Scope.MIXED:
            return entry_verdict
        return Verdict(self.scope.value)

"""What a user can tell a reader that the file itself does not: which hash kind its values
are (64 hex characters may be SHA-256 or PDQ) and which column holds them."""

from dataclasses import dataclass

from hashdb.errors import FormatError
from hashdb.kinds import HEX_LENGTH, Kind


@dataclass(frozen=True)
class ReadOptions:
    kind: Kind | None = None  # the values' kind, when the file cannot tell
    column: str | None = None  # the CSV column holding them, when its name says nothing


class AmbiguousKind(FormatError):
    """64 hex characters that could be SHA-256 or PDQ, in a file that does not say which: the
    whole file is refused (one line's doubt is every line's), never guessed."""


NO_OPTIONS = ReadOptions()


def ambiguous(line: int, value: str) -> AmbiguousKind:
    return AmbiguousKind(f"line {line}: {value.strip()[:16]}... is 64 hex characters, a SHA-256 "
                       "or a PDQ hash, and the file does not say which; say --kind sha256 or "
                       "--kind pdq")


def kind_of(line: int, value: str, options: ReadOptions, pdq_form: bool = False) -> Kind:
    """The kind of one bare hex value: the user's word, else its length; 64 characters only
    when the file's form said PDQ (`pdq_form`) or a digest tool wrote it (the caller)."""
    if options.kind is not None:
        return options.kind
    n = len(value.strip().lower().removeprefix("0x"))
    if n == HEX_LENGTH[Kind.MD5]:
        return Kind.MD5
    if n == HEX_LENGTH[Kind.SHA1]:
        return Kind.SHA1
    if n == 64:
        if pdq_form:
            return Kind.PDQ
        raise ambiguous(line, value)
    raise FormatError(f"line {line}: a hash of {n} characters is neither MD5 (32), SHA-1 (40) "
                      "nor SHA-256 or PDQ (64)")

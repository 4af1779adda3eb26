"""Reading a hash list: any exchange format hashdb knows (detected or named), or a list file
shared by a partner hotline (encrypted, signed)."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.errors import InvalidInput
from app.jobs import CancelToken, Progress, ProgressCallback
from app.text import parse_choice
from hashdb.entry import ListMeta, Scope, Trust, Verdict
from hashdb.errors import FormatError, ListFileError
from hashdb.formats import (
    PRESETS,
    WRITABLE,
    CategoryMap,
    Format,
    ParseReport,
    ReadOptions,
    read_entries,
)
from hashdb.hashlist import HashList, HashListBuilder
from hashdb.kinds import Kind
from hashdb.listfile import read_list
from hashdb.sealed import MAGIC, Passphrase, RecipientKey

PROGRESS_EVERY = 20_000
FORMATS = (*(fmt.value for fmt in Format), "hlist")  # what import accepts
EXPORT_FORMATS = (*(fmt.value for fmt in WRITABLE), "hlist")
KINDS = tuple(kind.value for kind in Kind)  # what --kind names
CATEGORY_PRESETS = tuple(PRESETS)
SCOPES = tuple(scope.value for scope in Scope)
TRUSTS = tuple(trust.value for trust in Trust)


@dataclass(frozen=True)
class Parsed:
    """A list read from a file, with what reading it found."""

    hashlist: HashList
    format: str
    report: ParseReport
    duplicates: int
    signed_by: str | None = None  # a shared file: the partner who signed it


def choice(kind: type, text: str, what: str):
    """A required choice (scope, trust, format) from what the user typed."""
    value = parse_choice(kind, text, what)
    if value is None:
        raise InvalidInput(f"a {what} is needed")
    return value


def list_meta(name: str, scope: str, trust: str, source: str) -> ListMeta:
    """A new list's name and terms, checked: own: names belong to the workspace's own lists."""
    meta = ListMeta(name.strip(), choice(Scope, scope, "scope"), choice(Trust, trust, "trust"),
                    source=source)
    if not meta.name:
        raise InvalidInput("a list needs a name")
    if meta.name.casefold().startswith("own:"):
        raise InvalidInput("names starting with own: are the workspace's own lists")
    return meta


def category_map(spec: str | None) -> CategoryMap:
    """A preset's name, or the path of a JSON object {category: verdict or null}."""
    if spec is None or spec == "":
        return {}
    if spec in PRESETS:
        return PRESETS[spec]
    path = Path(spec)
    if not path.exists():
        raise InvalidInput(f"--categories takes {', '.join(PRESETS)} or a JSON file; "
                           f"{spec!r} is neither")
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return {str(k): None if v is None else Verdict(v) for k, v in raw.items()}
    except (ValueError, AttributeError) as exc:
        raise InvalidInput(f"{spec}: a category map is a JSON object of category to "
                           f"baseline, national, not_illegal or null ({exc})") from None


def is_sealed(path: Path) -> bool:
    """A shared list file (as opposed to a text format), by its first bytes."""
    with path.open("rb") as fh:
        return fh.read(len(MAGIC)) == MAGIC


def read_plain(path: Path, meta: ListMeta, fmt: str | None, categories: str | None,
               progress: ProgressCallback, cancel: CancelToken, kind: str | None = None,
               column: str | None = None) -> Parsed:
    """A list in an exchange format; `fmt` None detects it. `kind` and `column` say what the
    file cannot: which kind its bare hashes are, which column holds them."""
    fmt_enum = None if fmt is None else choice(Format, fmt, "format")
    mapping = category_map(categories)
    options = ReadOptions(None if not kind else choice(Kind, kind, "hash kind"),
                          column.strip() if column and column.strip() else None)
    report = ParseReport()
    builder = HashListBuilder(meta)
    try:
        for entry in read_entries(path, fmt_enum, report, mapping, options):
            builder.add(entry)
            if len(builder) % PROGRESS_EVERY == 0:
                cancel.check()
                progress(Progress(len(builder), None, "reading"))
    except FormatError as exc:
        raise InvalidInput(f"{path.name}, {exc}" if str(exc).startswith("line ")
                           else f"{path.name}: {exc}") from None
    progress(Progress(len(builder), len(builder), "indexing"))
    hashlist, stats = builder.build()
    _not_empty(path, hashlist, report)
    return Parsed(hashlist, fmt_enum.value if fmt_enum else "detected", report, stats.duplicates)


def read_shared(path: Path, meta: ListMeta, unwrap: Passphrase | RecipientKey,
                partner_of: Callable[[bytes], str | None]) -> Parsed:
    """A list file a partner shared: decrypted, its signing key one that `partner_of` names
    (a known partner); stored under the name the user gives it here."""
    signer: list[str] = []

    def trusted(raw: bytes) -> bool:
        name = partner_of(raw)
        if name is not None:
            signer.append(name)
        return name is not None

    try:
        with path.open("rb") as fh:
            shared = read_list(fh, unwrap, trusted)
    except ListFileError as exc:
        raise InvalidInput(f"{path.name}: {exc}") from None
    renamed = HashList(meta, shared.verdict, shared.category, shared.categories,
                       shared.source_id, shared.other, shared.exact, shared.pdq)
    report = ParseReport(read=len(renamed))
    _not_empty(path, renamed, report)
    return Parsed(renamed, "hlist", report, 0, signer[0] if signer else None)


def _not_empty(path: Path, hashlist: HashList, report: ParseReport) -> None:
    if len(hashlist) == 0:
        raise InvalidInput(f"{path.name}: no entry could be read "
                           f"({report.skipped} rows skipped)"
                           + (f"; first problem, line {report.problems[0][0]}: "
                              f"{report.problems[0][1]}" if report.problems else ""))

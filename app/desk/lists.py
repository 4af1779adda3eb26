"""Desk actions on hash lists: import, show, enable/disable, retract an entry, remove, export,
and the key pairs used to share lists with partner hotlines."""

import builtins
import json
from dataclasses import dataclass
from pathlib import Path

from app.desk.base import ADMIN, LIST_KEEPERS, DeskBase
from app.errors import Conflict, InvalidInput, NotFound
from app.jobs import CancelToken, Progress, ProgressCallback, no_progress
from app.review.vocabulary import parse
from app.workspace.keyring import Partner
from app.workspace.lists import ListInfo
from hashdb.atomicfile import atomic_writer
from hashdb.entry import Entry, ListMeta, Scope, Trust, Verdict
from hashdb.errors import FormatError, HashdbError, ListFileError
from hashdb.formats import PRESETS, CategoryMap, Format, ParseReport, read_entries, write_entries
from hashdb.hashlist import HashList, HashListBuilder
from hashdb.identity import PublicIdentity
from hashdb.kinds import DIGESTS, HEX_LENGTH, Kind
from hashdb.listfile import read_list, write_list
from hashdb.sealed import MAGIC, Passphrase, Recipient, RecipientKey

PROGRESS_EVERY = 20_000
OWN_LISTS = {"own:verified": "verified", "own:not-illegal": "not_illegal"}
SHOWN_PROBLEMS = 50


@dataclass(frozen=True)
class ListImport:
    list: ListInfo
    format: str
    read: int
    skipped: int
    duplicates: int
    problems: builtins.list[tuple[int, str]]  # `list` is a field here
    signed_by: str | None = None


@dataclass(frozen=True)
class ListExport:
    list: str
    path: str
    format: str
    entries: int
    recipient: str | None = None


@dataclass(frozen=True)
class KeyInfo:
    public_key: str
    fingerprint: str


def _choice(kind: type, text: str, what: str):
    """A required choice (scope, trust, format) from what the user typed."""
    value = parse(kind, text, what)
    if value is None:
        raise InvalidInput(f"a {what} is needed")
    return value


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


def _is_sealed(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(len(MAGIC)) == MAGIC


class ListActions(DeskBase):
    # What the import and export of lists accept (for the GUI's choices).
    LIST_SCOPES = tuple(scope.value for scope in Scope)
    LIST_TRUSTS = tuple(trust.value for trust in Trust)
    LIST_FORMATS = (*(fmt.value for fmt in Format), "hlist")
    CATEGORY_PRESETS = tuple(PRESETS)

    def lists(self) -> list[ListInfo]:
        self._refresh_user()
        return self._ws.lists.all()

    def import_list(self, path: Path, name: str, scope: str, trust: str = "trusted",
                    fmt: str | None = None, categories: str | None = None, source: str = "",
                    passphrase: str | None = None, progress: ProgressCallback = no_progress,
                    cancel: CancelToken | None = None) -> ListImport:
        """Read a list in any exchange format (or a shared list file), store it encrypted."""
        meta = ListMeta(name.strip(), _choice(Scope, scope, "scope"),
                        _choice(Trust, trust, "trust"), source=source)
        if not meta.name:
            raise InvalidInput("a list needs a name")
        if meta.name.casefold().startswith("own:"):
            raise InvalidInput("names starting with own: are the workspace's own lists")
        self._check_role("list.import", meta.name, LIST_KEEPERS, "import hash lists")
        if self._ws.lists.exists(meta.name):
            raise Conflict(f"a hash list named {meta.name!r} exists already")
        if not path.is_file():
            raise NotFound(f"no file {path}")
        cancel = cancel or CancelToken()
        signed_by = None
        if fmt == "hlist" or (fmt is None and _is_sealed(path)):
            hashlist, signed_by = self._read_shared(path, meta, passphrase)
            report, duplicates, fmt_name = ParseReport(read=len(hashlist)), 0, "hlist"
        else:
            fmt_enum = None if fmt is None else _choice(Format, fmt, "format")
            hashlist, report, duplicates = self._parse(path, meta, fmt_enum,
                                                       category_map(categories), progress,
                                                       cancel)
            fmt_name = fmt_enum.value if fmt_enum else "detected"
        if len(hashlist) == 0:
            raise InvalidInput(f"{path.name}: no entry could be read "
                               f"({report.skipped} rows skipped)"
                               + (f"; first problem, line {report.problems[0][0]}: "
                                  f"{report.problems[0][1]}" if report.problems else ""))
        cancel.check()
        progress(Progress(len(hashlist), len(hashlist), "storing"))
        file = self._ws.lists.write_file(hashlist)
        try:
            with self._action("list.import", meta.name, LIST_KEEPERS) as detail:
                info = self._ws.lists.add(hashlist, file, self._user.name, origin=path.name)
                detail.update(entries=len(hashlist), read=report.read, skipped=report.skipped,
                              duplicates=duplicates, scope=meta.scope.value,
                              trust=meta.trust.value, format=fmt_name, signed_by=signed_by)
        except BaseException:
            self._ws.lists.discard_file(file)
            raise
        return ListImport(info, fmt_name, report.read, report.skipped, duplicates,
                          report.problems[:SHOWN_PROBLEMS], signed_by)

    def _parse(self, path: Path, meta: ListMeta, fmt: Format | None, mapping: CategoryMap,
               progress: ProgressCallback, cancel: CancelToken,
               ) -> tuple[HashList, ParseReport, int]:
        report = ParseReport()
        builder = HashListBuilder(meta)
        try:
            for entry in read_entries(path, fmt, report, mapping):
                builder.add(entry)
                if len(builder) % PROGRESS_EVERY == 0:
                    cancel.check()
                    progress(Progress(len(builder), None, "reading"))
        except FormatError as exc:
            raise InvalidInput(f"{path.name}: {exc}") from None
        progress(Progress(len(builder), len(builder), "indexing"))
        hashlist, stats = builder.build()
        return hashlist, report, stats.duplicates

    def _read_shared(self, path: Path, meta: ListMeta, passphrase: str | None,
                     ) -> tuple[HashList, str | None]:
        """A list file shared by a partner: decrypt, check the signer is a known partner."""
        unwrap: Passphrase | RecipientKey
        if passphrase is not None:
            unwrap = Passphrase(passphrase)
        else:
            own = self._ws.keyring.own()
            if own is None:
                raise InvalidInput("this workspace has no key pair to receive lists with; "
                                   "create it with `hotline keys create`")
            unwrap = own.unwrap()
        signer: list[Partner] = []

        def trusted(raw: bytes) -> bool:
            partner = self._ws.keyring.partner_by_signing_key(raw)
            if partner:
                signer.append(partner)
            return partner is not None

        try:
            with path.open("rb") as fh:
                shared = read_list(fh, unwrap, trusted)
        except ListFileError as exc:
            raise InvalidInput(f"{path.name}: {exc}") from None
        renamed = HashList(meta, shared.verdict, shared.category, shared.categories,
                           shared.source_id, shared.other, shared.exact, shared.pdq)
        return renamed, signer[0].name if signer else None

    def set_list_enabled(self, name: str, enabled: bool) -> ListInfo:
        action = "list.enable" if enabled else "list.disable"
        with self._action(action, name, LIST_KEEPERS, "enable or disable hash lists"):
            info = self._ws.lists.get(name)
            self._ws.lists.set_enabled(info, enabled)
        return self._ws.lists.get(name)

    def remove_list(self, name: str, reason: str = "") -> ListInfo:
        with self._action("list.remove", name, LIST_KEEPERS, "remove hash lists") as detail:
            info = self._ws.lists.get(name)
            file = self._ws.lists.remove(info)
            detail.update(reason=reason, entries=info.entries)
        self._ws.lists.discard_file(file)
        return info

    def retract_entry(self, name: str, hash_text: str, reason: str) -> int:
        """Remove every entry carrying this hash (an error was found); returns how many."""
        if not reason.strip():
            raise InvalidInput("say why the entry is retracted (--reason)")
        value = hash_text.strip().lower()
        self._check_role("list.retract", name, LIST_KEEPERS, "retract list entries")
        info = self._ws.lists.get(name)
        hashlist = self._ws.lists.load(info)
        builder = HashListBuilder(hashlist.meta)
        removed = 0
        for entry in hashlist.entries():
            if value in entry.hashes().values():
                removed += 1
            else:
                builder.add(entry)
        if removed == 0:
            raise NotFound(f"no entry of {name!r} carries {hash_text}")
        rebuilt, _ = builder.build()
        with self._action("list.retract", name, LIST_KEEPERS) as detail:
            old_file = self._ws.lists.replace_file(info, rebuilt)
            detail.update(hash=value, reason=reason, removed=removed)
        self._ws.lists.discard_file(old_file)
        return removed

    def export_list(self, name: str, out: Path, fmt: str, to: str | None = None,
                    passphrase: str | None = None, categories: str | None = None) -> ListExport:
        """csv or vics for tools (plain text: the user chose to write it), or hlist: encrypted
        to a partner's key or a passphrase, signed with this workspace's key."""
        self._check_role("list.export", name, LIST_KEEPERS, "export hash lists")
        if name.casefold() in OWN_LISTS:
            hashlist = self._own_hashlist(OWN_LISTS[name.casefold()])
            list_name = hashlist.meta.name
        else:
            info = self._ws.lists.get(name)
            hashlist = self._ws.lists.load(info)
            list_name = info.name
        recipient = None
        if fmt == "hlist":
            own = self._ws.keyring.own()
            if own is None:
                raise InvalidInput("create this workspace's key pair first (`hotline keys "
                                   "create`): a shared list is signed with it")
            if (to is None) == (passphrase is None):
                raise InvalidInput("a shared list file is encrypted either --to a partner or "
                                   "with a --passphrase")
            if to is not None:
                partner = self._ws.keyring.partner(to)
                wrap: Recipient | Passphrase = PublicIdentity.parse(
                    partner.public_key).recipient()
                recipient = partner.name
            else:
                assert passphrase is not None
                if len(passphrase) < 12:
                    raise InvalidInput("a passphrase for sharing needs at least 12 characters")
                wrap, recipient = Passphrase(passphrase), "passphrase"
            with atomic_writer(out) as fh:
                write_list(fh, hashlist, wrap, own.signing)
            count = len(hashlist)
        else:
            fmt_enum = _choice(Format, fmt, "format")
            try:
                count = write_entries(out, fmt_enum, hashlist.entries(), category_map(categories))
            except FormatError as exc:
                raise InvalidInput(str(exc)) from None
        with self._action("list.export", name, LIST_KEEPERS) as detail:
            detail.update(format=fmt, entries=count, recipient=recipient, file=out.name)
        return ListExport(list_name, str(out), fmt, count, recipient)

    def _own_hashlist(self, which: str) -> HashList:
        """The own verified (or not-illegal) list as a hash list, for export: final items,
        with their verdicts; the assessors and times are the source id (provenance)."""
        rows = self._ws.assessments.verified(
            ("baseline", "national") if which == "verified" else ("not_illegal",))
        untrusted = self._untrusted(r["id"] for r in rows)
        rows = [r for r in rows if r["id"] not in untrusted]
        hotline = self._ws.settings.get("hotline.name") or "this hotline"
        scope = Scope.MIXED if which == "verified" else Scope.NOT_ILLEGAL
        meta = ListMeta(f"{hotline}: own {which.replace('_', '-')} list", scope,
                        Trust.TRUSTED, source=hotline)
        builder = HashListBuilder(meta)
        min_quality = self._ws.settings.get("pdq.min_quality")
        for r in rows:
            frames = tuple(pdq for _, pdq, quality in self._ws.items.frames_of(r["id"])
                           if quality >= min_quality)
            builder.add(Entry(md5=r["md5"], sha1=r["sha1"], sha256=r["sha256"], pdq=r["pdq"],
                              pdq_quality=r["pdq_quality"], verdict=Verdict(r["verdict"]),
                              source_id=f"item {r['id']}; {r['assessors'] or ''}".strip(),
                              frames=frames))
        return builder.build()[0]

    def list_lookup(self, name: str, hash_text: str) -> list[dict[str, str]]:
        """Entries of one list that carry this hash (exact; PDQ within distance 0)."""
        self._check_role("list.lookup", name, LIST_KEEPERS, "look into hash lists")
        hashlist = self._ws.lists.load(self._ws.lists.get(name))
        value = hash_text.strip().lower()
        ids: set[int] = set()
        try:
            for kind in DIGESTS:
                if len(value) == HEX_LENGTH[kind]:
                    ids |= {e for _, e in hashlist.match_digests(kind, [value])}
            if len(value) == HEX_LENGTH[Kind.PDQ]:
                ids |= {h.entry for h in hashlist.match_pdq([value], 0)}
        except HashdbError as exc:
            raise InvalidInput(str(exc)) from None
        found = []
        for i in sorted(ids):
            entry = hashlist.entry(i)
            found.append(entry.hashes() | {"verdict": str(hashlist.entry_verdict(i) or ""),
                                           "category": entry.category})
        return found

    # ------------------------------------------------------------ keys

    def create_keys(self) -> KeyInfo:
        with self._action("keys.create", "", ADMIN, "create the workspace key pair") as detail:
            public = self._ws.keyring.create_own().public()
            detail["fingerprint"] = public.fingerprint
        return KeyInfo(public.text(), public.fingerprint)

    def public_key(self) -> KeyInfo:
        self._refresh_user()
        own = self._ws.keyring.own()
        if own is None:
            raise NotFound("this workspace has no key pair yet; an admin creates it with "
                           "`hotline keys create`")
        return KeyInfo(own.public().text(), own.public().fingerprint)

    def add_partner(self, name: str, public_key: str) -> Partner:
        with self._action("keys.partner.add", name, ADMIN, "add partner keys") as detail:
            partner = self._ws.keyring.add_partner(name.strip(), public_key, self._user.name)
            detail["fingerprint"] = partner.fingerprint
        return partner

    def partners(self) -> list[Partner]:
        self._refresh_user()
        return self._ws.keyring.partners()


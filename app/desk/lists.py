"""Desk actions on hash lists: import, show, enable/disable, retract an entry, remove, export,
and the key pairs used to share lists with partner hotlines. The reading, writing and editing
of lists is app.lists's; here are the roles, the audit and the storage."""

import builtins
from dataclasses import dataclass
from pathlib import Path

from app import lists as exchange
from app.desk.base import ADMIN, LIST_KEEPERS, DeskBase
from app.errors import Conflict, InvalidInput, NotFound
from app.jobs import CancelToken, Progress, ProgressCallback, no_progress
from app.workspace.keyring import Partner
from app.workspace.lists import ListInfo

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


class ListActions(DeskBase):
    # What the import and export of lists accept (for the GUI's choices).
    LIST_SCOPES = exchange.SCOPES
    LIST_TRUSTS = exchange.TRUSTS
    LIST_FORMATS = exchange.FORMATS
    LIST_EXPORT_FORMATS = exchange.EXPORT_FORMATS
    HASH_KINDS = exchange.KINDS
    CATEGORY_PRESETS = exchange.CATEGORY_PRESETS

    def lists(self) -> list[ListInfo]:
        self._refresh_user()
        return self._ws.lists.all()

    def import_list(self, path: Path, name: str, scope: str, trust: str = "trusted",
                    fmt: str | None = None, categories: str | None = None, source: str = "",
                    passphrase: str | None = None, progress: ProgressCallback = no_progress,
                    cancel: CancelToken | None = None, kind: str | None = None,
                    column: str | None = None) -> ListImport:
        """Read a list in any exchange format (or a shared list file), store it encrypted."""
        meta = exchange.list_meta(name, scope, trust, source)
        self._check_role("list.import", meta.name, LIST_KEEPERS, "import hash lists")
        if self._ws.lists.exists(meta.name):
            raise Conflict(f"a hash list named {meta.name!r} exists already")
        if not path.is_file():
            raise NotFound(f"no file {path}")
        cancel = cancel or CancelToken()
        if fmt == "hlist" or (fmt is None and exchange.is_sealed(path)):
            keyring = self._ws.keyring

            def partner_of(raw: bytes) -> str | None:
                partner = keyring.partner_by_signing_key(raw)
                return partner.name if partner else None

            parsed = exchange.read_shared(path, meta, self._unwrap(passphrase), partner_of)
        else:
            parsed = exchange.read_plain(path, meta, fmt, categories, progress, cancel,
                                         kind, column)
        hashlist, report = parsed.hashlist, parsed.report
        cancel.check()
        progress(Progress(len(hashlist), len(hashlist), "storing"))
        file = self._ws.lists.write_file(hashlist)
        try:
            with self._action("list.import", meta.name, LIST_KEEPERS) as detail:
                info = self._ws.lists.add(hashlist, file, self._user.name, origin=path.name)
                detail.update(entries=len(hashlist), read=report.read, skipped=report.skipped,
                              duplicates=parsed.duplicates, scope=meta.scope.value,
                              trust=meta.trust.value, format=parsed.format,
                              signed_by=parsed.signed_by)
        except BaseException:
            self._ws.lists.discard_file(file)
            raise
        return ListImport(info, parsed.format, report.read, report.skipped, parsed.duplicates,
                          report.problems[:SHOWN_PROBLEMS],
                          parsed.signed_by)

    def _unwrap(self, passphrase: str | None) -> exchange.Unwrap:
        """What opens a shared list file: the passphrase given, or this workspace's key."""
        if passphrase is not None:
            return exchange.Passphrase(passphrase)
        own = self._ws.keyring.own()
        if own is None:
            raise InvalidInput("this workspace has no key pair to receive lists with; "
                               "create it with `hotline keys create`")
        return own.unwrap()

    def set_list_enabled(self, name: str, enabled: bool) -> ListInfo:
        action = "list.enable" if enabled else "list.disable"
        with self._action(action, name, LIST_KEEPERS, "enable or disable hash lists"):
            info = self._ws.lists.get(name)
            self._ws.lists.set_enabled(info, enabled)
        return self._ws.lists.get(name)

    def release_list(self, name: str, reason: str) -> int:
        """Lift a flood's hold on a list and its entries (after a look at what it hit, or
        after retracting the entry); later hits count afresh. Returns how many holds."""
        if not reason.strip():
            raise InvalidInput("say why the hold is lifted (--reason)")
        with self._action("list.release", name, LIST_KEEPERS, "release held lists") as detail:
            info = self._ws.lists.get(name)
            released = self._ws.floods.release(info.name, self._user.name)
            if not released:
                raise NotFound(f"{info.name!r} is not held")
            detail.update(released=released, reason=reason)
        return released

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
        self._check_role("list.retract", name, LIST_KEEPERS, "retract list entries")
        info = self._ws.lists.get(name)
        rebuilt, removed = exchange.without_hash(self._ws.lists.load(info), hash_text)
        with self._action("list.retract", name, LIST_KEEPERS) as detail:
            old_file = self._ws.lists.replace_file(info, rebuilt)
            detail.update(hash=hash_text.strip().lower(), reason=reason, removed=removed)
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
            wrap: exchange.Wrap
            if to is not None:
                partner = self._ws.keyring.partner(to)
                wrap, recipient = exchange.for_partner(partner.public_key), partner.name
            else:
                assert passphrase is not None
                wrap, recipient = exchange.sharing_passphrase(passphrase), "passphrase"
            count = exchange.write_shared(out, hashlist, wrap, own.signing)
        else:
            count = exchange.write_plain(out, fmt, hashlist, categories,
                                         self._ws.settings.get("hotline.name") or "")
        with self._action("list.export", name, LIST_KEEPERS) as detail:
            detail.update(format=fmt, entries=count, recipient=recipient, file=out.name)
        return ListExport(list_name, str(out), fmt, count, recipient)

    def _own_hashlist(self, which: str) -> exchange.HashList:
        """The own verified (or not-illegal) list, of the items whose review holds."""
        rows = self._ws.assessments.verified(
            ("baseline", "national") if which == "verified" else ("not_illegal",))
        untrusted = self._untrusted(r.id for r in rows)
        min_quality = self._ws.settings.get("pdq.min_quality")
        items = ((r, tuple(pdq for _, pdq, quality in self._ws.items.frames_of(r.id)
                           if quality >= min_quality))
                 for r in rows if r.id not in untrusted)
        return exchange.own_list(which, self._ws.settings.get("hotline.name") or "this hotline",
                                 items)

    def list_lookup(self, name: str, hash_text: str) -> list[dict[str, str]]:
        """Entries of one list that carry this hash (exact; PDQ within distance 0)."""
        self._check_role("list.lookup", name, LIST_KEEPERS, "look into hash lists")
        return exchange.lookup(self._ws.lists.load(self._ws.lists.get(name)), hash_text)

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


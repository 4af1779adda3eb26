"""The shape every Desk action shares: check the role, one transaction, one audit entry."""

import contextlib
from collections.abc import Iterable, Iterator
from dataclasses import replace
from enum import StrEnum
from typing import Any

from app.errors import AuthError, NotFound, PermissionDenied
from app.review import signed_review
from app.workspace import audit_check, certificates
from app.workspace.certificates import CERT_ACTIONS, Certificates, TamperedError
from app.workspace.db import transaction
from app.workspace.users import Role, User
from app.workspace.workspace import Workspace

SETTING_ACTIONS = ("settings.set", "workspace.upgrade")
ANYONE = frozenset(Role)
ADMIN = frozenset({Role.ADMIN})
SUPERVISOR = frozenset({Role.SUPERVISOR})
REVIEWERS = frozenset({Role.ANALYST, Role.SUPERVISOR})
LIST_KEEPERS = frozenset({Role.SUPERVISOR, Role.ADMIN})
SUPERVISORS_ADMINS = SUPERVISOR | ADMIN


class Capability(StrEnum):
    """What a front end may offer a user; the Desk answers from the certified role, so the GUI
    never compares role names itself."""

    REVIEW = "review"            # take in reports, give verdicts (analysts, supervisors)
    SUPERVISE = "supervise"      # rounds 2 and 3, reopening, notices (supervisors)
    KEEP_LISTS = "keep lists"    # import and remove hash lists (supervisors, admins)
    PROVIDERS = "providers"      # hosting providers (supervisors, admins)
    ADMINISTER = "administer"    # users, settings (admins)


CAPABILITIES = {Capability.REVIEW: REVIEWERS, Capability.SUPERVISE: SUPERVISOR,
                Capability.KEEP_LISTS: LIST_KEEPERS, Capability.PROVIDERS: SUPERVISORS_ADMINS,
                Capability.ADMINISTER: ADMIN}


def _role_names(roles: frozenset[Role]) -> str:
    names = sorted(r.value for r in roles)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


class DeskBase:
    """State shared by the Desk's areas: the open workspace and the logged-in user."""

    _ws: Workspace
    _user: User
    _certs: tuple[tuple[int, int], Certificates] | None = None
    _settings: tuple[tuple[int, int], dict[str, Any]] | None = None

    @property
    def user(self) -> User:
        return self._user

    def may(self, what: Capability) -> bool:
        """Whether the signed-in user's certified role allows this (as of the last action)."""
        return self._user.role in CAPABILITIES[what]

    def _certificates(self) -> Certificates:
        """The certified keys and roles, replayed from the signed entries; re-read only when
        an entry that changes them was added (by this or another process)."""
        mark = self._ws.audit.extent_of(CERT_ACTIONS)
        if self._certs is None or self._certs[0] != mark:
            self._certs = (mark, certificates.load(self._ws.audit))
        return self._certs[1]

    def _signed_settings(self) -> dict[str, Any]:
        """Settings as admins' signed entries set them (what the settings store reads, see
        `SettingsStore.pin`); replayed again only when such an entry was added."""
        mark = self._ws.audit.extent_of(SETTING_ACTIONS)
        if self._settings is None or self._settings[0] != mark:
            values, problem = audit_check.signed_settings(self._ws.audit, self._certificates())
            if problem:
                raise TamperedError(f"the signed settings do not hold: {problem}")
            self._settings = (mark, values)
        return self._settings[1]

    def _untrusted(self, item_ids: Iterable[int]) -> dict[int, str]:
        """The items among these whose review does not hold from the signed entries alone
        (rows written behind the Desk's back), with why: never used for notices, referrals
        or exports."""
        certs = self._certificates()
        out = {}
        for item_id, (facts, problem) in audit_check.item_facts(
                self._ws.audit, set(item_ids), certs).items():
            item = self._ws.items.get(item_id)
            problem = problem or signed_review.disagreement(facts, item_id, item.state,
                                                            item.final_verdict)
            if problem:
                out[item_id] = problem
        return out

    def blind_to(self, item_id: int) -> bool:
        """Whether the user must not see the item's earlier verdicts (`ReviewActions`)."""
        raise NotImplementedError

    def _refresh_user(self) -> None:
        """Who we are, as certified now: another admin (in another process) may have disabled
        us, changed our role or reset our password (new keys) since the session opened, or
        moved the workspace to a new master key."""
        try:
            self._ws.follow_rotation()
        except AuthError:
            if not self._ws.readable():
                raise  # the workspace moved on to a key we were not given: disabled
            lost_access = True  # no grant for our key any more: the certificates say why
        else:
            lost_access = False
        holder = self._certificates().current(self._ws.session.name)
        if holder is None:
            raise AuthError("your account no longer exists")
        if not holder.active:
            raise AuthError("your account has been disabled")
        if holder.key is None or holder.key.fingerprint != self._ws.session.public.fingerprint:
            raise AuthError("your password was reset by an admin; sign in again")
        if lost_access:
            raise AuthError("this account has no access to the workspace any more")
        try:
            row = self._ws.users.get(holder.name)
        except NotFound:
            raise AuthError("your account no longer exists") from None
        self._user = replace(row, role=holder.role, disabled=False)

    def _check_role(self, action: str, target: str, roles: frozenset[Role], what: str) -> None:
        """Refuse (and audit the refusal, in its own transaction) if the role does not fit.

        Actions with long work before their transaction call this first, so that nobody
        waits minutes to be told no.
        """
        self._refresh_user()
        if self._user.role not in roles:
            with transaction(self._ws.db):
                self._ws.audit.append(action, target, "refused",
                                      {"role": self._user.role.value})
            raise PermissionDenied(
                f"only {_role_names(roles)} users may {what or action}; "
                f"you are signed in as {self._user.role.value}")

    @contextlib.contextmanager
    def _action(self, action: str, target: str = "", roles: frozenset[Role] = ANYONE,
                what: str = "") -> Iterator[dict[str, Any]]:
        """Run the block as one audited action; the block may add to the yielded detail dict."""
        self._check_role(action, target, roles, what)
        detail: dict[str, Any] = {}
        with transaction(self._ws.db):
            yield detail
            self._ws.audit.append(action, target, "ok", detail)

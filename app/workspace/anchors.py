"""What this workstation last saw of a workspace's audit log, kept outside the workspace.

Signatures stop anyone from rewriting what others signed, but not from cutting the log's end
off or putting an older copy of the whole workspace back. So each workstation remembers, per
workspace folder and per user, the head it last saw (entry number and hash) and the root key;
opening a workspace whose log is behind that head, or beside it, is said loudly and audited.
`hotline audit anchor` prints the head as a short code to write down or send elsewhere, and
`hotline audit verify --anchor CODE` checks a log against such a code.
"""

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import platformdirs

from app.errors import InvalidInput
from app.workspace.atomic import write_atomic
from app.workspace.audit import AuditLog


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str
    root: str = ""

    @property
    def code(self) -> str:
        """`<entry>-<first 16 hex digits of its hash>`, grouped to read aloud."""
        digits = self.hash[:16]
        return f"{self.seq}-" + "-".join(digits[i:i + 4] for i in range(0, 16, 4))

    @classmethod
    def parse(cls, code: str) -> "Anchor":
        seq, _, rest = code.strip().partition("-")
        digits = rest.replace("-", "").lower()
        if not seq.isdigit() or len(digits) != 16 or \
                not all(c in "0123456789abcdef" for c in digits):
            raise InvalidInput(f"not an audit anchor: {code!r} (it looks like 1234-89ab-...)")
        return cls(int(seq), digits)


def _file(root: Path, user: str, what: str) -> Path:
    place = f"{root.resolve()}\0{user.casefold()}".encode()
    name = f"{hashlib.sha256(place).hexdigest()[:32]}.{what}.json"
    return platformdirs.user_state_path("hotline-triage", appauthor=False) / "anchors" / name


def remembered(root: Path, user: str, what: str = "seen") -> Anchor | None:
    """The head this workstation last saw ("seen"), or where its last full verification of
    the signatures ended ("verified")."""
    try:
        data = json.loads(_file(root, user, what).read_text())
        return Anchor(int(data["seq"]), str(data["hash"]), str(data.get("root", "")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def remember(root: Path, user: str, anchor: Anchor, what: str = "seen") -> None:
    path = _file(root, user, what)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    write_atomic(path, json.dumps(asdict(anchor)).encode())


def current(log: AuditLog, root: str) -> Anchor:
    seq, digest = log.head()
    return Anchor(seq, digest, root)


def disagreement(anchor: Anchor, log: AuditLog, root: str = "") -> str:
    """'' when the log still holds what `anchor` saw; otherwise what is wrong, in words."""
    if anchor.root and root and anchor.root != root:
        return (f"the workspace's root key changed: this workstation knew {anchor.root}, "
                f"the workspace now says {root}")
    count, top = log.extent()
    head_seq, _ = log.head()
    if max(top, head_seq) < anchor.seq:
        return (f"the audit log is behind: it ends at entry {max(top, head_seq)}, but entry "
                f"{anchor.seq} was seen (entries removed, or an older copy put back)")
    stored = log.hash_at(anchor.seq)
    if stored is None or not stored.startswith(anchor.hash):
        return (f"the audit log is beside what was seen: entry {anchor.seq} is not the entry "
                "seen before (the log was rewritten, or another copy put in its place)")
    if count != top or head_seq != top:
        return f"the audit log has {count} entries numbered up to {top}: some were removed"
    return ""

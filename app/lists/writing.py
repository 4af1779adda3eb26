"""Writing a hash list out: an exchange format for other tools (plain text: the user chose
to write it), or a list file for a partner hotline, encrypted to its key or a passphrase and
signed with this workspace's key."""

from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.errors import InvalidInput
from app.lists.reading import category_map, choice
from hashdb.atomicfile import atomic_writer
from hashdb.errors import FormatError
from hashdb.formats import Format, write_entries
from hashdb.hashlist import HashList
from hashdb.identity import PublicIdentity
from hashdb.listfile import write_list
from hashdb.sealed import Passphrase, Recipient, RecipientKey

Wrap = Recipient | Passphrase  # whom a shared list file is encrypted to
Unwrap = RecipientKey | Passphrase  # what opens one
MIN_PASSPHRASE = 12


def for_partner(public_key: str) -> Wrap:
    return PublicIdentity.parse(public_key).recipient()


def sharing_passphrase(passphrase: str) -> Passphrase:
    if len(passphrase) < MIN_PASSPHRASE:
        raise InvalidInput(f"a passphrase for sharing needs at least {MIN_PASSPHRASE} "
                           "characters")
    return Passphrase(passphrase)


def write_shared(out: Path, hashlist: HashList, wrap: Wrap, signing: Ed25519PrivateKey) -> int:
    with atomic_writer(out) as fh:
        write_list(fh, hashlist, wrap, signing)
    return len(hashlist)


def write_plain(out: Path, fmt: str, hashlist: HashList, categories: str | None,
                collab: str = "") -> int:
    """csv, vics or te (python-threatexchange's dataset CSV, `collab` naming the source)."""
    try:
        return write_entries(out, choice(Format, fmt, "format"), hashlist.entries(),
                             category_map(categories), collab)
    except FormatError as exc:
        raise InvalidInput(str(exc)) from None

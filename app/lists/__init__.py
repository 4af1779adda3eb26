"""List exchange: reading hash lists in other tools' formats and shared list files, writing
them back out, and the edits and lookups a list keeper makes. Between the Desk (roles, audit,
storage) and hashdb (the lists themselves): nothing here reads or writes storage (the own
lists are built from the workspace's rows the Desk hands over)."""

from app.lists.editing import lookup, own_list, without_hash
from app.lists.reading import (
    CATEGORY_PRESETS,
    EXPORT_FORMATS,
    FORMATS,
    KINDS,
    SCOPES,
    TRUSTS,
    Parsed,
    category_map,
    is_sealed,
    list_meta,
    read_plain,
    read_shared,
)
from app.lists.writing import (
    Passphrase,
    Unwrap,
    Wrap,
    for_partner,
    sharing_passphrase,
    write_plain,
    write_shared,
)
from hashdb.hashlist import HashList

__all__ = ["CATEGORY_PRESETS", "EXPORT_FORMATS", "FORMATS", "KINDS", "SCOPES", "TRUSTS",
           "HashList", "Parsed", "Passphrase", "Unwrap", "Wrap", "category_map",
           "for_partner", "is_sealed", "list_meta", "lookup", "own_list", "read_plain",
           "read_shared", "sharing_passphrase", "without_hash", "write_plain", "write_shared"]

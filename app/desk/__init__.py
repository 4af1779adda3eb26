"""The Desk: every user action, role-checked, in one transaction, with one audit entry.

Composed of one small module per area (as Anki's operations/): users, settings, audit, ...
"""

from app.desk.base import Capability
from app.desk.hashing import FileHash, hash_files
from app.desk.session import Desk
from app.jobs import Cancelled, CancelToken, Progress
from app.workspace.places import Changes

__all__ = ["CancelToken", "Cancelled", "Capability", "Changes", "Desk", "FileHash", "Progress",
           "hash_files"]

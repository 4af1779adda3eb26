"""The Desk: every user action, role-checked, in one transaction, with one audit entry.

Composed of one small module per area (as Anki's operations/): users, settings, audit, ...
"""

from app.desk.hashing import FileHash, hash_files
from app.desk.jobs import Cancelled, CancelToken, Progress
from app.desk.session import Desk

__all__ = ["CancelToken", "Cancelled", "Desk", "FileHash", "Progress", "hash_files"]

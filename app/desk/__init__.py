"""The Desk: every user action, role-checked, in one transaction, with one audit entry.

Composed of one small module per area (as Anki's operations/): users, settings, audit, ...
"""

from app.desk.session import Desk

__all__ = ["Desk"]

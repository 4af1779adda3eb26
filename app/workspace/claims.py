"""Claims: an item shown to someone is theirs for a few minutes, so that two people at two
workstations are not shown the same unknown item. A claim runs out by itself (a crashed
window holds nothing for long); taking the next item gives the last one back."""

from datetime import UTC, datetime, timedelta

from app.workspace.clock import utc_now
from app.workspace.db import Database
from app.workspace.users import UserStore


def _later(minutes: float) -> str:
    return (datetime.now(UTC) + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class ClaimStore:
    def __init__(self, db: Database, users: UserStore) -> None:
        self._db = db
        self._users = users

    def claim(self, item_id: int, user: str, minutes: float) -> tuple[str, str]:
        """Take the item for `minutes` unless someone else holds it; gives back this user's
        other claims. Returns who holds it now and until when."""
        me, now = self._users.id_of(user), utc_now()
        self._db.execute("DELETE FROM claims WHERE user_id = ? AND item_id != ?", [me, item_id])
        self._db.execute(
            "INSERT INTO claims (item_id, user_id, until) VALUES (?, ?, ?) ON CONFLICT "
            "(item_id) DO UPDATE SET user_id = excluded.user_id, until = excluded.until "
            "WHERE claims.until <= ? OR claims.user_id = excluded.user_id",
            [item_id, me, _later(minutes), now])
        holder, until = self._db.execute("SELECT user_id, until FROM claims WHERE item_id = ?",
                                         [item_id]).fetchone()
        return self._users.name_of(holder), until

    def release(self, user: str) -> None:
        self._db.execute("DELETE FROM claims WHERE user_id = ?", [self._users.id_of(user)])

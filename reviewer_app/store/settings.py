"""Team settings: values the whole team shares (the `settings` table), each change an event of the audit trail.

A team setting's key starts with "team." (domain.TEAM_SETTING_PREFIX); its value is any JSON. Leads and
admins change them: on PostgreSQL the grants and row-level security of roles.py (migration 0017) refuse
anyone else, and anyone writing under another's name or a key that is not the team's; on SQLite, which
keeps roles as a setting, the store checks. The other keys ("users", SQLite's roles of local names) stay
an admin's.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from reviewer_app.domain import TEAM_SETTING_PREFIX, TeamSetting
from reviewer_app.store.base import StoreBase
from reviewer_app.store.errors import IntegrityViolation
from reviewer_app.store.schema import Setting


class SettingWrites(StoreBase):
    def team_setting(self, key: str) -> TeamSetting | None:
        """The team's value of `key`, or None when the team has none."""
        with self._reading() as s:
            row = s.get(Setting, _team_key(key))
            return TeamSetting(row.key, row.value, row.updated_by, row.updated_at) if row is not None else None

    def set_team_setting(self, key: str, value: Any, by: str, now: datetime) -> bool:
        """Give `key` the JSON `value` in `by`'s name (leads and admins) and append its "settings" event, with
        the old value (null: none) and the new, in the same transaction. False when it held that value
        already: nothing written, nothing recorded."""
        key = _team_key(key)
        self._require_lead(by)
        author: Any = func.current_user() if self.backend == "postgresql" else by
        for attempt in range(2):
            try:
                with self._writing() as s:
                    # FOR UPDATE: two leads saving at once each record the value they replaced.
                    row = s.execute(select(Setting).where(Setting.key == key).with_for_update()).scalar_one_or_none()
                    old = row.value if row is not None else None
                    if row is not None and old == value:
                        return False
                    if row is None:
                        s.add(Setting(key=key, value=value, updated_by=author, updated_at=now))
                    else:
                        row.value, row.updated_by, row.updated_at = value, author, now
                    s.flush()
                    self._append_event(s, "settings", f"setting:{key}", {"key": key, "old": old, "new": value})
                return True
            except IntegrityViolation:
                # Another lead created the key at the same moment: read it again, and replace theirs.
                if attempt == 1:
                    raise
        raise AssertionError("unreachable")


def _team_key(key: str) -> str:
    if not key.startswith(TEAM_SETTING_PREFIX) or len(key) > 100:
        raise ValueError(f"{key!r} is not a team setting (its key starts with {TEAM_SETTING_PREFIX!r})")
    return key

"""Decision deadlines the store promises developers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from reviewer_app.config import SlaSettings


@dataclass(frozen=True)
class SlaPolicy:
    settings: SlaSettings = field(default_factory=SlaSettings)

    def allowance(self, tier: int) -> timedelta:
        hours = self.settings.fast_hours if tier >= self.settings.fast_min_tier else self.settings.default_hours
        return timedelta(hours=hours)

    def deadline(self, submitted_at: datetime, tier: int) -> datetime:
        return submitted_at + self.allowance(tier)


def split_time_left(left: timedelta) -> tuple[str, int, int, int]:
    """(sign, days, hours, minutes) of a time left; the sign is "-" when overdue."""
    seconds = int(left.total_seconds())
    sign = "-" if seconds < 0 else ""
    days, rem = divmod(abs(seconds), 86400)
    hours, rem = divmod(rem, 3600)
    return sign, days, hours, rem // 60


def format_time_left(left: timedelta) -> str:
    """Compact and sortable by eye: '1h 05m', '12m', '-3h 10m' (overdue)."""
    sign, days, hours, minutes = split_time_left(left)
    if days:
        return f"{sign}{days}d {hours}h"
    if hours:
        return f"{sign}{hours}h {minutes:02d}m"
    return f"{sign}{minutes}m"


SOON = timedelta(minutes=30)


class Urgency(StrEnum):
    OK = "ok"
    SOON = "soon"  # due within 30 minutes: amber
    OVERDUE = "overdue"  # past the deadline: red and bold


def urgency(deadline: datetime | None, now: datetime) -> Urgency:
    if deadline is None:
        return Urgency.OK
    left = deadline - now
    if left.total_seconds() < 0:
        return Urgency.OVERDUE
    if left <= SOON:
        return Urgency.SOON
    return Urgency.OK

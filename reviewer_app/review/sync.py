"""When the window sends the decisions its journal keeps, and when it asks the database again.

A decision waits in the journal for the undo window (a few seconds), then is sent at once. While the
database answers, the journal is also looked at every `interval` seconds (it finds a database that stopped
answering between two decisions). While it does not answer, it is asked again every `interval` seconds
with a cheap query (the probe), and as soon as any other work reaches it. A window that could not connect
at all tries to connect again on the same beat.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class JournalSyncPolicy:
    interval: float = 10.0  # seconds between two looks at the journal (and probes while offline)

    def next_flush_in(self, now: datetime, held_until: Iterable[datetime], busy: bool = False) -> float:
        """Seconds until the journal should be flushed next: when the first held decision's undo window
        ends, or after the regular interval, whichever comes first. `busy`: a flush is running; its end
        asks again."""
        if busy:
            return self.interval
        wait = self.interval
        for until in held_until:
            wait = min(wait, max(0.0, (until - now).total_seconds()))
        return wait

    @staticmethod
    def probe(online: bool) -> bool:
        """Ask the database with a query of its own when the last answer said it was down (a flush with
        nothing to send would not reach it)."""
        return not online

    @staticmethod
    def reconnect(connected: bool, could_not_reach: bool, connecting: bool, asking_password: bool) -> bool:
        """Open the connection again on this beat: only when opening failed because nothing answered (a
        refused password waits for the reviewer, and one attempt at a time)."""
        return not connected and could_not_reach and not connecting and not asking_password

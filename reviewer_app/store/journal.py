"""The offline journal: every decision is written here first, then pushed to the (shared) database.

A local SQLite file in the data directory. Entries are pushed in the order they were made; a push is
idempotent by decision id, so an entry whose commit reached the server but whose acknowledgement was lost
is simply marked pushed the next time.

Durability: an entry is written without waiting for the disk (it survives the program dying, not the
machine), then pushed. A reviewer is told a decision is saved only once it is durable somewhere: the
server's commit, or `make_durable` here when the push could not be made. Waiting for the local disk on
every decision would add a disk flush to each one while the server already keeps it safe.

Undo: the window keeps each decision here for a few seconds before sending it (`send_after`); until then
`undo` takes it back and nothing reaches the server. An undone entry stays, marked, for the record. The
undo's event for the audit trail (the database's only record of it) is kept here too, in the same local
transaction (`undo_events`): it is sent with the next flush, in its place among the decisions (after those
journaled before the undo, before those journaled after it), and the store appends it once however often
it is sent (store/audit.py).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from reviewer_app.paths import private_dir, private_sqlite_file

SCHEMA_VERSION = 2  # 1: send_after, and the state 'undone'; 2: undo_events

SCHEMA = """
CREATE TABLE IF NOT EXISTS journal (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    decision_id TEXT NOT NULL UNIQUE,
    database TEXT NOT NULL,
    submission_id INTEGER NOT NULL,
    reviewer TEXT NOT NULL,
    verdict TEXT NOT NULL,
    reason_codes TEXT NOT NULL,
    message TEXT,
    decided_at TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'pushed', 'conflict', 'dismissed', 'undone')),
    error TEXT,
    conflict_kind TEXT,
    conflict_by TEXT,
    conflict_at TEXT,
    conflict_verdict TEXT,
    send_after TEXT
)
"""
# An undo waiting to reach the audit trail: `after_seq` is the last journal entry when it was made (the
# decisions up to it are sent before it, those after it after it).
UNDO_EVENTS = """
CREATE TABLE IF NOT EXISTS undo_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    decision_id TEXT NOT NULL UNIQUE REFERENCES journal (decision_id),
    undone_at TEXT NOT NULL,
    after_seq INTEGER NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'refused')),
    error TEXT
)
"""
COLUMNS = (
    "seq, decision_id, database, submission_id, reviewer, verdict, reason_codes, message, decided_at, state,"
    " error, conflict_kind, conflict_by, conflict_at, conflict_verdict"
)


@dataclass(frozen=True)
class JournalEntry:
    decision_id: str
    database: str  # which database the decision belongs to (a workstation may switch)
    submission_id: int
    reviewer: str
    verdict: str
    reason_codes: tuple[str, ...]
    message: str | None
    decided_at: datetime
    state: str = "pending"
    error: str | None = None
    # What beat this decision on the server: "decided" (by whom, when, with which verdict) or "held"
    # (by whom, until when). Kept so the reviewer sees it in their own language.
    conflict_kind: str | None = None
    conflict_by: str | None = None
    conflict_at: datetime | None = None
    conflict_verdict: str | None = None
    send_after: datetime | None = None  # kept back until then, so that the reviewer can still undo it
    seq: int | None = None  # its place in the journal (entries are sent in this order)


@dataclass(frozen=True)
class UndoEvent:
    """An undo the audit trail has not been told of yet."""

    decision_id: str
    database: str
    submission_id: int
    verdict: str
    undone_at: datetime  # the workstation's time of the undo (the server stamps the event with its own)
    after_seq: int  # sent after the journal's entries up to this one, before those after it


class DecisionJournal:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        # The journal lives in the data directory: both are readable by their user only (decisions).
        private_dir(self.path.parent)
        private_sqlite_file(self.path)
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
        self._conn.execute("PRAGMA journal_mode=WAL")
        # Commits reach the operating system, not the disk; make_durable() syncs (see above).
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._upgrade()

    def _upgrade(self) -> None:
        """Create the table, or bring a journal an older version wrote up to date (SQLite cannot change a
        CHECK constraint in place: the table is rebuilt, in one transaction)."""
        with self._lock:
            version = self._conn.execute("PRAGMA user_version").fetchone()[0]
            exists = self._conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'journal'").fetchone()
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                if exists and version < 1:
                    self._conn.execute("ALTER TABLE journal RENAME TO journal_old")
                    self._conn.execute("DROP INDEX IF EXISTS journal_waiting")
                    self._conn.execute(SCHEMA)
                    self._conn.execute(f"INSERT INTO journal ({COLUMNS}) SELECT {COLUMNS} FROM journal_old")
                    self._conn.execute("DROP TABLE journal_old")
                else:
                    self._conn.execute(SCHEMA)
                self._conn.execute(UNDO_EVENTS)  # version 2: undos journaled before an older version sent theirs
                self._conn.execute("CREATE INDEX IF NOT EXISTS journal_waiting ON journal (database, state, seq)")
                self._conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def append(self, entry: JournalEntry) -> None:
        """Kept on return if the program dies; call make_durable() for a power loss too."""
        with self._lock:
            self._conn.execute(
                "INSERT OR IGNORE INTO journal (decision_id, database, submission_id, reviewer, verdict, reason_codes,"
                " message, decided_at, send_after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    entry.decision_id,
                    entry.database,
                    entry.submission_id,
                    entry.reviewer,
                    entry.verdict,
                    json.dumps(list(entry.reason_codes)),
                    entry.message,
                    entry.decided_at.isoformat(),
                    entry.send_after.isoformat() if entry.send_after else None,
                ),
            )

    def _select(self, where: str, params: tuple) -> list[JournalEntry]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT decision_id, database, submission_id, reviewer, verdict, reason_codes, message, decided_at,"
                " state, error, conflict_kind, conflict_by, conflict_at, conflict_verdict, send_after, seq"
                f" FROM journal WHERE {where} ORDER BY seq",
                params,
            ).fetchall()
        return [
            JournalEntry(
                r[0],
                r[1],
                r[2],
                r[3],
                r[4],
                tuple(json.loads(r[5])),
                r[6],
                datetime.fromisoformat(r[7]),
                r[8],
                r[9],
                r[10],
                r[11],
                datetime.fromisoformat(r[12]) if r[12] else None,
                r[13],
                datetime.fromisoformat(r[14]) if r[14] else None,
                r[15],
            )
            for r in rows
        ]

    def pending(self, database: str) -> list[JournalEntry]:
        return self._select("state = 'pending' AND database = ?", (database,))

    def conflicts(self, database: str) -> list[JournalEntry]:
        return self._select("state = 'conflict' AND database = ?", (database,))

    def entry(self, decision_id: str) -> JournalEntry | None:
        found = self._select("decision_id = ?", (decision_id,))
        return found[0] if found else None

    def make_durable(self) -> None:
        """Everything written so far survives a power loss on return (the WAL is synced to disk)."""
        with self._lock:
            # A commit in synchronous=FULL syncs the WAL, and with it every commit before it.
            self._conn.execute("PRAGMA synchronous=FULL")
            try:
                self._conn.execute("UPDATE journal SET state = state WHERE seq = (SELECT max(seq) FROM journal)")
            finally:
                self._conn.execute("PRAGMA synchronous=NORMAL")

    def _set_state(self, decision_id: str, state: str, error: str | None = None) -> None:
        # A state change lost to a power cut costs one more idempotent push; no need to wait for the disk.
        with self._lock:
            self._conn.execute(
                "UPDATE journal SET state = ?, error = ? WHERE decision_id = ?", (state, error, decision_id)
            )

    def mark_pushed(self, decision_id: str) -> None:
        self._set_state(decision_id, "pushed")

    def mark_conflict(
        self,
        decision_id: str,
        error: str,
        kind: str | None = None,
        by: str | None = None,
        at: datetime | None = None,
        verdict: str | None = None,
    ) -> None:
        with self._lock:
            self._conn.execute(
                "UPDATE journal SET state = 'conflict', error = ?, conflict_kind = ?, conflict_by = ?,"
                " conflict_at = ?, conflict_verdict = ? WHERE decision_id = ?",
                (error, kind, by, at.isoformat() if at else None, verdict, decision_id),
            )

    def dismiss(self, decision_id: str) -> None:
        """The reviewer has seen the conflict; keep the entry, stop showing it."""
        self._set_state(decision_id, "dismissed")

    def undo(self, decision_id: str, undone_at: datetime) -> bool:
        """Take back a decision that has not been sent, and keep its undo for the audit trail (`undo_events`),
        in one transaction; False when it was sent (or refused) already. Made durable before it returns: the
        reviewer is told it is undone, and the trail must hear of it even after a power cut."""
        with self._lock:
            self._conn.execute("PRAGMA synchronous=FULL")  # this commit waits for the disk
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                try:
                    cursor = self._conn.execute(
                        "UPDATE journal SET state = 'undone' WHERE decision_id = ? AND state = 'pending'",
                        (decision_id,),
                    )
                    undone = cursor.rowcount == 1
                    if undone:
                        self._conn.execute(
                            "INSERT INTO undo_events (decision_id, undone_at, after_seq)"
                            " SELECT ?, ?, max(seq) FROM journal",
                            (decision_id, undone_at.isoformat()),
                        )
                    self._conn.execute("COMMIT")
                except BaseException:
                    self._conn.execute("ROLLBACK")
                    raise
            finally:
                self._conn.execute("PRAGMA synchronous=NORMAL")
            return undone

    def pending_undos(self, database: str) -> list[UndoEvent]:
        """The undos of this database's decisions that the audit trail has not been told of, oldest first."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT u.decision_id, j.database, j.submission_id, j.verdict, u.undone_at, u.after_seq"
                " FROM undo_events u JOIN journal j ON j.decision_id = u.decision_id"
                " WHERE u.state = 'pending' AND j.database = ? ORDER BY u.seq",
                (database,),
            ).fetchall()
        return [UndoEvent(r[0], r[1], r[2], r[3], datetime.fromisoformat(r[4]), r[5]) for r in rows]

    def undo_state(self, decision_id: str) -> str | None:
        """Whether the undo of this decision reached the audit trail: 'pending', 'sent', 'refused' (None: no
        undo kept here)."""
        with self._lock:
            row = self._conn.execute("SELECT state FROM undo_events WHERE decision_id = ?", (decision_id,)).fetchone()
        return row[0] if row else None

    def mark_undo(self, decision_id: str, state: str, error: str | None = None) -> None:
        """The undo reached the audit trail ('sent'), or the database refused it ('refused': kept, not resent)."""
        with self._lock:
            self._conn.execute(
                "UPDATE undo_events SET state = ?, error = ? WHERE decision_id = ?", (state, error, decision_id)
            )

"""Which submission the reviewer holds, and what happens to its claim as they move through the queue.

Opening a submission claims it (a lease the database judges); moving on gives it back, unless it was
decided (the decision ends the claim) or is being decided right now. While the database does not answer a
claim cannot be given back: it is remembered and released when the database answers again. The tracker
only says what to do; the caller runs it on the database worker.
"""

from __future__ import annotations


class ClaimTracker:
    def __init__(self) -> None:
        self.held: int | None = None  # the claim asked for with the submission on screen
        self._deciding: set[int] = set()
        self._decided: set[int] = set()
        self._release_later: set[int] = set()

    # -- what the reviewer looks at ----------------------------------------------------------------

    def showing(self, submission_id: int) -> None:
        """The submission is being loaded with a claim."""
        self.held = submission_id

    def not_held(self, submission_id: int) -> None:
        """The claim was refused, lapsed, or could not be asked for (offline): nothing to renew or give back."""
        if self.held == submission_id:
            self.held = None

    def let_go(self, keep: int | None, online: bool) -> int | None:
        """The reviewer moves to `keep`: the id whose claim to give back now, if any (offline: later)."""
        held = self.held
        if held is None or held == keep:
            return None
        self.held = None
        if self.is_closed(held):
            return None
        if not online:
            self._release_later.add(held)
            return None
        return held

    def release_failed(self, submission_id: int) -> None:
        """Giving it back failed because the database did not answer: try again when it does."""
        self._release_later.add(submission_id)

    def to_renew(self, online: bool) -> int | None:
        """The claim to extend at the next heartbeat."""
        held = self.held
        if held is None or held in self._deciding or not online:
            return None
        return held

    def lapsed(self, submission_id: int) -> bool:
        """A heartbeat found the claim gone; True when it was the one on screen (the reviewer is told)."""
        if submission_id != self.held:
            return False
        self.held = None
        return True

    def reachable_again(self) -> list[int]:
        """The database answers again: the claims that wait to be given back. One whose decision is on its
        way stays the decision's (a held decision keeps its claim for the undo window); should that
        decision fail, it is given back the next time."""
        due = sorted(sid for sid in self._release_later if sid != self.held and not self.is_closed(sid))
        self._release_later = {sid for sid in self._release_later if self.is_deciding(sid)}
        return due

    def for_get_next(self) -> int | None:
        """What to give back before claiming the most urgent submission: not one being decided."""
        return self.held if self.held is not None and not self.is_closed(self.held) else None

    def took_next(self, submission_id: int, shown: int | None) -> None:
        """Get next claimed `submission_id` (and released the one held before)."""
        self.held = submission_id if submission_id == shown else None

    def on_close(self) -> int | None:
        """The window closes: the claim to give back."""
        held, self.held = self.held, None
        return held if held is not None and not self.is_closed(held) else None

    # -- decisions ---------------------------------------------------------------------------------

    def deciding(self, submission_id: int) -> bool:
        """A decision starts; False when one is already on its way for this submission."""
        if submission_id in self._deciding:
            return False
        self._deciding.add(submission_id)
        return True

    def decided(self, submission_id: int) -> None:
        """Recorded (or kept in the journal): the decision ends the claim."""
        self._deciding.discard(submission_id)
        self._decided.add(submission_id)
        self._release_later.discard(submission_id)
        if self.held == submission_id:
            self.held = None

    def not_decided(self, submission_id: int) -> None:
        """The decision failed or was refused: the submission is open again for this reviewer."""
        self._deciding.discard(submission_id)

    def undone(self, submission_id: int) -> None:
        """The reviewer took the decision back before it was sent: the submission is theirs to decide again."""
        self._decided.discard(submission_id)
        self._deciding.discard(submission_id)

    def is_closed(self, submission_id: int) -> bool:
        """Decided here, or being decided: its claim is the decision's business."""
        return submission_id in self._decided or submission_id in self._deciding

    def is_deciding(self, submission_id: int) -> bool:
        return submission_id in self._deciding

    def is_decided(self, submission_id: int) -> bool:
        return submission_id in self._decided

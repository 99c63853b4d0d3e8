"""The demo's past three weeks of work, so that lead mode has something true to show: listing changes that
two reviewers decided (some late), audits of a few of them by the lead (one disagreement), and today's
sample waiting in the audit queue. Everything goes through the same service calls as real work, each at its
own time of day, so the quality figures, the frozen evidence and the audit trail are what they would be.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from reviewer_app.config import Settings
from reviewer_app.review.service import ReviewService

REVIEWERS = ("alice", "bob")
DAYS = 21
PER_DAY = 2
PACKAGES = ("com.example.notes", "com.example.weather", "com.example.wallet", "com.example.legacy")
CHANGES = (
    "New screenshots for the holiday season.",
    "Shorter description; the word 'free' removed.",
    "Support e-mail changed to the company's domain.",
    "Display name translated into Traditional Chinese.",
)
# (days ago, index of the day's decision): the lead's audits of both reviewers, and whether the lead agrees.
AUDITED = {(3, 0): True, (4, 0): True, (9, 0): False, (10, 0): True, (12, 0): False, (15, 0): True, (16, 0): True}
SAMPLE_SEED = 7


def file_history(settings: Settings, now: datetime, lead: str) -> list[str]:
    """Decided listing changes of the last DAYS days, the lead's audits of some, and a sample to audit."""
    from reviewer_app.review.audits import record_audit, take_sample

    clock = _Clock(now)
    services = {name: ReviewService(replace(settings, reviewer=name), clock=clock) for name in (*REVIEWERS, lead)}
    try:
        store = services[lead].store
        decided: dict[tuple[int, int], str] = {}
        for day in range(DAYS, 0, -1):
            for index in range(PER_DAY):
                reviewer = REVIEWERS[(day + index) % len(REVIEWERS)]
                submitted = now - timedelta(days=day, hours=-9 - index * 3)
                package = PACKAGES[(day + index) % len(PACKAGES)]
                tier = 5 if package == "com.example.notes" else 3
                sid = store.add_submission(
                    kind="metadata", developer="Acme Apps" if tier == 5 else "Sky Soft", tier=tier,
                    submitted_at=submitted, deadline=services[lead].sla.deadline(submitted, tier), package=package,
                    note=CHANGES[(day * 3 + index) % len(CHANGES)],
                )  # fmt: skip
                late = day % 7 == 0  # one in a week waited past its deadline
                clock.now = submitted + (timedelta(hours=30) if late else timedelta(minutes=25 + 17 * index + day))
                reject = (day + index) % 5 == 0
                outcome = services[reviewer].decide(
                    sid, "reject" if reject else "approve", ["metadata"] if reject else [],
                    "The screenshots show another app." if reject else None,
                )  # fmt: skip
                if outcome.ok and outcome.decision_id is not None:
                    decided[(day, index)] = outcome.decision_id
        for (day, index), agree in AUDITED.items():
            decision_id = decided.get((day, index))
            record = services[lead].store.decision(decision_id) if decision_id is not None else None
            if decision_id is None or record is None:
                continue
            clock.now = now - timedelta(days=day - 1)
            verdict = record.verdict
            mine = verdict if agree else ("reject" if verdict == "approve" else "approve")
            record_audit(
                services[lead],
                decision_id,
                mine,
                ["metadata"] if mine == "reject" else [],
                None if agree else "The new screenshots are of another app: this should have been rejected.",
            )
        clock.now = now
        take_sample(services[lead], 0.1, SAMPLE_SEED, new_reviewer_first_n=0)
    finally:
        for service in services.values():
            service.close()
    return []


class _Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

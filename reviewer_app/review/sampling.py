"""The team's spot-check sampling settings: the share of final decisions sampled for audits (by default, per
kind, per reviewer) and how many of a new reviewer's first decisions are all audited.

They are the team's, kept in the shared database (the team setting SAMPLING_KEY) and changed by leads
and admins, each change an event of the audit trail with the old and the new value. While the team has
none, each workstation's `[audits]` in config.toml says; `audit sample`'s flags override either for one
run. Whether a workstation's worker takes the day's sample (`[audits] daily`) stays its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from reviewer_app.domain import KINDS
from reviewer_app.review.service import ReviewError

SAMPLING_KEY = "team.audit_sampling"
FIRST_N_LIMIT = 100_000  # as config.toml's [audits] new_reviewer_first_n
NAME_LIMIT = 200  # characters of a reviewer's name (decisions.reviewer)
FIELDS = ("rate", "per_kind", "per_reviewer", "new_reviewer_first_n")


@dataclass(frozen=True)
class SamplingShares:
    """How much of the final decisions a sample takes: a reviewer's own share first, then the kind's,
    else `rate`; and all of a new reviewer's first `new_reviewer_first_n` decisions."""

    rate: float = 0.05
    per_kind: Mapping[str, float] = field(default_factory=dict, hash=False)
    per_reviewer: Mapping[str, float] = field(default_factory=dict, hash=False)
    new_reviewer_first_n: int = 20

    def to_json(self) -> dict[str, Any]:
        return {
            "rate": self.rate,
            "per_kind": dict(sorted(self.per_kind.items())),
            "per_reviewer": dict(sorted(self.per_reviewer.items())),
            "new_reviewer_first_n": self.new_reviewer_first_n,
        }


@dataclass(frozen=True)
class TeamSampling:
    """The shares sampling uses now, and where they come from."""

    shares: SamplingShares
    from_team: bool  # True: the team's, from the database; False: this workstation's config.toml
    updated_by: str | None = None
    updated_at: datetime | None = None
    # The team's value in the database is not valid (written by hand, say): the shares shown are the
    # workstation's, and sampling refuses with this line until a lead saves valid ones.
    problem: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            **self.shares.to_json(),
            "source": "team" if self.from_team else "config",
            "updated_by": self.updated_by,
            "updated_at": self.updated_at.isoformat().replace("+00:00", "Z") if self.updated_at else None,
            "problem": self.problem,
        }


def check_rate(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ReviewError(f"{what} must be between 0 and 1, not {value!r}")
    return float(value)


def check_shares(
    rate: Any,
    per_kind: Mapping[str, Any] | None = None,
    per_reviewer: Mapping[str, Any] | None = None,
    new_reviewer_first_n: Any = 20,
) -> SamplingShares:
    """The shares, checked: each between 0 and 1, kinds known, reviewers named, N a whole number from 0;
    a ReviewError of one line for the first that is not."""
    rate = check_rate(rate, "the sampling rate")
    unknown = sorted(set(per_kind or {}) - set(KINDS))
    if unknown:
        raise ReviewError(f"unknown kind {unknown[0]!r} (use one of {', '.join(KINDS)})")
    kinds = {kind: check_rate(value, f"the sampling rate of {kind}") for kind, value in (per_kind or {}).items()}
    reviewers: dict[str, float] = {}
    for name, value in (per_reviewer or {}).items():
        clean = name.strip() if isinstance(name, str) else ""
        if not clean or len(clean) > NAME_LIMIT or "\n" in clean:
            raise ReviewError(f"a reviewer's share needs the reviewer's name, not {name!r}")
        if clean in reviewers:
            raise ReviewError(f"{clean} is given two shares")
        reviewers[clean] = check_rate(value, f"the sampling rate of {clean}")
    n = new_reviewer_first_n
    if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= FIRST_N_LIMIT:
        raise ReviewError(
            f"the number of a new reviewer's decisions to audit must be a whole number from 0 to {FIRST_N_LIMIT}, "
            f"not {n!r}"
        )
    return SamplingShares(rate, kinds, reviewers, n)


def shares_from_json(value: Any) -> SamplingShares:
    """The shares a team setting holds; a ReviewError of one line when it is not what `to_json` writes."""
    if not isinstance(value, dict) or set(value) != set(FIELDS):
        raise ReviewError(f"the team's sampling settings are not valid: want the keys {', '.join(FIELDS)}")
    if not isinstance(value["per_kind"], dict) or not isinstance(value["per_reviewer"], dict):
        raise ReviewError("the team's sampling settings are not valid: per_kind and per_reviewer are not tables")
    try:
        return check_shares(value["rate"], value["per_kind"], value["per_reviewer"], value["new_reviewer_first_n"])
    except ReviewError as exc:
        raise ReviewError(f"the team's sampling settings are not valid: {exc}") from None


def configured_shares(configured: Any) -> SamplingShares:
    """A workstation's `[audits]` (config.AuditSettings) as shares."""
    return SamplingShares(configured.rate, dict(configured.per_kind), dict(configured.per_reviewer),
                          configured.new_reviewer_first_n)  # fmt: skip


def team_sampling(store: Any, configured: Any) -> TeamSampling:
    """The team's shares where the database has them, else `configured` (the workstation's [audits])."""
    setting = store.team_setting(SAMPLING_KEY)
    if setting is None:
        return TeamSampling(configured_shares(configured), False)
    try:
        return TeamSampling(shares_from_json(setting.value), True, setting.updated_by, setting.updated_at)
    except ReviewError as exc:
        return TeamSampling(configured_shares(configured), False, setting.updated_by, setting.updated_at, str(exc))


def effective_shares(store: Any, configured: Any) -> SamplingShares:
    """The shares a sample takes (the team's, else the workstation's); refused while the team's are not valid."""
    current = team_sampling(store, configured)
    if current.problem is not None:
        raise ReviewError(f"{current.problem}; a lead saves new ones in lead mode")
    return current.shares


def sampling_settings(service: Any) -> TeamSampling:
    return team_sampling(service.store, service.settings.audits)


def shares_for(service: Any) -> SamplingShares:
    return effective_shares(service.store, service.settings.audits)


def set_sampling(service: Any, shares: SamplingShares) -> TeamSampling:
    """Make `shares` (checked again) the team's, in the caller's name (leads and admins; the database refuses
    anyone else); the team's settings as they are then."""
    checked = check_shares(shares.rate, shares.per_kind, shares.per_reviewer, shares.new_reviewer_first_n)
    service.store.set_team_setting(SAMPLING_KEY, checked.to_json(), service.reviewer, service.clock())
    return sampling_settings(service)


__all__ = [
    "SAMPLING_KEY",
    "SamplingShares",
    "TeamSampling",
    "check_shares",
    "configured_shares",
    "effective_shares",
    "sampling_settings",
    "set_sampling",
    "shares_for",
    "shares_from_json",
    "team_sampling",
]

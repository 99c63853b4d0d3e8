"""`reviewer-app audit sample`: decisions sampled for spot-check audits (CLI.md's names), and `audit settings`:
the team's sampling settings (review/sampling.py).

Kept apart from cli.py; their parsers join the `audit` command's other actions (`add_sample_parser` and
`add_settings_parser` take the `audit` subparsers)."""

from __future__ import annotations

import argparse
import secrets
import sys
from datetime import UTC, datetime
from typing import Any

from reviewer_app.cli_work import _emit
from reviewer_app.domain import KINDS


def rate(text: str) -> float:
    """An argparse type: a share from 0 to 1."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"not a share from 0 to 1: {text!r}")
    return value


def seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"not a whole number from 0 to 2**63-1: {text!r}")
    return value


def count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"not a whole number of 0 or more: {text!r}")
    return value


def since(text: str) -> datetime:
    """ISO 8601 date or time; one without a zone is UTC."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 date or time: {text!r}") from None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def override(text: str) -> tuple[str, float]:
    """NAME=SHARE"""
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"not NAME=SHARE: {text!r}")
    return name.strip(), rate(value)


def add_sample_parser(audit_subparsers: Any, common: argparse.ArgumentParser) -> argparse.ArgumentParser:
    p = audit_subparsers.add_parser(
        "sample",
        parents=[common],
        help="sample decisions for spot-check audits into the audit queue",
        description="Sample final decisions (approvals and rejections) not sampled or audited yet: a share of "
        "each reviewer's decisions of each kind, at least one each, and all of a new reviewer's first ones. "
        "The same seed over the same decisions gives the same sample. Shares default to the team's sampling "
        "settings (`audit settings`, or lead mode), else to [audits] in config.toml; these flags override "
        "them for this run.",
    )
    p.add_argument("--rate", type=rate, metavar="R", help="the share to sample, 0 to 1 (default: the team's rate)")
    p.add_argument("--seed", type=seed, metavar="S", help="the seed (default: a random one, printed on stderr)")
    p.add_argument("--kind-rate", type=override, action="append", default=[], metavar="KIND=R",
                   help=f"the share of one kind ({', '.join(KINDS)}); may be repeated")  # fmt: skip
    p.add_argument("--reviewer-rate", type=override, action="append", default=[], metavar="NAME=R",
                   help="the share of one reviewer's decisions; may be repeated")  # fmt: skip
    p.add_argument("--first-n", type=count, metavar="N",
                   help="audit all of a reviewer's first N decisions (default: the team's)")  # fmt: skip
    p.add_argument("--since", type=since, metavar="ISO", help="only decisions made at or after this time")
    p.add_argument("--dry-run", action="store_true", help="print the sample without putting it in the audit queue")
    p.add_argument("--json", action="store_true", help="one JSON object per sampled decision")
    return p


def cmd_audit_sample(args: argparse.Namespace, service: Any) -> int:
    from reviewer_app.review import audits, sampling

    configured = sampling.shares_for(service)  # the team's, else this workstation's [audits]
    chosen_seed = args.seed if args.seed is not None else secrets.randbelow(2**31)
    share = args.rate if args.rate is not None else configured.rate
    options = {
        "per_kind": {**configured.per_kind, **dict(args.kind_rate)},
        "per_reviewer": {**configured.per_reviewer, **dict(args.reviewer_rate)},
        "new_reviewer_first_n": args.first_n if args.first_n is not None else configured.new_reviewer_first_n,
        "since": args.since,
    }
    if args.dry_run:
        sampled = audits.sample_decisions(service, share, chosen_seed, **options)
    else:
        sampled = audits.take_sample(service, share, chosen_seed, **options)
    for pick in sampled:
        if args.json:
            _emit(pick.to_json())
        else:
            print(f"{pick.decision_id}  submission {pick.submission_id}  {pick.reviewer}  {pick.kind}  ({pick.why})")
    where = "sampled (dry run, not queued)" if args.dry_run else "sampled into the audit queue"
    print(f"{len(sampled)} decisions {where}; seed {chosen_seed}, rate {share:g}", file=sys.stderr)
    return 0


def add_settings_parser(audit_subparsers: Any, common: argparse.ArgumentParser) -> argparse.ArgumentParser:
    p = audit_subparsers.add_parser(
        "settings",
        parents=[common],
        help="show or change the team's sampling settings for spot-check audits",
        description="The team's sampling settings, kept in the shared database: the share of final decisions "
        "sampled (by default, per kind, per reviewer) and how many of a new reviewer's first decisions are all "
        "audited. Until the team has them, [audits] in each workstation's config.toml is used. With a flag "
        "below, the settings shown change that way and become the team's (leads and admins; recorded in the "
        "audit trail).",
    )
    p.add_argument("--rate", type=rate, metavar="R", help="the share of each reviewer's decisions, 0 to 1")
    p.add_argument("--kind-rate", type=override, action="append", default=[], metavar="KIND=R",
                   help=f"a kind's own share ({', '.join(KINDS)}); may be repeated")  # fmt: skip
    p.add_argument("--no-kind-rate", action="append", default=[], metavar="KIND",
                   help="a kind's own share no more (the default applies); may be repeated")  # fmt: skip
    p.add_argument("--reviewer-rate", type=override, action="append", default=[], metavar="NAME=R",
                   help="a reviewer's own share; may be repeated")  # fmt: skip
    p.add_argument("--no-reviewer-rate", action="append", default=[], metavar="NAME",
                   help="a reviewer's own share no more; may be repeated")  # fmt: skip
    p.add_argument("--first-n", type=count, metavar="N", help="audit all of a new reviewer's first N decisions")
    p.add_argument("--json", action="store_true", help="one JSON object: the shares, source, updated_by, updated_at")
    return p


def cmd_audit_settings(args: argparse.Namespace, service: Any) -> int:
    from reviewer_app.review import sampling

    current = sampling.sampling_settings(service)
    changing = (args.rate is not None or args.first_n is not None or args.kind_rate or args.no_kind_rate
                or args.reviewer_rate or args.no_reviewer_rate)  # fmt: skip
    if changing:
        shares = current.shares
        per_kind = {k: v for k, v in shares.per_kind.items() if k not in args.no_kind_rate}
        per_reviewer = {k: v for k, v in shares.per_reviewer.items() if k not in args.no_reviewer_rate}
        wanted = sampling.check_shares(
            args.rate if args.rate is not None else shares.rate,
            {**per_kind, **dict(args.kind_rate)},
            {**per_reviewer, **dict(args.reviewer_rate)},
            args.first_n if args.first_n is not None else shares.new_reviewer_first_n,
        )
        current = sampling.set_sampling(service, wanted)
    if args.json:
        _emit(current.to_json())
        return 0
    shares = current.shares
    if current.problem:
        print(f"warning: {current.problem}", file=sys.stderr)
    if current.from_team:
        when = current.updated_at.strftime("%Y-%m-%d %H:%M UTC") if current.updated_at else ""
        print(f"the team's sampling settings, set by {current.updated_by} {when}".rstrip())
    else:
        print("this workstation's [audits] in config.toml (the team has no sampling settings yet)")
    print(f"  rate: {shares.rate:g}")
    for kind, share in sorted(shares.per_kind.items()):
        print(f"  kind {kind}: {share:g}")
    for name, share in sorted(shares.per_reviewer.items()):
        print(f"  reviewer {name}: {share:g}")
    print(f"  all of a new reviewer's first {shares.new_reviewer_first_n} decisions")
    return 0

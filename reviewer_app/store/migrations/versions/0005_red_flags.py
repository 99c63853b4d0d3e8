"""red flags of each submission, for the queue's risk column

Revision ID: 0005
Revises: 0004

The flags are found when a submission is filed (review/flags.py) and stored with it, so that the queue
shows how many a row carries without reading its package's facts. Submissions filed before this revision
get the flags their stored facts show (this file keeps its own copy of the rules of that day: a migration
must not change when the code does).
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

CRITICAL, SERIOUS = 2, 1
WARNING_SEVERITY = {
    "prepended_dex": CRITICAL,
    "duplicate_entries": CRITICAL,
    "compression_method": CRITICAL,
    "manifest_packed": CRITICAL,
    "not_signed": CRITICAL,
    "v1_signer_refused": CRITICAL,
    "v1_signer_refused_uses": CRITICAL,
    "signature_partial": SERIOUS,
    "prepended_data": SERIOUS,
    "package_name_invalid": SERIOUS,
    "janus_v1_only": SERIOUS,
    "debuggable": SERIOUS,
    "test_only": SERIOUS,
    "v1_signer_ignored": SERIOUS,
    "v1_signer_ignored_uses": SERIOUS,
    "v2_signer_ignored": SERIOUS,
    "v2_signer_ignored_uses": SERIOUS,
}


def _flags(facts: dict) -> list[dict]:
    flags = []
    codes = facts.get("warning_codes") or {}
    for text in facts.get("warnings") or ():
        coded = codes.get(text) or {}
        if coded.get("code") in WARNING_SEVERITY:
            flags.append(
                {
                    "code": coded["code"],
                    "severity": WARNING_SEVERITY[coded["code"]],
                    "source": "facts",
                    "params": dict(coded.get("params") or {}),
                }
            )
    if not facts.get("signers") and not any(f["code"] == "not_signed" for f in flags):
        flags.append({"code": "no_signer", "severity": CRITICAL, "source": "facts", "params": {}})
    return sorted(flags, key=lambda f: (-f["severity"], f["source"], f["code"]))


def upgrade() -> None:
    op.add_column("submissions", sa.Column("red_flags", sa.JSON(), nullable=True))
    conn = op.get_bind()
    rows = conn.execute(
        sa.text("SELECT s.id, a.facts FROM submissions s JOIN artifacts a ON a.id = s.artifact_id")
    ).all()
    for submission_id, facts in rows:
        if isinstance(facts, str):
            facts = json.loads(facts)
        flags = _flags(facts or {})
        if flags:
            conn.execute(
                sa.text("UPDATE submissions SET red_flags = :flags WHERE id = :id").bindparams(
                    sa.bindparam("flags", type_=sa.JSON())
                ),
                {"flags": flags, "id": submission_id},
            )


def downgrade() -> None:
    # A plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+): a batch rebuild would trip the decisions triggers.
    op.drop_column("submissions", "red_flags")

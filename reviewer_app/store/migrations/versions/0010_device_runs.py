"""device runs: imports of device-cloud results and adb captures, per device, with their screenshots

Revision ID: 0010
Revises: 0009

Each run belongs to an artifact; each device's result to a run; each screenshot (an image in the blob
store) to a device's result. A submission keeps the developer's store-listing images beside them; an audit
keeps the auditor's own verdict and reasons (for agreement and Cohen's kappa).
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("submissions", sa.Column("listing_images", sa.JSON(), nullable=True))
    op.add_column("audits", sa.Column("verdict", sa.String(length=16), nullable=True))
    op.add_column("audits", sa.Column("reason_codes", sa.JSON(), nullable=True))
    op.create_table(
        "device_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("artifact_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("label", sa.String(length=500), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("devices_total", sa.Integer(), nullable=False),
        sa.Column("devices_done", sa.Integer(), nullable=False),
        sa.Column("cancel_requested", sa.Boolean(), nullable=False),
        sa.Column("warnings", sa.JSON(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("source IN ('test_lab', 'manifest', 'adb')", name=op.f("ck_device_runs_source_valid")),
        sa.CheckConstraint(
            "state IN ('running', 'done', 'failed', 'cancelled')", name=op.f("ck_device_runs_state_valid")
        ),
        sa.ForeignKeyConstraint(["artifact_id"], ["artifacts.id"], name=op.f("fk_device_runs_artifact_id_artifacts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_runs")),
    )
    op.create_index("ix_device_runs_artifact", "device_runs", ["artifact_id", "id"], unique=False)
    op.create_table(
        "device_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("device", sa.String(length=200), nullable=False),
        sa.Column("brand", sa.String(length=200), nullable=True),
        sa.Column("os_version", sa.String(length=32), nullable=True),
        sa.Column("api_level", sa.Integer(), nullable=True),
        sa.Column("locale", sa.String(length=64), nullable=True),
        sa.Column("orientation", sa.String(length=16), nullable=True),
        sa.Column("virtual", sa.Boolean(), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("installed", sa.Boolean(), nullable=True),
        sa.Column("launched", sa.Boolean(), nullable=True),
        sa.Column("crashed", sa.Boolean(), nullable=True),
        sa.Column("crashes", sa.JSON(), nullable=True),
        sa.Column("flags", sa.JSON(), nullable=True),
        sa.Column("messages", sa.JSON(), nullable=True),
        sa.CheckConstraint(
            "outcome IN ('success', 'failure', 'inconclusive', 'skipped', 'flaky')",
            name=op.f("ck_device_results_outcome_valid"),
        ),
        sa.ForeignKeyConstraint(["run_id"], ["device_runs.id"], name=op.f("fk_device_results_run_id_device_runs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_results")),
    )
    op.create_index("ix_device_results_run", "device_results", ["run_id", "position"], unique=False)
    op.create_table(
        "device_screenshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("result_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("blob", sa.String(length=64), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=32), nullable=False),
        sa.Column("phash", sa.String(length=16), nullable=False),
        sa.Column("flags", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["result_id"], ["device_results.id"], name=op.f("fk_device_screenshots_result_id_device_results")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_screenshots")),
    )
    op.create_index("ix_device_screenshots_result", "device_screenshots", ["result_id", "position"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_device_screenshots_result", table_name="device_screenshots")
    op.drop_table("device_screenshots")
    op.drop_index("ix_device_results_run", table_name="device_results")
    op.drop_table("device_results")
    op.drop_index("ix_device_runs_artifact", table_name="device_runs")
    op.drop_table("device_runs")
    op.drop_column("submissions", "listing_images")
    op.drop_column("audits", "reason_codes")
    op.drop_column("audits", "verdict")

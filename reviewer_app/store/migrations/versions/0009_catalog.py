"""the catalog of live apps, the brand registry and the clone search's results

Revision ID: 0009
Revises: 0008

Every live app the clone search compares submissions with (from `catalog add`, `catalog import` and
approvals), with its fingerprints; and, per artifact, the verdict and candidates a worker found.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "clone_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("artifact_id", sa.Integer(), nullable=False),
        sa.Column("verdict", sa.String(length=32), nullable=False),
        sa.Column("candidates", sa.JSON(), nullable=False),
        sa.Column("catalog_size", sa.Integer(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "verdict IN ('counterfeit_suspected', 'same_developer_family', 'no_match')",
            name=op.f("ck_clone_results_verdict_valid"),
        ),
        sa.ForeignKeyConstraint(["artifact_id"], ["artifacts.id"], name=op.f("fk_clone_results_artifact_id_artifacts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clone_results")),
    )
    op.create_index("ix_clone_results_artifact", "clone_results", ["artifact_id", "id"], unique=False)
    op.create_table(
        "catalog_apps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("package", sa.String(length=255), nullable=False),
        sa.Column("labels", sa.JSON(), nullable=False),
        sa.Column("developer", sa.String(length=200), nullable=False),
        sa.Column("certificates", sa.JSON(), nullable=False),
        sa.Column("cert_subjects", sa.JSON(), nullable=True),
        sa.Column("permissions", sa.JSON(), nullable=True),
        sa.Column("icon", sa.JSON(), nullable=True),
        sa.Column("icon_blob", sa.String(length=64), nullable=True),
        sa.Column("code", sa.JSON(), nullable=True),
        sa.Column("resources", sa.JSON(), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("source IN ('add', 'import', 'approved')", name=op.f("ck_catalog_apps_source_valid")),
        sa.ForeignKeyConstraint(
            ["submission_id"], ["submissions.id"], name=op.f("fk_catalog_apps_submission_id_submissions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_apps")),
    )
    op.create_index("ix_catalog_apps_package", "catalog_apps", ["package"], unique=False)
    op.create_index("ux_catalog_apps_submission", "catalog_apps", ["submission_id"], unique=True)
    op.create_table(
        "protected_names",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("developer", sa.String(length=200), nullable=False),
        sa.Column("package", sa.String(length=255), nullable=True),
        sa.Column("added_by", sa.String(length=200), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_protected_names")),
    )
    op.create_index("ux_protected_names_name", "protected_names", ["name"], unique=True)
    op.create_table(
        "resource_counts",
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("apps", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("digest", name=op.f("pk_resource_counts")),
    )


def downgrade() -> None:
    op.drop_table("resource_counts")
    op.drop_index("ux_protected_names_name", table_name="protected_names")
    op.drop_table("protected_names")
    op.drop_index("ux_catalog_apps_submission", table_name="catalog_apps")
    op.drop_index("ix_catalog_apps_package", table_name="catalog_apps")
    op.drop_table("catalog_apps")
    op.drop_index("ix_clone_results_artifact", table_name="clone_results")
    op.drop_table("clone_results")

"""team settings: leads change the team's own settings (the spot-check sampling shares), nothing else

Revision ID: 0017
Revises: 0016

Until now only admins could write `settings`. Leads may now add and change the keys that start with
"team." in their own name (row-level security), and delete none; admins keep every key; everyone reads
them. Each change is a "settings" event of the audit trail, appended by the store in its transaction.

The same statements are part of roles.py's set-up (`db create-roles`), which a new database runs after
its migrations; here they reach a database whose roles exist already. Without them (a database whose
roles are not created yet, or SQLite) there is nothing to do: the set-up will do it.
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

GROUPS = ("reviewer_app_lead", "reviewer_app_admin")

# roles.py's TEAM_SETTINGS as of this revision.
GRANTS = [
    "GRANT INSERT, UPDATE ON settings TO reviewer_app_lead",
    "ALTER TABLE settings ENABLE ROW LEVEL SECURITY",
    "DROP POLICY IF EXISTS read_all ON settings",
    "CREATE POLICY read_all ON settings FOR SELECT USING (true)",
    "DROP POLICY IF EXISTS admins ON settings",
    "CREATE POLICY admins ON settings FOR ALL TO reviewer_app_admin USING (true) WITH CHECK (true)",
    "DROP POLICY IF EXISTS leads_add_team ON settings",
    "CREATE POLICY leads_add_team ON settings FOR INSERT TO reviewer_app_lead "
    "WITH CHECK (key LIKE 'team.%' AND updated_by = current_user)",
    "DROP POLICY IF EXISTS leads_change_team ON settings",
    "CREATE POLICY leads_change_team ON settings FOR UPDATE TO reviewer_app_lead USING (key LIKE 'team.%') "
    "WITH CHECK (key LIKE 'team.%' AND updated_by = current_user)",
]


def _groups_exist() -> bool:
    bind = op.get_bind()
    found = bind.execute(
        sa.text("SELECT count(*) FROM pg_roles WHERE rolname = ANY(:groups)"), {"groups": list(GROUPS)}
    ).scalar_one()
    return found == len(GROUPS)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql" or not _groups_exist():
        return
    for statement in GRANTS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for policy in ("leads_change_team", "leads_add_team", "admins", "read_all"):
        op.execute(f"DROP POLICY IF EXISTS {policy} ON settings")
    op.execute("ALTER TABLE settings DISABLE ROW LEVEL SECURITY")
    if _groups_exist():
        op.execute("REVOKE INSERT, UPDATE ON settings FROM reviewer_app_lead")

"""PostgreSQL roles, grants and row-level security: what a reviewer may not do, the server refuses.

The desktop client is not a security boundary (its user can edit its Python), so identity is the
connection's database user (`current_user`) and every rule below is checked by PostgreSQL itself.

    reviewer_app_reviewer  read everything; claim/release open submissions; insert decisions only in
                           their own name and only on submissions they hold; never update or delete
                           a decision or an audit record.
    reviewer_app_lead      a reviewer who may also take escalated work, sample decisions for audits,
                           record audits (never of their own decisions), reopen audited submissions,
                           write notes to reviewers, recall apps, and change the team's settings.
    reviewer_app_admin     manages configuration, intake (developers, apps, artifacts, submissions)
                           and users; decides nothing.
    reviewer_app_worker    a headless `reviewer-app worker`: takes and finishes jobs, writes scans and
                           the red flags they raise, opens recall cases; decides nothing.

Reviewers may ask for a re-scan or a device import or capture (a queued job in their own name), and stop a
running capture; leads keep the blocklist and close
recall cases, which withdraws the app. Every group appends to the audit trail (its actions do); no group
may change it.
"""

from __future__ import annotations

import re

from sqlalchemy import Engine, text

from reviewer_app.domain import RoleError
from reviewer_app.store.chain import append_event

GROUPS = {
    "reviewer": "reviewer_app_reviewer",
    "lead": "reviewer_app_lead",
    "admin": "reviewer_app_admin",
    "worker": "reviewer_app_worker",
}
ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")

OPEN_AND_MINE = (
    "status IN ('pending', 'escalated') AND (claimed_by IS NULL OR claimed_by = current_user "
    "OR lease_until < now()) AND (status = 'pending' OR pg_has_role(current_user, 'reviewer_app_lead', 'MEMBER'))"
)

LEAD = "pg_has_role(current_user, 'reviewer_app_lead', 'MEMBER')"

# Spot-check audits (migration 0015): a decision's evidence is written with it, by whoever decides (the
# check constraint keeps its key the hash of its text); leads and workers sample decisions into the audit
# queue in their own name; a lead claims an entry (never one of their own decisions), audits it and may
# reopen the submission (reopen_submission runs as its owner), or leave a note that only the reviewer it
# is for, its writer and leads read, and that only its reviewer marks read.
AUDITS = [
    "GRANT INSERT ON evidence_snapshots TO reviewer_app_reviewer",
    "GRANT INSERT ON audit_queue, audit_sample_days TO reviewer_app_lead, reviewer_app_worker",
    "GRANT USAGE ON SEQUENCE audit_queue_id_seq TO reviewer_app_lead, reviewer_app_worker",
    "GRANT UPDATE (state, claimed_by, claimed_at, audit_id) ON audit_queue TO reviewer_app_lead",
    "GRANT INSERT ON reviewer_notes TO reviewer_app_lead",
    "GRANT USAGE ON SEQUENCE reviewer_notes_id_seq TO reviewer_app_lead",
    "GRANT UPDATE (read_at) ON reviewer_notes TO reviewer_app_reviewer",
    "REVOKE ALL ON FUNCTION reopen_submission(integer, timestamptz) FROM PUBLIC",
    "GRANT EXECUTE ON FUNCTION reopen_submission(integer, timestamptz) TO reviewer_app_lead",
    "ALTER TABLE audit_queue ENABLE ROW LEVEL SECURITY",
    "DROP POLICY IF EXISTS read_all ON audit_queue",
    "CREATE POLICY read_all ON audit_queue FOR SELECT USING (true)",
    "DROP POLICY IF EXISTS sample ON audit_queue",
    "CREATE POLICY sample ON audit_queue FOR INSERT TO reviewer_app_lead, reviewer_app_worker WITH CHECK ("
    "sampled_by = current_user AND state = 'open' AND claimed_by IS NULL AND audit_id IS NULL)",
    "DROP POLICY IF EXISTS claim ON audit_queue",
    "CREATE POLICY claim ON audit_queue FOR UPDATE TO reviewer_app_lead USING (claimed_by IS NULL "
    "OR claimed_by = current_user OR (state = 'open' AND claimed_at < now() - interval '1 day')) "
    "WITH CHECK ((claimed_by IS NULL AND state = 'open') OR (claimed_by = current_user AND NOT EXISTS "
    "(SELECT 1 FROM decisions d WHERE d.id = decision_id AND d.reviewer = current_user)))",
    "ALTER TABLE reviewer_notes ENABLE ROW LEVEL SECURITY",
    "DROP POLICY IF EXISTS read_own ON reviewer_notes",
    f"CREATE POLICY read_own ON reviewer_notes FOR SELECT USING (to_reviewer = current_user "
    f"OR from_reviewer = current_user OR {LEAD})",
    "DROP POLICY IF EXISTS leads_write ON reviewer_notes",
    "CREATE POLICY leads_write ON reviewer_notes FOR INSERT TO reviewer_app_lead "
    "WITH CHECK (from_reviewer = current_user AND read_at IS NULL)",
    "DROP POLICY IF EXISTS mark_read ON reviewer_notes",
    "CREATE POLICY mark_read ON reviewer_notes FOR UPDATE TO reviewer_app_reviewer "
    "USING (to_reviewer = current_user) WITH CHECK (to_reviewer = current_user)",
]

# Team settings (migration 0017): everyone reads them; admins keep every key; leads add and change the team's
# own ("team.*": the spot-check sampling shares), in their own name, and delete none. Each change is a
# "settings" event of the audit trail, appended in its transaction (store/settings.py).
TEAM_SETTINGS = [
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

SETUP = [
    # group roles
    *(
        f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{group}') THEN "
        f"CREATE ROLE {group} NOLOGIN; END IF; END $$"
        for group in GROUPS.values()
    ),
    "GRANT reviewer_app_reviewer TO reviewer_app_lead",
    "ALTER ROLE reviewer_app_admin CREATEROLE",
    # privileges: nothing for PUBLIC, then what each group needs
    "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC",
    "GRANT USAGE ON SCHEMA public TO reviewer_app_reviewer, reviewer_app_admin",
    "GRANT SELECT ON ALL TABLES IN SCHEMA public TO reviewer_app_reviewer, reviewer_app_admin",
    "GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO reviewer_app_admin",
    "GRANT UPDATE (claimed_by, lease_until, row_version) ON submissions TO reviewer_app_reviewer",
    "GRANT INSERT ON decisions TO reviewer_app_reviewer",
    "GRANT INSERT ON audits, recalls TO reviewer_app_lead",
    "GRANT INSERT, UPDATE ON developers, apps, artifacts, submissions TO reviewer_app_admin",
    "GRANT INSERT, UPDATE, DELETE ON settings TO reviewer_app_admin",
    # background work: jobs, scans, the blocklist, recall cases (migration 0008)
    "GRANT USAGE ON SCHEMA public TO reviewer_app_worker",
    "GRANT SELECT ON ALL TABLES IN SCHEMA public TO reviewer_app_worker",
    "GRANT INSERT, UPDATE ON jobs, scans TO reviewer_app_worker",
    "GRANT INSERT ON recall_cases TO reviewer_app_worker",
    "GRANT UPDATE (red_flags) ON submissions TO reviewer_app_worker",
    "GRANT USAGE ON SEQUENCE jobs_id_seq, scans_id_seq, recall_cases_id_seq TO reviewer_app_worker",
    "GRANT INSERT ON jobs TO reviewer_app_reviewer, reviewer_app_admin",
    "GRANT USAGE ON SEQUENCE jobs_id_seq TO reviewer_app_reviewer",
    "GRANT INSERT, DELETE ON blocklist TO reviewer_app_lead",
    "GRANT USAGE ON SEQUENCE blocklist_id_seq, recall_cases_id_seq TO reviewer_app_lead",
    "GRANT INSERT, UPDATE (state, closed_by, closed_at, note) ON recall_cases TO reviewer_app_lead",
    "GRANT UPDATE (withdrawn_at, withdrawn_reason) ON apps TO reviewer_app_lead",
    "GRANT UPDATE (withdrawn_at, withdrawn_by, withdrawn_reason) ON artifacts TO reviewer_app_lead",  # rollbacks
    # the catalog and the clone search (migration 0009)
    "GRANT INSERT ON catalog_apps TO reviewer_app_admin, reviewer_app_worker",
    "GRANT INSERT, UPDATE ON resource_counts TO reviewer_app_admin, reviewer_app_worker",
    "GRANT INSERT ON clone_results TO reviewer_app_worker",
    "GRANT USAGE ON SEQUENCE catalog_apps_id_seq, clone_results_id_seq TO reviewer_app_worker",
    # device runs (migration 0010): filed by workers (imports and captures) and admins (a cloud's import);
    # a reviewer may ask a running capture to stop
    "GRANT INSERT, UPDATE ON device_runs TO reviewer_app_worker, reviewer_app_admin",
    "GRANT INSERT ON device_results, device_screenshots TO reviewer_app_worker, reviewer_app_admin",
    "GRANT USAGE ON SEQUENCE device_runs_id_seq, device_results_id_seq, device_screenshots_id_seq "
    "TO reviewer_app_worker, reviewer_app_admin",
    "GRANT UPDATE (cancel_requested) ON device_runs TO reviewer_app_reviewer",
    # the audit trail (migration 0011): everyone appends through their actions, in their own name (the
    # trigger sets actor, time and hashes); nobody but the owner changes it, whatever was granted
    "GRANT INSERT (action, subject, details) ON audit_events "
    "TO reviewer_app_reviewer, reviewer_app_admin, reviewer_app_worker",
    "REVOKE UPDATE, DELETE, TRUNCATE ON audit_events "
    "FROM reviewer_app_reviewer, reviewer_app_lead, reviewer_app_admin, reviewer_app_worker",
    "GRANT INSERT, DELETE ON protected_names TO reviewer_app_lead",
    "GRANT USAGE ON SEQUENCE protected_names_id_seq TO reviewer_app_lead",
    "ALTER TABLE protected_names ENABLE ROW LEVEL SECURITY",
    "DROP POLICY IF EXISTS read_all ON protected_names",
    "CREATE POLICY read_all ON protected_names FOR SELECT USING (true)",
    "DROP POLICY IF EXISTS leads_edit ON protected_names",
    "CREATE POLICY leads_edit ON protected_names FOR INSERT TO reviewer_app_lead WITH CHECK (added_by = current_user)",
    "DROP POLICY IF EXISTS leads_remove ON protected_names",
    "CREATE POLICY leads_remove ON protected_names FOR DELETE TO reviewer_app_lead USING (true)",
    # row-level security
    "ALTER TABLE submissions ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE decisions ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE audits ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE recalls ENABLE ROW LEVEL SECURITY",
    "DROP POLICY IF EXISTS read_all ON submissions",
    "CREATE POLICY read_all ON submissions FOR SELECT USING (true)",
    "DROP POLICY IF EXISTS claim_open ON submissions",
    f"CREATE POLICY claim_open ON submissions FOR UPDATE TO reviewer_app_reviewer USING ({OPEN_AND_MINE}) "
    "WITH CHECK (claimed_by = current_user OR claimed_by IS NULL)",
    "DROP POLICY IF EXISTS intake ON submissions",
    "CREATE POLICY intake ON submissions FOR ALL TO reviewer_app_admin USING (true) WITH CHECK (true)",
    "DROP POLICY IF EXISTS read_all ON decisions",
    "CREATE POLICY read_all ON decisions FOR SELECT USING (true)",
    "DROP POLICY IF EXISTS own_on_held ON decisions",
    "CREATE POLICY own_on_held ON decisions FOR INSERT TO reviewer_app_reviewer WITH CHECK ("
    "reviewer = current_user AND EXISTS (SELECT 1 FROM submissions s WHERE s.id = submission_id "
    "AND s.claimed_by = current_user AND s.lease_until >= now() AND s.status IN ('pending', 'escalated') "
    "AND (s.status = 'pending' OR pg_has_role(current_user, 'reviewer_app_lead', 'MEMBER'))))",
    "DROP POLICY IF EXISTS read_all ON audits",
    "CREATE POLICY read_all ON audits FOR SELECT USING (true)",
    "DROP POLICY IF EXISTS not_own_work ON audits",
    "CREATE POLICY not_own_work ON audits FOR INSERT TO reviewer_app_lead WITH CHECK ("
    "auditor = current_user AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.id = decision_id "
    "AND d.reviewer = current_user))",
    "DROP POLICY IF EXISTS scan_flags ON submissions",
    "CREATE POLICY scan_flags ON submissions FOR UPDATE TO reviewer_app_worker USING (true) WITH CHECK (true)",
    "ALTER TABLE jobs ENABLE ROW LEVEL SECURITY",
    "DROP POLICY IF EXISTS read_all ON jobs",
    "CREATE POLICY read_all ON jobs FOR SELECT USING (true)",
    "DROP POLICY IF EXISTS ask_in_own_name ON jobs",
    "CREATE POLICY ask_in_own_name ON jobs FOR INSERT TO reviewer_app_reviewer, reviewer_app_admin "
    "WITH CHECK (created_by = current_user AND state = 'queued' AND attempts = 0)",
    "DROP POLICY IF EXISTS work ON jobs",
    "CREATE POLICY work ON jobs FOR ALL TO reviewer_app_worker USING (true) WITH CHECK (true)",
    "ALTER TABLE blocklist ENABLE ROW LEVEL SECURITY",
    "DROP POLICY IF EXISTS read_all ON blocklist",
    "CREATE POLICY read_all ON blocklist FOR SELECT USING (true)",
    "DROP POLICY IF EXISTS leads_edit ON blocklist",
    "CREATE POLICY leads_edit ON blocklist FOR INSERT TO reviewer_app_lead WITH CHECK (added_by = current_user)",
    "DROP POLICY IF EXISTS leads_remove ON blocklist",
    "CREATE POLICY leads_remove ON blocklist FOR DELETE TO reviewer_app_lead USING (true)",
    "DROP POLICY IF EXISTS read_all ON recalls",
    "CREATE POLICY read_all ON recalls FOR SELECT USING (true)",
    "DROP POLICY IF EXISTS own_name ON recalls",
    "CREATE POLICY own_name ON recalls FOR INSERT TO reviewer_app_lead WITH CHECK (recalled_by = current_user)",
    *AUDITS,
    *TEAM_SETTINGS,
]


def create_roles(engine: Engine) -> None:
    """Idempotent: run after migrations, by the database owner or a superuser."""
    if engine.dialect.name != "postgresql":
        raise RoleError("roles are enforced by PostgreSQL; the embedded SQLite database has a single user")
    with engine.begin() as conn:
        for statement in SETUP:
            conn.execute(text(statement))


def add_user(engine: Engine, name: str, role: str, password: str | None = None) -> None:
    """Create (or move) a login role in the group of `role`."""
    if engine.dialect.name != "postgresql":
        raise RoleError("users are PostgreSQL login roles; the embedded SQLite database has a single user")
    if role not in GROUPS:
        raise RoleError(f"unknown role {role!r} (use reviewer, lead, admin or worker)")
    if not ROLE_NAME.match(name):
        raise RoleError(f"user name {name!r} must be lower-case letters, digits and _ (PostgreSQL role name)")
    with engine.begin() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).first()
        if not exists:
            conn.execute(text(f'CREATE ROLE "{name}" LOGIN'))
        if password is not None:
            quoted = conn.execute(text("SELECT quote_literal(:p)"), {"p": password}).scalar_one()
            conn.execute(text(f'ALTER ROLE "{name}" PASSWORD {quoted}'))
        for other, group in GROUPS.items():
            if other != role:
                conn.execute(text(f'REVOKE {group} FROM "{name}"'))
        conn.execute(text(f'GRANT {GROUPS[role]} TO "{name}"'))
        if role == "admin":
            # Admins create users: the group's CREATEROLE is not inherited, so the login role gets it.
            conn.execute(text(f'ALTER ROLE "{name}" CREATEROLE'))
        # Roles belong to the server, the trail to this database: the event says who added whom here.
        append_event(conn, "user", f"user:{name}", {"role": role})  # in the name of who ran this


def role_of(engine: Engine, name: str) -> str | None:
    """The highest group role `name` is a member of; "lead" on a database whose roles were never created
    (like an unconfigured SQLite workstation: nothing is enforced, the user sees everything)."""
    if engine.dialect.name != "postgresql":
        return None
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT rolname, pg_has_role(:n, oid, 'MEMBER') FROM pg_roles WHERE rolname = ANY(:groups)"),
            {"n": name, "groups": list(GROUPS.values())},
        ).all()
    if not rows:
        return "lead"
    member = {group for group, is_member in rows if is_member}
    for role in ("admin", "lead", "reviewer", "worker"):
        if GROUPS[role] in member:
            return role
    return None

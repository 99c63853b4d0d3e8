"""Lead mode: a window of tabs for a lead's work (the audit queue, the recall cases, the quality dashboard,
the audit trail), shown only to leads and admins."""

from reviewer_app.ui.lead.audit_queue import AuditQueueTab
from reviewer_app.ui.lead.lead_window import LeadMode, LeadWindow
from reviewer_app.ui.lead.recalls_tab import RecallsTab

__all__ = ["AuditQueueTab", "LeadMode", "LeadWindow", "RecallsTab"]

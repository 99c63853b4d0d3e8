"""Lead mode: a window of tabs for a lead's work (the audit queue first), shown only to leads and admins."""

from reviewer_app.ui.lead.audit_queue import AuditQueueTab
from reviewer_app.ui.lead.lead_window import LeadMode, LeadWindow

__all__ = ["AuditQueueTab", "LeadMode", "LeadWindow"]

"""Approval pages: the reviewers' queues and the auditor's view of the step log."""

from django.utils.translation import gettext_lazy as _

from enterprises.views import RoleApplication


class AuditApplication(RoleApplication):
    title = _("Audit trail")
    icon = "fact_check"
    app_name = "audit"
    permission = "approvals.audit"
    viewsets = []

from django.utils.translation import gettext_lazy as _

from enterprises.exceptions import DomainError


class DashboardError(DomainError):
    """A refused action on the dashboard's data (plan periods, white-list tokens)."""

    code = "dashboard_error"
    default_message = _("The action was refused.")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

STEP_LABELS = {
    "white_list.read": _("White list read by a bank"),
    "white_list_token.issue": _("White-list token issued"),
    "white_list_token.revoke": _("White-list token revoked"),
}


class DashboardConfig(AppConfig):
    """The city's view of its action plan, and the bank white list. Top of the house:
    it reads every app; no app imports it."""

    name = "dashboard"
    verbose_name = _("Dashboard and white list")

    def ready(self):
        from approvals.actions import register_action

        for action, label in STEP_LABELS.items():
            register_action(action, label)

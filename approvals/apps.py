from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "approvals"
    verbose_name = _("Approvals and audit trail")

    def ready(self):
        from . import checks, receivers  # noqa: F401  (calendar check; login / failed-login steps)

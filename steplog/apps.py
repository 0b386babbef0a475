from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SteplogConfig(AppConfig):
    name = "steplog"
    verbose_name = _("Step log")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Cases and workflows")

    def ready(self):
        # Flow permissions and node references exist only once the flow modules are imported.
        from . import flows  # noqa: F401
        from .queue_actions import register_queue_actions

        register_queue_actions()

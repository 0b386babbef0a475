from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Cases and workflows")

    def ready(self):
        # Flow permissions and node references exist only once the flow modules are imported.
        from . import flows  # noqa: F401
        from .cases import register_case_types

        register_case_types()
        from .services.recognition import recognition_labels_register

        recognition_labels_register()

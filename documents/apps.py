from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Official documents")

    def ready(self):
        from approvals.actions import register_action, register_states

        from .models import Document, DocumentStatus, RenderState

        # A document's steps record its status (issued, voided) or its PDF's state (rendering, ready, failed).
        register_states(Document._meta.label_lower, DocumentStatus.choices + RenderState.choices)

        for action, label in {
            "document.issue": _("Document issued"),
            "document.render": _("Document PDF rendered"),
            "document.render_fail": _("Document rendering failed"),
            "document.render_retry": _("Document rendering retried"),
            "document.void": _("Document voided"),
            "document.download": _("Document downloaded"),
        }.items():
            register_action(action, label)

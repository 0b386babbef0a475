"""Document pages: the archive of issued documents, downloads, and public verification."""

from django.utils.translation import gettext_lazy as _

from enterprises.views import RoleApplication


class DocumentsApplication(RoleApplication):
    title = _("Documents")
    icon = "description"
    app_name = "archive"
    permission = None
    viewsets = []

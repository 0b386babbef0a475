"""Case pages, one module per case type; the Cultivation area collects them.

Each module contributes its ``path(...)``s to ``CultivationApplication`` below.
"""

from django.utils.translation import gettext_lazy as _

from enterprises.views import RoleApplication


class CultivationApplication(RoleApplication):
    title = _("Cultivation")
    icon = "trending_up"
    app_name = "cultivation"
    permission = None
    viewsets = []

"""Case pages: pool entry, diagnosis and coaching, applications."""

from django.utils.translation import gettext_lazy as _

from enterprises.views import RoleApplication


class CultivationApplication(RoleApplication):
    title = _("Cultivation")
    icon = "trending_up"
    app_name = "cultivation"
    permission = None
    viewsets = []

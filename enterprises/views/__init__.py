"""Registry pages inside viewflow's Material site, and the base of every area of the site."""

from django.utils.translation import gettext_lazy as _

from .areas import RoleApplication
from .lists import EnterpriseExportViewset, EnterpriseImportViewset
from .registry import EnterpriseDetailView, EnterpriseViewset


class RegistryApplication(RoleApplication):
    title = _("Registry")
    icon = "domain"
    app_name = "registry"
    permission = "enterprises.view_enterprise"
    # The enterprise list, then the import and export pages.
    viewsets = [EnterpriseViewset(), EnterpriseImportViewset(), EnterpriseExportViewset()]


__all__ = ["EnterpriseDetailView", "EnterpriseViewset", "RegistryApplication", "RoleApplication"]

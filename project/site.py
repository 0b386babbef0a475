"""The web UI's frame: viewflow's Material site, one Application per area of work."""

from django.utils.translation import gettext_lazy as _
from viewflow.urls import Site

from enterprises.views import RegistryApplication

site = Site(
    title=_("Tidu 梯度"),
    viewsets=[
        RegistryApplication(),
    ],
)

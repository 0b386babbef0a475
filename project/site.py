"""The web UI's frame: viewflow's Material site, one Application per area of work.

Add an area here once it has pages; the menu shows each area to the roles allowed in.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from viewflow.urls import Site

from approvals.views import AuditApplication, QueueApplication
from dashboard.views import DashboardApplication
from documents.views import DocumentsApplication
from enterprises.views import RegistryApplication
from notifications.views import NotificationsApplication
from rewards.selectors import user_reads_rounds
from rewards.views.payouts import PayoutsApplication
from workflows.views import CultivationApplication
from workflows.views.application import ApplicationsApplication
from workflows.views.pool import PoolApplication


def payout_menu_link_allowed(name: str, user) -> bool:
    """Rounds, budget, reconciliation and forecast list every enterprise's reward: their pages answer 404 to
    whoever cannot read rounds (rewards.selectors.user_reads_rounds), so the menu does not offer them."""
    return name == "index" or user_reads_rounds(user)


site = Site(
    title=_("Tidu 梯度"),
    viewsets=[
        QueueApplication(),
        PoolApplication(),
        ApplicationsApplication(),
        CultivationApplication(),
        RegistryApplication(),
        DocumentsApplication(),
        AuditApplication(),
        NotificationsApplication(),
        PayoutsApplication(menu_link_allowed=payout_menu_link_allowed),
        DashboardApplication(),
    ],
    # viewflow's site menu plus the user's queue counts under "Queue" (approvals).
    menu_template_name="approvals/includes/site_menu.html",
)

# Strings of viewflow's templates that its zh_Hans catalogue leaves untranslated; naming
# them here keeps them in our own catalogue (locale/), which Django consults first.
VIEWFLOW_CATALOGUE_GAPS = [gettext_noop("Applications")]

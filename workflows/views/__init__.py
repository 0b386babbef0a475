"""Case pages, one module per case type; the Cultivation area collects them.

Each module contributes its ``path(...)``s to ``CultivationApplication`` below.
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from enterprises.models import Role
from enterprises.selectors import has_role
from enterprises.views import RoleApplication

from .coaching import item_act_view, plan_act_view, plan_detail_view, plan_list_view, plan_open_view, plan_report_view
from .criteria import rediagnosis_progress_view, ruleset_detail_view, ruleset_list_view
from .diagnosis import RANKING_ROLES, diagnosis_index_view, diagnosis_view, ranking_export_view, ranking_view


class CultivationApplication(RoleApplication):
    title = _("Cultivation")
    icon = "trending_up"
    app_name = "cultivation"
    permission = None
    viewsets = []
    menu_links = [
        ("index", "", _("Gap diagnosis"), "troubleshoot", None),
        ("ranking", "", _("Cultivation list"), "leaderboard", None),
        ("plans", "", _("Coaching plans"), "assignment", None),
        ("rulesets", "", _("Criteria"), "rule", None),
    ]

    # Gap diagnosis, what-if and the cultivation list (views/diagnosis.py)
    index_path = path("", diagnosis_index_view, name="index")
    diagnosis_path = path("diagnosis/<int:pk>/", diagnosis_view, name="diagnosis")
    ranking_path = path("ranking/", ranking_view, name="ranking")
    ranking_export_path = path("ranking/export.xlsx", ranking_export_view, name="ranking_export")
    # Coaching plans (views/coaching.py)
    plan_open_path = path("diagnosis/<int:enterprise_pk>/open-plan/", plan_open_view, name="plan_open")
    plans_path = path("plans/", plan_list_view, name="plans")
    plan_path = path("plans/<int:pk>/", plan_detail_view, name="plan")
    plan_report_path = path("plans/<int:pk>/report/", plan_report_view, name="plan_report")
    plan_act_path = path("plans/<int:pk>/<slug:action>/", plan_act_view, name="plan_act")
    item_act_path = path("plans/<int:pk>/items/<int:item_pk>/<slug:action>/", item_act_view, name="item_act")
    # Criteria rule sets (views/criteria.py)
    rulesets_path = path("criteria/", ruleset_list_view, name="rulesets")
    ruleset_path = path("criteria/<int:pk>/", ruleset_detail_view, name="ruleset")
    rediagnosis_progress_path = path(
        "criteria/rediagnosis/progress/", rediagnosis_progress_view, name="rediagnosis_progress"
    )

    def has_view_permission(self, user, obj=None):
        return not user.is_authenticated or user.role != Role.FINANCE

    def menu_link_allowed(self, name: str, user) -> bool:
        # The cultivation list ranks the whole pool: the bureau's working list, not an enterprise's page.
        return name != "ranking" or has_role(user, *RANKING_ROLES)

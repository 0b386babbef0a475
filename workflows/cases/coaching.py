"""Coaching plans (培育辅导): no queue tasks, but the same declared transitions and step names."""

from django.utils.translation import gettext_lazy as _

from approvals.cases import CaseType, Decision

from ..models import CoachingPlan

COACHING_PLAN = CaseType(
    model=CoachingPlan,
    prefix="coaching_plan",
    case_argument="plan",
    url_name="cultivation:plan",
    decisions=(
        Decision(CoachingPlan.ready, _("Ready to apply: the enterprise was told")),
        Decision(CoachingPlan.reopen, _("Coaching plan back to coaching")),
        Decision(CoachingPlan.close, _("Coaching plan closed"), button=_("Close the plan"), text="reason", text_required=True,
                 final=True),
    ),
    other_actions={
        "open": _("Coaching plan opened"),
        "rediagnose": _("Coaching plan re-diagnosed"),
        "item_start": _("Coaching item started"),
        "item_complete": _("Coaching item completed"),
        "item_drop": _("Coaching item dropped"),
        "item_reopen": _("Coaching item reopened"),
        "item_update": _("Coaching item updated"),
        "activity": _("Training or visit recorded"),
    },
)

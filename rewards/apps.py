from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

STEP_LABELS = {
    "reward_policy.create": _("Reward policy created"),
    "reward_policy.change": _("Reward policy changed"),
    "reward_policy.end": _("Reward policy ended (superseded)"),
    "past_award.import": _("Past awards imported"),
    "entitlement.compute": _("Entitlement computed"),
    "entitlement.cancel": _("Entitlement cancelled"),
}


class RewardsConfig(AppConfig):
    name = "rewards"
    verbose_name = _("Rewards and payouts")

    def ready(self):
        from approvals.actions import register_action, register_states

        from . import api  # noqa: F401  (registers the endpoints on the shared router)
        from .models import Entitlement, EntitlementStatus

        register_states(Entitlement._meta.label_lower, EntitlementStatus.choices)
        for action, label in STEP_LABELS.items():
            register_action(action, label)

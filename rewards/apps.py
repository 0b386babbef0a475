from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

STEP_LABELS = {
    "reward_policy.create": _("Reward policy created"),
    "reward_policy.change": _("Reward policy changed"),
    "reward_policy.end": _("Reward policy ended (superseded)"),
    "past_award.import": _("Past awards imported"),
    "entitlement.compute": _("Entitlement computed"),
    "entitlement.cancel": _("Entitlement cancelled"),
    "payout_statement.import": _("Bank statement imported for reconciliation"),
    "clawback.open": _("Clawback opened"),
    "clawback.refund": _("Clawback refunded"),
    "clawback.offset": _("Clawback offset against a later payout"),
    "reward_revocation.record": _("Title revoked: rewards cancelled or clawed back"),
}


class RewardsConfig(AppConfig):
    name = "rewards"
    verbose_name = _("Rewards and payouts")

    def ready(self):
        from approvals.actions import register_action, register_states

        from approvals.cases import case_type_register

        from . import flows  # noqa: F401  (flow permissions and node references exist once imported)
        from .cases import CASE_TYPES
        from .models import Clawback, ClawbackState, Entitlement, EntitlementStatus
        from .services import payouts, rounds  # noqa: F401  (binds each decision's service)

        register_states(Entitlement._meta.label_lower, EntitlementStatus.choices)
        register_states(Clawback._meta.label_lower, ClawbackState.choices)
        for case_type in CASE_TYPES:
            case_type_register(case_type)
        for action, label in STEP_LABELS.items():
            register_action(action, label)

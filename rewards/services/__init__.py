"""Writes of the rewards app, one module per topic; import the actions from here.

Recognition (workflows) calls ``entitlements_request`` on commit of a recorded title.
"""

from functools import partial

from django.db import transaction

from ..tasks import compute_entitlements
from .awards import past_awards_import
from .entitlements import enterprise_entitlements_compute, entitlements_compute, ladder_step, policies_in_force
from .policies import (
    PolicyValues,
    policy_values_from_mapping,
    reward_policy_check,
    reward_policy_load,
    reward_policy_mapping,
    reward_policy_save,
)


def entitlements_request(*, title) -> None:
    """Ask for the entitlements of a newly recorded ``title`` (免申即享).

    Queues ``rewards.compute_entitlements`` once the caller's transaction commits (a
    rolled-back recognition earns nothing); eager in development and tests.
    """
    transaction.on_commit(partial(compute_entitlements.delay, title.pk))


__all__ = [
    "PolicyValues",
    "enterprise_entitlements_compute",
    "entitlements_compute",
    "entitlements_request",
    "ladder_step",
    "past_awards_import",
    "policies_in_force",
    "policy_values_from_mapping",
    "reward_policy_check",
    "reward_policy_load",
    "reward_policy_mapping",
    "reward_policy_save",
]

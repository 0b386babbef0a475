from django.utils.translation import gettext_lazy as _

from enterprises.exceptions import DomainError


class RewardError(DomainError):
    """A refused action on reward policies, awards or entitlements."""

    code = "reward_error"
    default_message = _("The reward action was refused.")

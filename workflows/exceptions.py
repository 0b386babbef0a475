from django.utils.translation import gettext_lazy as _

from enterprises.exceptions import DomainError


class CaseError(DomainError):
    """A refused action on a case (wrong state, wrong person, missing reason…)."""

    code = "case_error"
    default_message = _("The action on this case was refused.")

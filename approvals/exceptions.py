"""The approvals app's domain error."""

from django.utils.translation import gettext_lazy as _

from enterprises.exceptions import DomainError


class QueueError(DomainError):
    """A refused queue action: already decided, claimed by someone else, or not the user's work."""

    code = "queue_error"
    default_message = _("This task cannot be worked on now.")


class CaseError(DomainError):
    """A refused action on a case (wrong state, wrong person, missing reason…)."""

    code = "case_error"
    default_message = _("The action on this case was refused.")

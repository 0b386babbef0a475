"""Human labels for step actions ("pool_entry.district_approve" → "District approval").

Each app registers the labels of the actions it records, from its ``AppConfig.ready``;
an action without a label shows its code, which is still exact, only less friendly.
"""

from django.utils.translation import gettext_lazy as _

_labels: dict = {}


def register_action(action: str, label) -> None:
    _labels[action] = label


def action_label(action: str):
    return _labels.get(action, action)


for _action, _label in {
    "auth.login": _("Logged in"),
    "auth.login_failed": _("Failed login"),
    "user.role_change": _("User's role or scope changed"),
    "queue.claim": _("Task claimed"),
    "queue.release": _("Task released"),
    "queue.reassign": _("Task reassigned"),
    "queue.remind": _("Overdue reminder sent"),
    "queue.escalate": _("Escalated to the city"),
}.items():
    register_action(_action, _label)

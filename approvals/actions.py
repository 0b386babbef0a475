"""Human labels for step actions ("pool_entry.district_approve" → "District approval") and
for the states a step records, per object type ("district_review" → "待区级审核").

Each app registers the labels of the actions it records and of its models' states, from
its ``AppConfig.ready``; anything without a label shows its code, which is still exact,
only less friendly.
"""

from django.utils.translation import gettext_lazy as _

_labels: dict = {}


def register_action(action: str, label) -> None:
    _labels[action] = label


def action_label(action: str):
    return _labels.get(action, action)


_state_labels: dict[str, dict] = {}


def register_states(object_type: str, choices) -> None:
    """``object_type`` is the model label in lower case; ``choices`` its state TextChoices."""
    _state_labels[object_type] = dict(choices)


def state_label(object_type: str, state: str):
    return _state_labels.get(object_type, {}).get(state, state)


_object_type_labels: dict = {}


def register_object_type(object_type: str, label) -> None:
    """A name for the objects of ``object_type`` (the model label in lower case) where its model's own does not fit."""
    _object_type_labels[object_type] = label


def object_type_label(object_type: str):
    """"workflows.poolentry" → its registered name, else its model's verbose name, else the code."""
    if object_type in _object_type_labels:
        return _object_type_labels[object_type]
    from django.apps import apps

    try:
        return apps.get_model(object_type)._meta.verbose_name
    except (LookupError, ValueError):
        return object_type


for _action, _label in {
    "auth.login": _("Logged in"),
    "auth.login_failed": _("Failed login"),
    "user.role_change": _("User's role or scope changed"),
    "queue.claim": _("Task claimed"),
    "queue.release": _("Task released"),
    "queue.reassign": _("Task reassigned"),
    "queue.remind": _("Overdue reminder sent"),
    "queue.escalate": _("Escalated to the city"),
    "audit.evidence_bundle": _("Evidence bundle downloaded"),
}.items():
    register_action(_action, _label)

"""Template tags for the navigation: queue counts and the menu links of the approvals areas."""

from django import template

from ..queues import kind_label
from ..actions import action_label, object_type_label, state_label
from ..selectors import queue_counts

register = template.Library()


@register.simple_tag
def queue_counts_for(request) -> dict:
    """The user's queue counts, computed once per request however many menus show them."""
    if not request.user.is_authenticated:
        return {}
    if not hasattr(request, "_tidu_queue_counts"):
        request._tidu_queue_counts = queue_counts(user=request.user)
    return request._tidu_queue_counts


@register.simple_tag
def app_menu_links(app, request) -> list[dict]:
    counts = {}
    links = []
    allowed = getattr(app, "menu_link_allowed", lambda name, user: True)
    for name, query, label, icon, count_key in getattr(app, "menu_links", []):
        if not allowed(name, request.user):
            continue
        if count_key and not counts:
            counts = queue_counts_for(request)
        url = app.reverse(name) + query
        links.append(
            {
                "url": url,
                "label": label,
                "icon": icon,
                "count": counts.get(count_key) if count_key else None,
                "active": request.get_full_path() == url,
            }
        )
    return links


@register.filter
def step_action_label(action: str):
    return action_label(action)


@register.filter
def step_state(step, which: str):
    """The label of the state a step left ("before") or reached ("after")."""
    state = step.state_before if which == "before" else step.state_after
    return state_label(step.object_type, state) if state else ""


@register.filter
def step_object_label(object_type: str):
    return object_type_label(object_type)


@register.filter
def queue_kind_label(kind: str):
    return kind_label(kind)


@register.filter
def role_label(role: str):
    from enterprises.models import Role

    return Role(role).label if role in Role.values else role

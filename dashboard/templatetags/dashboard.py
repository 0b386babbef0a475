"""``{% figure_url %}``: the link from a figure to the list behind it, keeping the page's year and jurisdiction."""

from django import template
from django.urls import reverse
from django.utils.http import urlencode

register = template.Library()


@register.simple_tag(takes_context=True)
def figure_url(context, key: str, export: bool = False, **params) -> str:
    """``params`` add to (or, given as ``""``, remove from) the page's ``list_params``."""
    merged = {**context.get("list_params", {}), **params}
    merged = {name: value for name, value in merged.items() if value not in ("", None)}
    url = _list_path(context, export).replace(KEY_PLACEHOLDER, key)
    return f"{url}?{urlencode(merged)}" if merged else url


KEY_PLACEHOLDER = "figure-key"


def _list_path(context, export: bool) -> str:
    """The list (or export) path with a placeholder key, reversed once per page: the dashboard links
    ~90 figures, and reversing each through the site's nested URL patterns cost ~20 ms a page."""
    paths = context.render_context.setdefault("dashboard_list_paths", {})
    if export not in paths:
        paths[export] = reverse("dashboard:export" if export else "dashboard:list", args=[KEY_PLACEHOLDER])
    return paths[export]


@register.filter
def count_in(figure, jurisdiction) -> int:
    """A by-jurisdiction figure's count in one jurisdiction."""
    return figure.count_in(jurisdiction)

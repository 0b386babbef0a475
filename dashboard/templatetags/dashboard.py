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
    url = reverse("dashboard:export" if export else "dashboard:list", args=[key])
    return f"{url}?{urlencode(merged)}" if merged else url


@register.filter
def count_in(figure, jurisdiction) -> int:
    """A by-jurisdiction figure's count in one jurisdiction."""
    return figure.count_in(jurisdiction)

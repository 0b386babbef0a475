"""Presentation shared by every page: text kept in both languages shown in the reader's."""

import datetime

from django import template
from django.utils.formats import date_format
from django.utils.translation import get_language

from ..fields import money_text

register = template.Library()


def reads_english() -> bool:
    return (get_language() or "").startswith("en")


@register.filter
def in_language(obj, field: str):
    """``obj.<field>_en`` for an English reader, else ``obj.<field>_zh`` (falling back to the other when empty).

    For data kept in both languages (rule and rule-set labels): ``{{ rule|in_language:"label" }}``.
    """
    first, second = ("en", "zh") if reads_english() else ("zh", "en")
    value = getattr(obj, f"{field}_{first}", "") or getattr(obj, f"{field}_{second}", "")
    return value


@register.simple_tag
def page_query(request, number) -> str:
    """``?…&page=number``: the request's query string with its page replaced (for the one pager)."""
    query = request.GET.copy()
    query["page"] = number
    return "?" + query.urlencode()


@register.filter
def money(amount) -> str:
    """``{{ amount|money }}``: the site's one money format, 3,450.2万元 / ¥34,502,000.00 (``enterprises.fields.money_text``)."""
    return money_text(amount)


@register.filter
def day(value) -> str:
    """``{{ value|day }}``: a date in the reader's one date format (2026年11月30日 / 30 Nov 2026), also when it
    is kept as ISO text, as in the diagnosis snapshots; text that is not a date is shown as it is."""
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return date_format(value) if value else ""

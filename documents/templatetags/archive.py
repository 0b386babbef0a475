"""Links to documents from other apps' pages: only to documents the reader may open."""

from django import template

from ..selectors import documents_for, user_may_read

register = template.Library()


@register.filter
def readable_by(document, user) -> bool:
    """``{% if document|readable_by:request.user %}<a …>{% endif %}``: the document is in the user's archive."""
    return document is not None and user_may_read(user, document)


@register.filter
def documents_of(case, user) -> list:
    """``{% for document in entry|documents_of:request.user %}``: the documents issued about a case that the
    user may open (a notice after an approval, a report), oldest first."""
    return list(documents_for(user=user, subject=case).order_by("issued_at")) if user.is_authenticated else []

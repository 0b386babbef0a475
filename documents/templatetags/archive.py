"""Links to documents from other apps' pages: only to documents the reader may open."""

from django import template

from ..selectors import user_may_read

register = template.Library()


@register.filter
def readable_by(document, user) -> bool:
    """``{% if document|readable_by:request.user %}<a …>{% endif %}``: the document is in the user's archive."""
    return document is not None and user_may_read(user, document)

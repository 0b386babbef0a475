"""What every page shows an enterprise user: the open annual refresh it still has to answer, and the
cases the bureau returned to it."""

from django.urls import reverse

from enterprises.models import Role

from .selectors import open_refresh_for
from .selectors.returns import returned_cases_for


def pool_refresh_notice(request) -> dict:
    """``refresh_notice``: the refresh, the year due and the link to that year's data, or nothing.

    One query for other users' pages is too many: only enterprise users are looked up.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.role != Role.ENTERPRISE or not user.enterprise_id:
        return {}
    refresh = open_refresh_for(user.enterprise)
    if refresh is None or refresh.updated_by(user.enterprise):
        return {}
    year = refresh.year - 1
    url = reverse("registry:enterprise:metrics", args=[user.enterprise_id, year])
    return {"refresh_notice": {"refresh": refresh, "year": year, "url": url}}


def returned_cases_notice(request) -> dict:
    """``returned_cases``: the enterprise's returned cases (reason and the link to answer), on every page
    but the case's own (whose answer card says it already). Enterprise users only: two queries."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.role != Role.ENTERPRISE or not user.enterprise_id:
        return {}
    cases = [case for case in returned_cases_for(user.enterprise_id) if case.url.split("#")[0] != request.path]
    return {"returned_cases": cases} if cases else {}

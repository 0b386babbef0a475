"""What every page shows an enterprise user: the open annual refresh it still has to answer."""

from django.urls import reverse

from enterprises.models import Role

from .selectors import open_refresh_for


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

"""The enterprise's own award history: every recognition, what it earned and why."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from enterprises.models import Enterprise
from enterprises.selectors import enterprise_get

from ..selectors import enterprise_awards


@login_required
def awards_view(request):
    """An enterprise user sees its own; a reviewer names an enterprise of its scope (?enterprise=pk)."""
    pk = request.user.enterprise_id or request.GET.get("enterprise")
    try:
        enterprise = enterprise_get(user=request.user, pk=int(pk))
    except (TypeError, ValueError, Enterprise.DoesNotExist):
        raise Http404 from None
    lines = enterprise_awards(enterprise=enterprise)
    return render(request, "rewards/awards.html", {"enterprise": enterprise, "lines": lines})

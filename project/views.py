"""The landing page: each role starts where its work is."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse

from enterprises.models import Role

# Role → the page its work starts on.
ROLE_HOME = {
    Role.DISTRICT_REVIEWER: "queue:index",
    Role.CITY_REVIEWER: "queue:index",
    Role.FINANCE: "archive:index",
    Role.AUDITOR: "audit:index",
    Role.ADMIN: "queue:index",
    Role.EXPERT: "queue:index",
}


@login_required
def home(request):
    user = request.user
    if user.role == Role.ENTERPRISE and user.enterprise_id:
        return redirect(reverse("cultivation:diagnosis", args=[user.enterprise_id]))
    return redirect(reverse(ROLE_HOME.get(user.role, "registry:enterprise:index")))

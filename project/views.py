"""The landing page: each role starts where its work is."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from enterprises.models import Role

# Role → the URL name of its first page; areas register here as they are built.
ROLE_HOME = {
    Role.ENTERPRISE: "/registry/enterprise/",
    Role.DISTRICT_REVIEWER: "/registry/enterprise/",
    Role.CITY_REVIEWER: "/registry/enterprise/",
    Role.FINANCE: "/registry/enterprise/",
    Role.AUDITOR: "/registry/enterprise/",
    Role.ADMIN: "/admin/",
}


@login_required
def home(request):
    user = request.user
    if user.role == Role.ENTERPRISE and user.enterprise_id:
        return redirect(f"/registry/enterprise/{user.enterprise_id}/detail/")
    return redirect(ROLE_HOME.get(user.role, "/registry/enterprise/"))

"""Role-based permissions: one role per user decides what the user may do (DESIGN §1).

Row-level scope (which enterprises, which jurisdiction) is not decided here but in
``enterprises.selectors``; this backend answers only "may this role do this kind of thing".
"""

from django.contrib.auth.backends import ModelBackend

from .models import Role

# Permissions are "app_label.codename" strings; "*" grants everything.
ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.ADMIN: {"*"},
    Role.CITY_REVIEWER: {
        "enterprises.view_enterprise",
        "enterprises.add_enterprise",
        "enterprises.change_enterprise",
        "enterprises.import_enterprises",
        "enterprises.view_annualmetrics",
        "enterprises.change_annualmetrics",
        "approvals.review_city",
        "approvals.view_queue",
        "documents.void_document",
    },
    Role.DISTRICT_REVIEWER: {
        "enterprises.view_enterprise",
        "enterprises.add_enterprise",
        "enterprises.change_enterprise",
        "enterprises.import_enterprises",
        "enterprises.view_annualmetrics",
        "enterprises.change_annualmetrics",
        "approvals.review_district",
        "approvals.view_queue",
    },
    Role.ENTERPRISE: {
        "enterprises.view_enterprise",
        "enterprises.change_enterprise",
        "enterprises.view_annualmetrics",
        "enterprises.change_annualmetrics",
    },
    Role.FINANCE: {
        "enterprises.view_enterprise",
        "rewards.confirm_payout",
        "approvals.view_queue",
    },
    Role.EXPERT: {"approvals.view_queue"},
    Role.AUDITOR: {
        "enterprises.view_enterprise",
        "enterprises.view_annualmetrics",
        "steplog.view_step",
        "steplog.audit",
    },
}


def role_has_perm(role: str, perm: str) -> bool:
    granted = ROLE_PERMISSIONS.get(role, set())
    return "*" in granted or perm in granted


class RoleBackend(ModelBackend):
    """Authenticates like Django's ModelBackend; permissions come from the role."""

    def has_perm(self, user_obj, perm, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous:
            return False
        if user_obj.is_superuser:
            return True
        return role_has_perm(user_obj.role, perm)

    def has_module_perms(self, user_obj, app_label):
        if not user_obj.is_active or user_obj.is_anonymous:
            return False
        if user_obj.is_superuser:
            return True
        granted = ROLE_PERMISSIONS.get(user_obj.role, set())
        return "*" in granted or any(p.startswith(app_label + ".") for p in granted)

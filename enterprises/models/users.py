"""Users and their one role (DESIGN §1)."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise user")
    DISTRICT_REVIEWER = "district_reviewer", _("District reviewer")
    CITY_REVIEWER = "city_reviewer", _("City reviewer")
    FINANCE = "finance", _("Finance officer")
    AUDITOR = "auditor", _("Auditor")
    ADMIN = "admin", _("Administrator")
    EXPERT = "expert", _("Expert")


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=24, choices=Role.choices, default=Role.ENTERPRISE)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    jurisdiction = models.ForeignKey(
        "enterprises.Jurisdiction",
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewers",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def clean(self):
        super().clean()
        if self.role == Role.ENTERPRISE and self.enterprise_id is None and not self.is_superuser:
            raise ValidationError({"enterprise": _("An enterprise user belongs to one enterprise.")})
        if self.role == Role.DISTRICT_REVIEWER and self.jurisdiction_id is None:
            raise ValidationError({"jurisdiction": _("A district reviewer belongs to one jurisdiction.")})

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

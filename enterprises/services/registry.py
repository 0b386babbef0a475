"""Writes to the registry. Views, API, admin, imports and the demo all call these."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from steplog.services import step_record

from ..exceptions import RegistryError
from ..models import AnnualMetrics, Enterprise, Jurisdiction, JurisdictionMove, User
from ..selectors import user_can_create_enterprise, user_can_edit_enterprise

ENTERPRISE_PROFILE_FIELDS = (
    "name",
    "industry_chain",
    "main_product",
    "niche_market",
    "niche_entered_year",
    "founded_on",
)


def _refuse_unless(allowed: bool):
    if not allowed:
        raise RegistryError(_("You may not change this enterprise."), code="forbidden", http_status=403)


@transaction.atomic
def enterprise_create(*, by: User | None, credit_code: str, name: str, jurisdiction: Jurisdiction, **profile) -> Enterprise:
    """Register an enterprise. ``by=None`` is the system (imports, demo)."""
    if by is not None:
        _refuse_unless(user_can_create_enterprise(by, jurisdiction.pk))
    enterprise = Enterprise(credit_code=credit_code, name=name, jurisdiction=jurisdiction, **profile)
    enterprise.full_clean()
    enterprise.save()
    step_record(action="enterprise.create", actor=by, obj=enterprise)
    return enterprise


@transaction.atomic
def enterprise_update(*, enterprise: Enterprise, by: User | None, **changes) -> Enterprise:
    """Change profile fields; a jurisdiction change goes through ``enterprise_move``."""
    if by is not None:
        _refuse_unless(user_can_edit_enterprise(by, enterprise))
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    changed = {}
    for field, value in changes.items():
        if field not in ENTERPRISE_PROFILE_FIELDS:
            raise RegistryError(_("Field %(field)s cannot be changed here.") % {"field": field}, http_status=400)
        if getattr(enterprise, field) != value:
            setattr(enterprise, field, value)
            changed[field] = str(value)
    if changed:
        enterprise.full_clean()
        enterprise.save()
        step_record(action="enterprise.update", actor=by, obj=enterprise, data={"changed": changed})
    return enterprise


@transaction.atomic
def enterprise_move(
    *, enterprise: Enterprise, to: Jurisdiction, effective_on: datetime.date, by: User | None
) -> Enterprise:
    """Move an enterprise to another jurisdiction, keeping where it was before ``effective_on``."""
    if by is not None:
        _refuse_unless(user_can_edit_enterprise(by, enterprise) and by.role != "enterprise")
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if enterprise.jurisdiction_id == to.pk:
        return enterprise
    before = enterprise.jurisdiction
    move = JurisdictionMove.objects.create(
        enterprise=enterprise, from_jurisdiction=before, to_jurisdiction=to, effective_on=effective_on
    )
    enterprise.jurisdiction = to
    enterprise.save(update_fields=["jurisdiction", "updated_at"])
    step_record(
        action="enterprise.move",
        actor=by,
        obj=enterprise,
        state_before=before.code,
        state_after=to.code,
        data={"effective_on": effective_on.isoformat()},
    )
    jurisdiction_moved(move=move, by=by)
    return enterprise


def jurisdiction_moved(*, move: JurisdictionMove, by: User | None) -> None:
    """Tell the layers above that ``move`` took effect, inside the move's transaction.

    The registry applies a move at once (``effective_on`` only dates the history), so
    what follows the enterprise (open queue tasks) follows it now. The registry must not
    import upward, so the callables are named in ``settings.TIDU_JURISDICTION_MOVED_HOOKS``;
    each takes ``move=`` and ``by=`` and runs in this transaction: a hook that raises
    undoes the move.
    """
    for dotted_path in getattr(settings, "TIDU_JURISDICTION_MOVED_HOOKS", []):
        import_string(dotted_path)(move=move, by=by)


@transaction.atomic
def metrics_save(*, enterprise: Enterprise, year: int, by: User | None, values: dict, record: bool = True) -> AnnualMetrics:
    """Create or update one year's metrics; only the given fields change."""
    if by is not None:
        _refuse_unless(user_can_edit_enterprise(by, enterprise))
    unknown = set(values) - set(AnnualMetrics.input_field_names())
    if unknown:
        raise RegistryError(_("Unknown metric fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}, http_status=400)
    metrics, created = AnnualMetrics.objects.select_for_update().get_or_create(enterprise=enterprise, year=year)
    for field, value in values.items():
        setattr(metrics, field, value)
    metrics.full_clean()
    metrics.save()
    if record:
        step_record(
            action="metrics.create" if created else "metrics.update",
            actor=by,
            obj=metrics,
            enterprise=enterprise,
            data={"year": year, "fields": sorted(values)},
        )
    _after_metrics_saved(enterprise, by)
    return metrics


def _after_metrics_saved(enterprise: Enterprise, by: User | None) -> None:
    """Tell the layers above (coaching plans re-diagnose) once the change is committed.

    The registry must not import upward, so the callables are named in
    ``settings.TIDU_METRICS_SAVED_HOOKS``; each takes ``enterprise=`` and ``by=``.
    """
    for dotted_path in getattr(settings, "TIDU_METRICS_SAVED_HOOKS", []):
        hook = import_string(dotted_path)
        transaction.on_commit(lambda hook=hook: hook(enterprise=enterprise, by=by))


@transaction.atomic
def enterprise_register(
    *, credit_code: str, name: str, jurisdiction: Jurisdiction, username: str, password: str, **profile
) -> User:
    """An enterprise registers itself: the enterprise and its first user, in one transaction.

    A credit code already in the registry is refused (the district bureau creates accounts
    for enterprises it already knows), so nobody can take over an existing enterprise.
    """
    if Enterprise.objects.filter(credit_code=credit_code).exists():
        raise RegistryError(
            _("This enterprise is already registered. Ask your district bureau for an account."), code="duplicate"
        )
    enterprise = enterprise_create(by=None, credit_code=credit_code, name=name, jurisdiction=jurisdiction, **profile)
    user = User(username=username, role="enterprise", enterprise=enterprise)
    user.set_password(password)
    user.full_clean()
    user.save()
    step_record(action="user.register", actor=user, obj=enterprise, data={"username": username})
    return user

"""Writing reward policy versions: from a file, the admin or the API, under the same rules.

Rules (DESIGN §5, issue 9): policies of one fund never cover the same jurisdiction and
recognition date twice unless the new version names the one it replaces
(``supersedes``, which then ends the day before the new one starts); a policy that
already produced entitlements is never changed in place; a named fund is created when
absent. Each write leaves one step.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from approvals.services import step_record
from enterprises.models import Jurisdiction, Tier, User

from ..exceptions import RewardError
from ..models import ChampionBasis, Fund, RewardPolicy
from ..models.awards import AwardLevel

FILE_KEYS = {
    "code", "name", "jurisdictions", "recognized_from", "recognized_to", "first_time", "renewal", "top_up",
    "champion_basis", "cap_counts_other_levels", "notice_working_days", "fund",
}
OPTIONAL_FILE_KEYS = {"supersedes", "level", "revocation_ban_years"}
CENT = Decimal("0.01")


@dataclass
class PolicyValues:
    """A policy version as checked input: every field resolved to its domain object."""

    code: str
    name: str
    jurisdictions: list[Jurisdiction]
    recognized_from: datetime.date
    recognized_to: datetime.date | None
    fund_name: str
    first_time: dict[str, str] = field(default_factory=dict)
    renewal: dict[str, str] = field(default_factory=dict)
    top_up: bool = True
    champion_basis: str = ChampionBasis.ENTERPRISE
    cap_counts_other_levels: bool = False
    notice_working_days: int = 5
    revocation_ban_years: int = 3
    level: str = AwardLevel.CITY
    supersedes: RewardPolicy | None = None


def policy_values_from_mapping(data: dict) -> PolicyValues:
    """Read a policy file's mapping (keys as in ``policy_load``). Raises ``RewardError``."""
    if not isinstance(data, dict):
        raise RewardError(_("A policy file holds one policy: a mapping of keys to values."), http_status=400)
    unknown = set(data) - FILE_KEYS - OPTIONAL_FILE_KEYS
    missing = FILE_KEYS - set(data) - {"recognized_to", "renewal", "first_time"}
    if unknown or missing:
        raise RewardError(
            _("Policy keys do not match: unknown %(unknown)s; missing %(missing)s.")
            % {"unknown": ", ".join(sorted(unknown)) or "—", "missing": ", ".join(sorted(missing)) or "—"},
            http_status=400,
        )
    return PolicyValues(
        code=_text(data["code"], "code"),
        name=_text(data["name"], "name"),
        jurisdictions=_jurisdictions(data["jurisdictions"]),
        recognized_from=_date(data["recognized_from"], "recognized_from"),
        recognized_to=_date(data.get("recognized_to"), "recognized_to", required=False),
        fund_name=_text(data["fund"], "fund"),
        first_time=_amounts(data.get("first_time"), "first_time"),
        renewal=_amounts(data.get("renewal"), "renewal"),
        top_up=_flag(data["top_up"], "top_up"),
        champion_basis=_choice(data["champion_basis"], ChampionBasis, "champion_basis"),
        cap_counts_other_levels=_flag(data["cap_counts_other_levels"], "cap_counts_other_levels"),
        notice_working_days=_count(data["notice_working_days"], "notice_working_days", minimum=1),
        revocation_ban_years=_count(data.get("revocation_ban_years", 3), "revocation_ban_years", minimum=0),
        level=_choice(data.get("level", AwardLevel.CITY), AwardLevel, "level"),
        supersedes=_policy(data.get("supersedes")),
    )


def _bad(key: str, value) -> RewardError:
    return RewardError(
        _("“%(value)s” is not a valid value for %(key)s.") % {"value": value, "key": key}, http_status=400
    )


def _text(value, key: str) -> str:
    if not isinstance(value, (str, int)) or not str(value).strip():
        raise _bad(key, value)
    return str(value).strip()


def _date(value, key: str, *, required: bool = True) -> datetime.date | None:
    if value in (None, "") and not required:
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise _bad(key, value) from None


def _flag(value, key: str) -> bool:
    if isinstance(value, bool):
        return value
    raise _bad(key, value)


def _count(value, key: str, *, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise _bad(key, value)
    return value


def _choice(value, choices, key: str) -> str:
    if value not in choices.values:
        raise _bad(key, value)
    return value


def _amounts(value, key: str) -> dict[str, str]:
    """tier → yuan as a string with fen (``"300000.00"``); floats are refused."""
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        raise _bad(key, value)
    amounts = {}
    for tier, amount in value.items():
        if tier not in Tier.values or isinstance(amount, (bool, float)):
            raise _bad(key, f"{tier}: {amount}")
        try:
            yuan = Decimal(str(amount))
        except InvalidOperation:
            raise _bad(key, f"{tier}: {amount}") from None
        if not yuan.is_finite() or yuan < 0 or yuan != yuan.quantize(CENT):
            raise _bad(key, f"{tier}: {amount}")
        amounts[tier] = str(yuan.quantize(CENT))
    return amounts


def _jurisdictions(value) -> list[Jurisdiction]:
    codes = [str(code) for code in value] if isinstance(value, (list, tuple)) else None
    if not codes:
        raise _bad("jurisdictions", value)
    found = {j.code: j for j in Jurisdiction.objects.filter(code__in=codes)}
    unknown = [code for code in codes if code not in found]
    if unknown:
        raise RewardError(_("Unknown jurisdiction codes: %(codes)s.") % {"codes": ", ".join(unknown)}, http_status=400)
    return [found[code] for code in codes]


def _policy(code) -> RewardPolicy | None:
    if code in (None, ""):
        return None
    policy = RewardPolicy.objects.filter(code=str(code)).first()
    if policy is None:
        raise RewardError(_("The superseded policy %(code)s does not exist.") % {"code": code}, http_status=400)
    return policy


def reward_policy_check(*, values: PolicyValues, policy: RewardPolicy | None = None) -> None:
    """Refuse what no write may do: a window ending before it starts, a changed policy that
    already has entitlements, a supersedes of another fund, an overlap within the fund."""
    if values.recognized_to is not None and values.recognized_to < values.recognized_from:
        raise RewardError(_("The recognition window ends before it starts."), code="bad_window", http_status=400)
    if policy is not None and policy.pk and policy.entitlements.exists():
        raise RewardError(
            _("Policy %(code)s already produced entitlements and cannot be changed; load a correction as a new "
              "version that supersedes it.") % {"code": policy.code},
            code="policy_in_use",
        )
    superseded = values.supersedes
    if superseded is not None:
        if policy is not None and superseded.pk == policy.pk:
            raise RewardError(_("A policy cannot supersede itself."), code="bad_supersedes", http_status=400)
        if superseded.fund.name != values.fund_name and superseded.fund.code != values.fund_name:
            raise RewardError(
                _("%(code)s pays from another fund; a policy supersedes only a version of its own fund.")
                % {"code": superseded.code},
                code="bad_supersedes",
                http_status=400,
            )
    clash = _overlapping(values, policy)
    if clash is not None:
        raise RewardError(
            _("%(new)s overlaps %(old)s (same fund, jurisdiction and recognition dates). Name it in "
              "“supersedes” if the new version replaces it.") % {"new": values.code, "old": clash.code},
            code="policy_overlap",
        )


def _overlapping(values: PolicyValues, policy: RewardPolicy | None) -> RewardPolicy | None:
    same_fund = Q(fund__name=values.fund_name) | Q(fund__code=values.fund_name)
    others = RewardPolicy.objects.filter(same_fund, jurisdictions__in=values.jurisdictions).distinct()
    if policy is not None and policy.pk:
        others = others.exclude(pk=policy.pk)
    if values.supersedes is not None:
        others = others.exclude(pk=values.supersedes.pk)
    if values.recognized_to is not None:
        others = others.filter(recognized_from__lte=values.recognized_to)
    others = others.exclude(recognized_to__lt=values.recognized_from)
    return others.order_by("recognized_from").first()


def _fund(name: str) -> Fund:
    """The fund named by code or name; created (with no budget) when absent."""
    fund = Fund.objects.filter(code=name).first() or Fund.objects.filter(name=name).first()
    return fund or Fund.objects.create(code=name[:32], name=name)


@transaction.atomic
def reward_policy_save(*, values: PolicyValues, by: User | None) -> RewardPolicy:
    """Create the version ``values.code`` or change it in place (if it has no entitlements).

    Locks the policy row (and the superseded one) for the check; ends the superseded
    version the day before this one starts. Writes one step per policy changed.
    Raises ``RewardError``.
    """
    policy = RewardPolicy.objects.select_for_update().filter(code=values.code).first()
    if values.supersedes is not None:
        values.supersedes = RewardPolicy.objects.select_for_update().get(pk=values.supersedes.pk)
    reward_policy_check(values=values, policy=policy)
    created = policy is None
    policy = policy or RewardPolicy(code=values.code)
    for name in ("name", "recognized_from", "recognized_to", "first_time", "renewal", "top_up", "champion_basis",
                 "cap_counts_other_levels", "notice_working_days", "revocation_ban_years", "level", "supersedes"):
        setattr(policy, name, getattr(values, name))
    policy.fund = _fund(values.fund_name)
    policy.save()
    policy.jurisdictions.set(values.jurisdictions)
    if values.supersedes is not None:
        _end_superseded(values.supersedes, policy, by)
    step_record(
        action="reward_policy.create" if created else "reward_policy.change",
        actor=by,
        obj=policy,
        data=reward_policy_mapping(policy),
    )
    return policy


def _end_superseded(old: RewardPolicy, new: RewardPolicy, by: User | None) -> None:
    end = new.recognized_from - datetime.timedelta(days=1)
    if old.recognized_to is not None and old.recognized_to <= end:
        return
    # Replaced from its first day, the old version keeps an empty window (ends the day before it starts).
    previous = old.recognized_to
    old.recognized_to = end
    old.save(update_fields=["recognized_to", "updated_at"])
    step_record(
        action="reward_policy.end",
        actor=by,
        obj=old,
        data={"code": old.code, "superseded_by": new.code, "recognized_to": [_iso(previous), end.isoformat()]},
    )


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def reward_policy_mapping(policy: RewardPolicy) -> dict:
    """The policy in the keys of a policy file (what a step records; what the API merges a change into)."""
    return {
        "code": policy.code,
        "name": policy.name,
        "jurisdictions": sorted(policy.jurisdictions.values_list("code", flat=True)),
        "recognized_from": policy.recognized_from.isoformat(),
        "recognized_to": _iso(policy.recognized_to),
        "first_time": policy.first_time,
        "renewal": policy.renewal,
        "top_up": policy.top_up,
        "champion_basis": policy.champion_basis,
        "cap_counts_other_levels": policy.cap_counts_other_levels,
        "notice_working_days": policy.notice_working_days,
        "revocation_ban_years": policy.revocation_ban_years,
        "level": policy.level,
        "fund": policy.fund.code,
        "supersedes": policy.supersedes.code if policy.supersedes else None,
    }


def policy_file_read(path) -> dict:
    """A policy file (``.yaml``/``.yml``/``.json``) as a mapping. Raises ``RewardError``."""
    import json
    from pathlib import Path

    import yaml

    path = Path(path)
    text = path.read_text(encoding="utf-8")
    try:
        if path.suffix.lower() == ".json":
            return json.loads(text)
        if path.suffix.lower() in {".yaml", ".yml"}:
            return yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as error:
        raise RewardError(_("The policy file cannot be read: %(error)s") % {"error": error}, http_status=400) from None
    raise RewardError(_("A policy file is .yaml, .yml or .json."), http_status=400)


def reward_policy_load(*, path, by: User | None) -> RewardPolicy:
    """``manage.py policy_load``: read, check and save one policy file."""
    return reward_policy_save(values=policy_values_from_mapping(policy_file_read(path)), by=by)

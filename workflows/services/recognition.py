"""Recording recognition results (认定): titles, the 认定结果通知, and the reviewer's match queue.

``recognition_record`` is the one way a published result becomes a title: the single-case
page, the list import (``recognition_import``), the API and the match queue all call it.
Published lists carry names, not codes, so rows are matched by code when there is one,
else by normalised name (``name_key``); a row that matches no enterprise or several waits
in the resolution queue (``RecognitionMatch``) for a city reviewer. Nothing is guessed.
"""

import datetime
import functools
import hashlib
import json
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from documents.models import DocumentKind
from documents.services import document_issue
from enterprises.models import Enterprise, Role, Tier, Title, TitleBasis, User
from enterprises.selectors import is_administrator
from rewards.services import enterprise_recognition_banned
from steplog.services import step_record

from ..exceptions import CaseError
from ..models import Recognition, RecognitionKind, RecognitionMatch, RecognitionMatchState, RecognitionStatus
from .application import application_recognized

RECORD = "recognition.record"
MATCH_QUEUE = "recognition_match.queue"
MATCH_RESOLVE = "recognition_match.resolve"
MATCH_DISMISS = "recognition_match.dismiss"
IMPORT_ACTION = "recognition.import"

NATIONAL_TIERS = {Tier.LITTLE_GIANT, Tier.CHAMPION}


@dataclass
class Recorded:
    """What ``recognition_record`` did: ``changed`` is False when the result was already on record."""

    recognition: Recognition
    changed: bool
    title: Title | None = None
    warnings: list[str] = field(default_factory=list)


def recognition_may_record(user: User | None) -> bool:
    """City reviewers and administrators record results; ``None`` is the system (a command)."""
    return user is None or is_administrator(user) or (user.is_authenticated and user.role == Role.CITY_REVIEWER)


def _require_recorder(user: User | None) -> None:
    if not recognition_may_record(user):
        raise CaseError(_("Only the city bureau may record recognition results."), code="forbidden", http_status=403)


# ------------------------------------------------------------------------------------------ recording


@transaction.atomic
def recognition_record(
    *,
    enterprise: Enterprise,
    tier: str,
    recognized_on: datetime.date,
    kind: str,
    by: User | None,
    batch: str = "",
    product: str = "",
    status: str = RecognitionStatus.FINAL,
    source: str = "",
) -> Recorded:
    """Record one published result for ``enterprise``; idempotent.

    The same (enterprise, tier, recognized_on, product, kind) recorded again changes
    nothing, except that a final result promotes an earlier publicity one. Only a final
    result holds a title: a first-time title is valid 3 years (to the day before); a
    renewal runs 3 years on from the earlier title's expiry, and one whose earlier title
    is not on record is accepted with a warning. Locks the enterprise row; writes one
    ``recognition.record`` step; issues the 认定结果通知; after commit asks rewards for
    the title's entitlements. Raises ``CaseError`` (forbidden, bad tier/kind/product, or
    an enterprise still banned after a revoked title).
    """
    _require_recorder(by)
    tier, kind, status, product = _checked(tier=tier, kind=kind, status=status, product=product)
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if status == RecognitionStatus.FINAL and (banned := enterprise_recognition_banned(enterprise=enterprise, day=recognized_on)):
        raise CaseError(banned, code="banned", http_status=409)
    key = dict(enterprise=enterprise, tier=tier, recognized_on=recognized_on, product=product, kind=kind)
    recognition = Recognition.objects.filter(**key).first()
    if recognition is not None and (recognition.status == RecognitionStatus.FINAL or status != RecognitionStatus.FINAL):
        return Recorded(recognition=recognition, changed=False, title=recognition.title)
    before = ""
    if recognition is None:
        recognition = Recognition(**key, batch=batch, status=status, source=source, recorded_by=by)
    else:
        before = recognition.status
        recognition.publish()
    outcome = Recorded(recognition=recognition, changed=True)
    if recognition.status == RecognitionStatus.FINAL:
        _title_hold(recognition, outcome)
    recognition.save()
    step_record(
        action=RECORD,
        actor=by,
        obj=recognition,
        enterprise=enterprise,
        state_before=before,
        state_after=recognition.status,
        data=_step_data(recognition),
    )
    if outcome.title is not None:
        recognition_notice_issue(recognition=recognition, by=by)
        _application_close_recognized(recognition=recognition, by=by)
        _entitlements_request_on_commit(outcome.title)
    return outcome


def _checked(*, tier, kind, status, product) -> tuple[str, str, str, str]:
    if tier not in Tier.values:
        raise CaseError(_("Unknown tier “%(tier)s”.") % {"tier": tier}, code="bad_tier", http_status=400)
    if kind not in RecognitionKind.values:
        raise CaseError(_("Unknown recognition kind “%(kind)s”.") % {"kind": kind}, code="bad_kind", http_status=400)
    if status not in RecognitionStatus.values:
        raise CaseError(_("Unknown status “%(status)s”.") % {"status": status}, code="bad_status", http_status=400)
    product = (product or "").strip()
    if product and tier != Tier.CHAMPION:
        raise CaseError(_("Only a single-champion result may name a product."), code="bad_product", http_status=400)
    return tier, kind, status, product


def _title_hold(recognition: Recognition, outcome: Recorded) -> None:
    """The title a final result holds: one already on record for the same date, or a new one."""
    same = dict(enterprise=recognition.enterprise, tier=recognition.tier, product=recognition.product)
    title = Title.objects.filter(**same, recognized_on=recognition.recognized_on).first()
    if recognition.kind == RecognitionKind.RENEWAL:
        recognition.renewed_title = (
            Title.objects.filter(**same, recognized_on__lt=recognition.recognized_on).order_by("-recognized_on").first()
        )
        if recognition.renewed_title is None:
            recognition.warning = _(
                "The earlier title this renewal extends is not on record: it is recorded as valid for three "
                "years from the recognition date."
            )
            outcome.warnings.append(recognition.warning)
    if title is None:
        title = Title.objects.create(
            **same,
            level="national" if recognition.tier in NATIONAL_TIERS else "provincial",
            basis=TitleBasis.RENEWAL if recognition.kind == RecognitionKind.RENEWAL else TitleBasis.FIRST_TIME,
            recognized_on=recognition.recognized_on,
            valid_until=title_valid_until(recognition.recognized_on, renewing=recognition.renewed_title),
            batch=recognition.batch,
            source=recognition.source[:255],
        )
    recognition.title = outcome.title = title


def title_valid_until(recognized_on: datetime.date, *, renewing: Title | None = None) -> datetime.date:
    """Three years to the day before; a passed renewal runs three years on from the earlier expiry."""
    if renewing is not None and renewing.valid_until is not None:
        return _years_after(renewing.valid_until, Title.VALIDITY_YEARS)
    return _years_after(recognized_on, Title.VALIDITY_YEARS) - datetime.timedelta(days=1)


def _years_after(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


def _step_data(recognition: Recognition) -> dict:
    data = {
        "tier": recognition.tier,
        "recognized_on": recognition.recognized_on.isoformat(),
        "kind": recognition.kind,
        "batch": recognition.batch,
        "product": recognition.product,
        "source": recognition.source,
    }
    if recognition.title_id:
        data["title"] = recognition.title_id
        data["valid_until"] = recognition.title.valid_until.isoformat() if recognition.title.valid_until else ""
    if recognition.warning:
        data["warning"] = recognition.warning
    return data


def _application_close_recognized(*, recognition: Recognition, by: User | None) -> None:
    """Close the enterprise's recommended application for this tier as recognized, in the same transaction."""
    application_recognized(
        enterprise=recognition.enterprise, tier=recognition.tier, product=recognition.product,
        day=recognition.recognized_on, by=by,
    )


def _entitlements_request_on_commit(title: Title) -> None:
    """The one place recognition asks rewards for entitlements (免申即享), after commit."""
    from rewards.services import entitlements_request

    transaction.on_commit(lambda: entitlements_request(title=title))


# ------------------------------------------------------------------------------------------ the notice


def recognition_notice_context(recognition: Recognition) -> dict:
    enterprise, title = recognition.enterprise, recognition.title
    tier = recognition.get_tier_display()
    values = {
        "enterprise": enterprise.name,
        "code": enterprise.credit_code,
        "tier": tier,
        "product": recognition.product,
        "batch": recognition.batch or "—",
        "recognized_on": _chinese_date(recognition.recognized_on),
        "valid_until": _chinese_date(title.valid_until) if title.valid_until else "—",
    }
    if recognition.kind == RecognitionKind.RENEWAL:
        result = _("Your enterprise (unified social credit code %(code)s) has passed the re-review of its %(tier)s "
                   "title (batch: %(batch)s, published %(recognized_on)s).") % values
    else:
        result = _("Your enterprise (unified social credit code %(code)s) has been recognized as %(tier)s "
                   "(batch: %(batch)s, published %(recognized_on)s).") % values
    if recognition.product:
        result += _(" The recognized product is %(product)s.") % values
    return {
        "title": _("Notice of the recognition of %(enterprise)s as %(tier)s") % values,
        "addressee": enterprise.name,
        "body": [
            {"type": "paragraph", "text": result},
            {"type": "paragraph", "text": _("The title is valid until %(valid_until)s.") % values},
            {"type": "heading", "level": 1, "text": _("Your obligations")},
            {
                "type": "paragraph",
                "text": _(
                    "Update your data in the system before 31 May each year, report a major change (rename, merger, "
                    "move) within three months, and apply for re-review (复核) before the title expires."
                ),
            },
        ],
        "copy_to": [enterprise.jurisdiction.name + _(" bureau of industry and information technology")],
    }


def _chinese_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def recognition_notice_issue(*, recognition: Recognition, by: User | None) -> None:
    """Issue the 认定结果通知 of a final result, worded in the site's language (Chinese)."""
    with translation.override(settings.LANGUAGE_CODE):
        context = recognition_notice_context(recognition)
    document_issue(
        kind=DocumentKind.RECOGNITION_NOTICE, by=by, enterprise=recognition.enterprise, subject=recognition,
        context=context,
    )


# ------------------------------------------------------------------------------------------ name matching


@functools.cache
def _simplifier():
    import opencc

    return opencc.OpenCC("t2s")


def name_key(name: str) -> str:
    """A name folded for matching: full-width to half-width, traditional to simplified, no spaces.

    Nothing else is dropped, so two legal entities of one group keep different keys.
    """
    folded = unicodedata.normalize("NFKC", name or "")
    return "".join(_simplifier().convert(folded).split()).lower()


@dataclass
class Match:
    enterprise: Enterprise | None
    reason: str = ""  # a RecognitionMatchReason when enterprise is None
    candidates: list[int] = field(default_factory=list)


class EnterpriseMatcher:
    """Every registered enterprise by credit code and by name key, loaded once per import."""

    def __init__(self):
        self.by_code: dict[str, int] = {}
        self.by_name: dict[str, list[int]] = {}
        for pk, name, code in Enterprise.objects.values_list("pk", "name", "credit_code"):
            self.by_code[code] = pk
            self.by_name.setdefault(name_key(name), []).append(pk)

    def match(self, *, name: str, credit_code: str = "") -> Match:
        from ..models.recognition import RecognitionMatchReason as Reason

        named = self.by_name.get(name_key(name), [])
        if credit_code:
            pk = self.by_code.get(credit_code)
            return Match(Enterprise(pk=pk)) if pk else Match(None, Reason.UNMATCHED, named)
        if len(named) == 1:
            return Match(Enterprise(pk=named[0]))
        return Match(None, Reason.AMBIGUOUS if named else Reason.UNMATCHED, named)


# ------------------------------------------------------------------------------------------ the resolution queue


def match_row_key(*, name: str, credit_code: str, row: dict) -> str:
    values = {"name": name_key(name), "credit_code": credit_code, **row}
    return hashlib.sha256(json.dumps(values, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


@transaction.atomic
def recognition_match_queue(
    *, name: str, credit_code: str, row: dict, reason: str, candidates: list[int], source: str, row_number, by
) -> tuple[RecognitionMatch, bool]:
    """Queue a published row no enterprise matches with certainty; a row already queued (in any
    state) is found again, so a re-import queues nothing new. ``row`` holds tier,
    recognized_on (ISO), kind, batch, product and status. Writes one step when queued."""
    _require_recorder(by)
    row_key = match_row_key(name=name, credit_code=credit_code, row=row)
    match, created = RecognitionMatch.objects.get_or_create(
        row_key=row_key,
        defaults=dict(name=name, credit_code=credit_code, row=row, reason=reason, source=source[:255],
                      row_number=row_number),
    )
    if created:
        match.candidates.set(candidates)
        step_record(action=MATCH_QUEUE, actor=by, obj=match, state_after=match.state,
                    data={"name": name, "reason": reason, "candidates": sorted(candidates), **row})
    return match, created


def _locked_open(match: RecognitionMatch) -> RecognitionMatch:
    match = RecognitionMatch.objects.select_for_update().get(pk=match.pk)
    if match.state != RecognitionMatchState.OPEN:
        raise CaseError(_("This row was already %(state)s.") % {"state": match.get_state_display()},
                        code="not_open", http_status=409)
    return match


@transaction.atomic
def recognition_match_resolve(*, match: RecognitionMatch, enterprise: Enterprise, by: User) -> Recorded:
    """The reviewer says which enterprise a queued row is; the result is recorded through
    ``recognition_record`` (its own step, title and notice) and the row leaves the queue
    with one ``recognition_match.resolve`` step. Raises ``CaseError`` when not open."""
    _require_recorder(by)
    match = _locked_open(match)
    row = match.row
    recorded = recognition_record(
        enterprise=enterprise, tier=row["tier"], recognized_on=datetime.date.fromisoformat(row["recognized_on"]),
        kind=row["kind"], by=by, batch=row.get("batch", ""), product=row.get("product", ""),
        status=row.get("status", RecognitionStatus.FINAL), source=match.source,
    )
    match.resolve(enterprise=enterprise, recognition=recorded.recognition, by=by, at=timezone.now())
    match.save()
    step_record(action=MATCH_RESOLVE, actor=by, obj=match, enterprise=enterprise,
                state_before=RecognitionMatchState.OPEN, state_after=match.state,
                data={"name": match.name, "enterprise": enterprise.pk, "recognition": recorded.recognition.pk})
    return recorded


@transaction.atomic
def recognition_match_dismiss(*, match: RecognitionMatch, by: User, note: str = "") -> RecognitionMatch:
    """The row is not one of ours (another city, a brand name): it leaves the queue unrecorded."""
    _require_recorder(by)
    match = _locked_open(match)
    match.dismiss(note=(note or "").strip()[:255], by=by, at=timezone.now())
    match.save()
    step_record(action=MATCH_DISMISS, actor=by, obj=match, state_before=RecognitionMatchState.OPEN,
                state_after=match.state, comment=match.note, data={"name": match.name})
    return match


# ------------------------------------------------------------------------------------------ labels


def recognition_labels_register() -> None:
    """Step and state labels for approvals' timelines and audit log (called from the app's ready())."""
    from django.utils.translation import gettext_lazy

    from approvals.actions import register_action, register_states

    register_states(Recognition._meta.label_lower, RecognitionStatus.choices)
    register_states(RecognitionMatch._meta.label_lower, RecognitionMatchState.choices)
    for action, label in {
        RECORD: gettext_lazy("Recognition result recorded"),
        IMPORT_ACTION: gettext_lazy("Published recognition list imported"),
        MATCH_QUEUE: gettext_lazy("Published row queued for matching"),
        MATCH_RESOLVE: gettext_lazy("Published row matched to an enterprise"),
        MATCH_DISMISS: gettext_lazy("Published row dismissed"),
    }.items():
        register_action(action, label)

"""Gap diagnosis pages: one enterprise's diagnosis with a what-if form, and the cultivation list.

A what-if run posts edited values to the diagnosis page and gets the result back at once
(the page swaps it in); nothing is saved.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import AnnualMetrics, Enterprise, IndustryChain, Jurisdiction, Role, Tier
from enterprises.selectors import enterprise_list, has_role

from ..criteria import Kind
from ..criteria import diagnose as engine_diagnose
from ..criteria.facts import with_overrides
from ..criteria.ranking import gaps
from ..criteria.report import diagnosis_data
from ..exceptions import CaseError
from ..selectors.coaching import open_plan_for, ready_notices, user_can_coach
from ..selectors.diagnosis import cultivation_ranking, diagnose, next_tier

RANKING_ROLES = (Role.DISTRICT_REVIEWER, Role.CITY_REVIEWER, Role.AUDITOR)
RANKING_LIMIT = 200


def parse_day(raw: str | None) -> datetime.date:
    try:
        return datetime.date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError:
        return timezone.localdate()


def _choice(raw: str | None, allowed, default: str) -> str:
    return raw if raw in allowed else default


# ---------------------------------------------------------------- what-if form


def _input_kind(field) -> str:
    if field.get_internal_type() == "BooleanField":
        return "flag"
    return "choice" if field.choices else "number"


def what_if_rows(diagnosis) -> list[dict]:
    """One row per typed-in field the rules read, with an input per year it is read for."""
    record, year = diagnosis.record, diagnosis.as_of.year
    rows = []
    for name, backs in diagnosis.ruleset.inputs().items():
        if backs == [None]:
            rows.append({"label": Enterprise._meta.get_field(name).verbose_name, "kind": "number",
                         "cells": [{"name": f"p-{name}", "value": getattr(record, name), "year": None}]})
            continue
        field = AnnualMetrics._meta.get_field(name)
        cells = [
            {"name": f"m-{year - back}-{name}", "year": year - back,
             "value": record.metrics.get(year - back, {}).get(name)}
            for back in backs
        ]
        rows.append({"label": field.verbose_name, "kind": _input_kind(field), "choices": field.choices, "cells": cells})
    return rows


def what_if_overrides(post, ruleset, as_of: datetime.date) -> tuple[dict, list[str]]:
    """The edited values of a what-if post, as the engine's overrides; and the values that could not be read."""
    overrides: dict = {}
    problems = []
    for name, backs in ruleset.inputs().items():
        model = Enterprise if backs == [None] else AnnualMetrics
        form_field = model._meta.get_field(name).formfield(required=False)
        for back in backs:
            key = f"p-{name}" if back is None else f"m-{as_of.year - back}-{name}"
            if key not in post:
                continue
            try:
                value = form_field.clean(post[key])
                if value is not None:  # the field rules too: a 27-digit count is no what-if
                    model._meta.get_field(name).run_validators(value)
            except ValidationError as error:
                problems.append(f"{model._meta.get_field(name).verbose_name}: {post[key]} ({' '.join(error.messages)})")
                continue
            if back is None:
                overrides[name] = value
            else:
                overrides.setdefault(as_of.year - back, {})[name] = value
    return overrides, problems


# ---------------------------------------------------------------- pages


@login_required
def diagnosis_index_view(request):
    """Enterprise users go to their own diagnosis; reviewers pick an enterprise in their scope."""
    user = request.user
    if user.role == Role.ENTERPRISE:
        if not user.enterprise_id:
            raise Http404
        return redirect("cultivation:diagnosis", pk=user.enterprise_id)
    enterprises = enterprise_list(user=user)
    query = request.GET.get("q", "").strip()
    if query:
        enterprises = enterprises.filter(Q(name__icontains=query) | Q(credit_code__icontains=query))
    page = Paginator(enterprises.order_by("name"), 20).get_page(request.GET.get("page"))
    return render(request, "workflows/diagnosis/index.html", {"page": page, "query": query})


@login_required
def diagnosis_view(request, pk):
    """GET: the diagnosis. POST: a what-if run with edited values (nothing saved)."""
    enterprise = get_object_or_404(enterprise_list(user=request.user), pk=pk)
    params = request.POST if request.method == "POST" else request.GET
    as_of = parse_day(params.get("as_of"))
    tier = _choice(params.get("tier"), Tier.values, next_tier(enterprise, as_of))
    kind = _choice(params.get("kind"), Kind.values, Kind.NEW)
    context = {"enterprise": enterprise, "tier": tier, "as_of": as_of, "kind": kind, "tiers": Tier.choices,
               "kinds": Kind.choices}
    try:
        diagnosis = diagnose(enterprise, tier, as_of, kind=kind)
    except CaseError as error:
        return render(request, "workflows/diagnosis/detail.html", {**context, "error": str(error)}, status=200)
    what_if = request.method == "POST"
    if what_if:
        overrides, problems = what_if_overrides(request.POST, diagnosis.ruleset, as_of)
        diagnosis = _rerun(diagnosis, overrides)
        context["problems"] = problems
    context.update(result=diagnosis_data(diagnosis), what_if=what_if)
    if what_if and request.headers.get("X-Requested-With") == "fetch":
        return render(request, "workflows/diagnosis/_result.html", context)
    context.update(
        rows=what_if_rows(diagnosis),
        plan=open_plan_for(enterprise, tier),
        can_coach=user_can_coach(request.user, enterprise),
        notices=ready_notices(user=request.user, enterprise=enterprise),
        gap_count=len(gaps(diagnosis)),
    )
    return render(request, "workflows/diagnosis/detail.html", context)


def _rerun(diagnosis, overrides: dict):
    record = with_overrides(diagnosis.record, overrides)
    return engine_diagnose(diagnosis.ruleset, record, diagnosis.as_of, kind=diagnosis.kind)


def _ranking_params(request) -> dict:
    return {
        "tier": _choice(request.GET.get("tier"), Tier.values, Tier.SRDI),
        "as_of": parse_day(request.GET.get("as_of")),
        "jurisdiction": request.GET.get("jurisdiction") or None,
        "industry_chain": _pk_or_none(request.GET.get("industry_chain")),
    }


def _pk_or_none(raw: str | None) -> int | None:
    """A row id from the query string; anything else (``abc``, 30 digits) is no filter, not a server error."""
    return int(raw) if raw and raw.isascii() and raw.isdigit() and len(raw) <= 18 else None


def _ranking_or_none(request, params, limit):
    if not has_role(request.user, *RANKING_ROLES):
        raise Http404
    try:
        return cultivation_ranking(user=request.user, limit=limit, **params)
    except CaseError as error:
        messages.error(request, str(error))
        return []


@login_required
def ranking_view(request):
    """The cultivation list: pooled enterprises closest to a tier's bar, closest first."""
    params = _ranking_params(request)
    rows = [(d, gaps(d)) for d in _ranking_or_none(request, params, RANKING_LIMIT)]
    return render(
        request,
        "workflows/diagnosis/ranking.html",
        {
            "rows": rows,
            "params": params,
            "tiers": Tier.choices,
            "jurisdictions": Jurisdiction.objects.all(),
            "chains": IndustryChain.objects.filter(active=True),
            "limit": RANKING_LIMIT,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def ranking_export_view(request):
    """The cultivation list as an .xlsx, every ranked enterprise (the bureau's working list)."""
    from enterprises.services.sheets import Sheet, write_workbook

    params = _ranking_params(request)
    diagnoses = _ranking_or_none(request, params, None)
    headers = [_("Rank"), _("Enterprise"), _("Credit code"), _("Verdict"), _("Score"), _("Conditions missing"),
               _("Points short"), _("Gaps")]
    rows = [
        [index, d.record.name, d.record.credit_code, _verdict(d.passed), d.score, d.conditions_missing,
         d.points_short, "；".join(result.rule.label for result in gaps(d))]
        for index, d in enumerate(diagnoses, start=1)
    ]
    content = write_workbook([Sheet(title=Tier(params["tier"]).label[:31], headers=headers, rows=rows,
                                    widths={1: 36, 2: 22, 7: 80})])
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="cultivation-{params["tier"]}-{params["as_of"]}.xlsx"'
    return response


def _verdict(passed) -> str:
    return {True: _("passes"), False: _("does not pass"), None: _("undetermined")}[passed]

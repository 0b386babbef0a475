"""奖励兑现 pages: the enterprise's payouts and its confirmation, the city's rounds, finance's work."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from approvals.selectors import steps_for
from enterprises.exceptions import DomainError
from enterprises.models import Role
from enterprises.views import RoleApplication

from .. import selectors, services
from ..cases import PAYOUT, REWARD_ROUND
from ..forms import (
    AccountForm,
    CommentForm,
    ExportForm,
    ObjectionForm,
    PaymentForm,
    ReasonForm,
    RoundCreateForm,
    StatementForm,
)
from ..models import Fund, PayoutState, RewardRound

# What each action's form holds, and the service it calls with the payout.
PAYOUT_ACTIONS = {
    "confirm": (AccountForm, lambda p, by, data: services.payout_confirm(payout=p, by=by, **data)),
    "hold": (ObjectionForm, lambda p, by, data: services.payout_object(payout=p, by=by, **data)),
    "release": (ReasonForm, lambda p, by, data: services.payout_release(payout=p, by=by, **data)),
    "reject": (ReasonForm, lambda p, by, data: services.payout_reject(payout=p, by=by, **data)),
    "cancel": (ReasonForm, lambda p, by, data: services.payout_cancel(payout=p, by=by, **data)),
    "confirm_budget": (CommentForm, lambda p, by, data: services.payout_confirm_budget(payout=p, by=by, **data)),
    "pay": (PaymentForm, lambda p, by, data: services.payout_pay(payout=p, by=by, **data)),
}
ROUND_ACTIONS = {
    "approve": lambda r, by: services.reward_round_approve(round=r, by=by),
    "open_notice": lambda r, by: services.reward_round_open_notice(round=r, by=by),
    "close": lambda r, by: services.reward_round_close_notice(round=r, by=by),
}


def _flash_errors(request, form) -> None:
    messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))


@login_required
def payout_list_view(request):
    payouts = selectors.payout_list(user=request.user, state=request.GET.get("state") or None)
    page = Paginator(payouts, 25).get_page(request.GET.get("page"))
    return render(request, "rewards/payouts/list.html", {"page": page, "states": PayoutState.choices})


@login_required
def payout_detail_view(request, pk):
    try:
        payout = selectors.payout_get(user=request.user, pk=pk)
    except selectors.Payout.DoesNotExist:
        raise Http404 from None
    actions = selectors.payout_actions(payout=payout, user=request.user)
    forms = [(PAYOUT.decision(name), PAYOUT_ACTIONS[name][0](prefix=name, initial=_initial(name, payout))) for name in actions]
    return render(request, "rewards/payouts/detail.html", {
        "payout": payout, "forms": forms, "steps": steps_for(obj=payout, user=request.user),
        "objections": payout.objections.select_related("raised_by", "resolved_by"),
    })


def _initial(name: str, payout) -> dict:
    if name == "confirm":
        return {"bank": payout.bank, "account_name": payout.account_name or payout.enterprise.name,
                "account_number": payout.account_number}
    if name == "pay":
        return {"value_date": timezone.localdate()}
    return {}


@require_POST
@login_required
def payout_act_view(request, pk, action):
    if action not in PAYOUT_ACTIONS:
        raise Http404
    try:
        payout = selectors.payout_get(user=request.user, pk=pk)
    except selectors.Payout.DoesNotExist:
        raise Http404 from None
    form_class, act = PAYOUT_ACTIONS[action]
    form = form_class(request.POST, prefix=action)
    if not form.is_valid():
        _flash_errors(request, form)
    else:
        try:
            act(payout, request.user, form.cleaned_data)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, str(PAYOUT.decision(action).done))
    return redirect(reverse("payouts:detail", args=[pk]))


@login_required
def round_list_view(request):
    if not selectors.user_reads_rounds(request.user):
        raise Http404
    form = RoundCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            round = services.reward_round_create(by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Round created with %(count)d payouts.") % {"count": round.payouts.count()})
            return redirect(reverse("payouts:round", args=[round.pk]))
    confirmed = selectors.payout_list(user=request.user, state=PayoutState.CONFIRMED)
    return render(request, "rewards/payouts/rounds.html", {
        "rounds": selectors.reward_round_list(user=request.user), "form": form, "confirmed": confirmed,
        "is_city": request.user.role == Role.CITY_REVIEWER,
    })


@login_required
def round_detail_view(request, pk):
    try:
        round = selectors.reward_round_list(user=request.user).get(pk=pk)
    except RewardRound.DoesNotExist:
        raise Http404 from None
    actions = {"draft": "approve", "approved": "open_notice", "notice": "close"}.get(round.state)
    return render(request, "rewards/payouts/round.html", {
        "round": round, "payouts": round.payouts.select_related("enterprise").order_by("pk"),
        "action": actions if request.user.role == Role.CITY_REVIEWER else None,
        "action_label": REWARD_ROUND.decision(actions).button if actions else "",
        "steps": steps_for(obj=round, user=request.user),
    })


@require_POST
@login_required
def round_act_view(request, pk, action):
    try:
        round = selectors.reward_round_list(user=request.user).get(pk=pk)
    except RewardRound.DoesNotExist:
        raise Http404 from None
    if action not in ROUND_ACTIONS:
        raise Http404
    try:
        ROUND_ACTIONS[action](round, request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, str(REWARD_ROUND.decision(action).label))
    return redirect(reverse("payouts:round", args=[pk]))


@login_required
def budget_view(request):
    if not selectors.user_reads_rounds(request.user):
        raise Http404
    year = _year(request)
    figures = [services.fund_budget_figures(fund=fund, year=year) for fund in Fund.objects.all()]
    return render(request, "rewards/payouts/budget.html", {"figures": figures, "year": year})


def _year(request) -> int:
    try:
        return int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        return timezone.localdate().year


@login_required
def reconciliation_view(request):
    if not selectors.user_reads_rounds(request.user):
        raise Http404
    form = StatementForm(request.POST or None, request.FILES or None)
    statement = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            statement = services.payouts_reconcile(content=upload.read(), file_name=upload.name, by=request.user)
        except DomainError as error:
            form.add_error(None, str(error))
    export = ExportForm(initial={"year": timezone.localdate().year})
    return render(request, "rewards/payouts/reconciliation.html", {
        "form": form, "statement": statement, "export_form": export,
        "lines": statement.lines.select_related("payout__enterprise") if statement else [],
    })


@login_required
def export_view(request):
    if not selectors.user_reads_rounds(request.user):
        raise Http404
    form = ExportForm(request.GET)
    if not form.is_valid():
        _flash_errors(request, form)
        return redirect(reverse("payouts:reconciliation"))
    content = services.payouts_export(user=request.user, filters=services.ExportFilter(**form.cleaned_data))
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="payments-{form.cleaned_data["year"]}.xlsx"'
    return response


@login_required
def forecast_view(request):
    if not selectors.user_reads_rounds(request.user):
        raise Http404
    year = timezone.localdate().year + 1
    forecast = services.payouts_forecast(candidates=services.forecast_candidates(), year=year)
    return render(request, "rewards/payouts/forecast.html", {"forecast": forecast, "year": year})


class PayoutsApplication(RoleApplication):
    title = gettext_lazy("Reward payouts")
    icon = "payments"
    app_name = "payouts"
    permission = None
    menu_links = [
        ("index", "", gettext_lazy("Payouts"), "payments", None),
        ("rounds", "", gettext_lazy("Reward rounds"), "fact_check", None),
        ("budget", "", gettext_lazy("Budget"), "account_balance", None),
        ("reconciliation", "", gettext_lazy("Reconciliation"), "rule", None),
        ("forecast", "", gettext_lazy("Forecast"), "insights", None),
    ]

    index_path = path("", payout_list_view, name="index")
    rounds_path = path("rounds/", round_list_view, name="rounds")
    round_path = path("rounds/<int:pk>/", round_detail_view, name="round")
    round_act_path = path("rounds/<int:pk>/<slug:action>/", round_act_view, name="round_act")
    budget_path = path("budget/", budget_view, name="budget")
    reconciliation_path = path("reconciliation/", reconciliation_view, name="reconciliation")
    export_path = path("reconciliation/export/", export_view, name="export")
    forecast_path = path("forecast/", forecast_view, name="forecast")
    detail_path = path("<int:pk>/", payout_detail_view, name="detail")
    act_path = path("<int:pk>/<slug:action>/", payout_act_view, name="act")

    def has_view_permission(self, user, obj=None):
        return not user.is_authenticated or user.role != Role.EXPERT

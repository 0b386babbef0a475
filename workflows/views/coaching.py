"""Coaching plan pages: the list, opening a plan from a diagnosis, the plan with its items and visits."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from enterprises.exceptions import DomainError
from enterprises.fields import DateBox
from enterprises.models import Tier
from enterprises.selectors import enterprise_list

from ..criteria import Kind
from ..models import CoachingActivity, CoachingItem, CoachingPlanState
from ..selectors.coaching import (
    coaching_plan_diagnosis,
    coaching_plan_get,
    coaching_plan_history,
    coaching_plan_items,
    coaching_plan_list,
    coaching_plan_result,
    user_can_coach,
    user_can_work_plan,
)
from ..services import coaching as services
from ..services.reports import diagnosis_report_available, diagnosis_report_issue


class PlanOpenForm(forms.Form):
    tier = forms.ChoiceField(label=gettext_lazy("Target tier"), choices=Tier.choices)
    kind = forms.ChoiceField(label=gettext_lazy("Application kind"), choices=Kind.choices, initial=Kind.NEW)
    owner = forms.CharField(label=gettext_lazy("Default owner of the items"), max_length=128, required=False)
    due_on = forms.DateField(label=gettext_lazy("Due date of the items"), required=False,
                             widget=DateBox())


class ItemUpdateForm(forms.Form):
    owner = forms.CharField(label=gettext_lazy("Owner"), max_length=128, required=False)
    due_on = forms.DateField(label=gettext_lazy("Due on"), required=False, widget=DateBox())
    note = forms.CharField(label=gettext_lazy("Note"), required=False)


class ActivityForm(forms.ModelForm):
    class Meta:
        model = CoachingActivity
        fields = ["kind", "held_on", "participants", "notes"]
        widgets = {
            "held_on": DateBox(),
            "participants": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


def _form_errors(form) -> str:
    return " ".join(error for errors in form.errors.values() for error in errors)


def _to_plan(plan_pk):
    return redirect("cultivation:plan", pk=plan_pk)


@login_required
def plan_list_view(request):
    state = request.GET.get("state", "open")
    plans = coaching_plan_list(user=request.user, state=state or None, tier=request.GET.get("tier") or None)
    page = Paginator(plans, 20).get_page(request.GET.get("page"))
    return render(request, "workflows/coaching/list.html", {
        "page": page, "state": state, "states": CoachingPlanState.choices, "tiers": Tier.choices,
    })


@require_POST
@login_required
def plan_open_view(request, enterprise_pk):
    enterprise = get_object_or_404(enterprise_list(user=request.user), pk=enterprise_pk)
    form = PlanOpenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("cultivation:diagnosis", pk=enterprise.pk)
    try:
        plan = services.coaching_plan_open(enterprise=enterprise, by=request.user, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("cultivation:diagnosis", pk=enterprise.pk)
    messages.success(request, _("Coaching plan opened with %(count)s items.") % {"count": plan.items.count()})
    return _to_plan(plan.pk)


@login_required
def plan_detail_view(request, pk):
    plan = coaching_plan_get(user=request.user, pk=pk)
    coach = user_can_coach(request.user, plan.enterprise)
    return render(request, "workflows/coaching/detail.html", {
        "plan": plan,
        "result": plan.diagnosis.result if plan.diagnosis else None,
        "items": coaching_plan_items(plan, coaching_plan_diagnosis(plan)),
        "activities": plan.activities.all(),
        "steps": coaching_plan_history(plan),
        "can_coach": coach and plan.is_open,
        "can_work": user_can_work_plan(request.user, plan) and plan.is_open,
        "activity_form": ActivityForm(),
        "close_form": ReasonForm(),
        "report_available": diagnosis_report_available(),
    })


PLAN_ACTIONS = {"rediagnose", "close", "activity", "issue_report"}


@require_POST
@login_required
def plan_act_view(request, pk, action):
    plan = coaching_plan_get(user=request.user, pk=pk)
    if action not in PLAN_ACTIONS:
        raise Http404
    try:
        done = _plan_act(request, plan, action)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        if done:
            messages.success(request, done)
    return _to_plan(plan.pk)


def _plan_act(request, plan, action) -> str:
    """Run one plan action; returns the success message ("" when a form was invalid)."""
    if action == "rediagnose":
        plan = services.coaching_plan_rediagnose(plan=plan, by=request.user)
        return _("Re-diagnosed: the plan is “%(state)s”.") % {"state": plan.get_state_display()}
    if action == "issue_report":
        diagnosis_report_issue(plan=plan, by=request.user)
        return _("The diagnosis report is being issued.")
    form = ActivityForm(request.POST) if action == "activity" else ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return ""
    if action == "activity":
        services.coaching_activity_record(plan=plan, by=request.user, **form.cleaned_data)
        return _("Recorded.")
    services.coaching_plan_close(plan=plan, by=request.user, reason=form.cleaned_data["reason"])
    return _("Plan closed.")


@require_POST
@login_required
def item_act_view(request, pk, item_pk, action):
    plan = coaching_plan_get(user=request.user, pk=pk)
    item = get_object_or_404(CoachingItem, pk=item_pk, plan=plan)
    try:
        if action == "update":
            form = ItemUpdateForm(request.POST)
            if not form.is_valid():
                messages.error(request, _form_errors(form))
                return _to_plan(plan.pk)
            services.coaching_item_update(item=item, by=request.user, **form.cleaned_data)
        elif action in services.ITEM_MOVES:
            services.coaching_item_move(item=item, by=request.user, move=action, note=request.POST.get("note", ""))
        else:
            raise Http404
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Item updated."))
    return _to_plan(plan.pk)


@login_required
def plan_report_view(request, pk):
    """The diagnosis report as a printable page (诊断报告), from the plan's latest diagnosis."""
    plan = coaching_plan_get(user=request.user, pk=pk)
    diagnosis = coaching_plan_diagnosis(plan)
    return render(request, "workflows/coaching/report.html", {
        "plan": plan,
        "result": coaching_plan_result(plan, diagnosis),
        "items": coaching_plan_items(plan, diagnosis),
        "activities": plan.activities.all(),
    })

"""The criteria as data: every rule set and rule, readable by all; corrected by administrators."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.utils.translation import gettext_lazy

from enterprises.exceptions import DomainError
from enterprises.selectors import is_administrator

from ..criteria import RuleKind
from ..criteria import RuleSet as EngineRuleSet
from ..criteria.display import condition_text, option_text, verify_flagged
from ..criteria.editing import figures
from ..criteria.facts import METRICS, Unit
from ..models import RuleSet
from ..selectors.coaching import coaching_plans_open_on, coaching_rediagnosis_progress
from ..services.diagnosis import RULESET_FIELDS, province_rule, ruleset_province_rule_add, ruleset_revise


class ProvinceRuleForm(forms.Form):
    group = forms.CharField(widget=forms.HiddenInput)
    rule_id = forms.SlugField(label=gettext_lazy("Rule id"), max_length=64)
    label_zh = forms.CharField(label=gettext_lazy("Label (Chinese)"), max_length=255)
    label_en = forms.CharField(label=gettext_lazy("Label (English)"), max_length=255, required=False)
    metric = forms.ChoiceField(label=gettext_lazy("Metric"))
    op = forms.ChoiceField(label=gettext_lazy("Direction"), choices=[
        ("ge", gettext_lazy("at least the threshold (≥)")), ("le", gettext_lazy("at most the threshold (≤)"))])
    bands = forms.CharField(
        label=gettext_lazy("Bands"),
        help_text=gettext_lazy("Threshold:points pairs, best first, e.g. “10:5, 5:3”."),
    )
    source = forms.CharField(label=gettext_lazy("Source"), required=False)
    note = forms.CharField(label=gettext_lazy("Why"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = [(m.name, m.label) for m in METRICS.values() if m.unit != Unit.FLAG]

    def clean_bands(self):
        try:
            pairs = [tuple(part.split(":")) for part in self.cleaned_data["bands"].replace("，", ",").split(",")]
            return [(limit.strip(), int(points)) for limit, points in pairs]
        except ValueError:
            raise forms.ValidationError(_("Write threshold:points pairs separated by commas.")) from None


def _is_admin(user) -> bool:
    return is_administrator(user)


@login_required
def ruleset_list_view(request):
    rulesets = RuleSet.objects.order_by("tier", "code", "-version")
    return render(request, "workflows/criteria/list.html", {"rulesets": rulesets})


def _rule_rows(ruleset: RuleSet) -> list[dict]:
    engine = EngineRuleSet.from_spec(ruleset.as_spec())
    rows = []
    for rule in engine.rules:
        rows.append({
            "rule": rule,
            "kind_label": RuleKind(rule.kind).label,
            "requirement": condition_text(rule.when) if rule.when else "",
            "bands": [option_text(option) for option in rule.options],
            "verify": rule.verify or verify_flagged(rule.when) or any(verify_flagged(o.when) for o in rule.options),
            "figures": [(f"rules.{rule.id}.{figure.path}", figure, _metric_label(figure)) for figure in figures(rule.spec)],
        })
    return rows


def _metric_label(figure) -> str:
    metric = METRICS.get(figure.clause.get("metric", "")) if figure.kind != "points" else None
    return metric.label if metric else ""


@login_required
def ruleset_detail_view(request, pk):
    """Every rule of one version; an administrator corrects figures here (a new version is stored)."""
    ruleset = get_object_or_404(RuleSet, pk=pk)
    admin = _is_admin(request.user) and ruleset.is_current
    if request.method == "POST" and admin:
        revised = _revise(request, ruleset)
        return redirect("cultivation:ruleset", pk=(revised or ruleset).pk)
    province_groups = [group for group in ruleset.groups if group.get("province_set")]
    return render(request, "workflows/criteria/detail.html", {
        "ruleset": ruleset,
        "rows": _rule_rows(ruleset),
        "can_edit": admin,
        "dates": [(name, getattr(ruleset, name)) for name in RULESET_FIELDS if name != "pass_total"],
        "province_forms": [(group, ProvinceRuleForm(initial={"group": group["id"]})) for group in province_groups] if admin else [],
        "versions": RuleSet.objects.filter(code=ruleset.code, tier=ruleset.tier).order_by("-version"),
        "rediagnosis": coaching_rediagnosis_progress() if _is_admin(request.user) else None,
    })


@login_required
def rediagnosis_progress_view(request):
    """The re-diagnosis after a correction as JSON ({done, total, finished}), polled by the criteria page's bar."""
    if not _is_admin(request.user):
        raise Http404
    progress = coaching_rediagnosis_progress()
    running = bool(progress and progress["running"])
    return JsonResponse({"done": progress["done"] if running else 0, "total": progress["total"] if running else 0,
                         "finished": not running})


def _revise(request, ruleset: RuleSet) -> RuleSet | None:
    plans = coaching_plans_open_on(ruleset).count()
    try:
        if "add_rule" in request.POST:
            return _add_province_rule(request, ruleset, plans)
        revised = ruleset_revise(ruleset=ruleset, by=request.user, changes=_changes(request.POST, ruleset),
                                 note=request.POST.get("note", ""))
    except DomainError as error:
        messages.error(request, str(error))
        return None
    messages.success(request, _stored_message(revised, plans))
    return revised


def _stored_message(revised: RuleSet, plans: int) -> str:
    stored = _("Stored as version %(version)s.") % {"version": revised.version}
    if not plans:
        return stored
    rediagnosed = ngettext(
        "The open coaching plan measured by the earlier version is re-diagnosed with this one.",
        "The %(count)s open coaching plans measured by the earlier version are re-diagnosed with this one.",
        plans,
    ) % {"count": plans}
    return f"{stored} {rediagnosed}"


def _changes(post, ruleset: RuleSet) -> dict:
    """The figures and dates the form changed, keyed as ``ruleset_revise`` expects."""
    changes = {}
    for rule_row in _rule_rows(ruleset):
        for key, figure, _label in rule_row["figures"]:
            if key in post and post[key].strip() != str(figure.value):
                changes[key] = post[key].strip()
    for name in RULESET_FIELDS:
        if name in post:
            old = getattr(ruleset, name)
            new = post[name].strip() or None
            if (str(old) if old is not None else None) != new:
                changes[name] = new
    return changes


def _add_province_rule(request, ruleset: RuleSet, plans: int) -> RuleSet | None:
    form = ProvinceRuleForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return None
    data = form.cleaned_data
    rule = province_rule(group=data["group"], rule_id=data["rule_id"], label_zh=data["label_zh"],
                         label_en=data["label_en"], metric=data["metric"], bands=data["bands"], op=data["op"],
                         source=data["source"])
    revised = ruleset_province_rule_add(ruleset=ruleset, by=request.user, rule=rule, note=data["note"])
    messages.success(request, _stored_message(revised, plans))
    return revised

"""Forms of the case pages: validation of what a person types, nothing more."""

import datetime
from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from enterprises.fields import DateBox
from enterprises.models import Enterprise, Jurisdiction, SourceList
from enterprises.validators import credit_code_problem, normalise_credit_code


class StatementForm(forms.Form):
    statement = forms.CharField(
        label=_("Statement"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        help_text=_("Main product, niche market, why the enterprise should be cultivated."),
    )


class ProposeForm(StatementForm):
    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=Enterprise.objects.none())

    def __init__(self, *args, enterprises=None, **kwargs):
        super().__init__(*args, **kwargs)
        if enterprises is None:
            del self.fields["enterprise"]
        else:
            self.fields["enterprise"].queryset = enterprises


class DecisionForm(forms.Form):
    comment = forms.CharField(label=_("Comment or reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)


class BulkProposeForm(forms.Form):
    source_list = forms.ChoiceField(label=_("Official list"), choices=SourceList.choices)
    statement = forms.CharField(
        label=_("Statement"), initial=_("Proposed from the official list."), max_length=500
    )


class RefreshOpenForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2020, max_value=2100)
    deadline = forms.DateField(label=_("Metrics due by"), widget=DateBox())
    min_taxable_sales = forms.DecimalField(
        label=_("Minimum last-year taxable sales (yuan)"), min_value=Decimal(0), decimal_places=2, initial=Decimal("15000000")
    )
    qualifying_lists = forms.MultipleChoiceField(
        label=_("Official lists that qualify regardless of sales"),
        choices=SourceList.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        initial=[SourceList.HIGH_TECH, SourceList.TECH_SME, SourceList.IP_ADVANTAGE],
    )

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline < datetime.date.today():
            raise forms.ValidationError(_("The deadline cannot be in the past."))
        return deadline


class SignupForm(StatementForm):
    """An enterprise registers itself and asks to enter the pool in one go."""

    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=32)
    name = forms.CharField(label=_("Enterprise name"), max_length=128)
    jurisdiction = forms.ModelChoiceField(label=_("Jurisdiction"), queryset=Jurisdiction.objects.all())
    main_product = forms.CharField(label=_("Main product"), max_length=128)
    username = forms.CharField(label=_("Login name"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, min_length=8)

    field_order = ["credit_code", "name", "jurisdiction", "main_product", "statement", "username", "password"]

    def clean_credit_code(self):
        code = normalise_credit_code(self.cleaned_data["credit_code"])
        problem = credit_code_problem(code)
        if problem:
            raise forms.ValidationError(problem)
        if Enterprise.objects.filter(credit_code=code).exists():
            raise forms.ValidationError(
                _("This enterprise is already registered. Ask your district bureau for an account.")
            )
        return code

    def clean_username(self):
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username=username).exists():
            raise forms.ValidationError(_("This login name is taken."))
        return username


# --- applications (申报) ------------------------------------------------------------------

from enterprises.models import Tier  # noqa: E402

from .criteria import Kind  # noqa: E402
from .models.application import rubric_label  # noqa: E402


class ApplicationDraftForm(forms.Form):
    """An enterprise starts an application in one of the batches open to it."""

    batch = forms.ModelChoiceField(label=_("Batch"), queryset=None, empty_label=None)
    statement = forms.CharField(label=_("Application statement"), widget=forms.Textarea(attrs={"rows": 5}), max_length=4000,
                                required=False)
    product = forms.CharField(label=_("Product (single champions only)"), max_length=128, required=False)

    def __init__(self, *args, batches=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["batch"].queryset = batches


class ApplicationEditForm(forms.Form):
    statement = forms.CharField(label=_("Application statement"), widget=forms.Textarea(attrs={"rows": 6}), max_length=4000,
                                required=False)
    product = forms.CharField(label=_("Product (single champions only)"), max_length=128, required=False)

    def __init__(self, *args, champion=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not champion:
            del self.fields["product"]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is judged by ``workflows.services.attachments`` (empty ones too)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.xlsx"}))
        super().__init__(*args, allow_empty_file=True, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


class ResubmitForm(StatementForm):
    """The enterprise's answer to a return: its revised statement and the evidence asked for."""

    files = MultipleFileField(
        label=_("Evidence (PDF, JPG, PNG or XLSX; several files allowed)"),
        required=False,
        help_text=_("Certificates, contracts, reports: whatever the bureau asked for. Each file is checked by its content."),
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Attachment (PDF, JPG, PNG or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.xlsx"}),
    )


class ApplicationDecisionForm(forms.Form):
    """The text of one decision, named as its service names it: comment, reason or statement."""

    LABELS = {"comment": _("Comment"), "reason": _("Reason"), "statement": _("Revised statement")}

    def __init__(self, *args, decision, **kwargs):
        super().__init__(*args, **kwargs)
        self.decision = decision
        self.fields[decision.text] = forms.CharField(
            label=self.LABELS.get(decision.text, decision.text), required=decision.text_required, max_length=4000,
            widget=forms.Textarea(attrs={"rows": 3}),
        )

    @property
    def text(self) -> str:
        return self.cleaned_data.get(self.decision.text, "")


class DiagnosisOverrideForm(forms.Form):
    reason = forms.CharField(label=_("Reason for overriding the diagnosis"), widget=forms.Textarea(attrs={"rows": 2}),
                             max_length=2000)


class BatchOpenForm(forms.Form):
    tier = forms.ChoiceField(label=_("Tier"), choices=Tier.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, initial=Kind.NEW)
    year = forms.IntegerField(label=_("Year"), min_value=2020, max_value=2100, initial=lambda: datetime.date.today().year)
    name = forms.CharField(label=_("Name"), max_length=128, required=False)
    opens_on = forms.DateField(label=_("Opens on"), widget=DateBox())
    closes_on = forms.DateField(label=_("Closes on"), widget=DateBox())
    quota = forms.IntegerField(label=_("Recommendation quota"), min_value=1, max_value=10000, required=False)
    experts_per_application = forms.IntegerField(label=_("Experts per application"), min_value=1, max_value=15, initial=3)


class DrawExpertsForm(forms.Form):
    count = forms.IntegerField(label=_("Number of experts"), min_value=1, max_value=500, initial=5)
    seed = forms.IntegerField(label=_("Seed (optional; leave empty for a random one)"), min_value=0,
                              max_value=2**62, required=False)


class ExpertScoreForm(forms.Form):
    """One number per rubric item (0..its maximum) and the expert's opinion."""

    opinion = forms.CharField(label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000, required=False)

    def __init__(self, *args, rubric, **kwargs):
        super().__init__(*args, **kwargs)
        for item in rubric:
            self.fields[f"score_{item['id']}"] = forms.DecimalField(
                label=f"{rubric_label(item)} (0–{item['max']})", min_value=0, max_value=item["max"], decimal_places=2,
                widget=forms.NumberInput(attrs={"step": "0.5", "min": 0, "max": item["max"]}),
            )
        self.order_fields([*(f"score_{item['id']}" for item in rubric), "opinion"])
        self.rubric = rubric

    @property
    def scores(self) -> dict:
        return {item["id"]: str(self.cleaned_data[f"score_{item['id']}"]) for item in self.rubric}

"""Forms of the case pages: validation of what a person types, nothing more."""

import datetime
from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

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
    deadline = forms.DateField(label=_("Metrics due by"), widget=forms.DateInput(attrs={"type": "date"}))
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

"""The admin's policy form: the same reader and checks as ``policy_load`` and the API."""

from django import forms
from django.utils.translation import gettext_lazy as _

from enterprises.fields import DateBox
from enterprises.models import Tier

from .exceptions import RewardError
from .models import Fund, RewardPolicy
from .services import policy_values_from_mapping, reward_policy_check


class RewardPolicyForm(forms.ModelForm):
    class Meta:
        model = RewardPolicy
        fields = [
            "code", "name", "jurisdictions", "level", "recognized_from", "recognized_to", "first_time", "renewal",
            "top_up", "champion_basis", "cap_counts_other_levels", "notice_working_days", "revocation_ban_years",
            "fund", "supersedes",
        ]
        widgets = {"recognized_from": DateBox(), "recognized_to": DateBox()}
        # Policies are printed in 万元, but the amounts are kept in 元: say so where they are typed.
        help_texts = {name: _('Tier → amount in yuan (元, not 万元), e.g. {"little_giant": "300000.00"} for 30万元.')
                      for name in ("first_time", "renewal")}

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        mapping = {name: data.get(name) for name in self.Meta.fields}
        mapping["jurisdictions"] = [j.code for j in data["jurisdictions"]]
        mapping["fund"] = data["fund"].code
        mapping["supersedes"] = data["supersedes"].code if data.get("supersedes") else None
        mapping["code"] = self.instance.code if self.instance.pk else data["code"]
        try:
            self.policy_values = policy_values_from_mapping(mapping)
            reward_policy_check(values=self.policy_values, policy=self.instance if self.instance.pk else None)
        except RewardError as error:
            raise forms.ValidationError(str(error)) from None
        return data


class AccountForm(forms.Form):
    """The enterprise's one confirmation: it accepts the reward and names its receiving account."""

    bank = forms.CharField(label=_("Bank"), max_length=128)
    account_name = forms.CharField(label=_("Account name"), max_length=255,
                                   help_text=_("Must be the enterprise's own name."))
    account_number = forms.CharField(label=_("Account number"), max_length=64)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class ObjectionForm(forms.Form):
    text = forms.CharField(label=_("Objection"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000)


class PaymentForm(forms.Form):
    bank_reference = forms.CharField(label=_("Bank reference"), max_length=64)
    value_date = forms.DateField(label=_("Value date"), widget=DateBox())


class RoundCreateForm(forms.Form):
    fund = forms.ModelChoiceField(label=_("Fund"), queryset=Fund.objects.all())
    name = forms.CharField(label=_("Name"), max_length=128, required=False)


class StatementForm(forms.Form):
    file = forms.FileField(label=_("Bank statement (.xlsx or .csv: 流水号, 金额)"))


class ExportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    jurisdiction = forms.CharField(label=_("Jurisdiction code"), max_length=12, required=False)
    tier = forms.ChoiceField(label=_("Tier"), choices=[("", "—"), *Tier.choices], required=False)

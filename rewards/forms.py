"""The admin's policy form: the same reader and checks as ``policy_load`` and the API."""

from django import forms

from .exceptions import RewardError
from .models import RewardPolicy
from .services import policy_values_from_mapping, reward_policy_check


class RewardPolicyForm(forms.ModelForm):
    class Meta:
        model = RewardPolicy
        fields = [
            "code", "name", "jurisdictions", "level", "recognized_from", "recognized_to", "first_time", "renewal",
            "top_up", "champion_basis", "cap_counts_other_levels", "notice_working_days", "revocation_ban_years",
            "fund", "supersedes",
        ]

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

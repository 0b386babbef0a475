from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ChannelPreference


class ChannelPreferenceForm(forms.ModelForm):
    class Meta:
        model = ChannelPreference
        fields = ["email", "sms", "phone"]
        help_texts = {"email": _("Sent to the address of your account."), "sms": _("Needs a mobile phone number.")}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("sms") and not (cleaned.get("phone") or "").strip():
            self.add_error("phone", _("Enter a mobile phone number to receive SMS."))
        return cleaned

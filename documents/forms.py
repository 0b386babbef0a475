"""Forms of the documents pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DocumentKind, DocumentStatus, RenderState

MAX_VERIFY_BYTES = 20 * 1024 * 1024


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("Reason for voiding"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class VerifyUploadForm(forms.Form):
    pdf = forms.FileField(label=_("PDF file"))

    def clean_pdf(self):
        pdf = self.cleaned_data["pdf"]
        if pdf.size > MAX_VERIFY_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB; no issued document is that large."))
        return pdf


class ArchiveFilterForm(forms.Form):
    q = forms.CharField(label=_("Number or title"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", "—"), *DocumentKind.choices])
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", "—"), *DocumentStatus.choices])
    render_state = forms.ChoiceField(label=_("PDF"), required=False, choices=[("", "—"), *RenderState.choices])
    enterprise = forms.IntegerField(required=False, widget=forms.HiddenInput)  # from a case page's "its documents"

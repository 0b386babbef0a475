"""Forms of the registry pages. They check what a browser sends; the services decide."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .fields import DateBox
from .models import AnnualMetrics, Jurisdiction
from .services.exports import EXPORT_FORMATS
from .services.imports import too_large_message

IMPORT_EXTENSIONS = (".xlsx", ".csv")


class EnterpriseImportForm(forms.Form):
    file = forms.FileField(
        label=_("List to import (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(IMPORT_EXTENSIONS)}),
    )
    year = forms.IntegerField(
        label=_("Year of the metrics"),
        required=False,
        min_value=1900,
        max_value=2100,
        help_text=_("Only needed when the file has no 年度 (year) column."),
    )
    skip_invalid = forms.BooleanField(
        label=_("Import the valid rows and set the invalid ones aside"),
        required=False,
        help_text=_("Without this, one invalid row stops the whole import and nothing is written."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(IMPORT_EXTENSIONS):
            raise forms.ValidationError(_("Only .xlsx and .csv files can be imported."), code="file_type")
        if upload.size > settings.TIDU_MAX_IMPORT_BYTES:
            raise forms.ValidationError(too_large_message(), code="file_size")
        return upload


class EnterpriseExportForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year of the metrics"),
        required=False,
        min_value=1900,
        max_value=2100,
        help_text=_("Empty: the latest year on file."),
    )
    file_format = forms.ChoiceField(
        label=_("Format"), choices=[(name, name.upper()) for name in EXPORT_FORMATS], initial="xlsx"
    )


class MoveForm(forms.Form):
    """A jurisdiction move and the day it took effect (not in the future)."""

    to = forms.ModelChoiceField(Jurisdiction.objects.all(), label=_("new jurisdiction"))
    effective_on = forms.DateField(label=_("moved in on"), widget=DateBox())

    def clean_effective_on(self):
        day = self.cleaned_data["effective_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A move is recorded once it has taken effect."))
        return day


class AnnualMetricsForm(forms.ModelForm):
    """One year's metrics; a blank field means "unknown", never zero."""

    class Meta:
        model = AnnualMetrics
        fields = AnnualMetrics.input_field_names()
        widgets = {
            name: forms.NullBooleanSelect()
            for name in AnnualMetrics.input_field_names()
            if AnnualMetrics._meta.get_field(name).get_internal_type() == "BooleanField"
        }

    def changed_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.changed_data}

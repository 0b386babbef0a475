"""Forms of the queue and audit pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from enterprises.models import Jurisdiction


class BulkApproveForm(forms.Form):
    tasks = forms.TypedMultipleChoiceField(label=_("Selected tasks"), coerce=int, choices=())
    comment = forms.CharField(label=_("Comment for all selected tasks"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, task_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tasks"].choices = [(pk, pk) for pk in task_ids]


class ReassignForm(forms.Form):
    to = forms.ModelChoiceField(label=_("Reassign to"), queryset=None)

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = workers
        self.fields["to"].label_from_instance = lambda user: f"{user.display_name} ({user.get_username()})"


class QueueSearchForm(forms.Form):
    """The queue's search (enterprise name or task title) and, for the city, its jurisdiction filter."""

    query = forms.CharField(label=_("Enterprise or title"), required=False, max_length=100)
    jurisdiction = forms.ChoiceField(label=_("Jurisdiction"), required=False)

    def __init__(self, *args, may_filter_jurisdiction: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if may_filter_jurisdiction:
            jurisdictions = [(j.code, str(j)) for j in Jurisdiction.objects.all()]
            self.fields["jurisdiction"].choices = [("", _("All jurisdictions")), *jurisdictions]
        else:
            del self.fields["jurisdiction"]

from django import forms
from django.utils.translation import gettext_lazy as _

#: ``datetime-local`` inputs send ISO; typed Vietnamese dates are accepted too.
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"]


def _when(label, *, required=True, help_text=""):
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMATS[0]),
    )


class NoticeForm(forms.Form):
    starts_at = _when(_("Starts at"))
    ends_at = _when(_("Ends at"))
    description = forms.CharField(
        label=_("What users will notice"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on every page of the Portal until the maintenance is over."),
    )


class IncidentForm(forms.Form):
    started_at = _when(_("Started at"))
    ended_at = _when(_("Ended at"), required=False, help_text=_("Leave empty while it lasts."))
    impact = forms.CharField(label=_("Impact"), widget=forms.Textarea(attrs={"rows": 3}))
    cause = forms.CharField(
        label=_("Cause"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    action_taken = forms.CharField(
        label=_("Action taken"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CorrectionForm(IncidentForm):
    reason = forms.CharField(
        label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 2})
    )

from datetime import timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.catalogue.models import Agency

from .services import PURPOSE_MIN_LENGTH

#: Day before month whatever the interface language, as the labels say.
DATE_INPUTS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]


class Form(forms.Form):
    """Labels without a trailing colon, as elsewhere in the back office."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class LookupForm(Form):
    personal_id = forms.RegexField(
        label=_("Personal ID number"),
        regex=r"^\d{12}$",
        max_length=12,
        help_text=_("12 digits, as on the chip-based ID card."),
        error_messages={"invalid": _("A personal ID number has 12 digits.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    full_name = forms.CharField(
        label=_("Full name (optional, checked against the database)"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    birth_date = forms.DateField(
        label=_("Date of birth (optional, dd/mm/yyyy)"),
        required=False,
        input_formats=DATE_INPUTS,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    purpose = forms.CharField(
        label=_("Purpose of the lookup"),
        min_length=PURPOSE_MIN_LENGTH,
        help_text=_("Why you need this citizen's data. Recorded and seen by the police."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    dossier_code = forms.CharField(
        label=_("Dossier code (if the lookup is for a dossier)"),
        max_length=48,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_purpose(self):
        purpose = " ".join(self.cleaned_data["purpose"].split())
        if len(purpose) < PURPOSE_MIN_LENGTH:
            raise forms.ValidationError(
                _("State the purpose of the lookup (at least %(n)d characters)."),
                params={"n": PURPOSE_MIN_LENGTH},
                code="min_length",
            )
        return purpose


class UsageFilterForm(Form):
    start = forms.DateField(label=_("From (dd/mm/yyyy)"), input_formats=DATE_INPUTS)
    end = forms.DateField(label=_("To (dd/mm/yyyy)"), input_formats=DATE_INPUTS)
    agency = forms.ModelChoiceField(
        label=_("Agency (and the agencies below it)"),
        queryset=Agency.objects.order_by("name"),
        required=False,
        empty_label=_("All agencies"),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start is None or end is None:
            return data
        if start > end:
            self.add_error("end", _("The end date is before the start date."))
        elif end - start > timedelta(days=366 * 5):
            self.add_error("start", _("Choose a period of at most five years."))
        return data


class RegistrationForm(forms.Form):
    username = forms.CharField(label=_("Officer's username"), max_length=150)
    decision_number = forms.CharField(label=_("Approving document"), max_length=255)

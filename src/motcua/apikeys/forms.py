from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.backoffice.administration import DescribedForm
from motcua.catalogue.models import Agency

from .models import Scope


class IssueForm(DescribedForm):
    name = forms.CharField(
        label=_("Integrating system"),
        max_length=50,
        help_text=_("Who uses the key, e.g. the provincial data-sharing platform."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.filter(status=Agency.Status.ACTIVE),
        required=False,
        help_text=_("Required to read dossiers: the key reads this agency's and its units'."),
    )
    rate_per_minute = forms.IntegerField(
        label=_("Calls per minute at most"), min_value=1, max_value=100_000, initial=60
    )
    valid_until = forms.DateField(
        label=_("Valid until (dd/mm/yyyy)"),
        required=False,
        help_text=_("Leave empty for a key that does not expire."),
    )

    def expires_at(self) -> datetime | None:
        """The end of the last valid day, local time."""
        day = self.cleaned_data["valid_until"]
        if day is None:
            return None
        return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))

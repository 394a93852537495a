from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.backoffice.administration import DescribedForm


class PeriodForm(DescribedForm):
    """The period of closing dates to hand over, first and last day included."""

    start = forms.DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label=_("Last day"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Dossiers closed from the first to the last day, both included."),
    )

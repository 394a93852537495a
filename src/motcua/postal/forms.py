from django import forms
from django.utils.translation import gettext_lazy as _

from .adapters import Party
from .models import Shipment
from .services import NOTICE_STATUSES


class PostalReturnFields(forms.Form):
    """The postal part of a result's return: the tracking number of an item the officer
    posted by hand, or the recipient of an item the System books (SPEC §3 item 15)."""

    tracking_number = forms.CharField(
        label=_("Postal tracking number"),
        required=False,
        max_length=64,
        help_text=_("Posted by hand: its tracking number. Leave empty to book the postal service."),
    )
    recipient_name = forms.CharField(
        label=_("Recipient"),
        required=False,
        max_length=255,
        help_text=_("Empty recipient fields: the applicant's, as declared on the dossier."),
    )
    recipient_address = forms.CharField(label=_("Delivery address"), required=False, max_length=500)
    recipient_phone = forms.CharField(
        label=_("Recipient's phone"),
        required=False,
        max_length=15,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


def recipient_from(data: dict) -> Party:
    """The recipient as entered (empty fields fall back to the applicant's)."""
    return Party(
        data.get("recipient_name", ""),
        data.get("recipient_address", ""),
        data.get("recipient_phone", ""),
    )


class NoticeForm(forms.Form):
    """A status notice of the postal service, as it posts it to the System."""

    notice_id = forms.CharField(max_length=128)
    tracking_number = forms.CharField(max_length=64)
    status = forms.ChoiceField(
        choices=[(s.value, s.label) for s in Shipment.Status if s in NOTICE_STATUSES]
    )
    at = forms.DateTimeField()
    location = forms.CharField(max_length=255, required=False)
    note = forms.CharField(max_length=2000, required=False)

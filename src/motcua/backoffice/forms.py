from django import forms
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.postal.forms import PostalReturnFields


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("Code from your authenticator app"),
        regex=r"^\d{6}$",
        max_length=6,
        error_messages={"invalid": _("Enter the 6 digits shown by the app.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, device: TOTPDevice, *args, **kwargs):
        self.device = device
        super().__init__(*args, **kwargs)

    def clean_token(self):
        token = self.cleaned_data["token"]
        if not self.device.verify_token(token):
            raise forms.ValidationError(_("This code is not valid. Try the current one."))
        return token


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}))


class SupplementForm(forms.Form):
    items = forms.CharField(
        label=_("Documents to add (one per line)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    reason = forms.CharField(label=_("Guidance"), widget=forms.Textarea(attrs={"rows": 3}))


class ExtensionForm(forms.Form):
    new_due_at = forms.DateTimeField(label=_("New appointment (dd/mm/yyyy hh:mm)"))
    reason = forms.CharField(label=_("Apology"), widget=forms.Textarea(attrs={"rows": 3}))


class ReturnForm(PostalReturnFields):
    method = forms.ChoiceField(
        label=_("Returned"),
        choices=[("desk", _("At the desk")), ("post", _("By post")), ("online", _("Online"))],
    )
    originals_checked = forms.BooleanField(label=_("Originals checked"), required=False)
    field_order = ["method", "originals_checked"]


class ResultForm(forms.Form):
    file = forms.FileField(label=_("Result (PDF)"))
    sign = forms.BooleanField(label=_("Sign with the agency's key"), required=False)


class PaymentForm(forms.Form):
    reference = forms.CharField(label=_("Receipt number"), max_length=64)

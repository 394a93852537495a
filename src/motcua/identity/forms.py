from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from .fake_provider import DEMO_IDENTITIES
from .services import PERSONAL_ID, PHONE, TAX_CODE, normalise_phone


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile phone number"),
        max_length=20,
        help_text=_("We send a 6-digit code to this number by SMS."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )

    def clean_phone(self):
        phone = normalise_phone(self.cleaned_data["phone"])
        if not PHONE.match(phone):
            raise forms.ValidationError(_("Enter a Vietnamese mobile number, e.g. 0912345678."))
        return phone


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the text message"),
        min_length=6,
        max_length=6,
        validators=[RegexValidator(r"^\d{6}$", _("The code has 6 digits."))],
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": r"\d{6}"}
        ),
    )


class ProfileForm(forms.Form):
    """Contact details an applicant edits (VP 10.3); the name only on a local account."""

    full_name = forms.CharField(label=_("Full name"), max_length=255)
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    address = forms.CharField(
        label=_("Contact address"),
        max_length=255,
        required=False,
        help_text=_("Where paper results and letters can reach you."),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )

    def __init__(self, *args, name_editable: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not name_editable:
            del self.fields["full_name"]

    def clean_phone(self):
        phone = normalise_phone(self.cleaned_data["phone"])
        if phone and not PHONE.match(phone):
            raise forms.ValidationError(_("Enter a Vietnamese phone number, e.g. 0912345678."))
        return phone


class FakeIdentityForm(forms.Form):
    """The demo provider's page: pick a demo person or organisation, or type one in."""

    person = forms.ChoiceField(
        label=_("Sign in as"),
        required=False,
        widget=forms.RadioSelect,
        choices=[
            (str(n), f"{p.full_name} — {p.personal_id or p.tax_code}")
            for n, p in enumerate(DEMO_IDENTITIES)
        ]
        + [("other", _("Someone else (type below)"))],
    )
    identifier = forms.CharField(
        label=_("Personal ID number (12 digits) or tax code"), max_length=14, required=False
    )
    full_name = forms.CharField(label=_("Full name"), max_length=255, required=False)

    def clean(self):
        data = super().clean()
        if data.get("person") not in (None, "", "other"):
            return data
        identifier = (data.get("identifier") or "").strip()
        if not (PERSONAL_ID.match(identifier) or TAX_CODE.match(identifier)):
            self.add_error(
                "identifier",
                _("Enter a personal ID number of 12 digits or a tax code of 10 or 13 digits."),
            )
        if not (data.get("full_name") or "").strip():
            self.add_error("full_name", _("Enter the full name."))
        return data

from django import forms
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Document"))
    title = forms.CharField(
        label=_("Name shown in my documents"),
        max_length=255,
        required=False,
        help_text=_("Leave empty to use the file name."),
    )


class RenameForm(forms.Form):
    title = forms.CharField(label=_("New name"), max_length=255)

"""Forms of the rating, feedback and FAQ pages. They only shape the input: the rules are
checked by :mod:`motcua.feedback.services`, whose errors are put back on the fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.catalogue.models import Agency, Field, Procedure

from .criteria import CRITERIA, LEVELS
from .models import Feedback
from .services import COMMENT_MAX_LENGTH, CONTENT_MAX_LENGTH, FeedbackError

LEVEL_CHOICES = [(str(level.points), level.label) for level in LEVELS]


class Form(forms.Form):
    """Labels without a trailing colon; a service error lands on its field."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def add_service_error(self, error: FeedbackError) -> None:
        self.add_error(error.field if error.field in self.fields else None, error.message)


def _points(value: str) -> int | None:
    return int(value) if value != "" else None


class RatingForm(Form):
    """One question per criterion (data in :mod:`.criteria`), then the overall one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for criterion in CRITERIA:
            choices = LEVEL_CHOICES + ([("", _("Does not apply"))] if criterion.optional else [])
            self.fields[criterion.code] = forms.TypedChoiceField(
                label=criterion.label,
                choices=choices,
                coerce=_points,
                empty_value=None,
                required=not criterion.optional,
                widget=forms.RadioSelect,
            )
        self.fields["satisfaction"] = forms.TypedChoiceField(
            label=_("Overall, how satisfied are you with the settlement of this dossier?"),
            choices=LEVEL_CHOICES,
            coerce=int,
            widget=forms.RadioSelect,
        )
        self.fields["comment"] = forms.CharField(
            label=_("Comment (optional)"),
            required=False,
            max_length=COMMENT_MAX_LENGTH,
            widget=forms.Textarea(attrs={"rows": 4}),
        )

    def scores(self) -> dict[str, int | None]:
        return {criterion.code: self.cleaned_data[criterion.code] for criterion in CRITERIA}


class FeedbackForm(Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=Feedback.Kind.choices, widget=forms.RadioSelect
    )
    agency = forms.ModelChoiceField(
        label=_("Agency concerned"),
        queryset=Agency.objects.filter(status=Agency.Status.ACTIVE).order_by("name"),
    )
    procedure = forms.ModelChoiceField(
        label=_("Procedure (optional)"),
        queryset=Procedure.objects.filter(is_active=True).order_by("name"),
        required=False,
    )
    subject = forms.CharField(label=_("Subject"), max_length=255)
    content = forms.CharField(
        label=_("Content"),
        max_length=CONTENT_MAX_LENGTH,
        help_text=_("Do not write personal data here if you agree to publication."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    name = forms.CharField(label=_("Your name"), max_length=255, required=False)
    phone = forms.RegexField(
        label=_("Phone number"),
        regex=r"^0\d{9,10}$",
        max_length=15,
        required=False,
        error_messages={"invalid": _("Enter a Vietnamese phone number.")},
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    publish_consent = forms.BooleanField(
        label=_("I agree that the question and its answer are published, without my name"),
        required=False,
    )

    def __init__(self, *args, signed_in: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if signed_in:
            for name in ("name", "phone", "email"):
                self.fields[name].help_text = _("Leave empty to use the details of your account.")
        else:
            self.fields["name"].help_text = _("Required when you are not signed in.")
            self.fields["phone"].help_text = _("A phone number or an e-mail address is required.")


class LookupForm(forms.Form):
    code = forms.CharField(label=_("Tracking code"), max_length=20)


class AnswerForm(Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 8}))


class FaqForm(Form):
    field = forms.ModelChoiceField(label=_("Field"), queryset=Field.objects.order_by("name"))
    question = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 3}))
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 8}))


class FaqSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    field = forms.ModelChoiceField(
        label=_("Field"),
        queryset=Field.objects.order_by("name"),
        required=False,
        empty_label=_("All fields"),
    )

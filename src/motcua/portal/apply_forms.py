"""The Portal's application form: agency, the person applied for (HG 5.6), the procedure's
e-form built from its schema, and one upload or vault pick per document component. Field
names: ``agency``, ``on_behalf``/``principal_*``/``authorisation``, ``form_<name>``,
``component_<pk>``, ``vault_<pk>``."""

import contextlib
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.catalogue.forms_schema import build_form_fields, form_data_from, validate_form_data
from motcua.catalogue.models import Agency, Procedure
from motcua.dossiers import files
from motcua.dossiers.errors import DossierError
from motcua.vault.services import documents_of

from .applications import Application, Principal

PREFIX = "form_"


def _initial_form_data(schema: dict, data: dict) -> dict:
    """A dossier's form data as initial values of the e-form fields."""
    initial = {}
    for spec in (schema or {}).get("fields", []):
        value = data.get(spec["name"])
        if spec["type"] == "date" and isinstance(value, str):
            with contextlib.suppress(ValueError):
                value = date.fromisoformat(value)
        if value is not None:
            initial[PREFIX + spec["name"]] = value
    return initial


class ApplicationForm(forms.Form):
    """``purpose``: ``new`` (a first application), ``draft`` (a draft taken up again) or
    ``supplement`` (documents and corrections asked for). ``lenient`` drops the e-form's
    required marks, for saving a draft."""

    def __init__(
        self,
        procedure: Procedure,
        user,
        *,
        dossier=None,
        purpose: str = "new",
        lenient: bool = False,
        **kwargs,
    ):
        schema = procedure.form_schema
        initial = kwargs.pop("initial", {})
        if dossier is not None:
            initial = {
                "agency": dossier.agency_id,
                **_initial_form_data(schema, dossier.form_data),
                **initial,
            }
        super().__init__(initial=initial, **kwargs)
        self.procedure, self.user, self.dossier, self.purpose = procedure, user, dossier, purpose
        agencies = procedure.agencies.filter(status=Agency.Status.ACTIVE)
        if purpose != "supplement" and len(agencies) > 1:
            self.fields["agency"] = forms.ModelChoiceField(
                label=_("Agency to apply to"), queryset=agencies
            )
        if purpose == "new":
            self._add_principal_fields()
        eform = build_form_fields(schema, PREFIX)
        if lenient:
            for field in eform.values():
                field.required = False
        self.fields.update(eform)
        self.eform_names = list(eform)
        self.components = list(procedure.components.all())
        kept = documents_of(user)
        for component in self.components:
            self.fields[f"component_{component.pk}"] = forms.FileField(
                label=component.name,
                required=False,
                help_text=_("%(formats)s, at most %(size)s MB. %(need)s")
                % {
                    "formats": ", ".join(f.upper() for f in component.formats),
                    "size": component.max_size_mb,
                    "need": _("Required.") if component.required else _("Optional."),
                },
            )
            choices = kept.filter(file_format__in=component.formats)
            if choices.exists():
                self.fields[f"vault_{component.pk}"] = forms.ModelChoiceField(
                    label=_("Or reuse a document from my documents"),
                    queryset=choices,
                    required=False,
                    empty_label=_("— none —"),
                )

    def _add_principal_fields(self):
        self.fields["on_behalf"] = forms.BooleanField(
            label=_("I am applying for another person or organisation"), required=False
        )
        self.fields["principal_identifier"] = forms.RegexField(
            label=_("Their personal ID number or tax code"),
            regex=r"^(\d{12}|\d{10}|\d{10}-\d{3})$",
            required=False,
            error_messages={"invalid": _("12 digits (ID) or 10/13 digits (tax code).")},
        )
        self.fields["principal_name"] = forms.CharField(
            label=_("Their full name"), max_length=255, required=False
        )
        self.fields["authorisation"] = forms.CharField(
            label=_("Authorisation"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text=_(
                "The document by which they authorise you (number, date, who certified it)."
            ),
        )

    # -- groups of bound fields for the template ----------------------------------------
    def _bound(self, names):
        return [self[name] for name in names if name in self.fields]

    @property
    def agency_fields(self):
        return self._bound(["agency"])

    @property
    def principal_fields(self):
        return self._bound(["on_behalf", "principal_identifier", "principal_name", "authorisation"])

    @property
    def eform_fields(self):
        return self._bound(self.eform_names)

    @property
    def document_rows(self):
        """Each component with its upload field, its vault choice and the files it has."""
        present = {}
        if self.dossier is not None:
            for record in self.dossier.files.all():
                present.setdefault(record.component_id, []).append(record)
        return [
            {
                "component": component,
                "upload": self[f"component_{component.pk}"],
                "reuse": self._bound([f"vault_{component.pk}"]),
                "files": present.get(component.pk, []),
            }
            for component in self.components
        ]

    # -- validation ---------------------------------------------------------------------
    def clean(self):
        data = super().clean()
        if data.get("on_behalf"):
            for name in ("principal_identifier", "principal_name"):
                if not data.get(name):
                    self.add_error(name, _("Required when applying for someone else."))
        self._check_eform(data)
        for component in self.components:
            upload = data.get(f"component_{component.pk}")
            if upload and data.get(f"vault_{component.pk}"):
                self.add_error(
                    f"vault_{component.pk}",
                    _("Upload a new file or reuse a kept document, not both."),
                )
            if upload:
                self._check_upload(component, upload)
        return data

    def _check_eform(self, data):
        """The schema's own checks (ID and phone patterns …) on the values given, so every
        error shows at once; the services check again before saving."""
        schema = self.procedure.form_schema
        filled = form_data_from(data, schema, PREFIX)
        for name, messages in validate_form_data(schema, filled).items():
            if name in filled and PREFIX + name not in self.errors:
                self.add_error(PREFIX + name, messages)

    def _check_upload(self, component, upload):
        try:
            files.check_upload(component, upload.name, upload.read())
        except DossierError as error:
            self.add_error(f"component_{component.pk}", error.message)
        finally:
            upload.seek(0)

    def application(self) -> Application:
        data = self.cleaned_data
        principal = None
        if data.get("on_behalf"):
            principal = Principal(
                identifier=data["principal_identifier"],
                full_name=data["principal_name"],
                authorisation=data.get("authorisation", ""),
            )
        uploads, reused = {}, {}
        for component in self.components:
            if upload := data.get(f"component_{component.pk}"):
                uploads[component] = (upload.name, upload.read())
            elif document := data.get(f"vault_{component.pk}"):
                reused[component] = document
        return Application(
            form_data=form_data_from(data, self.procedure.form_schema, PREFIX),
            agency=data.get("agency"),
            uploads=uploads,
            reused=reused,
            principal=principal,
        )

    def show(self, error: DossierError) -> None:
        """Put an engine error on the fields it names and its message above the form."""
        for name, messages in error.fields.items():
            target = next((n for n in (name, PREFIX + name) if n in self.fields), None)
            self.add_error(target, [str(m) for m in messages])
        if error.code != "application_invalid":  # that one only says to look at the fields
            self.add_error(None, error.message)

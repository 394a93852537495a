"""Desk reception pages: choose the procedure, then fill the applicant, the e-form and the
scans of each document (SPEC §3 item 11)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.models import Role
from motcua.catalogue.forms_schema import build_form_fields, form_data_from
from motcua.catalogue.models import Agency, Procedure
from motcua.dossiers.access import agency_scope
from motcua.dossiers.desk import Applicant, receive_at_desk
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Channel

from .auth import staff_required


def _desk_agencies(user):
    if user.role != Role.RECEPTION_OFFICER:
        raise PermissionDenied
    return Agency.objects.filter(pk__in=agency_scope(user), status=Agency.Status.ACTIVE)


def reception_form(procedure: Procedure, agencies) -> type[forms.Form]:
    """The desk's form for one procedure: applicant, agency, channel, e-form, scans."""
    fields = {
        "identifier": forms.RegexField(
            label=gettext_lazy("Personal ID number or tax code"),
            regex=r"^(\d{12}|\d{10}|\d{10}-\d{3})$",
            error_messages={"invalid": gettext_lazy("12 digits (ID) or 10/13 digits (tax code).")},
        ),
        "full_name": forms.CharField(label=gettext_lazy("Applicant's full name"), max_length=255),
        "phone": forms.RegexField(
            label=gettext_lazy("Phone number"), regex=r"^0\d{9,10}$", required=False
        ),
        "agency": forms.ModelChoiceField(
            label=gettext_lazy("Agency"), queryset=procedure.agencies.filter(pk__in=agencies)
        ),
        "channel": forms.ChoiceField(
            label=gettext_lazy("Channel"),
            choices=[(Channel.DESK, Channel.DESK.label), (Channel.POSTAL, Channel.POSTAL.label)],
        ),
        **build_form_fields(procedure.form_schema),
    }
    for component in procedure.components.all():
        fields[f"component_{component.pk}"] = forms.FileField(
            label=component.name,
            required=component.required,
            help_text=", ".join(component.formats) + f" — ≤ {component.max_size_mb} MB",
        )
    return type("ReceptionForm", (forms.Form,), fields)


@staff_required
def choose(request):
    agencies = _desk_agencies(request.user)
    procedures = Procedure.objects.filter(is_active=True, agencies__in=agencies).distinct()
    return render(request, "backoffice/reception_choose.html", {"procedures": procedures})


@staff_required
def receive(request, national_code):
    agencies = _desk_agencies(request.user)
    procedure = get_object_or_404(Procedure, national_code=national_code, is_active=True)
    if not procedure.agencies.filter(pk__in=agencies).exists():
        raise Http404
    form_class = reception_form(procedure, agencies)
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        scans = {
            component: (upload.name, upload.read())
            for component in procedure.components.all()
            if (upload := data.get(f"component_{component.pk}"))
        }
        try:
            dossier = receive_at_desk(
                procedure,
                officer=request.user,
                agency=data["agency"],
                channel=data["channel"],
                applicant=Applicant(data["identifier"], data["full_name"], data["phone"]),
                form_data=form_data_from(data, procedure.form_schema),
                scans=scans,
            )
        except DossierError as error:
            for field, errors in error.fields.items():
                form.add_error(field if field in form.fields else None, [str(e) for e in errors])
            if not error.fields:
                form.add_error(None, error.message)
        else:
            messages.success(request, _("Dossier %(code)s received.") % {"code": dossier.code})
            return redirect("backoffice:dossier", public_id=dossier.public_id)
    return render(request, "backoffice/reception_form.html", {"procedure": procedure, "form": form})

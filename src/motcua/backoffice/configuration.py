"""Province configuration pages for the system operator (SPEC §3 item 17): reorganising
agencies (merge with open work carried over) and the province's calendar overrides, each
followed by the recomputation of open deadlines."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.models import Role
from motcua.calendar.models import CalendarOverride
from motcua.catalogue.models import Agency, AgencyEvent
from motcua.catalogue.services import merge_agency
from motcua.dossiers.recompute import recompute_open_deadlines

from .auth import staff_required


def _operator(user):
    if user.role != Role.SYSTEM_OPERATOR:
        raise PermissionDenied


class MergeForm(forms.Form):
    source = forms.ModelChoiceField(
        label=gettext_lazy("Agency to merge"), queryset=Agency.objects.filter(status="active")
    )
    target = forms.ModelChoiceField(
        label=gettext_lazy("Merged into"), queryset=Agency.objects.filter(status="active")
    )
    on = forms.DateField(label=gettext_lazy("Effective date (dd/mm/yyyy)"))
    decision = forms.CharField(label=gettext_lazy("Deciding document"), max_length=255)


class OverrideForm(forms.ModelForm):
    class Meta:
        model = CalendarOverride
        fields = ["day", "kind", "reason", "decision"]


@staff_required
def agencies(request):
    """Merge an agency into another: its units, desks, staff and open dossiers move over."""
    _operator(request.user)
    form = MergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event = merge_agency(
                data["source"],
                data["target"],
                actor=request.user,
                on=data["on"],
                decision=data["decision"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            moved = event.details.get("dossiers", {}).get("dossiers", 0)
            messages.success(
                request,
                _("%(source)s merged into %(target)s; %(n)s open dossiers moved.")
                % {"source": data["source"], "target": data["target"], "n": moved},
            )
            return redirect("backoffice:config_agencies")
    events = AgencyEvent.objects.select_related("agency", "target").order_by("-id")[:50]
    return render(request, "backoffice/config_agencies.html", {"form": form, "events": events})


@staff_required
def calendar(request):
    """Extra days off and working days of the province; open deadlines follow at once."""
    _operator(request.user)
    form = OverrideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            override = form.save(commit=False)
            override.created_by = request.user
            override.save()
            changed = recompute_open_deadlines()
        messages.success(
            request,
            _("Saved; %(n)s open dossiers have new due times.") % {"n": changed["dossiers"]},
        )
        return redirect("backoffice:config_calendar")
    overrides = CalendarOverride.objects.order_by("-day")[:100]
    return render(
        request, "backoffice/config_calendar.html", {"form": form, "overrides": overrides}
    )

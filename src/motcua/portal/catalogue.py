"""The public procedure catalogue as the Portal shows it: browsing by field, agency and
level, ranked accent-insensitive search, and each procedure's page (SPEC §3 item 1; BN 6,
HT 3.1.a: components, forms, time, fees, agencies, level and legal basis are public)."""

import secrets
from dataclasses import dataclass
from datetime import datetime

from django import forms
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from motcua.catalogue import search
from motcua.catalogue.models import Agency, Component, Field, OnlineLevel, Procedure

PAGE_SIZE = 20
CHOICES_KEY = "portal:catalogue-filter-choices"
CHOICES_SECONDS = 60
STATE_KEY = "portal:catalogue-state"
VERSION_KEY = "portal:catalogue-version"
#: Seconds the catalogue's state is kept: it is forgotten at each change (:func:`forget`),
#: so this only bounds what no signal tells (another process's memory cache, a bulk update).
STATE_SECONDS = 5
#: What the catalogue list shows of each procedure.
LIST_COLUMNS = ("name", "national_code", "level", "online_level", "field__name")

#: How the procedure page names each e-form field type.
FIELD_TYPE_LABELS = {
    "text": _("Text"),
    "textarea": _("Long text"),
    "date": _("Date"),
    "number": _("Number"),
    "select": _("Choice from a list"),
    "checkbox": _("Tick box"),
    "email": _("E-mail address"),
    "phone": _("Phone number"),
    "id_number": _("Personal identification number"),
}


def published() -> QuerySet[Procedure]:
    return Procedure.objects.filter(is_active=True)


def catalogue_state() -> tuple[datetime | None, int]:
    """When a procedure last changed and how many there are: what the catalogue pages'
    Last-Modified and ETag are made of. Read from the cache on most requests."""
    state = cache.get(STATE_KEY)
    if state is None:
        found = Procedure.objects.aggregate(changed=Max("updated_at"), count=Count("id"))
        state = (found["changed"], found["count"])
        cache.set(STATE_KEY, state, STATE_SECONDS)
    return state


def catalogue_version() -> str:
    """A token replaced at each change of a procedure, its agencies, a field or an agency
    (:func:`forget`), also those that leave :func:`catalogue_state` as it was (an agency
    renamed or merged): what the server-side copies of catalogue pages are keyed by."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = secrets.token_hex(8)
        if not cache.add(VERSION_KEY, version, None):
            version = cache.get(VERSION_KEY) or version
    return version


def forget(using="default", **kwargs) -> None:
    """The catalogue changed: forget its state and version now and again at commit (a page
    read in between would keep the old ones). Connected to the catalogue's model signals."""
    cache.delete_many([STATE_KEY, VERSION_KEY])
    transaction.on_commit(lambda: cache.delete_many([STATE_KEY, VERSION_KEY]), using=using)


def procedure_changed_at(pk: int) -> datetime | None:
    return Procedure.objects.filter(pk=pk).values_list("updated_at", flat=True).first()


@dataclass(frozen=True)
class Summary:
    """The catalogue at a glance, for the home page."""

    total: int
    by_online_level: list[tuple[str, str, int]]  # (value, label, count)
    by_level: list[tuple[str, str, int]]
    fields: list[Field]  # each with ``.count``
    agencies: list[Agency]  # each with ``.count``


def summary() -> Summary:
    def counted(column, choices):
        rows = published().order_by().values(column).annotate(n=Count("id"))
        counts = {row[column]: row["n"] for row in rows}
        return [(value, label, counts[value]) for value, label in choices if counts.get(value)]

    by_online_level = counted("online_level", OnlineLevel.choices)
    return Summary(
        total=sum(count for _value, _label, count in by_online_level),
        by_online_level=by_online_level,
        by_level=counted("level", Procedure.Level.choices),
        fields=list(
            Field.objects.filter(procedures__is_active=True)
            .annotate(count=Count("procedures"))
            .order_by("name")
        ),
        agencies=list(
            Agency.objects.filter(procedures__is_active=True)
            .annotate(count=Count("procedures"))
            .order_by("level", "name")
        ),
    )


def filter_choices() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The fields and the agencies that have published procedures, as (code, name): every
    catalogue page offers them. Cached until the catalogue changes, at most
    ``CHOICES_SECONDS``."""
    changed, count = catalogue_state()
    key = f"{CHOICES_KEY}:{changed.isoformat() if changed else ''}:{count}:{catalogue_version()}"
    choices = cache.get(key)
    if choices is None:
        fields = Field.objects.filter(procedures__is_active=True).distinct().order_by("name")
        agencies = Agency.objects.filter(procedures__is_active=True).distinct().order_by("name")
        choices = (
            list(fields.values_list("code", "name")),
            list(agencies.values_list("code", "name")),
        )
        cache.set(key, choices, CHOICES_SECONDS)
    return choices


class CatalogueFilter(forms.Form):
    """The catalogue page's search and filters (all optional, all in the query string)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    field = forms.ChoiceField(label=_("Field"), required=False)
    agency = forms.ChoiceField(label=_("Agency"), required=False)
    level = forms.ChoiceField(
        label=_("Level"),
        choices=[("", _("All levels")), *Procedure.Level.choices],
        required=False,
    )
    online = forms.ChoiceField(
        label=_("Online service"),
        choices=[("", _("All")), *OnlineLevel.choices],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields, agencies = filter_choices()
        self.fields["field"].choices = [("", _("All fields")), *fields]
        self.fields["agency"].choices = [("", _("All agencies")), *agencies]

    def procedures(self) -> QuerySet[Procedure]:
        """The matching published procedures, best first when searching, else by name.
        A filter with an unknown value is left out (its error is shown)."""
        self.is_valid()
        data = self.cleaned_data
        procedures = (
            published()
            .select_related("field")
            .only(*LIST_COLUMNS)
            .prefetch_related(Prefetch("agencies", Agency.objects.only("name")))
        )
        if data.get("field"):
            procedures = procedures.filter(field__code=data["field"])
        if data.get("agency"):
            procedures = procedures.filter(agencies__code=data["agency"])
        if data.get("level"):
            procedures = procedures.filter(level=data["level"])
        if data.get("online"):
            procedures = procedures.filter(online_level=data["online"])
        if data.get("q"):
            return search.search(procedures, data["q"])
        return procedures.order_by("name", "pk")


@dataclass(frozen=True)
class FormFieldSummary:
    label: str
    kind: str
    required: bool
    help: str


def procedure_page(pk: int) -> Procedure:
    """A published procedure with what its page shows, or 404."""
    return get_object_or_404(
        published()
        .select_related("field")
        .prefetch_related(
            "agencies",
            "fees",
            Prefetch("components", Component.objects.order_by("order")),
        ),
        pk=pk,
    )


def form_fields(procedure: Procedure) -> list[FormFieldSummary]:
    """The e-form's fields as the applicant will fill them in."""
    return [
        FormFieldSummary(
            label=spec["label"],
            kind=str(FIELD_TYPE_LABELS.get(spec["type"], spec["type"])),
            required=spec.get("required", False),
            help=spec.get("help", ""),
        )
        for spec in (procedure.form_schema or {}).get("fields", [])
    ]


def is_online(procedure: Procedure) -> bool:
    """Submitted through the Portal: full or partial online service."""
    return procedure.online_level != OnlineLevel.OFFLINE

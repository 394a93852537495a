"""The Portal's public catalogue pages: home, catalogue and procedure (SPEC §3 item 1)."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from motcua.profiles import active_profile

from . import catalogue
from .caching import page_state, public_page, render_public


def _catalogue_state(request, *args, **kwargs):
    return catalogue.catalogue_state()


def _procedure_state(request, pk):
    changed = catalogue.procedure_changed_at(pk)
    return (changed,) if changed else None


@require_safe
@public_page(_catalogue_state)
def home(request):
    """The front page: search, the catalogue at a glance and the ways in."""
    return render(
        request,
        "portal/home.html",
        {"profile": active_profile(), "summary": catalogue.summary()},
    )


@require_safe
@public_page(_catalogue_state)
def catalogue_page(request):
    """Procedures by field, agency and level, searched without caring for accents; one
    copy per query and catalogue version for visitors who are not signed in."""

    def context():
        form = catalogue.CatalogueFilter(request.GET)
        page = Paginator(form.procedures(), catalogue.PAGE_SIZE).get_page(request.GET.get("page"))
        return {
            "form": form,
            "page": page,
            "searching": bool(form.cleaned_data.get("q")),
            "catalogue_version": version,
        }

    version = catalogue.catalogue_version()
    return render_public(
        request,
        "portal/catalogue.html",
        key=(request.GET.urlencode(), *page_state(request), version),
        context=context,
    )


@require_safe
@public_page(_procedure_state)
def procedure(request, pk):
    """One procedure with everything an applicant needs before applying (BN 6)."""
    item = catalogue.procedure_page(pk)
    return render(
        request,
        "portal/procedure.html",
        {
            "procedure": item,
            "form_fields": catalogue.form_fields(item),
            "is_online": catalogue.is_online(item),
            "legal_basis": [line for line in item.legal_basis.splitlines() if line.strip()],
        },
    )

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.generic import TemplateView

from motcua.catalogue.models import Field, Procedure
from motcua.dossiers.models import Dossier
from motcua.profiles import active_profile


class HomeView(TemplateView):
    """The front page: the province, its catalogue at a glance and the ways in."""

    template_name = "web/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            profile=active_profile(),
            fields=Field.objects.all(),
            procedure_count=Procedure.objects.filter(is_active=True).count(),
            **kwargs,
        )


def health(request):
    """Liveness and database readiness for load balancers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "profile": active_profile().key})


def lookup(request, code=None):
    """Public status lookup by dossier code, also the target of the receipt's QR (BN 14.6,
    HG 8): status and dates only, never personal data."""
    code = (code or request.GET.get("ma", "")).strip()
    if code and not request.resolver_match.kwargs.get("code"):
        return redirect("lookup_code", code=code)
    dossier = None
    if code:
        dossier = (
            Dossier.objects.exclude(code=None)
            .select_related("procedure", "agency")
            .filter(code=code)
            .first()
        )
    status = 404 if code and dossier is None else 200
    return render(request, "web/lookup.html", {"code": code, "dossier": dossier}, status=status)

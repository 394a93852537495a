from django.db import connection
from django.http import JsonResponse
from django.views.generic import TemplateView

from motcua.catalogue.models import Field, Procedure
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

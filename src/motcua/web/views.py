from django.db import connection
from django.http import JsonResponse

from motcua.profiles import active_profile


def health(request):
    """Liveness and database readiness for load balancers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "profile": active_profile().key})

"""The postal service's status notices (SPEC §3 item 15): signed, and recorded once each."""

import json

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import services
from .forms import NoticeForm
from .models import Shipment


@csrf_exempt  # a machine posts here; the HMAC signature authenticates it
@require_POST
def delivery_notice(request):
    """``POST /buu-chinh/thong-bao/``: ``{"notice_id", "tracking_number", "status", "at",
    "location", "note"}`` with ``X-Timestamp`` and ``X-Signature`` (see
    :func:`motcua.postal.adapters.signature`). 200 also for a repeated notice."""
    if not services.authentic_notice(
        request.body,
        request.headers.get("X-Timestamp", ""),
        request.headers.get("X-Signature", ""),
    ):
        return JsonResponse({"error": "unauthenticated"}, status=401)
    try:
        data = json.loads(request.body)
    except ValueError:
        data = None
    form = NoticeForm(data if isinstance(data, dict) else {})
    if not form.is_valid():
        return JsonResponse({"error": "invalid", "fields": form.errors}, status=400)
    try:
        shipment, recorded = services.record_notice(**form.cleaned_data)
    except Shipment.DoesNotExist:
        return JsonResponse({"error": "unknown_tracking_number"}, status=404)
    return JsonResponse(
        {
            "tracking_number": shipment.tracking_number,
            "status": shipment.status,
            "recorded": recorded,
        }
    )

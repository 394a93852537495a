"""Every call made with an API key is logged with its outcome and latency (HG 11.1)."""

import time

from . import services


class KeyCallLog:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        response = self.get_response(request)
        key = getattr(request, "integration_key", None)
        if key is not None:
            services.log_call(
                key,
                method=request.method,
                endpoint=request.path,
                status=response.status_code,
                latency_ms=round((time.monotonic() - started) * 1000),
            )
        return response

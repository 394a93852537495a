"""Fixed-window request counting in Django's cache, for the public lookup channels
(BN 14.6, HG 8): a code cannot be guessed by trying many.

The cache must be shared by every app server (``CACHES``) for the limit to hold across them.
"""

import time
from dataclasses import dataclass

from django.core.cache import cache

UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


@dataclass(frozen=True)
class Rate:
    """At most ``count`` requests per ``seconds``."""

    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> "Rate":
        """``"30/minute"`` → 30 per 60 seconds."""
        count, _slash, unit = text.partition("/")
        return cls(int(count), UNITS[unit.strip()])


def hit(scope: str, ident: str, rate: Rate) -> int:
    """Count one request of ``ident`` in ``scope``; the number of seconds to wait if it is
    over ``rate``, else 0."""
    now = time.time()
    window = int(now // rate.seconds)
    key = f"ratelimit:{scope}:{ident}:{window}"
    cache.add(key, 0, timeout=rate.seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this request opens a new window
        cache.set(key, 1, timeout=rate.seconds + 1)
        count = 1
    if count <= rate.count:
        return 0
    return max(1, int((window + 1) * rate.seconds - now))

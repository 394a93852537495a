"""One cache shared by every app server when ``MOTCUA_CACHE_URL`` names one (SPEC §5)."""

import socket

import pytest
from django.core.cache.backends.redis import RedisCache

from motcua.settings.base import cache

REDIS = "redis://127.0.0.1:6379/9"


def test_each_process_has_its_own_cache_by_default():
    assert cache({}) == {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}


def test_a_cache_url_selects_redis():
    assert cache({"MOTCUA_CACHE_URL": REDIS}) == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS,
        "KEY_PREFIX": "motcua",
    }


def _redis_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _redis_answers(), reason="no Redis at 127.0.0.1:6379")
def test_two_app_servers_share_the_counters():
    """What one server counts, another sees: a rate limit holds across servers."""
    options = cache({"MOTCUA_CACHE_URL": REDIS, "MOTCUA_CACHE_PREFIX": "motcua-test"})
    one = RedisCache(options["LOCATION"], {"KEY_PREFIX": options["KEY_PREFIX"]})
    other = RedisCache(options["LOCATION"], {"KEY_PREFIX": options["KEY_PREFIX"]})
    one.delete("lookups:127.0.0.1")
    one.add("lookups:127.0.0.1", 0, 60)
    one.incr("lookups:127.0.0.1")
    other.incr("lookups:127.0.0.1")
    assert one.get("lookups:127.0.0.1") == 2
    one.delete("lookups:127.0.0.1")

import pytest
from django.core.cache import cache

from motcua.accounts.models import Role, User
from motcua.apikeys import services
from tests.dossiers.conftest import world  # noqa: F401 — the shared small province


@pytest.fixture(autouse=True)
def fresh_throttles():
    """Rate counters live in the cache: each test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def operator(world):  # noqa: F811 — the imported fixture
    return User.objects.create(
        username="vanhanh", kind=User.Kind.STAFF, role=Role.SYSTEM_OPERATOR, agency=world.province
    )


@pytest.fixture
def issue(operator):
    """Issue a key; returns (key, client headers that carry it)."""

    def make(*scopes, **options):
        key, secret = services.issue(by=operator, name="LGSP", scopes=list(scopes), **options)
        return key, {"HTTP_AUTHORIZATION": f"Api-Key {secret}"}

    return make

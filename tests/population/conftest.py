import pytest

from motcua.accounts.models import Role, User
from motcua.population import services
from tests.dossiers.conftest import world  # noqa: F401 — the shared small province


@pytest.fixture(autouse=True)
def population_urls(settings):
    settings.ROOT_URLCONF = "tests.population.urls"
    settings.MOTCUA_POPULATION_SERVICE = "fake"


@pytest.fixture
def pop(world):  # noqa: F811 — the imported fixture
    """The small province with a police auditor and two registered officers."""
    world.auditor = User.objects.create(
        username="congan.pc06",
        kind=User.Kind.STAFF,
        role=Role.POLICE_AUDITOR,
        agency=world.police,
        full_name="Đại úy Lê Văn Cường",
    )
    services.register_officer(world.desk_officer, by=world.auditor, decision_number="12/PC06")
    services.register_officer(world.commune_officer, by=world.auditor, decision_number="13/PC06")
    return world

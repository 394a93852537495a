"""The small province of the dossier tests, with e-mail addresses for its staff."""

import pytest
from django.db.models import F, Value
from django.db.models.functions import Concat

from motcua.accounts.models import User

from ..dossiers.conftest import world  # noqa: F401 — the fixture, shared


@pytest.fixture
def staff_mail(world):  # noqa: F811
    User.objects.filter(kind=User.Kind.STAFF).update(
        email=Concat(F("username"), Value("@motcua.test"))
    )
    return world

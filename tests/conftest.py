import pytest

from motcua.calendar.services import calendar_for


@pytest.fixture
def calendar():
    """The default profile's calendar with no overrides (database-free)."""
    return calendar_for("bac-ninh", overrides=(frozenset(), frozenset()))

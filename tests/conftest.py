import pytest

from motcua.calendar.services import calendar_for, forget_overrides


@pytest.fixture(autouse=True)
def fresh_calendar_overrides():
    """Each test starts with no cached overrides: rolled-back rows send no signal."""
    forget_overrides()


@pytest.fixture
def calendar():
    """The default profile's calendar with no overrides (database-free)."""
    return calendar_for("bac-ninh", overrides=(frozenset(), frozenset()))

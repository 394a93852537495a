import pytest

from motcua.outbox import tasks


@pytest.fixture(autouse=True)
def broker(monkeypatch):
    """What the commit hands to the workers, instead of a real broker (the tests that start
    real workers override this fixture)."""
    sent: list[int] = []
    monkeypatch.setattr(tasks.deliver_message, "delay", sent.append)
    return sent

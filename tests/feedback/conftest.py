import pytest

from motcua.dossiers import services as dossiers
from tests.dossiers.conftest import at, new_dossier, world  # noqa: F401 — the shared province


@pytest.fixture
def refused(world):  # noqa: F811 — the imported fixture
    """The citizen's dossier, refused at reception: a final decision the citizen may rate."""
    dossier = new_dossier(world)
    return dossiers.refuse(
        dossier, world.desk_officer, reason="Thiếu tờ khai", at=at("2026-03-02T10:00:00+07:00")
    )


@pytest.fixture
def processing(world):  # noqa: F811
    """The citizen's dossier, received and still being processed."""
    dossier = new_dossier(world)
    return dossiers.receive(dossier, world.desk_officer, at=at("2026-03-02T10:00:00+07:00"))

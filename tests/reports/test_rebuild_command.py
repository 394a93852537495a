"""``motcua rebuild_reports``: the tallies recomputed from history, or only compared."""

import io

import pytest
from django.core.management import CommandError, call_command

from motcua.reports.models import Tally

from ..dossiers.conftest import received


def test_check_reports_agreement_then_a_difference_then_rebuild_mends_it(world):
    received(world)
    out = io.StringIO()
    call_command("rebuild_reports", "--check", stdout=out)
    assert "1 tally rows agree" in out.getvalue()

    Tally.objects.update(received_online=5)
    with pytest.raises(CommandError, match="1 tally rows differ"):
        call_command("rebuild_reports", "--check", stdout=io.StringIO())

    out = io.StringIO()
    call_command("rebuild_reports", stdout=out)
    assert "1 tally rows recomputed" in out.getvalue()
    assert Tally.objects.get().received_online == 1
    call_command("rebuild_reports", "--check", stdout=io.StringIO())

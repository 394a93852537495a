"""The report benchmark's generated history is one the System could have written: its
tallies, summed by SQL aggregation, equal those recomputed event by event from the history
(``motcua.reports.rebuild.recompute``), also after the history grows, on a profile whose
months close on the 14th (BN 24.1) and on one whose months are calendar months and whose
supplement requests lapse (HG 5.5, HG 21)."""

import importlib
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from django.test import override_settings

from motcua.catalogue.models import Agency
from motcua.dossiers.deadlines import classify_finished
from motcua.dossiers.models import Dossier
from motcua.population.services import subtree_ids
from motcua.reports import rebuild, statistics
from motcua.reports.models import COUNTERS
from motcua.reports.periods import Period

BENCH = Path(__file__).resolve().parents[2] / "bench"
NOW = datetime.fromisoformat("2026-06-20T10:00:00+07:00")


@pytest.fixture(scope="module")
def gen_data():
    """``bench/gen_data.py``; its folder leaves the import path again as it loads."""
    sys.path.insert(0, str(BENCH))
    try:
        return importlib.import_module("gen_data")
    finally:
        if str(BENCH) in sys.path:
            sys.path.remove(str(BENCH))


def _history(gen_data, count, months):
    gen_data.ensure_catalogue(agencies=14)
    world = gen_data.load_world()
    return gen_data.generate(world, count, gen_data.window(months, now=NOW), seed=count)


@pytest.mark.django_db
@pytest.mark.parametrize("profile", ["bac-ninh", "hau-giang"])
def test_aggregated_tallies_equal_the_recomputed_ones_as_history_grows(gen_data, profile):
    with override_settings(MOTCUA_PROFILE=profile):
        first = _history(gen_data, 400, months=3)
        assert first["dossiers"] == 400 and first["tallies"] > 0
        assert rebuild.stored() == rebuild.recompute()

        oldest = Dossier.objects.order_by("submitted_at").first().submitted_at
        _history(gen_data, 300, months=4)
        assert Dossier.objects.count() == 700
        assert Dossier.objects.filter(submitted_at__lt=oldest).count() == 300
        recomputed = rebuild.recompute()
        assert rebuild.stored() == recomputed

    totals = {name: sum(row[name] for row in recomputed.values()) for name in COUNTERS}
    expected_zero = {"moved_in", "moved_out"}  # no agency merge is generated
    if profile == "bac-ninh":
        expected_zero.add("cancelled")  # no supplement request lapses in Bắc Ninh
    assert {name for name, n in totals.items() if not n} == expected_zero
    # Realistic shares: most dossiers are settled in time, few are late.
    settled = totals["settled_early"] + totals["settled_on_time"] + totals["settled_late"]
    assert totals["settled_late"] < 0.2 * settled < totals["settled_early"]


@pytest.mark.django_db
def test_the_generated_history_is_consistent_with_the_services_rules(gen_data, calendar):
    _history(gen_data, 300, months=2)
    statuses = set(Dossier.objects.values_list("status", flat=True))
    assert {"returned", "processing", "declined", "withdrawn"} <= statuses
    for dossier in Dossier.objects.filter(result_ready_at__isnull=False):
        assert dossier.timeliness == classify_finished(
            dossier.result_ready_at,
            dossier.original_due_at,
            extended=False,
            extension_is_late=False,
            calendar=calendar,
        )
    assert not Dossier.objects.filter(submitted_at__gt=NOW).exists()
    assert not Dossier.objects.filter(finished_at__gt=NOW).exists()


@pytest.mark.django_db
def test_a_month_report_of_a_district_counts_the_dossiers_received_in_it(gen_data):
    _history(gen_data, 400, months=3)
    district = Agency.objects.filter(level="district").first()
    period = Period.of("month", date(2026, 5, 1), closes_on_day=14)
    report = statistics.report(period, agency=district, grouping="agency", now=NOW)
    received = Dossier.objects.filter(
        agency_id__in=subtree_ids(district),
        received_at__gte=period.start,
        received_at__lt=period.end,
    ).count()
    assert received > 0
    assert report.total.received_new == received

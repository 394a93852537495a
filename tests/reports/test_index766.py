"""The Decision 766/QĐ-TTg service index: each indicator's formula and points on hand-made
fixtures, the groups' maxima, what the System does not measure, and the dossiers behind
every number (SPEC §3 item 18; TN 21.2)."""

from datetime import date
from decimal import Decimal

import pytest

from motcua.reports import index766
from motcua.reports.models import Tally
from motcua.reports.periods import Period

from ..factories import AgencyFactory, FeeFactory, ProcedureFactory
from .fixtures_index import APRIL, DURING_APRIL, build_history

AFTER_APRIL = DURING_APRIL.replace(month=5)


def test_the_groups_and_their_indicators_add_up_to_100_points():
    assert [(g.code, g.max_points) for g in index766.GROUPS] == [
        ("publicity", 18), ("progress", 20), ("online", 12),
        ("payment", 10), ("satisfaction", 18), ("digitisation", 22),
    ]  # fmt: skip
    for group in index766.GROUPS:
        points = sum(i.max_points for i in index766.INDICATORS if i.group == group.code)
        assert points == group.max_points, group.code
    for indicator in index766.INDICATORS:
        assert indicator.sourcing in index766.SOURCING_LABELS
        assert (indicator.measure is None) == bool(indicator.not_measured)


# -- pure formulas on tallies ---------------------------------------------------------------
MARCH_2025 = Period.of("month", date(2025, 3, 1), closes_on_day=0)


@pytest.fixture
def tallied(db):
    """One agency, an online procedure with a fee and an offline one, with tallies for
    March 2025 written directly: everything received in the month was settled in it, so
    nothing is carried over or in progress."""
    agency = AgencyFactory()
    online = ProcedureFactory(online_level="full", agencies=[agency])
    FeeFactory(procedure=online, amount=20_000)
    offline = ProcedureFactory(online_level="offline", agencies=[agency])
    month = date(2025, 3, 1)
    Tally.objects.create(
        agency=agency, procedure=online, month=month,
        received_online=6, received_desk=2, digitised=5,
        settled_early=3, settled_on_time=3, settled_late=2,
        paid=8, paid_online=6, returned=8, e_results=2,
    )  # fmt: skip
    Tally.objects.create(
        agency=agency, procedure=offline, month=month, received_desk=2, settled_on_time=2
    )
    return agency


def _scores(index):
    return {s.indicator.code: s for s in index.scores}


def test_rates_and_points_from_the_tallies(tallied):
    scores = _scores(index766.compute(MARCH_2025, tallied))
    # 2.1: (3 early + 3 + 2 on time + 0 on track) / (10 settled + 0 in progress) → 20 × 0.8.
    assert (scores["2.1"].numerator, scores["2.1"].denominator) == (8, 10)
    assert scores["2.1"].points == Decimal("16.00")
    # 3.2: online procedures only: 6 online of 8 received → 8 × 0.75.
    assert (scores["3.2"].numerator, scores["3.2"].denominator) == (6, 8)
    assert scores["3.2"].points == Decimal("6.00")
    # 4.1: the one procedure with a fee had online payments → 5 points.
    assert (scores["4.1"].numerator, scores["4.1"].denominator) == (1, 1)
    # 4.2: 6 of 8 paid online → 5 × 0.75.
    assert scores["4.2"].points == Decimal("3.75")
    # 6.1: 5 digitised of 10 received → 8 × 0.5; 6.2: 2 e-results of 8 returned → 7 × 0.25.
    assert (scores["6.1"].numerator, scores["6.1"].denominator) == (5, 10)
    assert scores["6.1"].points == Decimal("4.00")
    assert scores["6.2"].points == Decimal("1.75")
    # 3.1: 1 of 2 procedures at the full online level → 4 × 0.5.
    assert scores["3.1"].points == Decimal("2.00")


def test_what_is_not_measured_or_has_no_data_leaves_the_maximum(tallied):
    index = index766.compute(MARCH_2025, tallied)
    scores = _scores(index)
    assert scores["1.1"].status == index766.NOT_MEASURED
    assert scores["1.1"].points is None
    # No rating, no feedback, no dossier received with a push in March 2025.
    for code in ("5.1", "5.2", "5.3"):
        assert scores[code].status == index766.NO_DATA
    measured = [s for s in index.scores if s.status == index766.MEASURED]
    assert index.measured_max == sum(s.indicator.max_points for s in measured)
    assert index.unmeasured_max == 100 - index.measured_max
    assert index.points == sum(s.points for s in measured)
    assert index.percent == (100 * index.points / index.measured_max).quantize(Decimal("0.01"))


def test_an_empty_month_measures_nothing_about_dossiers(tallied):
    scores = _scores(index766.compute(Period.of("month", date(2024, 1, 1), 0), tallied))
    for code in ("1.3", "2.1", "3.2", "4.2", "6.1", "6.2", "6.3"):
        assert scores[code].status == index766.NO_DATA, code


@pytest.mark.parametrize(
    ("month", "points"),
    [
        # NQ 76/NQ-CP: 90 % is the full mark until 2025 …
        (date(2025, 12, 1), Decimal("6.00")),
        # … and 95 % from 2026: 6 × 0.90 / 0.95.
        (date(2026, 1, 1), Decimal("5.68")),
    ],
)
def test_satisfaction_is_scored_against_the_target_of_the_year(month, points):
    indicator = index766.INDICATORS_BY_CODE["5.1"]
    nine_of_ten = index766.Indicator(**{**indicator.__dict__, "measure": lambda scope: (9, 10)})
    score = nine_of_ten.score(index766.Scope(Period.of("month", month, 0)))
    assert score.points == points


# -- dossiers driven through the services -----------------------------------------------------
@pytest.fixture
def history(world):
    return build_history(world)


EXPECTED_PROVINCE = {
    "1.2": (1, 2, "2.00"),
    "1.3": (1, 5, "2.00"),
    "2.1": (3, 5, "12.00"),
    "3.1": (1, 2, "2.00"),
    "3.2": (4, 5, "6.40"),
    "4.1": (1, 1, "5.00"),
    "4.2": (1, 2, "2.50"),
    "5.1": (2, 3, "4.21"),
    "5.2": (1, 2, "3.16"),
    "5.3": (1, 2, "3.00"),
    "6.1": (2, 5, "3.20"),
    "6.2": (1, 3, "2.33"),
    "6.3": (1, 5, "1.40"),
}


def test_each_indicator_of_the_province_in_april(history):
    index = index766.compute(APRIL, now=DURING_APRIL)
    scores = _scores(index)
    found = {
        code: (s.numerator, s.denominator, str(s.points))
        for code, s in scores.items()
        if s.status == index766.MEASURED
    }
    assert found == EXPECTED_PROVINCE
    assert index.measured_max == 96
    assert index.points == sum(Decimal(p) for _n, _d, p in EXPECTED_PROVINCE.values())


def test_an_agency_sees_its_own_dossiers_only(history):
    scores = _scores(index766.compute(APRIL, history.department, now=DURING_APRIL))
    # The department: A, B settled (1 in time), C on track, D overdue.
    assert (scores["2.1"].numerator, scores["2.1"].denominator) == (2, 4)
    assert (scores["6.2"].numerator, scores["6.2"].denominator) == (1, 2)
    assert (scores["5.1"].numerator, scores["5.1"].denominator) == (1, 2)
    assert (scores["5.3"].numerator, scores["5.3"].denominator) == (1, 2)
    commune = _scores(index766.compute(APRIL, history.commune, now=DURING_APRIL))
    assert commune["5.3"].status == index766.NO_DATA
    assert (commune["2.1"].numerator, commune["2.1"].denominator) == (1, 1)


def test_the_ranking_puts_the_best_share_of_the_measured_maximum_first(history):
    ranked = index766.ranking(APRIL, now=DURING_APRIL)
    names = [entry.agency.name for entry in ranked]
    assert set(names) == {"Sở Tư pháp", "Công an tỉnh", "Trung tâm PVHCC", "UBND phường Kinh Bắc"}
    shares = [entry.percent for entry in ranked if entry.percent is not None]
    assert shares == sorted(shares, reverse=True)
    # Nothing is measured for an agency with no procedure, dossier or feedback.
    assert ranked[-1].percent is None


@pytest.mark.parametrize("agency", [None, "department", "commune"])
def test_the_dossiers_behind_each_number_are_as_many_as_it_counts(history, agency):
    scope = getattr(history, agency) if agency else None
    index = index766.compute(APRIL, scope, now=DURING_APRIL)
    for score in index.scores:
        code = score.indicator.code
        if not score.indicator.lists_dossiers:
            continue
        numerator, complete = index766.dossiers(code, "numerator", APRIL, scope, now=DURING_APRIL)
        denominator, _ = index766.dossiers(code, "denominator", APRIL, scope, now=DURING_APRIL)
        shortfall, _ = index766.dossiers(code, "shortfall", APRIL, scope, now=DURING_APRIL)
        assert complete
        assert numerator.count() == (score.numerator or 0), code
        assert denominator.count() == (score.denominator or 0), code
        assert shortfall.count() == (score.denominator or 0) - (score.numerator or 0), code


def test_the_late_dossiers_of_a_closed_month(history):
    late, complete = index766.dossiers("2.1", "shortfall", APRIL, now=AFTER_APRIL)
    assert list(late) == [history.b]
    # The month-end snapshot counts the open dossiers of a closed month; they are not listed.
    assert not complete
    settled, _ = index766.dossiers("2.1", "denominator", APRIL, now=AFTER_APRIL)
    assert set(settled) == {history.a, history.b, history.e}


def test_an_unknown_indicator_or_part_lists_nothing(history):
    for code, part in (("9.9", "numerator"), ("1.1", "numerator"), ("2.1", "everything")):
        with pytest.raises(KeyError):
            index766.dossiers(code, part, APRIL)


def test_the_index_of_an_agency_takes_a_bounded_number_of_queries(
    history, django_assert_max_num_queries
):
    with django_assert_max_num_queries(30):
        index766.compute(APRIL, history.department, now=DURING_APRIL)


def test_the_province_ranking_is_kept_for_a_while(history, django_assert_max_num_queries):
    """The ranking repeats the index per agency: a second look within the period's keeping
    time reads it from the cache."""
    period = APRIL
    first = index766.ranking(period)
    assert first
    with django_assert_max_num_queries(0):
        again = index766.ranking(period)
    assert [i.agency.pk for i in again] == [i.agency.pk for i in first]

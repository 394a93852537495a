"""The evaluation of settling procedures on the nine indicators of NĐ 61/2018/NĐ-CP Điều 31
(TT 01/2018/TT-VPCP Điều 13), each 0–2 points, and its grade bands."""

import pytest

from motcua.feedback.models import Rating
from motcua.reports import grades, statistics
from motcua.reports.statistics import Row

from ..dossiers.conftest import at
from .fixtures_statistics import APRIL_PERIOD, rate, settled_early


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        (18, "excellent"),
        (15, "excellent"),
        (14.99, "good"),
        (10, "good"),
        (9.99, "fair"),
        (6, "fair"),
        (5.99, "weak"),
        (0, "weak"),
    ],
)
def test_grade_bands(score, grade):
    assert grades.grade_of(score)[0] == grade


def test_no_score_no_grade():
    assert grades.grade_of(None) is None
    empty = grades.RatingsSummary(0, 0, None, [], {})
    assessment = grades.assess(Row(None, ""), empty, {})
    assert assessment.assessed == 0
    assert assessment.score is None and assessment.grade is None
    assert all(not s.assessed for s in assessment.scores)


def test_indicators_without_data_are_not_assessed_and_not_counted():
    row = Row(None, "")
    row.counts.update(settled_early=2, settled_on_time=1, settled_late=1)
    ratings = grades.RatingsSummary(
        4, 3, 1.5, [], {"contacts_count": 2, "one_stop_desk": 1.5, "officer_attitude": 1}
    )
    assessment = grades.assess(row, ratings, {"early": 1, "late": 1})
    points = {s.indicator.number: s.points for s in assessment.scores}
    # Early 2, on time 1, late 0 points, averaged: (2·2 + 1 + 0) / 4.
    assert points[1] == 1.25
    assert points[2] == 1.0
    assert (points[3], points[5], points[7]) == (2.0, 1.5, 1.0)
    assert points[4] is None and points[6] is None and points[8] is None and points[9] is None
    assert assessment.assessed == 5
    assert assessment.points == 6.75
    # The average of the five assessed, on the scale of nine: 6.75 / 5 · 9.
    assert assessment.score == 12.15
    assert assessment.grade[0] == "good"


def test_an_agency_settling_early_and_well_rated_is_excellent(world):
    dossier = settled_early(world)
    rate(dossier, satisfaction=2, points=2)
    report = statistics.report(APRIL_PERIOD, agency=world.department)
    assessment, ratings = grades.evaluate(report, world.department)
    points = {s.indicator.number: s.points for s in assessment.scores}
    assert points[1] == 2.0  # settled before its due time
    # Its five steps against their own due times: reception on time (1), the specialist,
    # the unit and the department's leaders early (2 each), the clerk on time (1).
    assert points[2] == 1.6
    assert assessment.assessed == 7  # 8 and 9 were not answered
    assert assessment.score == 17.49  # (2 + 1.6 + 5 · 2) / 7 · 9
    assert assessment.grade[0] == "excellent"
    assert ratings.count == 1 and ratings.average == 2 and ratings.satisfied_percent == 100


def test_poor_ratings_bring_the_grade_down(world):
    dossier = settled_early(world)
    rate(dossier, satisfaction=0, points=0)
    report = statistics.report(APRIL_PERIOD, agency=world.department)
    assessment, ratings = grades.evaluate(report, world.department)
    # 2 + 1.6 points on the two measured indicators, 0 on the five rated: 3.6 / 7 · 9.
    assert assessment.score == 4.63
    assert assessment.grade[0] == "weak"
    assert [n for _label, n in ratings.levels] == [0, 0, 1]  # very satisfied … not satisfied


def test_ratings_count_in_their_scope_and_period(world):
    first = settled_early(world)
    second = settled_early(world, receive="2026-03-16T11:00:00+07:00")
    rate(first, satisfaction=2, points=2)
    rate(second, satisfaction=1, points=1, when="2026-04-20T09:00:00+07:00")  # May period
    april = grades.ratings_summary(APRIL_PERIOD, world.department)
    assert april.count == 1 and april.criteria["officer_attitude"] == 2
    assert grades.ratings_summary(APRIL_PERIOD, world.commune).count == 0
    assert grades.ratings_summary(APRIL_PERIOD).count == 1
    Rating.objects.filter(dossier=second).update(rated_at=at("2026-04-14T23:00:00+07:00"))
    assert grades.ratings_summary(APRIL_PERIOD).count == 2


def test_too_few_indicators_give_a_score_but_no_grade():
    row = Row(None, "")
    row.counts.update(settled_early=1)
    no_ratings = grades.RatingsSummary(0, 0, None, [], {})
    assessment = grades.assess(row, no_ratings, {"early": 1})
    assert assessment.assessed == 2 < grades.MIN_ASSESSED
    assert assessment.score == 18.0
    assert assessment.grade is None

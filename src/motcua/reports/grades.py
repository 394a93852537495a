"""The evaluation of settling procedures at an agency over a period, on the nine indicators
of NĐ 61/2018/NĐ-CP Điều 31 (TT 01/2018/TT-VPCP Điều 13, khoản 1–9), each worth 0 to 2 points.

The System measures indicators 1 and 2 from the dossiers' history (early 2 points, on time
1, late 0, averaged over the dossiers settled and the steps done in the period) and reads
indicators 3 to 9 from the applicants' ratings (the average points given to each criterion,
:mod:`motcua.feedback.criteria`). An indicator with no data in the period is not assessed:
it is shown as such and counts neither for nor against the agency. The score is the average
of the indicators assessed, on the 18-point scale; it is graded (:data:`GRADE_BANDS`) only
when at least :data:`MIN_ASSESSED` of the nine indicators are assessed.
"""

from dataclasses import dataclass

from django.db.models import Avg, Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from motcua.dossiers.models import DossierStep, Timeliness
from motcua.feedback.criteria import LEVEL_LABELS, MAX_POINTS, SATISFIED_FROM
from motcua.feedback.models import Rating, RatingScore
from motcua.population.services import subtree_ids

from .periods import Period
from .statistics import Row

POINTS = {Timeliness.EARLY: 2, Timeliness.ON_TIME: 1, Timeliness.LATE: 0}


@dataclass(frozen=True)
class Indicator:
    number: int
    article: str
    label: str
    #: The rating criterion it is read from; empty: measured from the dossiers.
    criterion: str = ""


INDICATORS = (
    Indicator(1, "TT 01/2018 Điều 13.1", _("Total time of settlement against the time allowed")),
    Indicator(
        2,
        "TT 01/2018 Điều 13.2",
        _("Time taken at each agency and unit against the time allowed"),
    ),
    Indicator(
        3,
        "TT 01/2018 Điều 13.3",
        _("Times the applicant contacted the desk to complete the dossier"),
        "contacts_count",
    ),
    Indicator(
        4,
        "TT 01/2018 Điều 13.4",
        _("Agencies the applicant contacted to complete the dossier"),
        "contacted_agencies",
    ),
    Indicator(
        5,
        "TT 01/2018 Điều 13.5",
        _("Reception, settlement and return through the one-stop desk"),
        "one_stop_desk",
    ),
    Indicator(6, "TT 01/2018 Điều 13.6", _("Publication of the procedures"), "public_information"),
    Indicator(7, "TT 01/2018 Điều 13.7", _("Attitude of the officers"), "officer_attitude"),
    Indicator(
        8,
        "TT 01/2018 Điều 13.8",
        _("Taking up and explaining feedback and recommendations"),
        "feedback_handling",
    ),
    Indicator(
        9,
        "TT 01/2018 Điều 13.9",
        _("Progress and quality of the online public services"),
        "online_service",
    ),
)
MAX_TOTAL = MAX_POINTS * len(INDICATORS)
#: Fewest indicators assessed for a grade: a grade read from fewer would say too little.
MIN_ASSESSED = 5

#: Lowest score (of 18) of each grade, best first; below the last: weak.
GRADE_BANDS = (
    (15, "excellent", pgettext_lazy("grade", "Excellent")),
    (10, "good", pgettext_lazy("grade", "Good")),
    (6, "fair", pgettext_lazy("grade", "Fair")),
)
WEAK = ("weak", pgettext_lazy("grade", "Weak"))


def _scope(agency, field="agency_id") -> Q:
    return Q() if agency is None else Q(**{f"{field}__in": subtree_ids(agency)})


@dataclass(frozen=True)
class RatingsSummary:
    """The applicants' ratings of the scope's dossiers made in the period (BN 8.4)."""

    count: int
    satisfied: int
    average: float | None
    levels: list
    criteria: dict

    @property
    def satisfied_percent(self) -> float | None:
        return round(100 * self.satisfied / self.count, 2) if self.count else None


def ratings_summary(period: Period, agency=None) -> RatingsSummary:
    """Count, satisfied count, average overall satisfaction (0–2), how many gave each level,
    and the average points of each criterion."""
    within = Q(rated_at__gte=period.start, rated_at__lt=period.end) & _scope(agency)
    ratings = Rating.objects.filter(within)
    totals = ratings.aggregate(
        count=Count("id"),
        satisfied=Count("id", filter=Q(satisfaction__gte=SATISFIED_FROM)),
        average=Avg("satisfaction"),
    )
    by_level = dict(ratings.values_list("satisfaction").annotate(n=Count("id")).order_by())
    criteria = dict(
        RatingScore.objects.filter(
            rating__rated_at__gte=period.start,
            rating__rated_at__lt=period.end,
            **({} if agency is None else {"rating__agency_id__in": subtree_ids(agency)}),
        )
        .values_list("criterion")
        .annotate(average=Avg("points"))
        .order_by()
    )
    return RatingsSummary(
        totals["count"],
        totals["satisfied"],
        totals["average"],
        [(label, by_level.get(points, 0)) for points, label in LEVEL_LABELS.items()],
        criteria,
    )


def steps_timeliness(period: Period, agency=None) -> dict:
    """``{timeliness: n}`` of the process steps the scope's units finished in the period."""
    rows = (
        DossierStep.objects.filter(
            _scope(agency), done_at__gte=period.start, done_at__lt=period.end
        )
        .exclude(timeliness="")
        .values_list("timeliness")
        .annotate(n=Count("id"))
        .order_by()
    )
    return dict(rows)


def _average_points(counts: dict) -> float | None:
    n = sum(counts.values())
    return sum(POINTS[t] * k for t, k in counts.items()) / n if n else None


@dataclass(frozen=True)
class Score:
    indicator: Indicator
    points: float | None  # None: not assessed

    @property
    def assessed(self) -> bool:
        return self.points is not None


@dataclass(frozen=True)
class Assessment:
    scores: list[Score]

    @property
    def assessed(self) -> int:
        return sum(s.assessed for s in self.scores)

    @property
    def points(self) -> float:
        """The points of the indicators assessed."""
        return round(sum(s.points for s in self.scores if s.assessed), 2)

    @property
    def score(self) -> float | None:
        """The average of the indicators assessed, on the scale of all nine (0–18)."""
        if not self.assessed:
            return None
        return round(self.points / self.assessed * len(INDICATORS), 2)

    @property
    def grade(self) -> tuple[str, str] | None:
        """The grade, or None when fewer than :data:`MIN_ASSESSED` indicators are assessed."""
        return grade_of(self.score) if self.assessed >= MIN_ASSESSED else None


def grade_of(score: float | None) -> tuple[str, str] | None:
    """The grade ``(code, label)`` of a score out of 18, or None for no score."""
    if score is None:
        return None
    for lowest, code, label in GRADE_BANDS:
        if score >= lowest:
            return code, label
    return WEAK


def assess(row: Row, ratings: RatingsSummary, steps: dict) -> Assessment:
    """Score the nine indicators from a statistics row (the scope's total), the ratings and
    the steps' timeliness of the same scope and period."""
    settled = {
        Timeliness.EARLY: row.counts["settled_early"],
        Timeliness.ON_TIME: row.counts["settled_on_time"],
        Timeliness.LATE: row.counts["settled_late"],
    }
    measured = {1: _average_points(settled), 2: _average_points(steps)}
    scores = []
    for indicator in INDICATORS:
        if indicator.criterion:
            points = ratings.criteria.get(indicator.criterion)
        else:
            points = measured[indicator.number]
        scores.append(Score(indicator, None if points is None else round(float(points), 2)))
    return Assessment(scores)


def evaluate(report, agency=None) -> tuple[Assessment, RatingsSummary]:
    """The assessment and the ratings summary of a statistics report's scope and period."""
    ratings = ratings_summary(report.period, agency)
    steps = steps_timeliness(report.period, agency)
    return assess(report.total, ratings, steps), ratings

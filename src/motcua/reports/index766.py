"""The service index of Decision 766/QĐ-TTg (23/6/2022): "Bộ chỉ số chỉ đạo, điều hành và
đánh giá chất lượng phục vụ người dân, doanh nghiệp trong thực hiện thủ tục hành chính, dịch
vụ công theo thời gian thực trên môi trường điện tử", 100 points in six groups, computed for
an agency (with its sub-tree) or the province and a reporting period (SPEC §3 item 18;
TN 21.2: the groups of criteria are those of the Decision; TN 21.3: published monthly).

Each indicator is data: its code, group, name, points, the numerator and denominator of its
formula, how sure its wording and points are (``sourcing``), a function measuring it from the
System's data and, for indicators that count dossiers, a function listing those dossiers.

The group maxima (18, 20, 12, 10, 18, 22) are those of the Decision. Indicators marked
``DECISION`` have their name and points from it; those marked ``RECONSTRUCTED`` are this
System's reading where the wording, split of points or formula could not be checked against
the text of the Decision's appendix. An indicator the System has no source for (a national
measure) is ``NOT_MEASURED``: it scores nothing and its points leave the maximum, never
invented. One with nothing to count in the period (no dossier paid, no rating) is
``NO_DATA`` and likewise leaves the maximum; the percentage of the measured maximum ranks
agencies fairly.

Scoring: points = maximum × min(1, rate ÷ target); the target is 100 % unless the indicator
names one (satisfaction: the targets of NQ 76/NQ-CP).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.core.cache import cache
from django.db.models import CharField, Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalogue.models import Agency, Component, OnlineLevel, Procedure
from motcua.dossiers.models import Channel, Dossier, DossierEvent, DossierFile, Status, Timeliness
from motcua.feedback.criteria import SATISFIED_FROM
from motcua.feedback.models import Feedback, Rating
from motcua.outbox.models import OutboxMessage
from motcua.population.services import subtree_ids
from motcua.vault.models import VaultDocument

from . import statistics
from .periods import Period
from .tally import IN_PROGRESS_STATES

DECISION = "decision"
RECONSTRUCTED = "reconstructed"
SOURCING_LABELS = {
    DECISION: _("As in the Decision"),
    RECONSTRUCTED: _("Reading of the System"),
}

MEASURED = "measured"
NO_DATA = "no_data"
NOT_MEASURED = "not_measured"
STATUS_LABELS = {
    MEASURED: _("Measured"),
    NO_DATA: _("Nothing to measure in the period"),
    NOT_MEASURED: _("Not measured by the System"),
}

#: The parts of a formula whose dossiers can be listed.
PARTS = ("numerator", "denominator", "shortfall")
ONLINE_CHANNELS = (Channel.ONLINE, Channel.NATIONAL_PORTAL)
ONLINE_LEVELS = (OnlineLevel.FULL, OnlineLevel.PARTIAL)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Group:
    code: str
    name: str
    max_points: int


GROUPS = (
    Group("publicity", _("Publicity and transparency"), 18),
    Group("progress", _("Progress of settlement"), 20),
    Group("online", _("Online public service"), 12),
    Group("payment", _("Online payment"), 10),
    Group("satisfaction", _("Satisfaction"), 18),
    Group("digitisation", _("Digitisation of dossiers"), 22),
)
GROUPS_BY_CODE = {group.code: group for group in GROUPS}


# -- what an indicator is measured on ------------------------------------------------------
@dataclass
class Scope:
    """An agency with its sub-tree (None: the province) and a reporting period."""

    period: Period
    agency: Agency | None = None
    now: datetime = field(default_factory=timezone.now)

    @cached_property
    def agency_ids(self) -> set[int] | None:
        return None if self.agency is None else subtree_ids(self.agency)

    def _q(self, path: str = "agency_id") -> Q:
        return Q() if self.agency_ids is None else Q(**{f"{path}__in": self.agency_ids})

    @cached_property
    def report(self) -> statistics.Report:
        """The statistics of the period, one row per procedure (SPEC §3 item 18)."""
        return statistics.report(
            self.period, agency=self.agency, grouping="procedure", now=self.now
        )

    @property
    def totals(self) -> statistics.Row:
        return self.report.total

    def dossiers(self) -> QuerySet:
        return Dossier.objects.filter(self._q())

    def received(self) -> QuerySet:
        """Dossiers received in the period (the tallies' ``received_*``)."""
        return self.dossiers().filter(
            received_at__gte=self.period.start, received_at__lt=self.period.end
        )

    def with_event(self, action, **conditions) -> QuerySet:
        """Dossiers with an ``action`` event in the period meeting ``conditions`` (all on
        the same event)."""
        actions = (action,) if isinstance(action, str) else tuple(action)
        events = DossierEvent.objects.filter(
            action__in=actions, at__gte=self.period.start, at__lt=self.period.end, **conditions
        )
        return self.dossiers().filter(pk__in=events.values("dossier_id"))

    def procedures(self) -> QuerySet:
        """Published procedures the agencies of the scope settle."""
        procedures = Procedure.objects.filter(is_active=True)
        if self.agency_ids is not None:
            procedures = procedures.filter(agencies__in=self.agency_ids).distinct()
        return procedures

    def ratings(self) -> QuerySet:
        return Rating.objects.filter(
            self._q(), rated_at__gte=self.period.start, rated_at__lt=self.period.end
        )


@dataclass(frozen=True)
class Listing:
    """The dossiers behind a formula: ``numerator`` ⊆ ``denominator``; ``complete`` is
    False where part of the count is not listed (a closed month's open dossiers, counted
    from its month-end snapshot)."""

    numerator: QuerySet
    denominator: QuerySet
    complete: bool = True


# -- the indicators ------------------------------------------------------------------------
def _procedures_published_in_full(scope: Scope) -> tuple[int, int]:
    """Công khai đầy đủ: components, legal basis and result published, and the national
    code known to the national procedure database at the last check (BN 6, HT 3.1.a)."""
    procedures = scope.procedures()
    complete = procedures.filter(
        Exists(Component.objects.filter(procedure=OuterRef("pk"))),
        national_sync__isnull=False,
        national_sync__unknown_since__isnull=True,
    ).exclude(Q(legal_basis="") | Q(result_type=""))
    return complete.count(), procedures.count()


def _status_pushed(scope: Scope) -> Listing:
    """Đồng bộ hồ sơ: the reception's status message was delivered to the national portal
    (the outbox marks it sent)."""
    pushes = OutboxMessage.objects.filter(
        topic="national_portal.status", status=OutboxMessage.Status.SENT, key=OuterRef("key")
    )
    # Per dossier: its reception (by dossier), then that event's push (by its unique key),
    # so the cost follows the dossiers of the period, not the whole history.
    pushed_receptions = (
        DossierEvent.objects.filter(dossier=OuterRef("pk"), action="receive")
        .annotate(key=Concat(Value("status:"), Cast("pk", output_field=CharField())))
        .filter(Exists(pushes))
    )
    received = scope.received()
    return Listing(received.filter(Exists(pushed_receptions)), received)


def _count(listing: Callable[[Scope], Listing]):
    def measure(scope: Scope) -> tuple[int, int]:
        found = listing(scope)
        return found.numerator.count(), found.denominator.count()

    return measure


def _in_time(scope: Scope) -> tuple[int, int]:
    """Tỷ lệ xử lý hồ sơ đúng hạn = (đã giải quyết trước hạn, đúng hạn + đang giải quyết
    trong hạn) ÷ (đã giải quyết + đang giải quyết), the columns of Biểu 06."""
    t = scope.totals
    return t.settled_in_time + t.on_track, t.settled + t.in_progress


def _in_time_dossiers(scope: Scope) -> Listing:
    settled = scope.with_event(("complete", "decline"))
    in_time = settled.filter(timeliness__in=(Timeliness.EARLY, Timeliness.ON_TIME))
    if not scope.period.is_open(scope.now):
        return Listing(in_time, settled, complete=False)
    open_now = scope.dossiers().filter(status__in=IN_PROGRESS_STATES, received_at__isnull=False)
    on_track = open_now.exclude(status=Status.PROCESSING, due_at__lt=scope.now)
    return Listing(in_time | on_track, settled | open_now)


def _full_online_procedures(scope: Scope) -> tuple[int, int]:
    procedures = scope.procedures()
    return procedures.filter(online_level=OnlineLevel.FULL).count(), procedures.count()


def _online_dossiers(scope: Scope) -> tuple[int, int]:
    """Tỷ lệ hồ sơ trực tuyến, over the procedures offered online (full or partial level)."""
    rows = [row for row in scope.report.rows if row.key is not None]
    online = set(
        Procedure.objects.filter(
            pk__in=[row.key for row in rows], online_level__in=ONLINE_LEVELS
        ).values_list("pk", flat=True)
    )
    rows = [row for row in rows if row.key in online]
    return sum(r.received_online_total for r in rows), sum(r.received_new for r in rows)


def _online_dossier_list(scope: Scope) -> Listing:
    received = scope.received().filter(procedure__online_level__in=ONLINE_LEVELS)
    return Listing(received.filter(channel__in=ONLINE_CHANNELS), received)


def _procedures_paid_online(scope: Scope) -> tuple[int, int]:
    """TTHC có phát sinh thanh toán trực tuyến ÷ TTHC có yêu cầu nộp phí, lệ phí."""
    with_fee = set(
        scope.procedures().filter(fees__amount__gt=0).values_list("pk", flat=True).distinct()
    )
    paid_online = {row.key for row in scope.report.rows if row.paid_online}
    return len(with_fee & paid_online), len(with_fee)


def _paid_online(scope: Scope) -> tuple[int, int]:
    return scope.totals.paid_online, scope.totals.paid


def _paid_online_dossiers(scope: Scope) -> Listing:
    return Listing(scope.with_event("pay", actor__isnull=True), scope.with_event("pay"))


def _satisfied(ratings: QuerySet) -> tuple[int, int]:
    return ratings.filter(satisfaction__gte=SATISFIED_FROM).count(), ratings.count()


def _rated_dossiers(scope: Scope, ratings: QuerySet) -> Listing:
    rated = Dossier.objects.filter(pk__in=ratings.values("dossier_id"))
    satisfied = ratings.filter(satisfaction__gte=SATISFIED_FROM)
    return Listing(rated.filter(pk__in=satisfied.values("dossier_id")), rated)


def _online_ratings(scope: Scope) -> QuerySet:
    return scope.ratings().filter(dossier__channel__in=ONLINE_CHANNELS)


def _feedback_answered_on_time(scope: Scope) -> tuple[int, int]:
    """Feedback whose answer fell due in the period (until now), answered by then (BN 17)."""
    until = min(scope.period.end, scope.now)
    due = Feedback.objects.filter(
        scope._q(), answer_due_at__gte=scope.period.start, answer_due_at__lt=until
    )
    on_time = due.filter(answered_at__isnull=False, answered_at__lte=F("answer_due_at"))
    return on_time.count(), due.count()


def _digitised(scope: Scope) -> tuple[int, int]:
    return scope.totals.digitised, scope.totals.received_new


def _digitised_dossiers(scope: Scope) -> Listing:
    return Listing(scope.with_event("receive", data__digitised=True), scope.with_event("receive"))


def _e_results(scope: Scope) -> tuple[int, int]:
    return scope.totals.e_results, scope.totals.returned


def _e_result_dossiers(scope: Scope) -> Listing:
    return Listing(
        scope.with_event("return_result", data__e_result=True), scope.with_event("return_result")
    )


def _reused_dossiers(scope: Scope) -> Listing:
    """A document of the dossier is a copy of one the applicant keeps in the DataVault
    (TN 13.7, TN 7.2.d: data given once, reused)."""
    kept = VaultDocument.objects.filter(
        owner_id=OuterRef(OuterRef("applicant_id")),
        sha256=OuterRef("sha256"),
        uploaded_at__lte=OuterRef("uploaded_at"),
    )
    reused = DossierFile.objects.filter(Exists(kept), dossier=OuterRef("pk"))
    received = scope.received()
    return Listing(received.filter(Exists(reused)), received)


@dataclass(frozen=True)
class Target:
    """A rate to reach for the full points, by year (NQ 76/NQ-CP: satisfaction with the
    settlement of procedures at least 90 % by 2025, 95 % by 2030)."""

    until_2025: Decimal
    from_2026: Decimal

    def for_period(self, period: Period) -> Decimal:
        return self.until_2025 if period.last.year <= 2025 else self.from_2026


NQ76_SATISFACTION = Target(Decimal("0.90"), Decimal("0.95"))


@dataclass(frozen=True)
class Indicator:
    code: str
    group: str
    name: str
    max_points: int
    numerator: str
    denominator: str
    sourcing: str
    basis: str
    measure: Callable[[Scope], tuple[int, int]] | None = None
    listing: Callable[[Scope], Listing] | None = None
    target: Target | None = None
    #: Why the System does not measure it (``measure`` is None).
    not_measured: str = ""

    def __reduce__(self):
        """Indicators are constants: a kept ranking refers to them by code."""
        return (_indicator, (self.code,))

    @property
    def sourcing_label(self) -> str:
        return SOURCING_LABELS[self.sourcing]

    @property
    def lists_dossiers(self) -> bool:
        return self.listing is not None

    def score(self, scope: Scope) -> "Score":
        if self.measure is None:
            return Score(self, None, None, None, NOT_MEASURED)
        numerator, denominator = self.measure(scope)
        if not denominator:
            return Score(self, numerator, denominator, None, NO_DATA)
        target = self.target.for_period(scope.period) if self.target else Decimal(1)
        reached = min(Decimal(1), Decimal(numerator) / Decimal(denominator) / target)
        points = (Decimal(self.max_points) * reached).quantize(CENT, ROUND_HALF_UP)
        return Score(self, numerator, denominator, points, MEASURED)


INDICATORS: tuple[Indicator, ...] = (
    # 1. Công khai, minh bạch — 18 points.
    Indicator(
        "1.1", "publicity", _("Procedures updated and published on time"), 4,
        _("Procedures published on the national procedure database by the deadline after "
          "their announcement"),
        _("Procedures announced"),
        DECISION,
        "QĐ 766/QĐ-TTg: Tỷ lệ TTHC được cập nhật, công khai đúng hạn (4/18 điểm).",
        not_measured=_("Measured by the national procedure database against the date of the "
                       "announcing decision, which the System does not hold."),
    ),
    Indicator(
        "1.2", "publicity", _("Procedures published with complete data matching the national "
                              "procedure database"), 4,
        _("Published procedures with their components, legal basis and result, found in the "
          "national procedure database at the last check"),
        _("Published procedures the agencies settle"),
        RECONSTRUCTED,
        "QĐ 766/QĐ-TTg nhóm Công khai, minh bạch; NĐ 63/2010 Điều 15 (công khai TTHC).",
        measure=_procedures_published_in_full,
    ),
    Indicator(
        "1.3", "publicity", _("Dossiers whose progress is published on the national portal"), 10,
        _("Dossiers received in the period whose reception was delivered to the national "
          "public service portal"),
        _("Dossiers received in the period"),
        RECONSTRUCTED,
        "QĐ 766/QĐ-TTg nhóm Công khai, minh bạch: đồng bộ, công khai tiến độ giải quyết hồ sơ "
        "trên Cổng DVCQG; TN 19.3.",
        measure=_count(_status_pushed),
        listing=_status_pushed,
    ),
    # 2. Tiến độ giải quyết — 20 points.
    Indicator(
        "2.1", "progress", _("Dossiers settled or being settled on time"), 20,
        _("Dossiers settled early or on time in the period, plus dossiers in progress and not "
          "overdue at its end"),
        _("Dossiers settled in the period, plus dossiers in progress at its end"),
        DECISION,
        "QĐ 766/QĐ-TTg: tỷ lệ xử lý hồ sơ đúng hạn (20/20 điểm); đang giải quyết trong hạn "
        "tính là đúng hạn theo Biểu 06, TT 01/2018/TT-VPCP.",
        measure=_in_time,
        listing=_in_time_dossiers,
    ),
    # 3. Dịch vụ công trực tuyến — 12 points.
    Indicator(
        "3.1", "online", _("Procedures provided as full online public services"), 4,
        _("Published procedures at the full online level"),
        _("Published procedures the agencies settle"),
        RECONSTRUCTED,
        "QĐ 766/QĐ-TTg nhóm Dịch vụ công trực tuyến; NĐ 42/2022 Điều 11 (DVCTT toàn trình).",
        measure=_full_online_procedures,
    ),
    Indicator(
        "3.2", "online", _("Dossiers submitted online"), 8,
        _("Dossiers of online procedures received in the period that were submitted online "
          "or through the national portal"),
        _("Dossiers of online procedures (full or partial) received in the period"),
        RECONSTRUCTED,
        "QĐ 766/QĐ-TTg nhóm Dịch vụ công trực tuyến: tỷ lệ hồ sơ trực tuyến.",
        measure=_online_dossiers,
        listing=_online_dossier_list,
    ),
    # 4. Thanh toán trực tuyến — 10 points.
    Indicator(
        "4.1", "payment", _("Procedures with online payments"), 5,
        _("Published procedures with a fee that had a fee paid online in the period"),
        _("Published procedures with a fee"),
        RECONSTRUCTED,
        "QĐ 766/QĐ-TTg nhóm Thanh toán trực tuyến: TTHC có giao dịch thanh toán trực tuyến.",
        measure=_procedures_paid_online,
    ),
    Indicator(
        "4.2", "payment", _("Dossiers paid online"), 5,
        _("Dossiers whose fee was paid online through the payment gateway in the period"),
        _("Dossiers whose fee was paid in the period"),
        RECONSTRUCTED,
        "QĐ 766/QĐ-TTg nhóm Thanh toán trực tuyến: tỷ lệ hồ sơ thanh toán trực tuyến; "
        "TN 20, BN 14.4.",
        measure=_paid_online,
        listing=_paid_online_dossiers,
    ),
    # 5. Mức độ hài lòng — 18 points.
    Indicator(
        "5.1", "satisfaction", _("Satisfaction with the reception and settlement of "
                                 "procedures"), 6,
        _("Ratings in the period answering \"Satisfied\" or \"Very satisfied\""),
        _("Ratings in the period"),
        DECISION,
        "QĐ 766/QĐ-TTg: Tỷ lệ hài lòng trong tiếp nhận, giải quyết TTHC (6/18 điểm, đủ điểm "
        "khi đạt mục tiêu của NQ 76/NQ-CP: 90 % đến 2025, 95 % đến 2030); BN 8.4.",
        measure=lambda scope: _satisfied(scope.ratings()),
        listing=lambda scope: _rated_dossiers(scope, scope.ratings()),
        target=NQ76_SATISFACTION,
    ),
    Indicator(
        "5.2", "satisfaction", _("Satisfaction with online public services"), 6,
        _("Ratings in the period of dossiers submitted online answering \"Satisfied\" or "
          "\"Very satisfied\""),
        _("Ratings in the period of dossiers submitted online"),
        RECONSTRUCTED,
        "QĐ 766/QĐ-TTg nhóm Mức độ hài lòng; NĐ 61/2018 Điều 31 tiêu chí 9.",
        measure=lambda scope: _satisfied(_online_ratings(scope)),
        listing=lambda scope: _rated_dossiers(scope, _online_ratings(scope)),
        target=NQ76_SATISFACTION,
    ),
    Indicator(
        "5.3", "satisfaction", _("Feedback and recommendations answered on time"), 6,
        _("Feedback due for an answer in the period that was answered by the due time"),
        _("Feedback due for an answer in the period"),
        RECONSTRUCTED,
        "QĐ 766/QĐ-TTg nhóm Mức độ hài lòng (phản ánh, kiến nghị); BN 17.",
        measure=_feedback_answered_on_time,
    ),
    # 6. Số hóa hồ sơ — 22 points.
    Indicator(
        "6.1", "digitisation", _("Dossiers digitised"), 8,
        _("Dossiers received in the period with their documents in electronic form"),
        _("Dossiers received in the period"),
        RECONSTRUCTED,
        "QĐ 766/QĐ-TTg nhóm Số hóa hồ sơ: tỷ lệ số hóa hồ sơ; NĐ 107/2021 Điều 21a; "
        "TT 01/2023/TT-VPCP.",
        measure=_digitised,
        listing=_digitised_dossiers,
    ),
    Indicator(
        "6.2", "digitisation", _("Electronic results issued"), 7,
        _("Results returned in the period with a signed electronic result"),
        _("Results returned in the period"),
        RECONSTRUCTED,
        "QĐ 766/QĐ-TTg nhóm Số hóa hồ sơ: tỷ lệ cấp kết quả điện tử; VP 16.1.",
        measure=_e_results,
        listing=_e_result_dossiers,
    ),
    Indicator(
        "6.3", "digitisation", _("Digitised data reused"), 7,
        _("Dossiers received in the period with a document reused from the applicant's data "
          "vault"),
        _("Dossiers received in the period"),
        RECONSTRUCTED,
        "QĐ 766/QĐ-TTg nhóm Số hóa hồ sơ: tỷ lệ khai thác, sử dụng lại thông tin, dữ liệu "
        "số hóa; TN 13.7, TN 7.2.d.",
        measure=_count(_reused_dossiers),
        listing=_reused_dossiers,
    ),
)  # fmt: skip
INDICATORS_BY_CODE = {indicator.code: indicator for indicator in INDICATORS}


def _indicator(code: str) -> Indicator:
    return INDICATORS_BY_CODE[code]


# -- scores --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Score:
    indicator: Indicator
    numerator: int | None
    denominator: int | None
    points: Decimal | None
    status: str

    @property
    def rate(self) -> float | None:
        """The rate in percent (None when there is nothing to measure)."""
        if self.numerator is None:
            return None
        return statistics.ratio(self.numerator, self.denominator)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass
class GroupScore:
    group: Group
    scores: list[Score]

    @property
    def points(self) -> Decimal:
        return sum((s.points for s in self.scores if s.status == MEASURED), Decimal(0))

    @property
    def measured_max(self) -> int:
        return sum(s.indicator.max_points for s in self.scores if s.status == MEASURED)


@dataclass
class Index:
    period: Period
    agency: Agency | None
    groups: list[GroupScore]
    taken_at: datetime

    @property
    def points(self) -> Decimal:
        return sum((g.points for g in self.groups), Decimal(0))

    @property
    def measured_max(self) -> int:
        return sum(g.measured_max for g in self.groups)

    @property
    def unmeasured_max(self) -> int:
        return sum(g.group.max_points for g in self.groups) - self.measured_max

    @property
    def percent(self) -> Decimal | None:
        """Points as a share of the measured maximum: what ranks agencies."""
        if not self.measured_max:
            return None
        return (100 * self.points / self.measured_max).quantize(CENT, ROUND_HALF_UP)

    @property
    def scores(self) -> list[Score]:
        return [s for g in self.groups for s in g.scores]


def compute(period: Period, agency: Agency | None = None, *, now=None) -> Index:
    """The index of ``agency`` and its sub-tree (None: the province) for ``period``."""
    scope = Scope(period, agency, now or timezone.now())
    groups = [
        GroupScore(group, [i.score(scope) for i in INDICATORS if i.group == group.code])
        for group in GROUPS
    ]
    return Index(period, agency, groups, scope.now)


def ranked_agencies() -> QuerySet:
    """The agencies the province ranks: active agencies right below the province's
    People's Committee, each with its sub-tree."""
    return Agency.objects.filter(
        status=Agency.Status.ACTIVE, parent__level=Agency.Level.PROVINCE
    ).order_by("name")


#: How long the province's ranking is kept: it repeats the index for every ranked agency.
RANKING_KEPT_SECONDS = {"open": 300, "closed": 86400}


def ranking(period: Period, agencies=None, *, now=None) -> list[Index]:
    """The index of each agency, best first; agencies with nothing measured come last.

    The ranking of all :func:`ranked_agencies` as of now is kept in the cache for five
    minutes while the period is open, and for a day once it has closed."""
    kept = agencies is None and now is None
    key = f"reports:index766:ranking:{period.first}:{period.last}:{period.closes_on_day}"
    if kept and (cached := cache.get(key)) is not None:
        return cached
    now = now or timezone.now()
    agencies = ranked_agencies() if agencies is None else agencies
    indices = [compute(period, agency, now=now) for agency in agencies]
    indices.sort(key=lambda i: (i.percent is None, -(i.percent or 0), i.agency.name))
    if kept:
        cache.set(key, indices, RANKING_KEPT_SECONDS["open" if period.is_open(now) else "closed"])
    return indices


def dossiers(
    code: str, part: str, period: Period, agency: Agency | None = None, *, now=None
) -> tuple[QuerySet, bool]:
    """The dossiers behind ``part`` of indicator ``code``'s formula, and whether the list
    is the whole count (see :class:`Listing`). ``shortfall`` = denominator − numerator,
    e.g. the dossiers settled late. Raises KeyError for an unknown indicator or part, or
    one that does not count dossiers."""
    indicator = INDICATORS_BY_CODE[code]
    if indicator.listing is None or part not in PARTS:
        raise KeyError(code)
    listing = indicator.listing(Scope(period, agency, now or timezone.now()))
    if part == "numerator":
        chosen = listing.numerator
    elif part == "denominator":
        chosen = listing.denominator
    else:
        chosen = listing.denominator.exclude(pk__in=listing.numerator.values("pk"))
    return chosen, listing.complete

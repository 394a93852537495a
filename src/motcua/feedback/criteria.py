"""What an applicant rates after a finished dossier, as data (BN 8.4; TN 21.2).

The criteria are those of the evaluation of administrative-procedure settlement in
NĐ 61/2018/NĐ-CP Điều 31 as amended by NĐ 107/2021/NĐ-CP (carried on by NĐ 118/2025/NĐ-CP,
whose evaluation feeds the service index of QĐ 766/QĐ-TTg), each worth 0 to 2 points as in the
evaluation sheet of TT 01/2018/TT-VPCP. Criteria 1 and 2 (total time and each agency's time) are
measured by the System from the dossier's history, so the applicant is not asked about them; the
applicant answers the others from experience, and gives an overall satisfaction on the three
levels the 766 index counts ("Rất hài lòng", "Hài lòng", "Không hài lòng").
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Criterion:
    code: str
    article: str
    label: str
    #: A criterion that does not apply to every dossier may be left unanswered.
    optional: bool = False


@dataclass(frozen=True)
class Level:
    points: int
    label: str


#: The three answers to every criterion and to the overall question, best first.
LEVELS: tuple[Level, ...] = (
    Level(2, _("Very satisfied")),
    Level(1, _("Satisfied")),
    Level(0, _("Not satisfied")),
)
MAX_POINTS = max(level.points for level in LEVELS)
#: Points at or above which an answer counts as satisfied in the 766 index.
SATISFIED_FROM = 1

CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "contacts_count",
        "NĐ 61/2018 Điều 31, tiêu chí 3",
        _("How many times you had to contact the desk to complete the dossier"),
    ),
    Criterion(
        "contacted_agencies",
        "NĐ 61/2018 Điều 31, tiêu chí 4",
        _("How many agencies or organisations you had to contact to complete the dossier"),
    ),
    Criterion(
        "one_stop_desk",
        "NĐ 61/2018 Điều 31, tiêu chí 5",
        _("Reception, settlement and return of the result through the one-stop desk"),
    ),
    Criterion(
        "public_information",
        "NĐ 61/2018 Điều 31, tiêu chí 6",
        _("Accuracy and completeness of the published information about the procedure"),
    ),
    Criterion(
        "officer_attitude",
        "NĐ 61/2018 Điều 31, tiêu chí 7",
        _("Attitude of the officers who guided, received and settled your dossier"),
    ),
    Criterion(
        "feedback_handling",
        "NĐ 61/2018 Điều 31, tiêu chí 8",
        _("How your feedback or recommendations were taken up and explained"),
        optional=True,
    ),
    Criterion(
        "online_service",
        "NĐ 61/2018 Điều 31, tiêu chí 9",
        _("Progress and quality of the online public service"),
        optional=True,
    ),
)

CRITERIA_BY_CODE = {criterion.code: criterion for criterion in CRITERIA}
LEVEL_LABELS = {level.points: level.label for level in LEVELS}

"""Satisfaction rating of a finished dossier (BN 8.4; criteria of NĐ 61/2018 Điều 31) and the
public summary per agency."""

import pytest
from django.urls import reverse

from motcua.dossiers import services as dossiers
from motcua.feedback import services
from motcua.feedback.criteria import CRITERIA
from motcua.feedback.models import Rating, RatingScore

from .conftest import at

ALL_GOOD = {criterion.code: 2 for criterion in CRITERIA}


def _post(criteria=None, satisfaction="2", comment=""):
    data = {code: str(points) for code, points in (criteria or ALL_GOOD).items()}
    data.update(satisfaction=satisfaction, comment=comment)
    return data


def test_applicant_rates_a_refused_dossier_once(world, refused):
    rating = services.rate(refused, world.citizen, satisfaction=1, scores=ALL_GOOD)
    assert rating.agency == refused.agency and rating.procedure == refused.procedure
    assert RatingScore.objects.filter(rating=rating).count() == len(CRITERIA)
    with pytest.raises(services.FeedbackError) as error:
        services.rate(refused, world.citizen, satisfaction=2, scores=ALL_GOOD)
    assert error.value.code == "already_rated"
    assert Rating.objects.count() == 1


def test_one_rating_per_dossier_is_a_database_constraint(world, refused):
    from django.db import IntegrityError, transaction

    services.rate(refused, world.citizen, satisfaction=1, scores=ALL_GOOD)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(
            dossier=refused,
            agency=refused.agency,
            procedure=refused.procedure,
            satisfaction=0,
            rated_at=refused.submitted_at,
        )


def test_returned_dossier_can_be_rated(world):
    from tests.dossiers.test_lifecycle import walk_to_result

    from .conftest import new_dossier

    dossier = new_dossier(world)
    dossier = dossiers.receive(dossier, world.desk_officer, at=at("2026-03-02T10:00:00+07:00"))
    dossier = walk_to_result(world, dossier)
    dossier = dossiers.return_result(
        dossier, world.desk_officer, at=at("2026-03-04T08:00:00+07:00")
    )
    assert services.can_rate(dossier)
    services.rate(dossier, world.citizen, satisfaction=2, scores=ALL_GOOD)
    assert not services.can_rate(dossier)


def test_unfinished_or_withdrawn_dossier_is_refused(world, processing):
    with pytest.raises(services.FeedbackError) as error:
        services.rate(processing, world.citizen, satisfaction=2, scores=ALL_GOOD)
    assert error.value.code == "not_finished"
    withdrawn = dossiers.withdraw(processing, world.citizen, reason="Không cần nữa")
    with pytest.raises(services.FeedbackError):
        services.rate(withdrawn, world.citizen, satisfaction=2, scores=ALL_GOOD)
    assert not Rating.objects.exists()


def test_only_the_applicant_rates(world, refused):
    with pytest.raises(services.Forbidden):
        services.rate(refused, world.other_citizen, satisfaction=2, scores=ALL_GOOD)
    assert not Rating.objects.exists()


def test_invalid_answers_change_nothing(world, refused):
    missing = dict(ALL_GOOD)
    del missing["officer_attitude"]
    for kwargs in (
        {"satisfaction": 5, "scores": ALL_GOOD},
        {"satisfaction": 2, "scores": missing},
        {"satisfaction": 2, "scores": {**ALL_GOOD, "officer_attitude": 7}},
        {"satisfaction": 2, "scores": {**ALL_GOOD, "unknown": 1}},
        {"satisfaction": 2, "scores": ALL_GOOD, "comment": "x" * 5000},
    ):
        with pytest.raises(services.FeedbackError):
            services.rate(refused, world.citizen, **kwargs)
    assert not Rating.objects.exists() and not RatingScore.objects.exists()


def test_optional_criteria_may_be_left_out(world, refused):
    scores = {**ALL_GOOD, "feedback_handling": None, "online_service": None}
    rating = services.rate(refused, world.citizen, satisfaction=0, scores=scores)
    assert set(rating.scores.values_list("criterion", flat=True)) == {
        c.code for c in CRITERIA if not c.optional
    }


def test_rating_page_for_the_applicant(client, world, refused):
    client.force_login(world.citizen)
    url = reverse("feedback:rate", args=[refused.public_id])
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Đánh giá việc giải quyết hồ sơ" in text
    assert "Rất hài lòng" in text and "Không hài lòng" in text
    assert "aria-describedby" in client.post(url, {"satisfaction": "2"}).content.decode()
    assert not Rating.objects.exists()

    response = client.post(url, _post(comment="Cán bộ nhiệt tình"), follow=True)
    assert response.status_code == 200
    assert "Cảm ơn" in response.content.decode()
    rating = Rating.objects.get()
    assert rating.comment == "Cán bộ nhiệt tình" and rating.satisfaction == 2

    again = client.post(url, _post(satisfaction="0"))
    assert again.status_code == 409
    rating.refresh_from_db()
    assert rating.satisfaction == 2


def test_rating_page_hides_other_applicants_dossiers(client, world, refused):
    client.force_login(world.other_citizen)
    url = reverse("feedback:rate", args=[refused.public_id])
    assert client.get(url).status_code == 404
    assert client.post(url, _post()).status_code == 404
    assert not Rating.objects.exists()


def test_rating_page_refuses_unfinished_dossier(client, world, processing):
    client.force_login(world.citizen)
    url = reverse("feedback:rate", args=[processing.public_id])
    page = client.get(url)
    assert "khi hồ sơ đã được giải quyết" in page.content.decode()
    assert client.post(url, _post()).status_code == 409
    assert not Rating.objects.exists()


def test_staff_cannot_rate(signed_in, world, refused):
    client = signed_in(world.desk_officer)
    assert client.get(reverse("feedback:rate", args=[refused.public_id])).status_code == 403


def test_public_summary_has_totals_and_no_personal_data(client, world, refused):
    world.citizen.full_name = "Nguyễn Văn An"
    world.citizen.save()
    services.rate(
        refused,
        world.citizen,
        satisfaction=2,
        scores={**ALL_GOOD, "officer_attitude": 1},
        comment="Số điện thoại của tôi 0912345678",
    )
    other = dossiers.refuse(
        dossiers.submit(
            dossiers.create_draft(
                world.permit, applicant=world.other_citizen, form_data=dict(world.form)
            ),
            world.other_citizen,
            at=at("2026-03-02T09:00:00+07:00"),
        ),
        world.desk_officer,
        reason="Sai mẫu",
    )
    services.rate(other, world.other_citizen, satisfaction=0, scores=ALL_GOOD)

    (row,) = services.ratings_by_agency()
    assert (row.agency, row.count, row.satisfied, row.average) == (world.department, 2, 1, 1.0)
    summary, criteria, distribution = services.agency_ratings(world.department)
    assert (summary.count, summary.satisfied_percent) == (2, 50.0)
    attitude = next(c for c in criteria if c.code == "officer_attitude")
    assert attitude.count == 2 and attitude.average == 1.5
    assert [n for _label, n in distribution] == [1, 0, 1]

    for url in (
        reverse("feedback:ratings"),
        reverse("feedback:agency_ratings", args=[world.department.pk]),
    ):
        text = client.get(url).content.decode()
        assert "Sở Tư pháp" in text
        assert "Nguyễn Văn An" not in text and "0912345678" not in text
        assert refused.code not in text
    text = client.get(reverse("feedback:agency_ratings", args=[world.department.pk])).content
    assert "50,0%" in text.decode() or "50.0%" in text.decode()


def test_signed_out_visitor_is_sent_to_sign_in(client, refused):
    response = client.get(reverse("feedback:rate", args=[refused.public_id]))
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]


def test_declined_dossier_can_be_rated(world, processing):
    declined = dossiers.decline(processing, world.leader, reason="Không đủ điều kiện cấp phép")
    assert declined.status == "declined"
    services.rate(declined, world.citizen, satisfaction=0, scores=ALL_GOOD)
    assert Rating.objects.get().dossier == declined

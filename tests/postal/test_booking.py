"""Returning a result by the public postal service (SPEC §3 item 15; BN 8.3, BN 28.3): the
dossier's return writes the shipment and its booking message in one transaction; the outbox
books it with the adapter, once per idempotency key, retrying outages."""

import re

import pytest
from django.db import transaction
from django.utils import timezone

from motcua.dossiers import services
from motcua.dossiers.errors import ActionForbidden, RuleViolation, TransitionNotAllowed
from motcua.dossiers.models import Status
from motcua.outbox.delivery import deliver_pending, retry
from motcua.outbox.models import OutboxMessage
from motcua.postal.adapters import Party, PostalServiceError
from motcua.postal.models import Shipment
from motcua.postal.services import BOOK_TOPIC, book_shipment

from .conftest import ADDRESS

S10 = re.compile(r"^EB\d{9}VN$")


def postal_messages():
    return OutboxMessage.objects.filter(topic=BOOK_TOPIC)


def by_post(dossier, officer, **kwargs):
    return services.return_result(dossier, officer, method="post", **kwargs)


def sweep_until_settled(limit=20):
    """Run the outbox sweep, making each retry due at once, until no booking is pending."""
    for _ in range(limit):
        OutboxMessage.objects.filter(status="pending").update(available_at=timezone.now())
        deliver_pending()
        if not OutboxMessage.objects.filter(topic=BOOK_TOPIC, status="pending").exists():
            return
    raise AssertionError("the outbox never settled")


def test_the_return_books_the_item_through_the_outbox(
    ready, world, fake_postal_service, django_capture_on_commit_callbacks
):
    dossier = ready()
    with django_capture_on_commit_callbacks(execute=True):
        dossier = by_post(dossier, world.desk_officer)
    assert dossier.status == Status.RETURNED
    shipment = Shipment.objects.get(dossier=dossier)
    assert S10.match(shipment.tracking_number)
    assert (shipment.status, shipment.fee, shipment.created_by) == (
        "booked",
        fake_postal_service.FEE,
        world.desk_officer,
    )
    # The applicant, as declared on the e-form.
    assert (shipment.recipient_name, shipment.recipient_address, shipment.recipient_phone) == (
        "Nguyễn Văn An",
        ADDRESS,
        "0912345678",
    )
    message = postal_messages().get()
    assert message.status == "sent" and message.key == shipment.booking_key
    assert message.payload == {"shipment": str(shipment.public_id), "dossier": dossier.code}
    assert dossier.events.last().data == {"method": "post", "shipment": str(shipment.public_id)}
    assert [e.status for e in shipment.events.all()] == ["booked"]
    assert fake_postal_service.bookings[message.key].tracking_number == shipment.tracking_number


def test_no_call_to_the_postal_service_inside_the_dossier_transaction(
    ready, world, fake_postal_service
):
    """Without a commit (the test's transaction stays open) the booking waits in the outbox;
    the sweep of a worker books it."""
    dossier = by_post(ready(), world.desk_officer)
    shipment = Shipment.objects.get(dossier=dossier)
    assert shipment.status == "pending" and shipment.tracking_number == ""
    assert fake_postal_service.bookings == {}
    assert postal_messages().get().status == "pending"
    sweep_until_settled()
    shipment.refresh_from_db()
    assert shipment.status == "booked" and S10.match(shipment.tracking_number)


def test_the_recipient_entered_at_the_desk_replaces_the_applicants(ready, world):
    dossier = by_post(
        ready(),
        world.desk_officer,
        recipient=Party("Trần Thị Bình", "Thôn Đông, xã Tiên Du, tỉnh Bắc Ninh", "+84 987 654 321"),
    )
    shipment = dossier.shipments.get()
    assert (shipment.recipient_name, shipment.recipient_address, shipment.recipient_phone) == (
        "Trần Thị Bình",
        "Thôn Đông, xã Tiên Du, tỉnh Bắc Ninh",
        "0987654321",
    )
    # Only the address given: the applicant's name and phone stay.
    other = ready()
    other = by_post(other, world.desk_officer, recipient=Party("", "Số 1 Lý Thái Tổ", ""))
    shipment = other.shipments.get()
    assert (shipment.recipient_name, shipment.recipient_address, shipment.recipient_phone) == (
        "Nguyễn Văn An",
        "Số 1 Lý Thái Tổ",
        "0912345678",
    )


def test_a_repeated_message_does_not_book_twice(ready, world, fake_postal_service):
    dossier = by_post(ready(), world.desk_officer)
    shipment = dossier.shipments.get()
    message = postal_messages().get()
    # An earlier attempt reached the postal service, then the worker died before storing
    # the answer: the retry sends the same key and gets the same booking.
    first = fake_postal_service().book(None, key=message.key)
    sweep_until_settled()
    shipment.refresh_from_db()
    assert shipment.tracking_number == first.tracking_number
    # Delivered again (e.g. an operator's replay): the shipment is no longer pending.
    with transaction.atomic():
        book_shipment(message)
    assert len(fake_postal_service.bookings) == 1
    assert shipment.events.count() == 1
    shipment.refresh_from_db()
    assert shipment.tracking_number == first.tracking_number


def test_a_rolled_back_return_sends_nothing(
    ready, world, fake_postal_service, django_capture_on_commit_callbacks
):
    dossier = ready()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:  # noqa: SIM117
        with pytest.raises(RuntimeError), transaction.atomic():
            by_post(dossier, world.desk_officer)
            assert Shipment.objects.count() == 1
            raise RuntimeError("the request failed after the return")
    assert callbacks == []
    assert not Shipment.objects.exists() and not postal_messages().exists()
    assert fake_postal_service.bookings == {}
    dossier.refresh_from_db()
    assert dossier.status == Status.RESULT_READY


def test_an_outage_is_retried_then_dead_lettered_then_replayed(ready, world, settings):
    settings.MOTCUA_POSTAL_SERVICE = "unavailable"
    settings.MOTCUA_OUTBOX_MAX_ATTEMPTS = 3
    dossier = by_post(ready(), world.desk_officer)
    message = postal_messages().get()

    deliver_pending()  # first failure: tried again later
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("pending", 1)
    assert message.available_at > timezone.now() and "unreachable" in message.last_error
    deliver_pending()  # not due yet
    message.refresh_from_db()
    assert message.attempts == 1

    sweep_until_settled()
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("dead", 3)
    shipment = dossier.shipments.get()
    assert (shipment.status, shipment.tracking_number) == ("pending", "")

    settings.MOTCUA_POSTAL_SERVICE = "fake"  # the postal service is back; an operator replays
    retry(message)
    sweep_until_settled()
    shipment.refresh_from_db()
    assert shipment.status == "booked" and S10.match(shipment.tracking_number)


def test_a_refused_order_is_a_dead_letter_at_once(ready, world, fake_postal_service, monkeypatch):
    def refuse(self, order, *, key):
        raise PostalServiceError("rejected", "địa chỉ không phát được", permanent=True)

    monkeypatch.setattr(fake_postal_service, "book", refuse)
    dossier = by_post(ready(), world.desk_officer)
    deliver_pending()
    message = postal_messages().get()
    assert (message.status, message.attempts) == ("dead", 1)
    assert "địa chỉ không phát được" in message.last_error
    shipment = dossier.shipments.get()
    assert shipment.status == "rejected" and "địa chỉ không phát được" in shipment.problem
    assert [e.status for e in shipment.events.all()] == ["rejected"]


def test_a_number_typed_by_the_officer_still_works(ready, world):
    """Posted by hand: the number is recorded, nothing is booked."""
    dossier = by_post(ready(), world.desk_officer, tracking_number=" EB123456785VN ")
    assert dossier.status == Status.RETURNED
    assert dossier.events.last().data == {"method": "post", "tracking_number": "EB123456785VN"}
    assert not Shipment.objects.exists() and not postal_messages().exists()


@pytest.mark.parametrize(
    ("form", "recipient", "fields"),
    [
        ({"address": None}, None, {"recipient_address"}),
        ({"phone": None}, None, {"recipient_phone"}),
        ({}, Party("", "", "12345"), {"recipient_phone"}),
        (
            {"address": None, "phone": None},
            Party("", " ", ""),
            {"recipient_address", "recipient_phone"},
        ),
    ],
)
def test_an_incomplete_recipient_changes_nothing(ready, world, form, recipient, fields):
    dossier = ready(**form)
    events = dossier.events.count()
    with pytest.raises(RuleViolation) as error:
        by_post(dossier, world.desk_officer, recipient=recipient)
    assert error.value.code == "recipient_incomplete"
    assert set(error.value.fields) == fields
    dossier.refresh_from_db()
    assert dossier.status == Status.RESULT_READY and dossier.events.count() == events
    assert not Shipment.objects.exists() and not postal_messages().exists()


def test_refused_returns_order_nothing(ready, world):
    w = world
    dossier = ready()
    with pytest.raises(ActionForbidden):
        by_post(dossier, w.specialist)  # not the desk
    with pytest.raises(ActionForbidden):
        by_post(dossier, w.commune_officer)  # another desk's dossier
    returned = by_post(dossier, w.desk_officer, tracking_number="EB123456785VN")
    with pytest.raises(TransitionNotAllowed):
        by_post(returned, w.desk_officer)  # returned already
    assert not Shipment.objects.exists() and not postal_messages().exists()


def test_a_partial_level_dossier_needs_its_originals_first(world):
    """VP 16.1: the originals are checked before the result leaves, by post too."""
    from ..dossiers.conftest import received

    w = world
    dossier = received(w, w.birth)
    for officer in (w.commune_specialist, w.police_officer):
        dossier = services.forward(dossier, officer)
    dossier = services.complete(dossier, w.commune_chair)
    recipient = Party("", "Thôn Yên Lạc", "0912345678")
    with pytest.raises(RuleViolation) as error:
        by_post(dossier, w.commune_officer, recipient=recipient)
    assert error.value.code == "originals_unchecked"
    assert not Shipment.objects.exists()
    by_post(dossier, w.commune_officer, recipient=recipient, originals_checked=True)
    assert Shipment.objects.get().recipient_name == "Nguyễn Văn An"

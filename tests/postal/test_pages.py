"""Return by post from the back-office dossier page and the API, and the shipment's news on
the page, in Vietnamese (SPEC §3 items 15, 20)."""

import json

from motcua.postal.models import Shipment

from .test_booking import S10


def page_of(client, dossier):
    return client.get(f"/noi-bo/ho-so/{dossier.public_id}/").content.decode()


def test_the_desk_books_the_post_from_the_dossier_page(
    signed_in, ready, world, django_capture_on_commit_callbacks
):
    dossier = ready()
    client = signed_in(world.desk_officer)
    form = page_of(client, dossier)
    assert "Số hiệu bưu gửi" in form and "Địa chỉ nhận" in form
    assert 'aria-describedby="id_tracking_number_helptext"' in form
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/noi-bo/ho-so/{dossier.public_id}/return_result/",
            {
                "method": "post",
                "recipient_name": "Trần Thị Bình",
                "recipient_address": "Thôn Đông, xã Tiên Du",
                "recipient_phone": "0987654321",
            },
        )
    text = page_of(client, dossier)
    shipment = Shipment.objects.get(dossier=dossier)
    assert S10.match(shipment.tracking_number) and shipment.recipient_name == "Trần Thị Bình"
    assert "Gửi qua dịch vụ bưu chính công ích" in text
    assert shipment.tracking_number in text
    assert "Đã nhận gửi" in text and "Thôn Đông, xã Tiên Du" in text and "26.000 đ" in text


def test_the_page_tells_what_is_missing(signed_in, ready, world):
    dossier = ready(address=None)
    client = signed_in(world.desk_officer)
    response = client.post(
        f"/noi-bo/ho-so/{dossier.public_id}/return_result/", {"method": "post"}, follow=True
    )
    assert "Cho biết tên, địa chỉ và điện thoại của người nhận" in response.content.decode()
    assert not Shipment.objects.exists()


def test_a_waiting_and_a_refused_shipment_show_as_such(signed_in, ready, world):
    from django.db import transaction

    from motcua.dossiers import services

    dossier = services.return_result(ready(), world.desk_officer, method="post")
    client = signed_in(world.desk_officer)
    assert "Chờ đặt dịch vụ bưu chính" in page_of(client, dossier)
    shipment = dossier.shipments.get()
    with transaction.atomic():
        shipment.problem = "Địa chỉ không phát được"
        shipment.status = "rejected"
        shipment.save()
    text = page_of(client, dossier)
    assert "Bưu điện từ chối" in text and "Địa chỉ không phát được" in text


def test_a_number_posted_by_hand_shows_on_the_page(signed_in, ready, world):
    dossier = ready()
    client = signed_in(world.desk_officer)
    client.post(
        f"/noi-bo/ho-so/{dossier.public_id}/return_result/",
        {"method": "post", "tracking_number": "EB123456785VN"},
    )
    text = page_of(client, dossier)
    assert "Đã gửi trực tiếp tại bưu cục" in text and "EB123456785VN" in text
    assert not Shipment.objects.exists()


def test_the_api_returns_by_post(client, ready, world):
    dossier = ready()
    client.force_login(world.desk_officer)
    url = f"/api/v1/dossiers/{dossier.public_id}/actions/return_result/"
    refused = client.post(
        url,
        json.dumps({"method": "post", "recipient_phone": "12"}),
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "recipient_incomplete"
    response = client.post(
        url,
        json.dumps({"method": "post", "recipient_address": "Số 1 Lý Thái Tổ"}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert Shipment.objects.get(dossier=dossier).recipient_address == "Số 1 Lý Thái Tổ"
    other = ready()
    response = client.post(
        f"/api/v1/dossiers/{other.public_id}/actions/return_result/",
        json.dumps({"method": "post", "tracking_number": "EB123456785VN"}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert other.events.last().data["tracking_number"] == "EB123456785VN"

"""The public lookup page, target of the receipt's QR: status and dates, no personal data."""

from .conftest import received


def test_lookup_by_code_and_by_the_qr_address(client, world):
    dossier = received(world)
    response = client.get("/tra-cuu/", {"ma": dossier.code})
    assert response.status_code == 302 and response.url == f"/tra-cuu/{dossier.code}/"
    page = client.get(response.url).content.decode()
    assert dossier.code in page and "Sở Tư pháp" in page
    for private in ("Nguyễn Văn An", "027090001234", "congdan1"):
        assert private not in page


def test_unknown_code(client, world):
    response = client.get("/tra-cuu/000.00.15.H06-260302-9999/")
    assert response.status_code == 404
    assert 'role="alert"' in response.content.decode()

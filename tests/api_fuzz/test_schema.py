"""Property-based tests of the REST API from its own OpenAPI schema (SPEC §3 item 20).

Schemathesis reads ``/api/schema/`` from the app in process (WSGI, no network) and sends
generated requests — valid and invalid — to every operation, as an anonymous caller, a
signed-in citizen, a staff member signed in with both factors and an integrating system's
API key. No request may end in a server error, and documented responses must match their
schema. Generated path parameters and body references are mixed with the seeded records'
real ones so that requests reach past the 404s into the views and services.
"""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.utils.crypto import get_random_string
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from motcua.accounts.models import Role, User
from motcua.api.dossiers import API_ACTIONS, LookupThrottle
from motcua.apikeys import services as apikeys
from motcua.apikeys.models import Scope
from motcua.catalogue.models import Agency, Field, Procedure
from motcua.dossiers import services
from motcua.wsgi import application
from tests.dossiers.conftest import new_dossier, received, world  # noqa: F401 — the fixture

#: Real values of the seeded records, read when a request is drawn (filled by ``seeded``).
KNOWN: dict[str, list] = {}

#: Which seeded values an operation's path parameter may take.
PATH_VALUES = {
    ("/api/v1/agencies/{code}/", "code"): "agencies",
    ("/api/v1/fields/{code}/", "code"): "fields",
    ("/api/v1/procedures/{national_code}/", "national_code"): "procedures",
    ("/api/v1/lookup/{code}/", "code"): "dossier_codes",
    ("public_id", "public_id"): "dossiers",
    ("action_name", "action_name"): "actions",
}

#: Which seeded values a body field may take.
BODY_VALUES = {
    "procedure": "procedures",
    "agency": "agencies",
    "on_behalf_of": "applicants",
    "apology_signer": "staff",
    "form_data": "forms",
}


def known(name: str):
    """One of the seeded values named ``name``, chosen at draw time."""
    return st.integers(min_value=0, max_value=1_000).map(
        lambda i: KNOWN[name][i % len(KNOWN[name])]
    )


def _seeded_path(path: str, name: str) -> str | None:
    return PATH_VALUES.get((path, name)) or PATH_VALUES.get((name, name))


@schemathesis.hook
def flatmap_path_parameters(context, path_parameters):
    """The generated parameters, or the same with seeded records' keys."""
    path = context.operation.path
    seeded = {
        name: known(values)
        for name in path_parameters or {}
        if (values := _seeded_path(path, name))
    }
    if not seeded:
        return st.just(path_parameters)
    return st.one_of(
        st.just(path_parameters),
        st.fixed_dictionaries(seeded).map(lambda values: {**path_parameters, **values}),
    )


@schemathesis.hook
def flatmap_body(context, body):
    """The generated body, or the same with references to seeded records."""
    if not isinstance(body, dict) or not body.keys() & BODY_VALUES.keys():
        return st.just(body)
    seeded = {name: known(BODY_VALUES[name]) for name in body.keys() & BODY_VALUES.keys()}
    return st.one_of(
        st.just(body), st.fixed_dictionaries(seeded).map(lambda values: {**body, **values})
    )


@pytest.fixture
def seeded(world):  # noqa: F811 — the imported fixture
    """The small province with dossiers in several states."""
    draft = services.create_draft(world.permit, applicant=world.citizen, form_data=world.form)
    dossiers = [
        draft,
        new_dossier(world),
        received(world),
        received(world, world.birth, applicant=world.other_citizen),
    ]
    KNOWN.update(
        agencies=list(Agency.objects.values_list("code", flat=True)),
        fields=list(Field.objects.values_list("code", flat=True)),
        procedures=list(Procedure.objects.values_list("national_code", flat=True)),
        dossiers=[str(d.public_id) for d in dossiers],
        dossier_codes=[d.code for d in dossiers if d.code],
        actions=API_ACTIONS,
        applicants=[world.citizen.username, world.other_citizen.username],
        staff=[world.leader.username, world.desk_officer.username],
        forms=[world.form, {}],
    )
    yield world
    KNOWN.clear()


def _session(user, *, verified: bool) -> dict:
    """Call arguments of a signed-in browser session: its cookie and a CSRF token."""
    client = Client()
    client.force_login(user)
    if verified:
        device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    token = get_random_string(32)
    return {
        "cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": token},
        "headers": {"X-CSRFToken": token},
    }


def _api_key(w) -> dict:
    operator = User.objects.create(
        username="vanhanh", kind=User.Kind.STAFF, role=Role.SYSTEM_OPERATOR, agency=w.province
    )
    _key, secret = apikeys.issue(
        by=operator, name="LGSP", scopes=Scope.values, agency=w.department, rate_per_minute=10**6
    )
    return {"headers": {"Authorization": f"Api-Key {secret}"}}


@pytest.fixture(autouse=True)
def connection_kept_open():
    """Requests go to the WSGI application itself, which closes the database connection after
    each one — and with it the test's transaction. Keep it, as Django's test client does."""
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    yield
    for signal in signals:
        signal.connect(close_old_connections)


def credentials(who: str, w) -> dict:
    """Call arguments that carry the credentials of ``who``."""
    return {
        "anonymous": lambda: {},
        "citizen": lambda: _session(w.citizen, verified=False),
        "staff": lambda: _session(w.desk_officer, verified=True),
        "api_key": lambda: _api_key(w),
    }[who]()


@pytest.fixture(params=["anonymous", "citizen", "staff", "api_key"])
def identity(request, seeded, monkeypatch):
    """Who calls."""
    cache.clear()
    monkeypatch.setattr(LookupThrottle, "THROTTLE_RATES", {"lookup": "1000000/minute"})
    yield credentials(request.param, seeded)
    cache.clear()


schema = schemathesis.openapi.from_wsgi(
    "/api/schema/",
    application,
    headers={"Accept": "application/vnd.oai.openapi+json"},
    # Generated cases only, ``max_examples`` per operation: the coverage phase's boundary
    # cases are not bounded by it and multiply the run time.
    config=schemathesis.Config.from_dict({"phases": {"coverage": {"enabled": False}}}),
)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_errors_and_documented_responses_conform(case, identity):
    case.call_and_validate(
        **identity,
        checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
    )


def _call(path, method="GET", *, identity=None, **parts):
    """One explicit request through the schema, checked like the generated ones."""
    case = schema[path][method].Case(**parts)
    return case.call_and_validate(
        **(identity or {}),
        checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
    )


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 403), ("citizen", 201), ("staff", 201), ("api_key", 403)]
)
def test_each_identity_is_who_it_claims(seeded, who, status):
    """The credentials reach the API: signed-in users (CSRF included) create dossiers, an
    anonymous caller and a read-only key cannot — else the fuzzing above tests only refusals."""
    body = {"procedure": seeded.permit.national_code, "form_data": seeded.form}
    if who == "staff":
        body["on_behalf_of"] = seeded.citizen.username
    response = _call(
        "/api/v1/dossiers/",
        "POST",
        identity=credentials(who, seeded),
        body=body,
        media_type="application/json",
    )
    assert response.status_code == status, response.text


def test_documented_responses_with_empty_values_conform(seeded):
    """Regressions found by the fuzzing: a root agency's ``parent``, a draft's
    ``current_step``, an open dossier's blank ``timeliness`` and the unpaginated history
    are what the schema says they are."""
    citizen = credentials("citizen", seeded)
    root = _call("/api/v1/agencies/{code}/", path_parameters={"code": seeded.province.code})
    assert root.json()["parent"] is None
    for known_id in KNOWN["dossiers"]:
        dossier = _call(
            "/api/v1/dossiers/{public_id}/",
            identity=citizen,
            path_parameters={"public_id": known_id},
        )
        if dossier.status_code == 404:  # the other citizen's
            continue
        assert dossier.json()["timeliness"] == ""
        history = _call(
            "/api/v1/dossiers/{public_id}/history/",
            identity=citizen,
            path_parameters={"public_id": known_id},
        )
        assert isinstance(history.json(), list)
    draft = _call(
        "/api/v1/dossiers/{public_id}/",
        identity=citizen,
        path_parameters={"public_id": KNOWN["dossiers"][0]},
    )
    assert draft.json()["current_step"] is None

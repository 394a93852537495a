"""Reports read from a read replica where ``DATABASE_REPLICA_URL`` names one (SPEC §5
scale-out); writes and reads in a transaction stay on the primary. Here the ``replica`` alias
is a second connection to the test database itself."""

import copy

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from motcua.dossiers.models import Dossier
from motcua.operations.replica import REPLICA, reporting_db
from motcua.settings.base import replica_database
from tests.dossiers.conftest import new_dossier


def test_without_a_replica_url_there_is_no_replica():
    assert replica_database({}) is None
    assert reporting_db() == DEFAULT_DB_ALIAS


def test_a_replica_url_adds_an_alias_that_tests_take_from_the_primary():
    replica = replica_database(
        {"DATABASE_REPLICA_URL": "postgres://reader:secret@db-replica:5432/motcua"}
    )
    assert replica["ENGINE"] == "django.db.backends.postgresql"
    assert (replica["HOST"], replica["NAME"], replica["USER"]) == ("db-replica", "motcua", "reader")
    assert replica["TEST"] == {"MIRROR": "default"}


@pytest.fixture
def replica():
    """A ``replica`` alias on the test database, as ``DATABASE_REPLICA_URL`` adds one; opened
    here, as the test case lets only the connections it knows of, or already open, through."""
    connections.settings[REPLICA] = copy.deepcopy(connections[DEFAULT_DB_ALIAS].settings_dict)
    connections[REPLICA].connect()
    yield connections[REPLICA]
    connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]


@pytest.mark.django_db(transaction=True)
def test_reports_read_from_the_replica_and_nothing_else_does(world, replica):
    dossier = new_dossier(world)
    assert reporting_db() == REPLICA
    with (
        CaptureQueriesContext(replica) as on_replica,
        CaptureQueriesContext(connection) as on_primary,
    ):
        codes = list(Dossier.objects.using(reporting_db()).values_list("code", flat=True))
    assert codes == [dossier.code]
    assert len(on_replica) == 1 and len(on_primary) == 0

    with CaptureQueriesContext(replica) as on_replica:
        Dossier.objects.filter(pk=dossier.pk).update(form_data={"changed": True})
        assert Dossier.objects.get(pk=dossier.pk).form_data == {"changed": True}
    assert len(on_replica) == 0, "writes and ordinary reads are not routed"


@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_reports_read_the_primary(replica):
    with transaction.atomic():
        assert reporting_db() == DEFAULT_DB_ALIAS, "they see the transaction's own changes"
    assert reporting_db() == REPLICA

"""Reports read from a replica of the database where one is configured (SPEC §5 scale-out:
statistics over millions of dossiers kept off the primary).

This is not a database router: every write, and every read inside a transaction (those
that decide a write, and those that must see the transaction's own changes), stays on the
primary. Only code that asks for it reads from the replica, with
``Model.objects.using(reporting_db())``. A replica lags behind the primary by its replication
delay, so such reads may miss the last seconds; objects read from it are for display and
export, never saved (Django would write them back to the replica)."""

from django.db import DEFAULT_DB_ALIAS, connections

#: The alias ``DATABASE_REPLICA_URL`` adds (``motcua.settings.base.replica_database``).
REPLICA = "replica"


def reporting_db() -> str:
    """The alias reports read from: ``replica`` where configured, unless the caller is inside
    a transaction on the primary; ``default`` otherwise."""
    if REPLICA not in connections or connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    return REPLICA

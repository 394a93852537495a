"""Dossier engine throughput against plain inserts of the same rows (SPEC §6).

Creates a throw-away database (SQLite, or the server named by ``DATABASE_URL``), then, side
by side in one run, measures dossiers submitted and received per second through the services
(permission checks, row locks, codes, deadlines, history, outbox, report tallies) and the
rate of writing the very rows those services write with one plain INSERT or UPDATE per row,
in the same two transactions. Drafts are prepared beforehand on both sides. Outbox messages
are written in the transaction on both sides but sending them is the workers' work, so
neither side sends them here (``MOTCUA_OUTBOX_IN_PROCESS`` off, no broker hand-off). The
bar: a ratio of at least 0.5.

    python bench/engine.py [--dossiers 300] [--rounds 3]
"""

import benchsetup  # noqa: I001 — must come first: see its docstring

import argparse
import os
import sys
import time
import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from unittest import mock

if not os.environ.get("DATABASE_URL"):
    # A file, not memory: the comparison must include real commits.
    tmp = Path(os.environ.get("TMPDIR", "/tmp"))
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'motcua-bench.sqlite3'}"
os.environ["MOTCUA_OUTBOX_IN_PROCESS"] = "false"
benchsetup.setup_django()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

from motcua.accounts.models import Role, User  # noqa: E402
from motcua.audit.models import AuditEntry  # noqa: E402
from motcua.catalogue.models import (  # noqa: E402  # noqa: E402
    Agency,
    Field,
    OneStopDesk,
    Procedure,
    ProcessStep,
    ProcessVersion,
)
from motcua.catalogue.services import publish_process_version  # noqa: E402
from motcua.dossiers import services  # noqa: E402
from motcua.dossiers.models import DossierEvent, DossierStep  # noqa: E402
from motcua.outbox.models import OutboxMessage  # noqa: E402
from motcua.reports.models import COUNTERS, Tally  # noqa: E402

FORM = {"full_name": "Nguyễn Văn An"}


def world():
    agency = Agency.objects.create(code="000.00.15.H06", name="Sở Tư pháp", level="department")
    centre = Agency.objects.create(code="000.00.90.H06", name="Trung tâm", level="center")
    desk = OneStopDesk.objects.create(name="Trung tâm PVHCC", agency=centre)
    desk.served_agencies.add(agency)
    procedure = Procedure.objects.create(
        national_code="1.000001",
        name="Cấp phiếu",
        field=Field.objects.create(code="F", name="F"),
        level="province",
        online_level="full",
        processing_days=Decimal(5),
        applicant_kinds=["citizen"],
        result_type="Phiếu",
        legal_basis="Luật",
        form_schema={
            "fields": [{"name": "full_name", "label": "Họ tên", "type": "text", "required": True}]
        },
    )
    procedure.agencies.add(agency)
    version = ProcessVersion.objects.create(procedure=procedure, number=1)
    for order, (role, hours) in enumerate(
        [
            (Role.RECEPTION_OFFICER, 1),
            (Role.SPECIALIST, 16),
            (Role.UNIT_LEADER, 8),
            (Role.AGENCY_LEADER, 8),
            (Role.CLERK, 4),
        ],
        start=1,
    ):
        ProcessStep.objects.create(
            version=version,
            order=order,
            name=f"Bước {order}",
            role=role,
            allotted_hours=Decimal(hours),
        )
    publish_process_version(version)
    citizen = User.objects.create(username="citizen", kind=User.Kind.CITIZEN)
    officer = User.objects.create(
        username="officer", kind=User.Kind.STAFF, role=Role.RECEPTION_OFFICER, agency=centre
    )
    return procedure, agency, citizen, officer


def drafts(procedure, citizen, count):
    """Drafts prepared beforehand: applicants fill them in long before they submit."""
    return [
        services.create_draft(procedure, applicant=citizen, form_data=dict(FORM))
        for _ in range(count)
    ]


def through_services(drafts, citizen, officer, start):
    for i, draft in enumerate(drafts):
        moment = start + timedelta(minutes=i)
        dossier = services.submit(draft, citizen, at=moment)
        services.receive(dossier, officer, at=moment + timedelta(seconds=30))


def plain_writes(drafts, citizen, officer, start, steps):
    """The same rows written by plain INSERTs and UPDATEs, one per row, in the same two
    transactions (submission, reception), without any rule: the dossier row updated, its
    steps, events, audit entries and outbox messages inserted, the report tally counted."""
    for i, dossier in enumerate(drafts):
        moment = start + timedelta(minutes=i)
        with transaction.atomic():
            dossier.status, dossier.code = "submitted", f"P-{start:%y%m%d}-{i:05d}"
            dossier.submitted_at = dossier.reception_due_at = moment
            dossier.save()
            _event(dossier, "submit", citizen, moment)
        with transaction.atomic():
            rows = [
                DossierStep.objects.create(
                    dossier=dossier,
                    process_step=s,
                    order=s.order,
                    role=s.role,
                    agency=dossier.agency,
                    state="pending",
                )
                for s in steps
            ]
            dossier.current_step = rows[1]
            dossier.status = "processing"
            dossier.received_at = dossier.due_at = dossier.original_due_at = moment
            dossier.save()
            _event(dossier, "receive", officer, moment)
            _count_received(dossier, moment)


def _count_received(dossier, moment):
    """The report tally's row for the reception, as one plain upsert."""
    table = Tally._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (agency_id, procedure_id, month, "
            + ", ".join(COUNTERS)
            + ") VALUES (%s, %s, %s"
            + ", 0" * len(COUNTERS)
            + f") ON CONFLICT (agency_id, procedure_id, month) DO UPDATE SET "
            f"received_online = {table}.received_online + 1",
            [dossier.agency_id, dossier.procedure_id, moment.date().replace(day=1)],
        )


def _event(dossier, action, actor, moment):
    event = DossierEvent.objects.create(
        dossier=dossier, action=action, to_status=dossier.status, actor=actor, at=moment
    )
    head = AuditEntry.objects.order_by("-seq").values_list("seq", "hash").first() or (0, "")
    AuditEntry.objects.create(
        seq=head[0] + 1,
        at=moment,
        actor_id=actor.pk,
        action=f"dossier.{action}",
        target_type="dossier",
        target_id=str(dossier.pk),
        details={"event": event.pk},
        prev_hash=head[1],
        hash=uuid.uuid4().hex,
    )
    for topic in ("national_portal.status", "notify.applicant"):
        OutboxMessage.objects.create(
            topic=topic, key=f"{topic}:{event.pk}", payload={"dossier": dossier.pk}
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    old = setup_databases(verbosity=0, interactive=False)
    workers = mock.patch("motcua.outbox.delivery._hand_to_workers")
    try:
        workers.start()
        procedure, _agency, citizen, officer = world()
        steps = list(procedure.current_process().steps.order_by("order"))
        base = datetime.fromisoformat("2026-03-02T08:00:00+07:00")
        best_services = best_plain = float("inf")
        for round_ in range(args.rounds):
            start = base + timedelta(days=7 * round_)
            ours = drafts(procedure, citizen, args.dossiers)
            theirs = drafts(procedure, citizen, args.dossiers)
            t0 = time.perf_counter()
            through_services(ours, citizen, officer, start)
            t1 = time.perf_counter()
            plain_writes(theirs, citizen, officer, start, steps)
            t2 = time.perf_counter()
            best_services, best_plain = min(best_services, t1 - t0), min(best_plain, t2 - t1)
        services_rate = args.dossiers / best_services
        plain_rate = args.dossiers / best_plain
        ratio = services_rate / plain_rate
        print(f"database: {connection.vendor}; {args.dossiers} dossiers × {args.rounds} rounds")
        print(f"submitted and received through the services: {services_rate:8.1f} dossiers/s")
        print(f"plain writes of the same rows:              {plain_rate:8.1f} dossiers/s")
        print(f"ratio {ratio:.2f} (bar: ≥ 0.5)")
    finally:
        workers.stop()
        teardown_databases(old, verbosity=0)
    return 0 if ratio >= 0.5 else 1


if __name__ == "__main__":
    sys.exit(main())

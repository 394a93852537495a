"""Public status lookup and procedure search throughput against a bare Django view doing
one indexed query (SPEC §6).

Creates a throw-away database (SQLite, or the server named by ``DATABASE_URL``) with a
province-sized catalogue and many dossiers, then, side by side in one run and through the
same middleware, measures requests per second of: a bare view reading one dossier's status
by its indexed code; the public lookup page ``/tra-cuu/<code>/``; the catalogue search
``/thu-tuc/?q=…`` (ranked full-text search, first page of 20). The bar: each ratio ≥ 0.5.

    python bench/lookup.py [--procedures 2000] [--dossiers 20000] [--requests 500] [--rounds 3]
"""

import benchsetup  # noqa: I001 — must come first: see its docstring

import argparse
import itertools
import os
import sys
import time
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

if not os.environ.get("DATABASE_URL"):
    tmp = Path(os.environ.get("TMPDIR", "/tmp"))
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'motcua-bench-lookup.sqlite3'}"
benchsetup.setup_django()

from django.db import connection, transaction  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings, setup_databases, teardown_databases  # noqa: E402
from django.urls import path  # noqa: E402

from motcua import urls as site_urls  # noqa: E402
from motcua.accounts.models import User  # noqa: E402
from motcua.catalogue.models import Agency, Field, Procedure  # noqa: E402
from motcua.dossiers.models import Dossier  # noqa: E402

ACTIONS = ["Cấp", "Cấp lại", "Gia hạn", "Điều chỉnh", "Đăng ký", "Thu hồi", "Xác nhận"]
OBJECTS = [
    "giấy phép xây dựng",
    "giấy phép lái xe",
    "giấy chứng nhận quyền sử dụng đất",
    "khai sinh",
    "kết hôn",
    "giấy phép kinh doanh vận tải",
    "chứng chỉ hành nghề dược",
    "giấy phép môi trường",
    "hộ kinh doanh",
    "thay đổi hộ tịch",
]
QUERIES = ["cap giay phep xay dung", "dang ky khai sinh", "gia han giay phep", "chung chi duoc"]


def bare(request, code):
    """The yardstick: one indexed read, no template."""
    found = Dossier.objects.filter(code=code).order_by().values_list("status", flat=True)[:1]
    return HttpResponse(found[0] if found else "", status=200 if found else 404)


urlpatterns = [path("bare/<str:code>/", bare), *site_urls.urlpatterns]


def world(procedures: int, dossiers: int) -> list[str]:
    agencies = [
        Agency.objects.create(code=f"000.00.{n:02d}.H06", name=f"Sở số {n}", level="department")
        for n in range(20)
    ]
    fields = [Field.objects.create(code=f"F{n}", name=f"Lĩnh vực {n}") for n in range(30)]
    names = itertools.cycle(f"{a} {o}" for a in ACTIONS for o in OBJECTS)
    catalogue = []
    for n in range(procedures):
        procedure = Procedure(
            national_code=f"1.{n:06d}",
            name=f"{next(names)} ({n})",
            field=fields[n % len(fields)],
            level="province" if n % 3 else "commune",
            online_level=("full", "partial", "offline")[n % 3],
            processing_days=Decimal(5),
            applicant_kinds=["citizen"],
            result_type="Giấy phép",
            legal_basis="Luật",
        )
        procedure.save()  # computes the folded search text; the index follows by trigger
        catalogue.append(procedure)
    Procedure.agencies.through.objects.bulk_create(
        Procedure.agencies.through(procedure=p, agency=agencies[i % len(agencies)])
        for i, p in enumerate(catalogue)
    )
    citizen = User.objects.create(username="citizen", kind=User.Kind.CITIZEN)
    start = datetime.fromisoformat("2026-03-02T08:00:00+07:00")
    rows = []
    for n in range(dossiers):
        agency = agencies[n % len(agencies)]
        moment = start + timedelta(minutes=n)
        rows.append(
            Dossier(
                code=f"{agency.code}-{moment:%y%m%d}-{n:05d}",
                procedure=catalogue[n % len(catalogue)],
                agency=agency,
                original_agency=agency,
                applicant=citizen,
                submitter=citizen,
                channel="online",
                status="processing",
                submitted_at=moment,
                received_at=moment,
                due_at=moment + timedelta(days=7),
            )
        )
    Dossier.objects.bulk_create(rows, batch_size=1000)
    return [row.code for row in rows]


def rate(client: Client, paths, requests: int) -> float:
    """Requests per second over ``requests`` GETs cycling through ``paths``."""
    cycle = itertools.cycle(paths)
    started = time.perf_counter()
    for _ in range(requests):
        response = client.get(next(cycle))
        assert response.status_code == 200, response.status_code
    return requests / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--procedures", type=int, default=2000)
    parser.add_argument("--dossiers", type=int, default=20000)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    old = setup_databases(verbosity=0, interactive=False)
    try:
        with transaction.atomic():
            codes = world(args.procedures, args.dossiers)[:: max(1, args.dossiers // 1000)]
        sides = {
            "bare view, one indexed query": [f"/bare/{code}/" for code in codes],
            "status lookup page": [f"/tra-cuu/{code}/" for code in codes],
            "procedure search page": [f"/thu-tuc/?q={q.replace(' ', '+')}" for q in QUERIES],
        }
        best = dict.fromkeys(sides, 0.0)
        with override_settings(
            ROOT_URLCONF=__name__,
            ALLOWED_HOSTS=["testserver"],
            MOTCUA_PORTAL_LOOKUP_RATE="1000000/second",
        ):
            client = Client()
            for paths in sides.values():  # warm up: templates, translations, connections
                rate(client, paths, 20)
            for _round in range(args.rounds):
                for name, paths in sides.items():
                    best[name] = max(best[name], rate(client, paths, args.requests))
        yardstick = best.pop("bare view, one indexed query")
        print(
            f"database: {connection.vendor}; {args.procedures} procedures, "
            f"{args.dossiers} dossiers; {args.requests} requests × {args.rounds} rounds"
        )
        print(f"{'bare view, one indexed query':<30} {yardstick:8.1f} requests/s")
        worst = 1.0
        for name, value in best.items():
            ratio = value / yardstick
            worst = min(worst, ratio)
            print(f"{name:<30} {value:8.1f} requests/s   ratio {ratio:.2f}")
        print(f"worst ratio {worst:.2f} (bar: ≥ 0.5)")
    finally:
        teardown_databases(old, verbosity=0)
    return 0 if worst >= 0.5 else 1


if __name__ == "__main__":
    sys.exit(main())

"""Reports and the 766 index over a growing history, against a plain COUNT(*) of the rows
they cover (SPEC §6: interactive over a million dossiers, independent of history size).

Creates a throw-away database (the PostgreSQL server named by ``DATABASE_URL``, by default
the local one), then for each size generates realistic dossiers with ``gen_data`` — the
first size over the most recent months, each later one adding older history, so the month
reported holds the same dossiers at every size — and times, side by side in one run (the
median of several runs): the month's statistics of one district with its communes; the
province's, one row per agency; the 766 index of the province, where
``motcua.reports.index766`` exists. Each is set against ``SELECT COUNT(*)`` of the dossiers
received in the month in the same agencies. The bar: the district's month under a second at
the largest size, and no time growing more than twice from the smallest size to the largest;
a call still running after ``--cap`` seconds is stopped and fails it.

    python bench/reports.py [--sizes 100000,1000000] [--per-month 25000] [--runs 7] [--cap 30]
"""

import benchsetup  # noqa: I001 — must come first: see its docstring

import argparse
import importlib
import importlib.util
import math
import os
import statistics as stats
import sys
import time

os.environ.setdefault(
    "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/motcua_bench_reports"
)  # the test database made from it, test_motcua_bench_reports, is dropped at the end
benchsetup.setup_django()

from django.db import OperationalError, connection, transaction  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402
from django.utils import timezone  # noqa: E402

from motcua.catalogue.models import Agency  # noqa: E402
from motcua.population.services import subtree_ids  # noqa: E402
from motcua.reports import statistics  # noqa: E402
from motcua.reports.periods import Period, add_months  # noqa: E402
from motcua.reports.tally import reporting_month  # noqa: E402

# The generator sits beside this script, whose folder is off the import path.
_spec = importlib.util.spec_from_file_location("gen_data", benchsetup.BENCH / "gen_data.py")
gen_data = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gen_data)
try:
    index766 = importlib.import_module("motcua.reports.index766")
except ImportError:
    index766 = None

LIMIT = 1.0  # seconds, a month of one agency at the largest size
GROWTH = 2.0  # at most, largest size against smallest


def median_seconds(call, runs: int, cap: float) -> float:
    """The median time of ``runs`` calls after a warm-up one; infinite when a call is
    still running after ``cap`` seconds (PostgreSQL stops it)."""
    times = []
    for _ in range(runs + 1):
        started = time.perf_counter()
        try:
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    with connection.cursor() as cursor:
                        cursor.execute(f"SET LOCAL statement_timeout = {int(cap * 1000)}")
                call()
        except OperationalError:
            return math.inf
        times.append(time.perf_counter() - started)
    return stats.median(times[1:])


def _ms(seconds: float, cap: float) -> str:
    return f"> {cap:.0f} s" if math.isinf(seconds) else f"{seconds * 1000:.1f}"


def count_received(agency_ids, period: Period) -> int:
    """The yardstick: one indexed count of the dossiers received in the month."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM dossiers_dossier WHERE agency_id = ANY(%s)"
            " AND received_at >= %s AND received_at < %s",
            [list(agency_ids), period.start, period.end],
        )
        return cursor.fetchone()[0]


def analyse() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def sides(district, period: Period, now):
    """``(name, measured call, agency ids of its COUNT(*) yardstick)``."""
    province_ids = list(Agency.objects.values_list("pk", flat=True))
    district_ids = sorted(subtree_ids(district))
    found = [
        (
            "month, one district",
            lambda: statistics.report(period, agency=district, grouping="field", now=now),
            district_ids,
        ),
        (
            "month, province by agency",
            lambda: statistics.report(period, agency=None, grouping="agency", now=now),
            province_ids,
        ),
    ]
    if index766 is not None:
        found.append(
            ("766 index, province", lambda: index766.compute(period, None, now=now), province_ids)
        )
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--per-month", type=int, default=25_000, help="dossiers a month")
    parser.add_argument("--agencies", type=int, default=150)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--cap", type=float, default=30, help="seconds before a call stops")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))

    old = setup_databases(verbosity=0, interactive=False)
    try:
        gen_data.ensure_catalogue(args.agencies)
        world = gen_data.load_world()
        now = timezone.now()
        # The last closed reporting month: its report reads the tallies since it began.
        month = add_months(reporting_month(now, world.closes_on_day), -1)
        period = Period.of("month", month, world.closes_on_day)
        district = Agency.objects.filter(level="district").order_by("code").first()
        print(
            f"database: {connection.vendor}; {len(world.units)} agencies; "
            f"{args.per_month:,} dossiers a month; reported: month {month:%m/%Y} "
            f"({period}), {district} with {len(subtree_ids(district)) - 1} communes; "
            f"median of {args.runs} runs"
        )
        if index766 is None:
            print("motcua.reports.index766 not found: the 766 index is not measured")
        results, have = {}, 0
        for size in sizes:
            months = max(1, round((size - have) / args.per_month))
            started = time.perf_counter()
            written = gen_data.generate(
                world, size - have, gen_data.window(months, now=now), seed=size
            )
            have = size
            seconds = time.perf_counter() - started
            rows = sum(written.values())
            analyse()
            print(
                f"\n{size:,} dossiers ({months} more months): generated {rows:,} rows in "
                f"{seconds:.0f} s ({rows / seconds:,.0f} rows/s); {written['tallies']:,} "
                "tally rows touched"
            )
            print(f"  {'':<28}{'time ms':>10}{'COUNT(*) ms':>13}{'rows':>9}{'ratio':>8}")
            for name, call, agency_ids in sides(district, period, now):
                measured = median_seconds(call, args.runs, args.cap)
                rows_counted = count_received(agency_ids, period)
                reference = median_seconds(
                    lambda ids=agency_ids: count_received(ids, period), args.runs, args.cap
                )
                results[(name, size)] = (measured, reference)
                print(
                    f"  {name:<28}{_ms(measured, args.cap):>10}{reference * 1000:>13.2f}"
                    f"{rows_counted:>9,}{measured / reference:>8.1f}"
                )
        failures = []
        first, last = sizes[0], sizes[-1]
        print(f"\ngrowth {last:,} / {first:,} dossiers (near 1: independent of history)")
        for name, _call, _ids in sides(district, period, now):
            measured, reference = results[(name, last)]
            if math.isinf(measured):
                print(f"  {name:<28} not measured: stopped after {args.cap:.0f} s")
                failures.append(f"{name} takes more than {args.cap:.0f} s")
                continue
            growth = measured / results[(name, first)][0]
            growth_reference = reference / results[(name, first)][1]
            print(f"  {name:<28} ×{growth:.2f}   COUNT(*) ×{growth_reference:.2f}")
            if len(sizes) > 1 and growth > GROWTH:
                failures.append(f"{name} grows ×{growth:.2f} (bar: ≤ {GROWTH})")
        district_time = results[("month, one district", last)][0]
        if district_time >= LIMIT:
            failures.append(f"a month of one district takes {district_time:.2f} s (bar: < 1 s)")
        print("; ".join(failures) if failures else f"bars met: < {LIMIT:.0f} s, ≤ ×{GROWTH}")
    finally:
        teardown_databases(old, verbosity=0)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

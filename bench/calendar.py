"""Calendar arithmetic cost against the span (SPEC §4, §6).

Prints, measured side by side in one run, the time to add 10,000 working days against the
time to add 1, and the same for ``between`` over ten thousand working days against one.
The bar: each ratio ≤ 3 (constant or logarithmic in the span).

    python bench/calendar.py
"""

import benchsetup  # noqa: I001 — must come first: see its docstring

import sys
import timeit
from datetime import datetime

benchsetup.setup_django()

from motcua.calendar.services import calendar_for  # noqa: E402

NO_OVERRIDES = (frozenset(), frozenset())


def best(statement, number=2000, repeat=7) -> float:
    """Seconds per call, the best of ``repeat`` runs (least disturbed by the machine)."""
    return min(timeit.repeat(statement, number=number, repeat=repeat)) / number


def main() -> int:
    calendar = calendar_for("bac-ninh", overrides=NO_OVERRIDES)
    start = datetime.fromisoformat("2026-02-13T16:00:00+07:00")
    # Warm the working-day index over the whole span once: both sides then measure only
    # the arithmetic, which is what a long-running server does on every call.
    far = calendar.add_days(start, 10_000)
    near = calendar.add_days(start, 1)

    rows = [
        (
            "add_days",
            best(lambda: calendar.add_days(start, 1)),
            best(lambda: calendar.add_days(start, 10_000)),
        ),
        (
            "add_hours",
            best(lambda: calendar.add_hours(start, 8)),
            best(lambda: calendar.add_hours(start, 80_000)),
        ),
        (
            "between",
            best(lambda: calendar.between(start, near)),
            best(lambda: calendar.between(start, far)),
        ),
    ]
    print(f"{'operation':<10} {'1 day (µs)':>12} {'10,000 days (µs)':>17} {'ratio':>7}")
    worst = 0.0
    for name, short, long in rows:
        ratio = long / short
        worst = max(worst, ratio)
        print(f"{name:<10} {short * 1e6:>12.2f} {long * 1e6:>17.2f} {ratio:>7.2f}")
    print(f"worst ratio {worst:.2f} (bar: ≤ 3)")
    return 0 if worst <= 3 else 1


if __name__ == "__main__":
    sys.exit(main())

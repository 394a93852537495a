"""Dossier codes ``{agency code}-{YYMMDD}-{4-digit daily sequence}`` (Circular 01/2018/TT-VPCP
art. 19), unique under concurrency and without gaps.

The sequence row is incremented by one atomic upsert inside the transaction that submits
the dossier: two processes never get the same number, and a rolled-back submission gives
its number back.
"""

from datetime import date

from django.db import connection

from .models import DailySequence

_UPSERT = (
    f"INSERT INTO {DailySequence._meta.db_table} (agency_code, day, last) VALUES (%s, %s, 1) "
    f"ON CONFLICT (agency_code, day) DO UPDATE SET last = {DailySequence._meta.db_table}.last + 1 "
    "RETURNING last"
)


def next_number(agency_code: str, day: date) -> int:
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT, [agency_code, day])
        return cursor.fetchone()[0]


def next_code(agency_code: str, day: date) -> str:
    return f"{agency_code}-{day:%y%m%d}-{next_number(agency_code, day):04d}"

"""Accent- and case-insensitive, ranked search of the procedure catalogue (SPEC §3 item 1,
BN 6, HT 3.1.a): "cap giay phep xay dung" finds "Cấp giấy phép xây dựng…" first.

Both sides search ``Procedure.search_text``, the name and national code already folded by
:func:`motcua.catalogue.text.fold`, through a full-text index:

- PostgreSQL: a stored ``tsvector`` column generated from ``search_text`` (``simple``
  configuration: no stemming, the text is folded already) with a GIN index, matched with
  ``@@`` and ranked with ``ts_rank_cd`` normalised by the document's length.
- SQLite: an FTS5 table over ``search_text`` kept in sync by triggers. A name is one short
  field in which every query word occurs (all words must match), so BM25 reduces to the
  document's length; the length is the rank there, without BM25's per-row phrase statistics.

On both, a name containing the query as typed comes first, at its start before elsewhere.
The index is created by the catalogue's migration and checked again after every
``migrate`` (:func:`install`): SQLite drops a table's triggers when a later migration
rebuilds the table.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection as default_connection
from django.db import connections
from django.db.models import Case, Expression, IntegerField, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length

from .text import fold

TABLE = "catalogue_procedure"
FTS_TABLE = "catalogue_procedure_fts"
VECTOR_COLUMN = "search_vector"
NATIONAL_CODE_PREFIX = re.compile(r"^\d\.\d+(\.\d+)?$")
WORD = re.compile(r"[^\W_]+")  # letters and digits: nothing the query syntaxes read

_SQLITE_TRIGGERS = {
    f"{FTS_TABLE}_insert": f"""
        CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_insert AFTER INSERT ON {TABLE} BEGIN
            INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text);
        END""",
    f"{FTS_TABLE}_delete": f"""
        CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_delete AFTER DELETE ON {TABLE} BEGIN
            INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text)
                VALUES ('delete', old.id, old.search_text);
        END""",
    f"{FTS_TABLE}_update": f"""
        CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_update AFTER UPDATE OF search_text ON {TABLE}
        BEGIN
            INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text)
                VALUES ('delete', old.id, old.search_text);
            INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text);
        END""",
}


def install(connection=default_connection) -> None:
    """Create the full-text index if it is missing; idempotent (run by the migration and
    after every ``migrate``)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS {VECTOR_COLUMN} tsvector "
                f"GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_text)) STORED"
            )
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {TABLE}_search_gin ON {TABLE} "
                f"USING gin ({VECTOR_COLUMN})"
            )
        elif connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [TABLE],
            )
            present = {name for (name,) in cursor.fetchall()}
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
                f"search_text, content='{TABLE}', content_rowid='id')"
            )
            for sql in _SQLITE_TRIGGERS.values():
                cursor.execute(sql)
            if not set(_SQLITE_TRIGGERS) <= present:
                cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


def uninstall(connection=default_connection) -> None:
    """Drop the full-text index (the migration's reverse)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS {VECTOR_COLUMN}")
        elif connection.vendor == "sqlite":
            for name in _SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


class _StoredVector(Expression):
    """The PostgreSQL ``tsvector`` column, which the database generates and the ORM does not
    model (a model field would be written on insert, or fail to build on SQLite)."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        return f"{compiler.quote_name_unless_alias(TABLE)}.{VECTOR_COLUMN}", []


def search(queryset: QuerySet, text: str) -> QuerySet:
    """``queryset`` (of procedures) narrowed to those matching every word of ``text``, best
    first; the last word may be unfinished (a prefix). Text without a word changes nothing;
    a national code prefix ("1.0011") matches codes."""
    folded = fold(text)
    if NATIONAL_CODE_PREFIX.match(folded):
        return queryset.filter(national_code__startswith=folded).order_by("national_code")
    words = WORD.findall(folded)
    if not words:
        return queryset
    phrase = " ".join(words)
    phrase_first = Case(
        When(search_text__startswith=phrase, then=Value(2)),
        When(search_text__contains=phrase, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    if connections[queryset.db].vendor == "postgresql":
        terms = [*words[:-1], f"{words[-1]}:*"]
        query = SearchQuery(" & ".join(terms), config="simple", search_type="raw")
        return (
            queryset.alias(search_vector=_StoredVector())
            .filter(search_vector=query)
            .annotate(
                phrase_first=phrase_first,
                rank=SearchRank(_StoredVector(), query, cover_density=True, normalization=2),
            )
            .order_by("-phrase_first", "-rank", "name", "pk")
        )
    match = " ".join(f'"{word}"' for word in words) + "*"
    matching = RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match])
    return (
        queryset.filter(pk__in=matching)
        .annotate(phrase_first=phrase_first, length=Length("search_text"))
        .order_by("-phrase_first", "length", "name", "pk")
    )

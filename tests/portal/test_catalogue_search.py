"""Catalogue search: accent- and case-insensitive, every word, best match first, through the
database's full-text index (SPEC §3 item 1; BN 6, HT 3.1.a). Runs on SQLite and PostgreSQL."""

import pytest
from django.db import connection

from motcua.catalogue import search
from motcua.catalogue.models import Procedure

from ..factories import ProcedureFactory

pytestmark = pytest.mark.django_db

NAMES = [
    "Cấp lại giấy phép xây dựng",
    "Gia hạn giấy phép xây dựng đối với công trình cấp đặc biệt",
    "Cấp giấy phép xây dựng mới đối với công trình cấp đặc biệt, cấp I, cấp II",
    "Cấp giấy phép lái xe",
    "Đăng ký khai sinh",
    "Cấp giấy phép xây dựng",
]


def names(text, queryset=None):
    return [p.name for p in search.search(queryset or Procedure.objects.all(), text)]


@pytest.fixture
def catalogue():
    return {name: ProcedureFactory(name=name) for name in NAMES}


def test_without_accents_finds_the_exact_name_first(catalogue):
    found = names("cap giay phep xay dung")
    assert found[:2] == [
        "Cấp giấy phép xây dựng",
        "Cấp giấy phép xây dựng mới đối với công trình cấp đặc biệt, cấp I, cấp II",
    ]
    assert "Cấp giấy phép lái xe" not in found and "Đăng ký khai sinh" not in found
    # Every word must occur: these two hold them all, not as one phrase.
    assert set(found[2:]) == {
        "Cấp lại giấy phép xây dựng",
        "Gia hạn giấy phép xây dựng đối với công trình cấp đặc biệt",
    }


@pytest.mark.parametrize(
    "typed", ["Cấp giấy phép xây dựng", "CAP GIAY PHEP XAY DUNG", "  cấp  GIẤY phép xây   dựng "]
)
def test_case_and_accents_do_not_matter(catalogue, typed):
    assert names(typed)[0] == "Cấp giấy phép xây dựng"


def test_d_with_stroke_and_an_unfinished_last_word(catalogue):
    assert names("dang ky khai") == ["Đăng ký khai sinh"]
    assert names("Đăng ký khai si") == ["Đăng ký khai sinh"]


def test_no_match_and_no_word(catalogue):
    assert names("hộ chiếu") == []
    assert len(names("  ?! ")) == len(NAMES)  # nothing to search for: nothing narrowed


def test_punctuation_cannot_break_the_query(catalogue):
    for typed in ['"cap', "cap & | ! (giay", "xay:* dung'", "NEAR(cap giay)", "cap -giay", "cap _"]:
        names(typed)  # no syntax error from the full-text engine
    assert len(names("cap & | ! (giay")) == 5  # every name with "cap" and "giay…"


def test_national_code(catalogue):
    procedure = catalogue["Đăng ký khai sinh"]
    assert names(procedure.national_code) == ["Đăng ký khai sinh"]


def test_combines_with_other_filters(catalogue):
    other = catalogue["Cấp lại giấy phép xây dựng"]
    Procedure.objects.filter(pk=other.pk).update(level=Procedure.Level.COMMUNE)
    communes = Procedure.objects.filter(level=Procedure.Level.COMMUNE)
    assert names("giay phep xay dung", communes) == ["Cấp lại giấy phép xây dựng"]


def test_the_index_follows_renames_and_deletions(catalogue):
    procedure = catalogue["Cấp giấy phép lái xe"]
    procedure.name = "Cấp chứng chỉ hành nghề kiến trúc"
    procedure.save()
    assert names("chung chi hanh nghe") == ["Cấp chứng chỉ hành nghề kiến trúc"]
    assert names("lai xe") == []
    procedure.delete()
    assert names("chung chi hanh nghe") == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's index")
def test_postgresql_uses_the_stored_vector_and_its_gin_index(catalogue):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'catalogue_procedure' "
            "AND indexdef LIKE '%%gin%%'"
        )
        assert "search_vector" in cursor.fetchone()[0]
    sql = str(search.search(Procedure.objects.all(), "cap giay").query)
    assert "search_vector" in sql and "@@" in sql and "ts_rank_cd" in sql


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's index")
def test_sqlite_index_comes_back_after_the_table_is_rebuilt(catalogue):
    """A later migration that rebuilds the table drops its triggers; ``install`` (run after
    every migrate) puts them back and refills the index."""
    with connection.cursor() as cursor:
        for name in ("insert", "update", "delete"):
            cursor.execute(f"DROP TRIGGER {search.FTS_TABLE}_{name}")
        cursor.execute(f"DELETE FROM {search.FTS_TABLE}")
    assert names("khai sinh") == []
    search.install(connection)
    assert names("khai sinh") == ["Đăng ký khai sinh"]
    ProcedureFactory(name="Đăng ký kết hôn")
    assert names("ket hon") == ["Đăng ký kết hôn"]

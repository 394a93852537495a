"""Packages of closed dossiers for the agency archive (BN 16; TT 13/2023/TT-BNV): a valid
BagIt bag of metadata, files and checksums; each dossier once; nothing if a file was
tampered with."""

import hashlib
import json
from datetime import date

import bagit
import pytest
from django.core.files.base import ContentFile

from motcua.archive import packages, retention
from motcua.archive.models import ArchivedDossier, ArchiveExport
from motcua.audit.models import AuditEntry
from motcua.catalogue.models import Agency
from motcua.dossiers.models import Dossier

from .conftest import MARCH, unzip, withdrawn


def export_march(w, actor=None):
    return packages.export(w.department, *MARCH, actor=actor or w.clerk)


def test_the_package_is_a_valid_bag_of_the_months_closed_dossiers(march, tmp_path):
    w = march
    record = export_march(w)
    bag_dir = unzip(record.package.read(), tmp_path)
    assert bag_dir.name == record.identifier and record.filename.endswith(".zip")
    bag = bagit.Bag(str(bag_dir))
    bag.validate()
    assert bag.info["Source-Organization"] == "Sở Tư pháp"
    assert bag.info["External-Identifier"] == record.identifier
    assert bag.info["Payload-Oxum"] and bag.info["Bagging-Date"]
    assert hashlib.sha256(record.package.open("rb").read()).hexdigest() == record.sha256
    index = json.loads((bag_dir / "data" / "index.json").read_text("utf-8"))
    codes = {row["code"] for row in index["dossiers"]}
    # Closed in March at the department; not the open one, the commune's or April's.
    assert codes == {w.returned.code, w.withdrawn.code, w.refused.code}
    assert record.dossier_count == 3 == index["dossier_count"]
    csv_lines = (bag_dir / "data" / "index.csv").read_text("utf-8-sig").splitlines()
    assert csv_lines[0].startswith("code,") and len(csv_lines) == 4
    assert set(ArchivedDossier.objects.values_list("dossier__code", flat=True)) == codes


def test_metadata_holds_the_whole_history_and_the_files_match_their_checksums(march, tmp_path):
    w = march
    bag_dir = unzip(export_march(w).package.read(), tmp_path)
    folder = bag_dir / "data" / w.returned.code
    meta = json.loads((folder / "metadata.json").read_text("utf-8"))
    assert [e["action"] for e in meta["events"]] == list(
        w.returned.events.order_by("id").values_list("action", flat=True)
    )
    assert (
        meta["events"][0]["action"] == "submit" and meta["events"][-1]["action"] == "return_result"
    )
    assert meta["procedure"]["national_code"] == "1.000001"
    assert meta["applicant"]["personal_id"] == "027090001234"
    assert meta["applicant"]["name"] == "Nguyễn Văn An"
    assert meta["dates"]["received"] == "2026-03-02T10:00:00+07:00"
    assert meta["dates"]["finished"] == "2026-03-09T15:00:00+07:00"
    assert meta["status"] == "returned" and meta["timeliness"]
    assert [s["order"] for s in meta["steps"]] == [1, 2, 3, 4, 5]
    kinds = {f["kind"] for f in meta["files"]}
    assert {"document", "result"} <= kinds
    for listed in meta["files"]:
        content = (folder / listed["path"]).read_bytes()
        assert hashlib.sha256(content).hexdigest() == listed["sha256"]
    document = w.returned.files.get()
    assert any(
        f["sha256"] == document.sha256 and f["original_name"] == "Tờ khai.pdf"
        for f in meta["files"]
    )
    assert any(f["sha256"] == w.returned.result.sha256 for f in meta["files"])


def test_retention_per_procedure_counts_from_the_end_of_the_closing_year(march, tmp_path):
    w = march
    retention.set_period(w.permit, 5, "Bảng thời hạn bảo quản, mục 12", actor=w.leader)
    record = export_march(w)
    kept = dict(ArchivedDossier.objects.values_list("dossier_id", "retain_until"))
    assert kept[w.returned.pk] == date(2031, 12, 31)
    meta = json.loads(
        (
            unzip(record.package.read(), tmp_path) / "data" / w.returned.code / "metadata.json"
        ).read_text("utf-8")
    )
    assert meta["retention"] == {
        "years": 5,
        "basis": "Bảng thời hạn bảo quản, mục 12",
        "until": "2031-12-31",
    }
    assert AuditEntry.objects.filter(action="archive.retention").exists()


def test_default_and_permanent_retention(world, settings):
    w = world
    assert retention.period_for(w.birth).years == retention.DEFAULT_YEARS
    assert retention.period_for(w.birth).until(date(2026, 3, 9)) == date(2036, 12, 31)
    settings.ARCHIVE_DEFAULT_RETENTION_YEARS = 20
    assert retention.period_for(w.birth).until(date(2026, 1, 1)) == date(2046, 12, 31)
    retention.set_period(w.birth, None, "Hộ tịch: bảo quản vĩnh viễn", actor=w.leader)
    w.birth.refresh_from_db()
    assert retention.period_for(w.birth).until(date(2026, 3, 9)) is None


def test_a_tampered_file_refuses_the_whole_export(march):
    w = march
    document = w.returned.files.get()
    storage, name = document.file.storage, document.file.name
    storage.delete(name)
    assert storage.save(name, ContentFile(b"%PDF-1.4 altered")) == name
    with pytest.raises(packages.ArchiveError) as error:
        export_march(w)
    assert error.value.code == "checksum_mismatch"
    assert f"{w.returned.code}/Tờ khai.pdf" in error.value.message
    assert not ArchiveExport.objects.exists() and not ArchivedDossier.objects.exists()
    assert not AuditEntry.objects.filter(action="archive.export").exists()


def test_a_missing_file_refuses_the_export(march):
    w = march
    w.returned.result.file.storage.delete(w.returned.result.file.name)
    with pytest.raises(packages.ArchiveError) as error:
        export_march(w)
    assert error.value.code == "file_missing" and "giay-phep.pdf" in error.value.message
    assert not ArchiveExport.objects.exists()


def test_each_dossier_goes_into_one_package_only(march):
    w = march
    first = export_march(w)
    with pytest.raises(packages.ArchiveError) as error:
        export_march(w)
    assert error.value.code == "nothing_to_export" and "3" in error.value.message
    late = withdrawn(w, when="2026-03-20T08:00:00+07:00")  # recorded after the first package
    second = export_march(w)
    assert second.dossier_count == 1
    assert ArchivedDossier.objects.get(dossier=late).export == second
    assert ArchivedDossier.objects.filter(export=first).count() == 3


def test_the_export_is_recorded_and_audited(march):
    w = march
    record = export_march(w)
    assert (record.agency, record.created_by) == (w.department, w.clerk)
    assert (record.period_start, record.period_end) == MARCH
    assert record.size == record.package.size
    entry = AuditEntry.objects.get(action="archive.export")
    assert entry.actor == w.clerk and entry.target_id == str(record.pk)
    assert entry.details == {
        "agency": w.department.code,
        "from": "2026-03-01",
        "to": "2026-03-31",
        "dossiers": 3,
        "sha256": record.sha256,
    }


def test_a_closed_dossier_without_finishing_time_counts_from_its_last_event(march):
    w = march
    Dossier.objects.filter(pk=w.withdrawn.pk).update(finished_at=None)
    codes = set(packages.closed_dossiers(w.department, *MARCH).values_list("code", flat=True))
    assert w.withdrawn.code in codes


@pytest.mark.parametrize(
    ("start", "end", "code"),
    [
        (date(2026, 3, 31), date(2026, 3, 1), "period_reversed"),
        (date(2026, 3, 1), date(2999, 1, 1), "period_not_over"),
    ],
)
def test_bad_periods_are_refused(march, start, end, code):
    with pytest.raises(packages.ArchiveError) as error:
        packages.export(march.department, start, end, actor=march.clerk)
    assert error.value.code == code and "end" in error.value.fields
    assert not ArchiveExport.objects.exists()


def test_only_the_agencys_own_archivists_export(march):
    w = march
    for user in (w.specialist, w.commune_chair, w.desk_officer):
        with pytest.raises(packages.ArchiveError) as error:
            export_march(w, actor=user)
        assert error.value.code == "forbidden"
    assert export_march(w, actor=w.leader).dossier_count == 3


def test_the_archive_takes_in_units_and_merged_agencies_not_subordinate_agencies(world):
    w = world
    merged = Agency.objects.create(
        code="000.00.16.H06",
        name="Sở cũ",
        level="department",
        parent=w.province,
        status="merged",
        merged_into=w.department,
    )
    assert set(packages.archive_scope(w.department)) == {w.department.pk, w.unit.pk, merged.pk}
    # The province's own archive does not take its departments' or communes' dossiers.
    assert packages.archive_scope(w.province) == [w.province.pk]

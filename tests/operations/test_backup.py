"""Backups and their restore, tested (SPEC §3 item 25; VP 19.2): a filled instance is backed
up, restored into an empty one, and everything is found again, files with their checksums.
A damaged archive is refused and changes nothing."""

import hashlib
import io
import json
import tarfile
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.files.storage import FileSystemStorage
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.db.utils import load_backend

from motcua.dossiers import files
from motcua.dossiers.models import DossierFile
from motcua.operations.backup import BackupError, backup, restore, same_secret_key
from tests.dossiers.conftest import new_dossier

# Backups are taken of committed data, as the command does on a running instance.
pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


@pytest.fixture
def filled(world):
    """Two dossiers with documents, one of them scanned at the desk."""
    world.permit.components.update(formats=["pdf", "png"])
    component = world.permit.components.get()
    first = new_dossier(world)
    files.attach(first, component, "to-khai.pdf", PDF, by=world.citizen)
    files.attach(first, component, "anh.png", PNG, by=world.citizen)
    second = new_dossier(world, applicant=world.other_citizen)
    files.attach(second, component, "ban-quet.pdf", PDF + b"\n% scan", by=world.desk_officer)
    return world


def _other_database(name: str) -> str:
    """A connection to another database of the same server, as a second instance has."""
    alias = f"restored_{uuid.uuid4().hex[:8]}"
    settings_dict = dict(connections.settings["default"], NAME=name)
    connections[alias] = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias)
    return alias


def _forget(alias: str) -> None:
    connections[alias].close()
    del connections[alias]


@pytest.fixture
def empty_instance(tmp_path):
    """A second, empty instance: its own database (a SQLite file, or a new PostgreSQL
    database on the same server) and its own media folder."""
    storage = FileSystemStorage(location=tmp_path / "media")
    if connection.vendor == "sqlite":
        alias = _other_database(str(tmp_path / "restored.sqlite3"))
        yield alias, storage
        _forget(alias)
        return
    settings_dict = connections.settings["default"]
    name = f"{settings_dict['NAME']}_restored"[:63]
    server = {key: settings_dict[key.upper()] for key in ("host", "port", "user", "password")}
    with psycopg.connect(
        dbname="postgres", autocommit=True, **{k: v for k, v in server.items() if v}
    ) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
        alias = _other_database(name)
        yield alias, storage
        _forget(alias)
        admin.execute(f'DROP DATABASE "{name}"')


def _tables(alias: str) -> dict:
    """Every row of every table of a database."""
    target = connections[alias]
    with target.cursor() as cursor:
        names = target.introspection.table_names(cursor)
        rows = {}
        for name in names:
            cursor.execute(f"SELECT * FROM {target.ops.quote_name(name)} ORDER BY 1")
            rows[name] = cursor.fetchall()
    return rows


def _sha256(storage, name):
    with storage.open(name, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def test_a_filled_instance_is_restored_into_an_empty_one(filled, tmp_path, empty_instance):
    alias, storage = empty_instance
    archive = tmp_path / "motcua.tar.gz"
    manifest = backup(archive)
    assert manifest["engine"] == connection.vendor
    assert sum(name.startswith("files/") for name in manifest["members"]) >= 3

    restore(archive, using=alias, storage=storage)

    source = _tables("default")
    assert "dossiers_dossier" in source
    assert _tables(alias) == source
    restored = DossierFile.objects.using(alias).order_by("id")
    assert restored.count() == 3
    for record in restored:
        assert _sha256(storage, record.file.name) == record.sha256
    assert {r.original_name for r in restored} == {"to-khai.pdf", "anh.png", "ban-quet.pdf"}


def _rewritten(archive, out, change):
    """A copy of ``archive`` with ``change(name, data)`` applied to each member."""
    with tarfile.open(archive, "r:gz") as src, tarfile.open(out, "w:gz") as dst:
        for member in src.getmembers():
            data = change(member.name, src.extractfile(member).read())
            info = tarfile.TarInfo(member.name)
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))
    return out


def _untouched(alias, storage):
    assert _tables(alias) == {}
    media = Path(storage.location)
    assert not media.exists() or not any(media.iterdir())


def test_a_tampered_file_is_refused_and_nothing_changes(filled, tmp_path, empty_instance):
    alias, storage = empty_instance
    archive = backup(tmp_path / "b.tar.gz") and tmp_path / "b.tar.gz"
    bad = _rewritten(
        archive,
        tmp_path / "bad.tar.gz",
        lambda name, data: data + b"x" if name.endswith(".png") else data,
    )
    with pytest.raises(BackupError, match="checksum mismatch"):
        restore(bad, using=alias, storage=storage)
    _untouched(alias, storage)


def test_a_damaged_archive_is_refused_and_nothing_changes(filled, tmp_path, empty_instance):
    alias, storage = empty_instance
    archive = tmp_path / "b.tar.gz"
    backup(archive)
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    archive.write_bytes(bytes(data))
    with pytest.raises(BackupError):
        restore(archive, using=alias, storage=storage)
    _untouched(alias, storage)


def test_a_member_missing_from_the_manifest_is_refused(filled, tmp_path, empty_instance):
    alias, storage = empty_instance
    archive = tmp_path / "b.tar.gz"
    backup(archive)

    def drop_one(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["members"].pop(next(n for n in manifest["members"] if n.startswith("files/")))
        return json.dumps(manifest).encode()

    with pytest.raises(BackupError, match="do not match"):
        bad = _rewritten(archive, tmp_path / "bad.tar.gz", drop_one)
        restore(bad, using=alias, storage=storage)
    _untouched(alias, storage)


def test_an_instance_with_data_is_not_overwritten_unless_asked(filled, tmp_path):
    archive = tmp_path / "b.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    assert archive.exists() and not (tmp_path / "b.tar.gz.part").exists()
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive), stdout=io.StringIO())


def test_the_manifest_tells_whether_the_secret_key_is_the_same(filled, tmp_path, settings):
    manifest = backup(tmp_path / "b.tar.gz")
    assert same_secret_key(manifest)
    assert settings.SECRET_KEY not in json.dumps(manifest)
    settings.SECRET_KEY = "another-instance-key-" + "x" * 40
    assert not same_secret_key(manifest)

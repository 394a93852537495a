"""Backups of an instance and their restore (SPEC §3 item 25; VP 19.2): the database and every
uploaded file in one ``.tar.gz`` archive with a manifest of SHA-256 checksums.

The database is copied with SQLite's online backup API, or with ``pg_dump`` (custom format,
restored by ``pg_restore``) on PostgreSQL. A restore checks the whole archive against its
manifest before it writes anything: a damaged archive is refused and the instance is left as
it was. It restores into an empty instance unless told to replace what is there.

The archive does not hold ``SECRET_KEY``, from which the key that encrypts the stored private
keys is derived (``signing/keystore.py``): the restored instance must run with the original
key for them to be readable. The manifest carries a fingerprint to tell whether it does.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from pathlib import Path

from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import connections
from django.utils import timezone
from django.utils.crypto import salted_hmac

from motcua.profiles import active_profile

FORMAT = 1
MANIFEST = "manifest.json"
FILES = "files/"
DATABASE = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


def secret_key_fingerprint() -> str:
    """A value that changes with ``SECRET_KEY`` and reveals nothing of it."""
    return salted_hmac("motcua.operations.backup", "secret-key", algorithm="sha256").hexdigest()


def same_secret_key(manifest: dict) -> bool:
    """This instance runs with the ``SECRET_KEY`` of the instance that was backed up."""
    return manifest.get("secret_key") == secret_key_fingerprint()


class BackupError(Exception):
    """The backup cannot be made or the archive cannot be restored; nothing was changed."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _engine(using: str) -> str:
    vendor = connections[using].vendor
    if vendor not in DATABASE:
        raise BackupError(f"cannot back up a {vendor} database")
    return vendor


def _pg_command(program: str, settings_dict: dict) -> tuple[list[str], dict]:
    """The command line and environment to run a PostgreSQL client on the connection."""
    path = shutil.which(program)
    if path is None:
        raise BackupError(f"{program} is not installed")
    env = dict(os.environ)
    for key, name in (("PASSWORD", "PGPASSWORD"), ("HOST", "PGHOST"), ("PORT", "PGPORT")):
        if settings_dict.get(key):
            env[name] = str(settings_dict[key])
    command = [path, "--no-owner", "--no-privileges", "--dbname", settings_dict["NAME"]]
    if settings_dict.get("USER"):
        command += ["--username", settings_dict["USER"]]
    return command, env


def _run(command: list[str], env: dict) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()[-2000:]}")


def _dump_database(using: str, target: Path) -> None:
    connection = connections[using]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
        return
    command, env = _pg_command("pg_dump", connection.settings_dict)
    _run([*command, "--format=custom", "--file", str(target)], env)


def _listdir(storage: Storage, folder: str) -> tuple[list[str], list[str]]:
    try:
        return storage.listdir(folder)
    except FileNotFoundError:  # a new instance's media folder
        return [], []


def _stored_files(storage: Storage, folder: str = ""):
    folders, files = _listdir(storage, folder)
    for name in sorted(files):
        yield f"{folder}{name}"
    for sub in sorted(folders):
        yield from _stored_files(storage, f"{folder}{sub}/")


def backup(dest: Path, *, using: str = "default", storage: Storage | None = None) -> dict:
    """Write the archive of the database and the stored files to ``dest``; its manifest."""
    storage = storage or default_storage
    dest = Path(dest)
    engine = _engine(using)
    partial = dest.with_name(dest.name + ".part")
    try:
        manifest = _write(partial, engine, using, storage)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(dest)
    return manifest


def _write(partial: Path, engine: str, using: str, storage: Storage) -> dict:
    members = {}
    with tempfile.TemporaryDirectory() as work:
        database = Path(work) / DATABASE[engine]
        _dump_database(using, database)
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(database, DATABASE[engine])
            members[DATABASE[engine]] = {
                "sha256": _sha256(database),
                "size": database.stat().st_size,
            }
            for name in _stored_files(storage):
                with storage.open(name, "rb") as handle:
                    content = handle.read()
                info = tarfile.TarInfo(FILES + name)
                info.size = len(content)
                info.mtime = int(timezone.now().timestamp())
                archive.addfile(info, io.BytesIO(content))
                members[FILES + name] = {
                    "sha256": hashlib.sha256(content).hexdigest(),
                    "size": len(content),
                }
            manifest = {
                "format": FORMAT,
                "created_at": timezone.now().isoformat(),
                "profile": active_profile().key,
                "engine": engine,
                "database": DATABASE[engine],
                "secret_key": secret_key_fingerprint(),
                "members": members,
            }
            body = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(body)
            info.mtime = int(timezone.now().timestamp())
            archive.addfile(info, io.BytesIO(body))
    return manifest


def verify(src: Path, work: Path) -> dict:
    """Unpack ``src`` into ``work`` and check it against its manifest: every member listed,
    nothing else, each with its size and SHA-256. The manifest, or :class:`BackupError`."""
    try:
        with tarfile.open(src, "r:gz") as archive:
            for member in archive.getmembers():
                if not member.isfile():
                    raise BackupError(f"unexpected entry in the archive: {member.name}")
            archive.extractall(work, filter="data")
    except (tarfile.TarError, EOFError, OSError, zlib.error) as error:
        raise BackupError(f"the archive cannot be read: {error}") from error
    try:
        manifest = json.loads((work / MANIFEST).read_text())
        members = manifest["members"]
        engine, database = manifest["engine"], manifest["database"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise BackupError("the archive has no readable manifest") from error
    if manifest.get("format") != FORMAT or DATABASE.get(engine) != database:
        raise BackupError("the archive is not a backup this version can restore")
    found = {path.relative_to(work).as_posix() for path in work.rglob("*") if path.is_file()} - {
        MANIFEST
    }
    if found != set(members):
        raise BackupError("the archive's contents do not match its manifest")
    for name, expected in members.items():
        path = work / name
        if path.stat().st_size != expected["size"] or _sha256(path) != expected["sha256"]:
            raise BackupError(f"checksum mismatch: {name}")
    return manifest


def _is_empty(using: str, storage: Storage) -> bool:
    connection = connections[using]
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    folders, files = _listdir(storage, "")
    return not tables and not folders and not files


def _restore_database(using: str, dump: Path, engine: str, replace: bool) -> None:
    connection = connections[using]
    if engine == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(dump) as source:
            source.backup(connection.connection)
        source.close()
        return
    command, env = _pg_command("pg_restore", connection.settings_dict)
    options = ["--exit-on-error", "--single-transaction"]
    if replace:
        options += ["--clean", "--if-exists"]
    connection.close()
    _run([*command, *options, str(dump)], env)


def restore(
    src: Path, *, using: str = "default", storage: Storage | None = None, replace: bool = False
) -> dict:
    """Restore the archive ``src`` after checking it; its manifest. An instance that already
    has data is refused unless ``replace`` is set."""
    storage = storage or default_storage
    with tempfile.TemporaryDirectory() as work:
        manifest = verify(Path(src), Path(work))
        if connections[using].vendor != manifest["engine"]:
            raise BackupError(
                f"the archive holds a {manifest['engine']} database, "
                f"not {connections[using].vendor}"
            )
        if not replace and not _is_empty(using, storage):
            raise BackupError("the instance is not empty; restore with replace to overwrite it")
        _restore_database(using, Path(work) / manifest["database"], manifest["engine"], replace)
        for member in manifest["members"]:
            if not member.startswith(FILES):
                continue
            name = member.removeprefix(FILES)
            if storage.exists(name):
                storage.delete(name)
            with (Path(work) / member).open("rb") as handle:
                saved = storage.save(name, File(handle, name=name))
            if saved != name:
                raise BackupError(f"{name} was stored as {saved}")
    return manifest

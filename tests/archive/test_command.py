"""``motcua archive_export``: the package path, count and checksum; bad input is a clear
error with a non-zero exit."""

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from motcua.archive.models import ArchiveExport


def run(*args):
    out = StringIO()
    call_command("archive_export", *args, stdout=out)
    return out.getvalue()


def test_the_package_is_written_to_the_folder(march, tmp_path):
    output = run(
        "--agency",
        "000.00.15.H06",
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-31",
        "--dest",
        str(tmp_path / "nop-luu"),
    )
    record = ArchiveExport.objects.get()
    path = tmp_path / "nop-luu" / record.filename
    assert output.splitlines() == [str(path), "3 dossiers", f"sha256 {record.sha256}"]
    assert hashlib.sha256(path.read_bytes()).hexdigest() == record.sha256
    assert record.created_by is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--agency", "999.99.99.H06"], "unknown agency '999.99.99.H06'"),
        (["--from", "2026-03-31", "--to", "2026-03-01"], "Ngày cuối"),
        (["--from", "01/03/2026"], "--from must be a date YYYY-MM-DD"),
        (["--to", "2999-01-01"], "trước hôm nay"),
    ],
)
def test_bad_input_is_refused(march, tmp_path, args, message):
    given = {"--agency": "000.00.15.H06", "--from": "2026-03-01", "--to": "2026-03-31"}
    given.update(dict(zip(args[::2], args[1::2], strict=True)))
    line = [part for pair in given.items() for part in pair]
    with pytest.raises(CommandError) as error:
        run(*line, "--dest", str(tmp_path))
    assert message in str(error.value) and error.value.returncode != 0
    assert not ArchiveExport.objects.exists()
    assert not list(tmp_path.iterdir())

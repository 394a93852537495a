"""Uploaded files on S3-compatible object storage (SPEC §5), selected by the environment;
the bucket is an in-process fake (moto)."""

import hashlib

import boto3
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from moto import mock_aws

from motcua.dossiers import files
from motcua.dossiers.models import DossierFile
from motcua.settings.base import file_storage

from ..dossiers.conftest import new_dossier

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
S3_ENV = {
    "MOTCUA_STORAGE": "s3",
    "MOTCUA_S3_BUCKET": "motcua-files",
    "MOTCUA_S3_REGION": "ap-southeast-1",
    "MOTCUA_S3_ACCESS_KEY": "test-access",
    "MOTCUA_S3_SECRET_KEY": "test-secret",
    "MOTCUA_S3_PREFIX": "bac-ninh",
}


def test_files_stay_on_disk_unless_told_otherwise():
    assert file_storage({}) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_object_storage_settings_come_from_the_environment():
    minio = {"MOTCUA_S3_ENDPOINT_URL": "http://minio:9000", "MOTCUA_S3_ADDRESSING_STYLE": "path"}
    storage = file_storage(S3_ENV | minio)
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert options["bucket_name"] == "motcua-files"
    assert options["endpoint_url"] == "http://minio:9000"
    assert options["addressing_style"] == "path"
    assert options["location"] == "bac-ninh"
    assert options["querystring_auth"] is True and options["file_overwrite"] is False


@pytest.mark.parametrize(
    "environ", [{"MOTCUA_STORAGE": "s3"}, {"MOTCUA_STORAGE": "ftp", "MOTCUA_S3_BUCKET": "b"}]
)
def test_an_incomplete_storage_setting_is_refused(environ):
    with pytest.raises(ImproperlyConfigured):
        file_storage(environ)


def test_a_dossier_file_round_trips_through_object_storage_with_its_checksum(world):
    storages = {
        "default": file_storage(S3_ENV),
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with mock_aws(), override_settings(STORAGES=storages):
        s3 = boto3.client("s3", region_name="ap-southeast-1")
        s3.create_bucket(
            Bucket="motcua-files",
            CreateBucketConfiguration={"LocationConstraint": "ap-southeast-1"},
        )
        dossier = new_dossier(world)
        component = world.permit.components.get()
        stored = files.attach(dossier, component, "to-khai.pdf", PDF, by=world.citizen)

        record = DossierFile.objects.get(pk=stored.pk)
        assert record.sha256 == hashlib.sha256(PDF).hexdigest()
        with record.file.open("rb") as handle:
            content = handle.read()
        assert hashlib.sha256(content).hexdigest() == record.sha256
        # The object really is in the bucket, under the prefix and the dossier's folder.
        key = f"bac-ninh/{record.file.name}"
        assert record.file.name.startswith(f"dossiers/{dossier.public_id}/")
        assert s3.get_object(Bucket="motcua-files", Key=key)["Body"].read() == PDF
        assert "X-Amz-Signature" in record.file.url

"""Uploaded files and reports in an S3-compatible bucket (SIXAIKA_S3_BUCKET), so that several
web and worker machines serve the same files: against a real S3 server on loopback (moto's
server mode, started here), not a mock. A report made on one machine is downloaded on another
with an empty media folder, through the permission check; the bucket gives nothing without
credentials; the readiness probe checks the bucket."""

import json

import pytest
import requests
from django.core.files.storage import storages
from django.test import Client

from reports import services as report_services
from reports.models import Report
from sixaika.object_storage import s3_storage
from tests.reports import data as reports_data
from tests.reports.data import AS_OF
from tests.s3 import KEYS


@pytest.mark.django_db
def test_a_report_made_on_one_machine_is_served_by_another(org_6aika, bucket, settings, tmp_path):
    client, name = bucket
    assert storages["default"].__class__.__name__ == "S3Storage"
    reports_data.portfolio()
    office = reports_data.user("strategy_office")
    report, _created = report_services.report_request(kind="board", as_of=AS_OF, by=office)
    report = report_services.report_make(report_id=report.pk)
    assert report.status == Report.Status.DONE
    stored = client.get_object(Bucket=name, Key=report.file.name)["Body"].read()
    assert stored.startswith(b"%PDF") and len(stored) == report.size
    # Nothing of it on the machine's own disk but the emptied partial-file folder.
    assert not [p for p in (tmp_path / "machine-1").rglob("*") if p.is_file()]

    settings.MEDIA_ROOT = str(tmp_path / "machine-2")  # another machine, nothing on its disk
    office_client = Client()
    office_client.force_login(office)
    download = office_client.get(f"/reports/{report.pk}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == stored
    assert "private" in download["Cache-Control"]
    anonymous = Client().get(f"/reports/{report.pk}/download/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    # The bucket itself hands nothing out without credentials.
    s3_url = client.meta.endpoint_url
    assert requests.get(f"{s3_url}/{name}/{report.file.name}", timeout=10).status_code == 403


@pytest.mark.django_db
def test_readiness_checks_the_bucket(client, bucket, settings, s3_server):
    ready = client.get("/readyz/")
    assert ready.status_code == 200
    assert json.loads(ready.content)["checks"]["storage"]["status"] == "ok"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage(bucket="no-such-bucket", endpoint_url=s3_server, **KEYS),
    }
    missing = client.get("/readyz/")
    assert missing.status_code == 503
    assert json.loads(missing.content)["checks"]["storage"]["status"] == "fail"

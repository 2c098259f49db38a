"""`make backup` / `make restore`: a round trip that loses nothing, uploaded files included, and
with a bucket (a real S3 server on loopback, tests/s3.py) every object of it; a backup that does
not match its manifest is refused before anything is replaced."""

import hashlib
import json
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from governance.models import Organisation, Person, Seat
from reports import services as report_services
from reports.models import Report
from tests.reports import data as reports_data
from tests.reports.data import AS_OF
from tests.s3 import bucket_objects


def _snapshot():
    return {
        "seats": list(Seat.objects.order_by("pk").values()),
        "people": list(Person.objects.order_by("pk").values()),
        "organisations": list(Organisation.objects.order_by("pk").values()),
    }


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip(tmp_path, settings_media_root):
    call_command("load_6aika")
    Organisation.objects.create(name="Varmuuskopio Oy", kind="company", business_id="0201256-6")
    upload = settings_media_root / "attachments" / "hakemus.pdf"
    upload.parent.mkdir(parents=True)
    upload.write_bytes(b"%PDF-1.7 test attachment \xe4\xf6")
    before = _snapshot()

    call_command("backup_portal", str(tmp_path / "b"))

    # Lose data and files after the backup.
    Seat.objects.all().delete()
    Organisation.objects.filter(name="Varmuuskopio Oy").delete()
    upload.unlink()
    (settings_media_root / "stray.txt").write_text("made after the backup")

    call_command("restore_portal", str(tmp_path / "b"))

    assert _snapshot() == before
    assert upload.read_bytes() == b"%PDF-1.7 test attachment \xe4\xf6"
    assert not (settings_media_root / "stray.txt").exists()


@pytest.fixture
def settings_media_root(tmp_path, settings):
    media = tmp_path / "media"
    media.mkdir()
    settings.MEDIA_ROOT = str(media)
    return Path(settings.MEDIA_ROOT)


def test_restore_refuses_a_directory_that_is_not_a_backup(tmp_path, settings_media_root):
    kept = settings_media_root / "kept.txt"
    kept.write_text("still here")
    (tmp_path / "not-a-backup").mkdir()
    with pytest.raises(CommandError, match="not a backup"):
        call_command("restore_portal", str(tmp_path / "not-a-backup"))
    assert kept.read_text() == "still here"


# --- Files in a bucket ----------------------------------------------------------------------


def _made_report(office):
    report, _created = report_services.report_request(kind="board", as_of=AS_OF, by=office)
    return report_services.report_make(report_id=report.pk)


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip_with_the_bucket(org_6aika, bucket, tmp_path, settings):
    """Against a real S3 server: the database and every object of the bucket, each in the
    manifest with its key, size and checksum; a report's row and its PDF deleted after the
    backup are both back after the restore, and an object made since is gone."""
    client, name = bucket
    reports_data.portfolio()
    office = reports_data.user("strategy_office")
    report = _made_report(office)
    assert report.status == Report.Status.DONE
    extra = storages["default"].save("calls/attachments/budjetti.pdf", ContentFile(b"%PDF-1.4 a"))
    before = bucket_objects(client, name)
    assert set(before) == {report.file.name, extra}

    call_command("backup_portal", str(tmp_path / "b"))

    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert manifest["bucket"]["name"] == name
    assert {(o["key"], o["size"], o["sha256"]) for o in manifest["bucket"]["objects"]} == {
        (key, len(data), hashlib.sha256(data).hexdigest()) for key, data in before.items()
    }
    # Lose a row and an object after the backup; an object comes that the backup never had.
    Report.objects.filter(pk=report.pk).delete()
    client.delete_object(Bucket=name, Key=report.file.name)
    client.put_object(Bucket=name, Key="reports/stray.pdf", Body=b"made after the backup")

    call_command("restore_portal", str(tmp_path / "b"))

    assert bucket_objects(client, name) == before
    restored = Report.objects.get(pk=report.pk)
    assert restored.file.name == report.file.name and restored.status == Report.Status.DONE
    settings.MEDIA_ROOT = str(tmp_path / "machine-2")  # another machine serves it
    browser = Client()
    browser.force_login(office)
    download = browser.get(f"/reports/{report.pk}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == before[report.file.name]


@pytest.mark.parametrize("damage", ["object changed", "object missing", "dump changed"])
@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_backup_that_does_not_match_its_manifest(
    damage, bucket, tmp_path, settings
):
    client, name = bucket
    storage = storages["default"]
    kept = storage.save("calls/attachments/hakemus.pdf", ContentFile(b"%PDF-1.4 kept"))
    call_command("backup_portal", str(tmp_path / "b"))
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    (entry,) = manifest["bucket"]["objects"]
    copy = tmp_path / "b" / "bucket" / entry["sha256"]
    if damage == "object changed":
        copy.write_bytes(b"%PDF-1.4 kepT")  # same size, other content
    elif damage == "object missing":
        copy.unlink()
    else:
        with (tmp_path / "b" / "database.dump").open("ab") as dump:
            dump.write(b"\0")
    # What the restore would have replaced: a row and an object made after the backup.
    Organisation.objects.create(name="Jälkeen Oy", kind="company", business_id="0201256-6")
    client.put_object(Bucket=name, Key="reports/later.pdf", Body=b"after")

    with pytest.raises(CommandError, match="Nothing was restored: .* does not match"):
        call_command("restore_portal", str(tmp_path / "b"))

    assert Organisation.objects.filter(name="Jälkeen Oy").exists()
    assert set(bucket_objects(client, name)) == {kept, "reports/later.pdf"}


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_bucket_backup_where_no_bucket_is_configured(bucket, tmp_path, settings):
    storages["default"].save("calls/attachments/hakemus.pdf", ContentFile(b"%PDF-1.4"))
    call_command("backup_portal", str(tmp_path / "b"))
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    Organisation.objects.create(name="Jälkeen Oy", kind="company", business_id="0201256-6")
    with pytest.raises(CommandError, match="no bucket configured"):
        call_command("restore_portal", str(tmp_path / "b"))
    assert Organisation.objects.filter(name="Jälkeen Oy").exists()

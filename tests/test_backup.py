"""`make backup` / `make restore`: a round trip that loses nothing, uploaded files included."""

from pathlib import Path

import pytest
from django.core.management import call_command

from governance.models import Organisation, Person, Seat


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
    from django.core.management.base import CommandError

    kept = settings_media_root / "kept.txt"
    kept.write_text("still here")
    (tmp_path / "not-a-backup").mkdir()
    with pytest.raises(CommandError, match="not a backup"):
        call_command("restore_portal", str(tmp_path / "not-a-backup"))
    assert kept.read_text() == "still here"

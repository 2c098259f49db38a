"""Bad uploads to every upload field: a file of the wrong type, one over the size limit and one
whose extension lies about its contents. Each asserts the message shown on the field and that
nothing was saved: no record, no file in MEDIA_ROOT, no import kept for a later "confirm".

The upload fields (``test_every_upload_field_is_in_this_suite`` finds them all):

- the projects import (CSV or XLSX, 5 MB) and the organisation import (CSV or XLSX, 5 MB): the
  name is checked by the form; the contents by ``projects.tables``, which names a PDF, a program,
  a workbook or an image posing as CSV, and anything posing as a workbook;
- a call's applications import (CSV, 2 MB): the same, and a workbook is refused by its name;
- an application's attachment (PDF, 10 MB): ``validate_pdf`` checks the name, the declared type
  and the first bytes;
- an event's material, on the event page and in the admin (PDF, Office, OpenDocument, PNG, JPEG;
  20 MB): the extension, the size and ``validate_material_content``, which reads the first bytes,
  or, for the zip-based Office and OpenDocument files, what the zip holds.

The monitoring report's file (``Report.file``) is written by the report job, never uploaded.
"""

import io
import zipfile
from dataclasses import dataclass, field

import openpyxl
import pytest
from django import forms
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse

from calls import demo as calls_demo
from calls.models import ATTACHMENT_MAX_BYTES, Application, ApplicationAttachment, Call
from coordination.demo import DEMO_EVENT
from coordination.models import MATERIAL_MAX_BYTES, Event, EventMaterial
from governance.models import Organisation
from projects.models import Project
from tests.test_bad_input_imports import shown_errors

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00 This program cannot be run"
HTML = b"<!DOCTYPE html><html><body><script>alert('6aika')</script></body></html>"


def zip_of(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def xlsx() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["otsikko"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


DOCX = zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODT = zip_of({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
PLAIN_ZIP = zip_of({"readme.txt": b"not a document"})
GOOD_CSV = (
    b"name,kind,business_id,city\nUusi Oy,company,,oulu\n",
    b"title,stage,applicant,summary,budget,requested\nUusi,idea,Oulun kaupunki,T,10,5\n",
)


@dataclass(frozen=True)
class Upload:
    id: str
    model: type[models.Model]
    limit: int  # bytes
    good: tuple[tuple[str, bytes], ...]  # accepted (name, contents)
    wrong_type: tuple[tuple[str, bytes, str], ...]  # (name, contents, message)
    lying: tuple[tuple[str, bytes, str], ...]  # (name, contents, message)
    over_limit: tuple[str, bytes, str]  # (name, the first bytes, message)
    data: dict[str, str] = field(default_factory=dict)
    session_key: str = ""
    content_type: str = "application/octet-stream"

    def url(self) -> str:
        if self.id == "projects-import":
            return reverse("projects:import")
        if self.id == "applications-import":
            call = Call.objects.get(name=calls_demo.DEMO_OPEN_CALL)
            return reverse("calls:application_import", args=[call.pk])
        if self.id == "organisations-import":
            return reverse("reports:organisations_import")
        if self.id == "application-attachment":
            application = Application.objects.get(title=calls_demo.DEMO_IDEA)
            return reverse("calls:attachment_add", args=[application.pk])
        if self.id == "event-material":
            return reverse("coordination:event_material_add", args=[demo_event().pk])
        return reverse("admin:coordination_eventmaterial_add")

    def post_data(self) -> dict[str, object]:
        if self.id == "event-material-admin":
            return {
                "event": demo_event().pk,
                "title": "Kalvot",
                "url": "",
                "added_at_0": "2026-01-15",
                "added_at_1": "10:00:00",
            }
        return dict(self.data)

    def count(self) -> int:
        if self.model is Project:  # the import also creates organisations
            return Project.objects.count() + Organisation.objects.count()
        return self.model.objects.count()


def demo_event() -> Event:
    return Event.objects.get(title=DEMO_EVENT)


def lies(name: str, content: bytes, kind: str) -> tuple[str, bytes, str]:
    extension = name.rsplit(".", 1)[-1]
    return (name, content, f"Tiedoston {name} pääte on .{extension}, mutta sen sisältö on {kind}")


UPLOADS = [
    Upload(
        "projects-import",
        Project,
        5 * 1024 * 1024,
        good=(("hankkeet.xlsx", b""),),  # made in the test: a workbook with the right columns
        wrong_type=(
            ("hankkeet.pdf", PDF, "Lataa .csv- tai .xlsx-tiedosto."),
            ("hankkeet.exe", EXE, "Lataa .csv- tai .xlsx-tiedosto."),
        ),
        lying=(
            lies("hankkeet.csv", PDF, "PDF-asiakirja"),
            lies("hankkeet.csv", EXE, "ohjelma"),
            lies("hankkeet.csv", xlsx(), "XLSX-työkirja"),
            lies("hankkeet.csv", PNG, "kuva"),
            lies("hankkeet.xlsx", PDF, "PDF-asiakirja"),
            lies("hankkeet.xlsx", b"code,name_fi\n", "tekstiä"),
            lies("hankkeet.xlsx", PLAIN_ZIP, "zip-tiedosto"),
            lies("hankkeet.xlsx", DOCX, "zip-tiedosto (esim. Word- tai OpenDocument-tiedosto)"),
        ),
        over_limit=("hankkeet.csv", b"code,name_fi\n", "Tiedosto on liian suuri (enintään 5 Mt)."),
        session_key="projects_import_file",
    ),
    Upload(
        "applications-import",
        Application,
        2 * 1024 * 1024,
        good=(("hakemukset.csv", GOOD_CSV[1]),),
        wrong_type=(
            ("hakemukset.xlsx", xlsx(), "Lataa .csv-tiedosto."),
            ("hakemukset.pdf", PDF, "Lataa .csv-tiedosto."),
        ),
        lying=(
            lies("hakemukset.csv", PDF, "PDF-asiakirja"),
            lies("hakemukset.csv", EXE, "ohjelma"),
            lies("hakemukset.csv", xlsx(), "XLSX-työkirja"),
            lies("hakemukset.txt", JPEG, "kuva"),
        ),
        over_limit=("hakemukset.csv", b"title\n", "enintään 2 Mt"),
        session_key="calls_applications_import",
    ),
    Upload(
        "organisations-import",
        Organisation,
        5 * 1024 * 1024,
        good=(("organisaatiot.csv", GOOD_CSV[0]),),
        wrong_type=(
            ("organisaatiot.pdf", PDF, "Tiedoston pitää olla CSV- tai XLSX-muotoinen."),
            ("organisaatiot.html", HTML, "Tiedoston pitää olla CSV- tai XLSX-muotoinen."),
        ),
        lying=(
            lies("organisaatiot.csv", PDF, "PDF-asiakirja"),
            lies("organisaatiot.csv", EXE, "ohjelma"),
            lies("organisaatiot.xlsx", PDF, "PDF-asiakirja"),
            lies("organisaatiot.xlsx", HTML, "tekstiä"),
            lies("organisaatiot.xlsx", ODT, "zip-tiedosto"),
        ),
        over_limit=("organisaatiot.csv", b"name,kind\n", "Tiedosto on suurempi kuin 5 Mt."),
        session_key="coordination_organisations_import",
    ),
    Upload(
        "application-attachment",
        ApplicationAttachment,
        ATTACHMENT_MAX_BYTES,
        good=(("liite.pdf", PDF),),
        wrong_type=(
            ("liite.docx", DOCX, "ei ole .pdf-tiedosto"),
            ("liite.exe", EXE, "ei ole .pdf-tiedosto"),
        ),
        lying=(
            ("liite.pdf", HTML, "sisältö ei ole PDF-asiakirja"),
            ("liite.pdf", PNG, "sisältö ei ole PDF-asiakirja"),
            ("liite.pdf", EXE, "sisältö ei ole PDF-asiakirja"),
            ("liite.exe", PDF, "ei ole .pdf-tiedosto"),
        ),
        over_limit=("liite.pdf", PDF, "suurin sallittu koko on 10 Mt"),
        data={"title": "Liite"},
        content_type="application/pdf",
    ),
    *[
        Upload(
            upload_id,
            EventMaterial,
            MATERIAL_MAX_BYTES,
            good=(
                ("kalvot.pdf", PDF),
                ("kuva.png", PNG),
                ("kuva.jpg", JPEG),
                ("muistio.docx", DOCX),
                ("taulukko.xlsx", xlsx()),
                ("muistio.odt", ODT),
            ),
            wrong_type=(
                ("ohjelma.exe", EXE, 'Pääte "exe" ei ole sallittu'),
                ("sivu.html", HTML, 'Pääte "html" ei ole sallittu'),
            ),
            lying=(
                ("kalvot.pdf", HTML, "pääte on .pdf, mutta sen sisältö ei ole PDF-tiedosto"),
                ("kalvot.pdf", PNG, "pääte on .pdf, mutta sen sisältö ei ole PDF-tiedosto"),
                ("kalvot.pdf", EXE, "pääte on .pdf, mutta sen sisältö ei ole PDF-tiedosto"),
                ("kuva.png", PDF, "sisältö ei ole PNG-tiedosto"),
                ("kuva.jpg", HTML, "sisältö ei ole JPG-tiedosto"),
                ("muistio.docx", PLAIN_ZIP, "sisältö ei ole DOCX-tiedosto"),
                ("taulukko.xlsx", DOCX, "sisältö ei ole XLSX-tiedosto"),
                ("muistio.odt", DOCX, "sisältö ei ole ODT-tiedosto"),
                ("kalvot.exe", PDF, 'Pääte "exe" ei ole sallittu'),
            ),
            over_limit=("iso.pdf", PDF, "suurin sallittu on 20 Mt"),
            data={"title": "Kalvot"},
        )
        for upload_id in ("event-material", "event-material-admin")
    ],
]


@pytest.fixture
def media(settings, tmp_path):
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


def files_in(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def _post(client, upload: Upload, name: str, content: bytes):
    file = SimpleUploadedFile(name, content, content_type=upload.content_type)
    return client.post(upload.url(), {**upload.post_data(), "file": file})


def assert_refused(client, upload: Upload, media, name: str, content: bytes, message: str):
    before = upload.count()
    response = _post(client, upload, name, content)
    assert response.status_code in (200, 400), response.status_code  # the admin answers 200
    errors = shown_errors(response.content.decode())
    assert any(column == "file" and message in text for _r, column, text in errors), (
        f"{name}: {message!r} is not on the file field: {errors}"
    )
    assert upload.count() == before, f"{name}: a record was saved"
    assert files_in(media) == [], f"{name}: a file was written into MEDIA_ROOT"
    if upload.session_key:
        assert upload.session_key not in client.session, f"{name}: kept for a confirm"


@pytest.fixture
def office(client_as):
    return client_as("toimisto")


def _ids(kind: str) -> list:
    return [
        pytest.param(u, case, id=f"{u.id}-{case[0]}-{i}")
        for u in UPLOADS
        for i, case in enumerate(getattr(u, kind))
    ]


@pytest.mark.parametrize(("upload", "case"), _ids("wrong_type"))
def test_a_file_of_the_wrong_type_is_refused_on_the_field(office, media, upload, case):
    name, content, message = case
    assert_refused(office, upload, media, name, content, message)


@pytest.mark.parametrize(("upload", "case"), _ids("lying"))
def test_a_file_whose_extension_lies_is_refused_on_the_field(office, media, upload, case):
    name, content, message = case
    assert_refused(office, upload, media, name, content, message)


@pytest.mark.parametrize("upload", UPLOADS, ids=[u.id for u in UPLOADS])
def test_a_file_over_the_limit_is_refused_on_the_field(office, media, upload):
    name, head, message = upload.over_limit
    content = head + b"\n" * (upload.limit + 1 - len(head))
    assert_refused(office, upload, media, name, content, message)


@pytest.mark.parametrize(("upload", "case"), _ids("good"))
def test_the_right_file_is_accepted(office, media, upload, case):
    """The refusals above are for what the files are: the same field takes the right one."""
    name, content = case
    if upload.id == "projects-import":
        book = openpyxl.Workbook()
        from projects.exports import PORTFOLIO_COLUMNS

        book.active.append(PORTFOLIO_COLUMNS)
        book.active.append(["T99001", "Työkirjasta", "", "6aika", "Oulun kaupunki"])
        out = io.BytesIO()
        book.save(out)
        content = out.getvalue()
    response = _post(office, upload, name, content)
    assert response.status_code in (200, 302), shown_errors(response.content.decode())
    assert [e for e in shown_errors(response.content.decode()) if e[1] == "file"] == []
    if upload.model in (ApplicationAttachment, EventMaterial):
        stored = upload.model.objects.order_by("-pk").first()
        assert stored.file.read() == content
        assert files_in(media) == [stored.file.name]


def test_every_upload_field_is_in_this_suite():
    """A new upload field (a form's or a model's FileField) fails here until it is added."""
    import projects.forms  # noqa: F401 - the forms modules define the forms below

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    portal = (
        "projects.",
        "calls.",
        "coordination.",
        "reports.",
        "governance.",
        "core.",
        "sixaika.",
    )
    form_fields = sorted(
        f"{form.__module__}.{form.__name__}.{name}"
        for form in subclasses(forms.BaseForm)
        if form.__module__.startswith(portal)
        for name, form_field in form.base_fields.items()
        if isinstance(form_field, forms.FileField)
    )
    assert form_fields == [
        "calls.forms.AttachmentForm.file",  # application-attachment
        "calls.forms.ImportForm.file",  # applications-import
        "coordination.forms.EventMaterialForm.file",  # event-material (and the admin's form)
        "projects.forms.ImportForm.file",  # projects-import
        "reports.forms.OrganisationImportForm.file",  # organisations-import
    ]
    model_fields = sorted(
        f"{model._meta.label}.{f.name}"
        for model in apps.get_models()
        if model.__module__.startswith(portal)
        for f in model._meta.get_fields()
        if isinstance(f, models.FileField)
    )
    assert model_fields == [
        "calls.ApplicationAttachment.file",  # application-attachment (read-only admin)
        "coordination.EventMaterial.file",  # event-material, event-material-admin
        "reports.Report.file",  # written by the report job, no upload
    ]

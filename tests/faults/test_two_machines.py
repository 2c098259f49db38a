"""More than one machine: two web processes and a worker (the compose file's web and worker
commands with production settings, on loopback, as tests/faults/test_production_stack.py runs
them), each with a media folder of its own, sharing one PostgreSQL, one Redis queue and one
bucket on a real S3 server (moto's server mode, tests/s3.py).

An application attachment uploaded through the first web machine is downloaded through the
second by a board member and refused to a funder and to a visitor; approving minutes on the
first machine has the worker make their PDF, once, into the bucket, and the second machine
serves that file without making it again. No machine keeps a file on its own disk.
"""

import contextlib
import os
import re
import signal
import subprocess
import uuid
from datetime import timedelta

import pytest
import requests
from django.urls import reverse
from django.utils import timezone

from calls import demo as calls_demo
from calls.models import Application, ApplicationAttachment
from governance import services as governance_services
from governance.models import Body, Minutes
from tests.governance.conftest import attend, check_minutes, sign_minutes, voting_seats
from tests.production_env import (
    HOST,
    HOSTNAME,
    PROXIED,
    READY,
    SECRET,
    healthcheck,
    healthy,
    production_env,
    service_command,
    session_cookie,
)
from tests.s3 import KEYS, REGION, bucket_objects
from tests.waiting import start

from .conftest import PYTHON, ROOT, free_port
from .test_worker_killed import _database_url

pytestmark = pytest.mark.django_db(transaction=True)

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")


def _files_on_disk(folder) -> list:
    return [p for p in folder.rglob("*") if p.is_file()]


@pytest.fixture
def machines(tmp_path, bucket, s3_server, settings):
    """Two web machines and a worker machine: production settings, the bucket, a queue of the
    test's own, disks of their own."""
    _client, name = bucket
    env = production_env(
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS=HOST,
        DATABASE_URL=_database_url(),
        REDIS_URL=REDIS_URL,
        CELERY_BROKER_URL=REDIS_URL,
        CELERY_TASK_ALWAYS_EAGER="false",
        SIXAIKA_TRUSTED_PROXIES="1",
        SIXAIKA_S3_BUCKET=name,
        SIXAIKA_S3_ENDPOINT_URL=s3_server,
        SIXAIKA_S3_REGION=REGION,
        SIXAIKA_S3_ACCESS_KEY_ID=KEYS["access_key"],
        SIXAIKA_S3_SECRET_ACCESS_KEY=KEYS["secret_key"],
        # Two-step sign-in is tested on its own (tests/test_two_factor.py); here the office
        # and the board act with the sessions this process makes.
        SIXAIKA_2FA_REQUIRED_ROLES="",
        SIXAIKA_2FA_REQUIRED_BODIES="",
        DJANGO_STATIC_ROOT=str(tmp_path / "staticfiles"),
        DJANGO_STATIC_COMPRESS="false",
        GUNICORN_WORKERS="1",
        # The compose worker takes this queue, and nothing of the other tests on this Redis.
        CELERY_TASK_DEFAULT_QUEUE=f"two-machines-{uuid.uuid4().hex}",
        WORKER_CONCURRENCY="1",
        HOSTNAME=HOSTNAME,
    )
    subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    settings.SECRET_KEY = SECRET  # the sessions this process makes are the machines' sessions
    started = []
    try:
        for number, service in ((1, "web"), (2, "web"), (3, "worker")):
            port = free_port()
            disk = tmp_path / f"machine-{number}-disk"
            disk.mkdir()
            paths = {"/app/var/beat": str(tmp_path), "127.0.0.1:8000": f"127.0.0.1:{port}"}
            machine_env = {
                **env,
                "GUNICORN_BIND": f"127.0.0.1:{port}",
                "DJANGO_MEDIA_ROOT": str(disk),
            }
            log = tmp_path / f"machine-{number}.log"
            process, output = start(
                service_command(service, paths),
                log,
                cwd=ROOT,
                env=machine_env,
                start_new_session=True,
            )
            started.append(
                {"url": f"http://127.0.0.1:{port}", "disk": disk, "log": log, "process": process,
                 "output": output, "check": healthcheck(service, paths), "env": machine_env,
                 "service": service}
            )  # fmt: skip
        # Ready when it says so; then healthy as compose's healthcheck sees it (web: the
        # database, Redis and the bucket; the worker: a ping).
        for machine in started:
            machine["output"].wait_for(READY[machine["service"]], 120, f"{machine['url']} ready")
            assert healthy(machine["check"], machine["env"]), machine["output"].context()
        yield started
    finally:
        for machine in started:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(machine["process"].pid, signal.SIGTERM)
        for machine in started:
            try:
                machine["process"].wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(machine["process"].pid, signal.SIGKILL)
                machine["process"].wait(timeout=30)
        for machine in started:
            machine["output"].close()
        _forget_queue(env["CELERY_TASK_DEFAULT_QUEUE"])


def _forget_queue(queue: str) -> None:
    """The test's queue and kombu's bindings of it, and nothing else, out of the shared Redis."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    client.close()


def _signed_minutes(office, chair) -> Minutes:
    """A board meeting held an hour ago, its one item decided, its minutes checked and signed."""
    board = Body.objects.get(kind=Body.Kind.BOARD)
    meeting = governance_services.meeting_create(
        body=board,
        starts_at=timezone.now() - timedelta(hours=1),
        place="Espoon kaupungintalo",
        by=office,
    )
    item = governance_services.agenda_item_add(
        meeting=meeting,
        title="Hankerahoitus: Kahden koneen satama",
        draft_decision="Johtoryhmä myöntää rahoituksen.",
        by=office,
    )
    attend(meeting, voting_seats(board), office)
    governance_services.decision_record(
        item=item, outcome="approved", text="Rahoitus myönnetty.", by=chair
    )
    minutes = governance_services.minutes_draft(meeting=meeting, by=office)
    return sign_minutes(check_minutes(minutes, office))


def _post(machine: dict, page: str, target: str, cookie: str, **kwargs) -> requests.Response:
    """A form posted as a browser would: the page first (its CSRF token), then the form."""
    shown = requests.get(machine["url"] + page, headers={**PROXIED, "Cookie": cookie}, timeout=30)
    assert shown.status_code == 200, machine["log"].read_text()[-3000:]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', shown.text).group(1)
    csrf_cookie = re.search(r"csrftoken=([^;]+)", shown.headers["Set-Cookie"]).group(1)
    return requests.post(
        machine["url"] + target,
        data={**kwargs.pop("data"), "csrfmiddlewaretoken": token},
        headers={
            **PROXIED,
            "Cookie": f"{cookie}; csrftoken={csrf_cookie}",
            "Referer": f"https://{HOST}{page}",
        },
        allow_redirects=False,
        timeout=60,
        **kwargs,
    )


def test_a_file_uploaded_and_minutes_approved_on_one_machine_are_served_by_the_other(
    machines, bucket, demo_users
):
    client, name = bucket
    one, two, worker = machines
    office = demo_users["toimisto"]
    office_cookie = f"sessionid={session_cookie(office)}"
    application = Application.objects.get(title=calls_demo.DEMO_IDEA)
    minutes = _signed_minutes(office, demo_users["johtoryhma-pj"])
    assert not [key for key in bucket_objects(client, name) if key.startswith("minutes/")]

    # The office uploads an attachment through machine one: it lands in the bucket.
    pdf = b"%PDF-1.4\n% kahden koneen liite \xe4\n%%EOF\n"
    form = reverse("calls:attachment_add", args=[application.pk])
    uploaded = _post(
        one,
        form,
        form,
        office_cookie,
        data={"title": "Budjetti"},
        files={"file": ("budjetti.pdf", pdf, "application/pdf")},
    )
    assert uploaded.status_code == 302, uploaded.text[:2000]
    attachment = ApplicationAttachment.objects.get(application=application)
    assert bucket_objects(client, name)[attachment.file.name] == pdf

    # The office approves the minutes through machine one: the worker makes their PDF, once.
    approved = _post(
        one,
        reverse("meetings:detail", args=[minutes.meeting_id]),
        reverse("meetings:minutes_action", args=[minutes.meeting_id]),
        office_cookie,
        data={"action": "approve"},
    )
    assert approved.status_code == 302, approved.text[:2000]
    minutes.refresh_from_db()
    assert minutes.is_locked

    def minutes_made() -> dict[str, bytes]:
        return {k: v for k, v in bucket_objects(client, name).items() if k.startswith("minutes/")}

    # Asked again at every line the worker logs (its task's lines among them).
    worker["output"].until(minutes_made, 180, "the minutes' PDF made by the worker")
    made = minutes_made()
    assert list(made) == [f"minutes/{minutes.pk}/{next(iter(made)).rsplit('/', 1)[1]}"]
    assert next(iter(made)).split("/")[2].startswith("fi-")
    (minutes_pdf,) = made.values()
    assert minutes_pdf.startswith(b"%PDF")

    # Machine two, which never saw either file, serves both through the permission checks.
    download = two["url"] + reverse("calls:attachment", args=[attachment.pk])
    member = f"sessionid={session_cookie(demo_users['johtoryhma'])}"
    served = requests.get(download, headers={**PROXIED, "Cookie": member}, timeout=30)
    assert served.status_code == 200 and served.content == pdf
    assert "private" in served.headers["Cache-Control"]
    assert "no-store" in served.headers["Cache-Control"]
    funder = f"sessionid={session_cookie(demo_users['rahoittaja'])}"
    refused = requests.get(download, headers={**PROXIED, "Cookie": funder}, timeout=30)
    assert refused.status_code == 403 and refused.content != pdf
    visitor = requests.get(download, headers=PROXIED, allow_redirects=False, timeout=30)
    assert visitor.status_code == 302 and "/accounts/login/" in visitor.headers["Location"]

    public = two["url"] + reverse("meetings:minutes_pdf", args=[minutes.meeting_id])
    for _reader in range(2):
        read = requests.get(public, headers={**PROXIED, "Accept-Language": "fi"}, timeout=60)
        assert read.status_code == 200 and read.content == minutes_pdf
    # Served from the file approval made: no second PDF in the bucket.
    assert [k for k in bucket_objects(client, name) if k.startswith("minutes/")] == list(made)

    for machine in machines:
        assert not _files_on_disk(machine["disk"]), machine["disk"]

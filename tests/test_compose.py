"""The docker-compose stack and the image as a city's IT runs them: every portal service gets
.env, web, worker and beat have healthchecks, the image has one, the broker and the cache are
apart, beat keeps its state, web is published on loopback only, and nothing secret or private
is in the build context. The commands themselves run in tests/faults/test_production_stack.py.
"""

import fnmatch
import re
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
PORTAL_SERVICES = ("migrate", "web", "worker", "beat")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_every_portal_service_reads_env_file(compose):
    for name in PORTAL_SERVICES:
        service = compose["services"][name]
        assert service["env_file"] == [".env"], name
        assert service["environment"]["DJANGO_SETTINGS_MODULE"] == "sixaika.settings.production"


def test_web_worker_and_beat_have_healthchecks_and_the_image_too(compose):
    services = compose["services"]
    assert "/readyz/" in " ".join(services["web"]["healthcheck"]["test"])
    assert "inspect ping" in " ".join(services["worker"]["healthcheck"]["test"])
    beat_check = " ".join(services["beat"]["healthcheck"]["test"])
    assert "--fresh" in beat_check and "/app/var/beat/celerybeat-schedule" in beat_check
    assert services["migrate"]["healthcheck"] == {"disable": True}
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^HEALTHCHECK .*\n\s+CMD .*readyz", dockerfile, re.MULTILINE)


def test_broker_and_cache_are_separate_redis_databases(compose):
    env = compose["services"]["web"]["environment"]
    assert env["REDIS_URL"].rsplit("/", 1)[0] == env["CELERY_BROKER_URL"].rsplit("/", 1)[0]
    assert env["REDIS_URL"] != env["CELERY_BROKER_URL"]
    assert env["CELERY_TASK_ALWAYS_EAGER"] == "false"


def test_beat_state_survives_a_restart_and_workers_recycle(compose):
    beat = compose["services"]["beat"]
    assert "--schedule=/app/var/beat/celerybeat-schedule" in beat["command"]
    assert "beat:/app/var/beat" in beat["volumes"] and "beat" in compose["volumes"]
    worker = compose["services"]["worker"]["command"]
    assert "--max-tasks-per-child=" in worker and "--max-memory-per-child=" in worker


def test_web_is_published_on_loopback_by_default(compose):
    (published,) = compose["services"]["web"]["ports"]
    assert published.startswith("${WEB_PUBLISH:-127.0.0.1:")
    assert "gunicorn -c sixaika/gunicorn.conf.py" in compose["services"]["web"]["command"]


def test_load_6aika_at_deploy_does_not_resync(compose):
    command = compose["services"]["migrate"]["command"]
    assert "load_6aika" in command and "--resync" not in command


def test_the_image_installs_only_hashed_pins():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert (
        "pip install --no-cache-dir --require-hashes --no-deps -r requirements.lock" in dockerfile
    )
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    pins = re.findall(
        r"^([A-Za-z0-9_.\-]+)==\S+ \\\n(?:\s+--hash=sha256:[0-9a-f]{64}.*\n)+", lock, re.M
    )
    names = {p.lower().replace("_", "-") for p in pins}
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name = re.split(r"[\[=]", line)[0].lower().replace("_", "-")
            assert name in names, f"{name} of requirements.txt is not in requirements.lock"
    assert "django==5.2.20" in lock.lower()


# --- The build context ---------------------------------------------------------------------


def _patterns() -> list[tuple[bool, str]]:
    lines = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    found = []
    for line in lines:
        line = line.strip()
        if line and not line.startswith("#"):
            negated = line.startswith("!")
            found.append((negated, line.lstrip("!").strip("/")))
    return found


def _matches(pattern: str, path: str) -> bool:
    """Docker's rule: a pattern matches the path or any folder above it; ``**`` spans folders."""
    parts = path.split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    regex = re.escape(pattern).replace(r"\*\*/", "(?:.*/)?").replace(r"\*\*", ".*")
    regex = regex.replace(r"\*", "[^/]*").replace(r"\?", "[^/]")
    return any(re.fullmatch(regex, c) for c in candidates)


def in_context(path: str) -> bool:
    """Whether ``docker build`` sends ``path`` (relative to the root) to the builder."""
    included = True
    for negated, pattern in _patterns():
        if _matches(pattern, path):
            included = negated
    return included


@pytest.mark.parametrize(
    "path",
    [
        ".env",
        ".env.production",
        "backups/2026-12-01T0300/database.dump",
        "backups/2026-12-01T0300/media.tar.gz",
        "media/reports/board-2026-03-15-1.pdf",
        "var/db.sqlite3",
        "var/media/calls/attachments/budget.pdf",
        "tests/test_compose.py",
        "bench/run.py",
        "test-artifacts/screenshots/home.png",
        ".git/config",
        ".venv/bin/python",
        "server.key",
        "governance/__pycache__/models.cpython-311.pyc",
    ],
)
def test_secrets_data_and_tools_are_not_in_the_build_context(path):
    assert not in_context(path), path


@pytest.mark.parametrize(
    "path",
    [
        ".env.example",
        "manage.py",
        "requirements.lock",
        "sixaika/gunicorn.conf.py",
        "sixaika/settings/production.py",
        "scripts/probe.py",
        "locale/fi/LC_MESSAGES/django.po",
        "governance/templates/governance/bodies.html",
        "static/css/portal.css",
    ],
)
def test_what_the_image_runs_is_in_the_build_context(path):
    assert in_context(path), path


def test_every_tracked_file_the_image_needs_is_sent_and_no_secret_is():
    tracked = subprocess.run(
        ["git", "ls-files"],  # noqa: S607 - git is on PATH wherever the repository is
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    sent = [p for p in tracked if in_context(p)]
    assert "manage.py" in sent and any(p.startswith("sixaika/") for p in sent)
    assert not [p for p in sent if fnmatch.fnmatch(p, "tests/*")]
    assert not [p for p in sent if p != ".env.example" and ".env" in p.split("/")[-1]]

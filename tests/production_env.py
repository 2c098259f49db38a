"""The environment of a production process that starts: what README "Production" asks for,
pointing at the loopback PostgreSQL and Redis. Tests take away or change one variable.

And the compose file's services as they run here without Docker: a service's command and
healthcheck turned into this machine's argv (this Python, the test's folders and port).
"""

import os
import re
import shlex
import socket
import subprocess
import sys
from pathlib import Path

import yaml
from django.test import Client

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
SECRET = "smoke-test-secret-key-not-for-production-0123456789abcdefghijkl"
HOST = "portaali.6aika.fi"
HOSTNAME = socket.gethostname()
# What the TLS proxy in front adds to every request it passes on.
PROXIED = {"Host": HOST, "X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.23"}
# What each service says once it can do its work: a gunicorn worker has loaded the portal
# (sixaika/gunicorn.conf.py), the Celery worker consumes, beat has opened its schedule file.
READY = {
    "web": r"Worker ready \(pid: \d+\)",
    "worker": r"worker@\S+ ready\.",
    "beat": r"beat: schedule in ",
}

STRIPPED = ("DJANGO_", "DATABASE_", "SIXAIKA_", "EMAIL_", "CELERY_", "REDIS_", "SENTRY_")

VALID = {
    "DJANGO_SETTINGS_MODULE": "sixaika.settings.production",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
    "DJANGO_ALLOWED_HOSTS": "portaali.6aika.fi",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    "REDIS_URL": "redis://127.0.0.1:6379/11",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/10",
    "EMAIL_URL": "smtp+tls://portaali:salasana@smtp.kaupunki.fi:587",
    "SIXAIKA_BASE_URL": "https://portaali.6aika.fi",
    "DJANGO_DEFAULT_FROM_EMAIL": "portaali@6aika.fi",
}


def production_env(**changes: str | None) -> dict[str, str]:
    """The process environment without the portal's variables, then ``VALID`` with ``changes``
    (a value of None leaves that variable out)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(STRIPPED)}
    env.update({k: v for k, v in {**VALID, **changes}.items() if v is not None})
    return env


def compose_file() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def interpolate(text: str) -> str:
    """Compose's ${VAR:-default} with the defaults (nothing is set in .env here), $$ -> $."""
    text = re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", text)
    return text.replace("$$", "$")


def _local(argv: list[str], paths: dict[str, str]) -> list[str]:
    """A container's command as it runs here: this Python, the folders of this test."""
    argv = [a.replace("/app/var/beat", paths["/app/var/beat"]) for a in argv]
    if argv[0] in ("celery", "gunicorn"):
        return [PYTHON, "-m", argv[0], *argv[1:]]
    if argv[0] == "python":
        return [PYTHON, *argv[1:]]
    return argv


def service_command(service: str, paths: dict[str, str]) -> list[str]:
    return _local(shlex.split(interpolate(compose_file()["services"][service]["command"])), paths)


def healthcheck(service: str, paths: dict[str, str]) -> list[str]:
    kind, *test = compose_file()["services"][service]["healthcheck"]["test"]
    if kind == "CMD-SHELL":
        test = shlex.split(interpolate(test[0]))
    # What the container's shell would expand: its hostname (the worker's node name).
    argv = [
        a.replace("127.0.0.1:8000", paths["127.0.0.1:8000"]).replace("$HOSTNAME", HOSTNAME)
        for a in test
    ]
    return _local([interpolate(a) for a in argv], paths)


def healthy(argv: list[str], env: dict[str, str]) -> bool:
    done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, timeout=60, check=False)  # noqa: S603
    return done.returncode == 0


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client.cookies["sessionid"].value

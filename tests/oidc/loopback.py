"""A real OpenID Connect provider on loopback for the tests: tests/oidc/provider (a small Django
project using django-oauth-toolkit) in a subprocess on a free port, with its own SQLite database
and a fresh RS256 key; plus a browser-like round trip through its login form.
"""

import os
import secrets
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import requests

from tests import once
from tests.waiting import start

ROOT = Path(__file__).resolve().parents[2]
CALLBACK = "/accounts/oidc/callback/"
PASSWORD = "provider-pass-6aika"
CLIENT_ID = "sixaika-portal"
CLIENT_SECRET = "portal-client-secret-for-tests"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LoopbackProvider:
    port: int
    token: str
    process: subprocess.Popen | None = None
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def issuer(self) -> str:
        return f"{self.url}/o"

    def start(self, workdir: Path) -> "LoopbackProvider":
        workdir.mkdir(parents=True, exist_ok=True)
        database = workdir / "provider.sqlite3"
        if not database.exists():  # a copy of the run's migrated database (seconds of CPU)
            shutil.copyfile(once.result("oidc-provider-db", _migrated_database), database)
        env = _provider_env(database)
        env.update(PROVIDER_ISSUER=self.issuer, PROVIDER_CONTROL_TOKEN=self.token)
        self.log_path = workdir / "provider.log"
        self.process, output = start(
            [sys.executable, "-m", "tests.oidc.provider.serve", str(self.port)],
            self.log_path,
            cwd=ROOT,
            env=env,
        )
        try:
            output.wait_for(r"^Listening on ", 60, "the test provider listening")
        except AssertionError:
            self.stop()
            raise
        answer = requests.get(f"{self.issuer}/.well-known/openid-configuration", timeout=30)
        assert answer.status_code == 200, f"the discovery document: {answer.status_code}"
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def control(self, **data) -> None:
        answer = requests.post(
            f"{self.url}/control/",
            json=data,
            headers={"X-Control-Token": self.token},
            timeout=10,
        )
        answer.raise_for_status()

    def register_portal(self, *redirect_bases: str) -> None:
        self.control(
            action="client",
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            redirect_uris=[base.rstrip("/") + CALLBACK for base in redirect_bases],
        )

    def user(self, username: str, groups: list[str], **profile) -> None:
        self.control(
            action="user",
            username=username,
            password=PASSWORD,
            groups=groups,
            email=profile.get("email", f"{username}@kaupunki.example"),
            given_name=profile.get("given_name", username.split(".")[0].title()),
            family_name=profile.get("family_name", "Testinen"),
        )

    def mode(self, mode: str) -> None:
        self.control(action="mode", mode=mode)

    def portal_settings(self, name: str = "Kaupungin tunnus") -> dict[str, str]:
        return {
            "name": name,
            "issuer": self.issuer,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "scopes": "openid email profile",
            "groups_claim": "groups",
            "sign_algo": "RS256",
        }


def _provider_env(database: Path) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "PYTEST_"))
    }
    env.update(PROVIDER_DB=str(database), PYTHONPATH=str(ROOT))
    return env


def _migrated_database() -> str:
    """The provider's database with its tables, made once per test run (``tests/once.py``)."""
    database = once.folder() / "oidc-provider.sqlite3"
    subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "tests.oidc.provider.serve", "0", "--migrate-only"],
        cwd=ROOT,
        env=_provider_env(database),
        check=True,
        capture_output=True,
        timeout=300,
    )
    return str(database)


def start_provider(tmp_path_factory, name: str) -> LoopbackProvider:
    return LoopbackProvider(port=free_port(), token=secrets.token_urlsafe(16)).start(
        tmp_path_factory.mktemp(name)
    )


def provider_round_trip(start_url: str, username: str, password: str = PASSWORD) -> str:
    """From the provider's authorisation URL to the portal's callback URL: sign in at the
    provider like a browser (its login form, CSRF and cookies) and return where it sends us."""
    session = requests.Session()
    url = start_url
    for _ in range(10):
        answer = session.get(url, allow_redirects=False, timeout=10)
        if answer.status_code == 200 and "csrfmiddlewaretoken" in answer.text:
            csrf = session.cookies.get("provider_csrftoken")
            answer = session.post(
                answer.url,
                data={
                    "csrfmiddlewaretoken": csrf,
                    "username": username,
                    "password": password,
                    "next": _next_of(url),
                },
                headers={"Referer": answer.url},
                allow_redirects=False,
                timeout=10,
            )
        if answer.status_code not in (301, 302, 303):
            raise AssertionError(f"provider answered {answer.status_code}: {answer.text[:500]}")
        url = urljoin(answer.url, answer.headers["Location"])
        if CALLBACK in url and not url.startswith(start_url.split("/o/")[0]):
            return url
    raise AssertionError("the provider never sent the browser back to the portal")


def _next_of(url: str) -> str:
    return parse_qs(urlsplit(url).query).get("next", [""])[0]

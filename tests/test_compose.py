"""The docker-compose stack and the image as a city's IT runs them: every portal service gets
.env, web, worker and beat have healthchecks, the image has one, the broker and the cache are
apart, beat keeps its state, web is published on loopback only, and nothing secret or private
is in the build context. The commands themselves run in tests/faults/test_production_stack.py.

No Docker engine runs where this suite runs, so the image is never built here: the Dockerfile is
read instead, against the lock file it installs, the build context and the compose commands.
"""

import fnmatch
import json
import platform
import re
import shlex
import subprocess
import sys
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
    """One pip install in the image: the lock, every file checked against its hashes, nothing
    resolved beyond it (test_the_lock_holds_every_package_its_packages_need); the lock made for
    the image's Python."""
    runs = [args for keyword, args in dockerfile() if keyword == "RUN"]
    installs = [run for run in runs if re.search(r"\bpip3? install\b", run)]
    assert installs == [
        "pip install --no-cache-dir --require-hashes --no-deps -r requirements.lock"
    ], installs
    header = re.search(
        r"pip-compile with Python (\d+\.\d+)", (ROOT / "requirements.lock").read_text()
    )
    assert header and header.group(1) == _image_python()
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


# --- The image, read without a Docker engine -------------------------------------------------
# No Docker engine runs on the machines this suite runs on, so the image is never built here.
# What can be known without one is checked: the Dockerfile's instructions, against the lock file
# the image installs (and the packages of that lock, which `make` installs from the same pins
# into the suite's environment), the build context and the compose file's commands.


def dockerfile() -> list[tuple[str, str]]:
    """The Dockerfile's instructions as (INSTRUCTION, arguments): continuations joined,
    comments dropped."""
    instructions, pending = [], ""
    for raw in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):
            continue
        pending = f"{pending} {line}".strip()
        if pending.endswith("\\"):
            pending = pending[:-1].rstrip()
            continue
        keyword, _, arguments = pending.partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
        pending = ""
    return instructions


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def lock_pins(name: str = "requirements.lock") -> dict[str, str]:
    lock = (ROOT / name).read_text(encoding="utf-8")
    return {_canonical(n): v for n, v in re.findall(r"^([A-Za-z0-9_.\-]+)==(\S+) \\$", lock, re.M)}


def _image_python() -> str:
    (base,) = [args for keyword, args in dockerfile() if keyword == "FROM"]
    found = re.fullmatch(r"python:(\d+\.\d+)(?:\.\d+)?-slim-(\w+)(?:@sha256:[0-9a-f]{64})?", base)
    assert found, f"the base image {base!r} is not an official python slim image"
    return found.group(1)


def test_the_lock_holds_every_package_its_packages_need():
    """pip --no-deps installs only what the lock names: every requirement of every locked package
    (for the image's Python on Linux, with the extras requirements.txt asks for) is locked too,
    at a version it accepts. The requirements are read from the packages' own metadata in this
    environment, which `make` installed from requirements-dev.lock at the same versions."""
    from importlib.metadata import distribution

    from packaging.markers import default_environment
    from packaging.requirements import Requirement

    pins, dev_pins = lock_pins(), lock_pins("requirements-dev.lock")
    differ = {n: (v, dev_pins.get(n)) for n, v in pins.items() if dev_pins.get(n) != v}
    assert not differ, f"the image and the tests would run other versions: {differ}"
    python = _image_python()
    # The tag names no patch release: the newest of that Python, which is at least the one the
    # lock was compiled and the suite runs with (markers such as python_full_version < "3.11.3").
    here = f"{sys.version_info.major}.{sys.version_info.minor}"
    assert here == python, f"the suite runs Python {here}, the image {python}"
    environment = {
        **default_environment(),
        "python_version": python,
        "python_full_version": platform.python_version(),
        "sys_platform": "linux",
        "platform_system": "Linux",
        "os_name": "posix",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
    }
    wanted = []
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            top = Requirement(line)
            wanted.append((_canonical(top.name), frozenset(top.extras)))
    seen, missing = set(), []
    while wanted:
        name, extras = wanted.pop()
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        dist = distribution(name)
        assert dist.version == pins[name], (name, dist.version, pins[name])
        for text in dist.requires or []:
            requirement = Requirement(text)
            if requirement.marker and not any(
                requirement.marker.evaluate({**environment, "extra": extra})
                for extra in (extras or {""}) | {""}
            ):
                continue
            needed = _canonical(requirement.name)
            if needed not in pins or not requirement.specifier.contains(
                pins[needed], prereleases=True
            ):
                missing.append(f"{name} needs {requirement}")
                continue
            wanted.append((needed, frozenset(requirement.extras)))
    assert not missing, missing


def test_the_image_runs_as_a_user_that_is_not_root():
    instructions = dockerfile()
    users = [(i, args) for i, (keyword, args) in enumerate(instructions) if keyword == "USER"]
    assert users, "no USER: the containers would run as root"
    position, user = users[-1]
    assert user.split(":")[0] not in ("root", "0")
    created = " ".join(args for keyword, args in instructions[:position] if keyword == "RUN")
    uid = re.search(rf"useradd [^&]*--uid (\d+) {re.escape(user)}\b", created)
    assert uid and int(uid.group(1)) != 0, created
    # What the volumes mount, and what the processes write, belongs to that user.
    for folder in ("/app/media", "/app/var", "/app/var/beat"):
        assert re.search(rf"chown {re.escape(user)} .*{re.escape(folder)}( |$)", created), folder
    after = [keyword for keyword, _args in instructions[position + 1 :]]
    assert "RUN" not in after and "COPY" not in after and "ADD" not in after


def test_the_image_copies_nothing_secret_and_fetches_nothing():
    """Every COPY source is in the build context after .dockerignore, and no secret or backup
    is: with ``COPY . .`` the context decides, which the tests above check path by path."""
    copies = [args for keyword, args in dockerfile() if keyword in ("COPY", "ADD")]
    assert copies and not [a for a in copies if re.search(r"https?://|--from", a)], copies
    assert not [keyword for keyword, _args in dockerfile() if keyword == "ADD"]
    for args in copies:
        *sources, _destination = [a for a in args.split() if not a.startswith("--")]
        for source in sources:
            assert source == "." or in_context(source), source
            assert not [
                p
                for p in (".env", "backups", "media", "var", "server.key")
                if source != "." and (source == p or source.startswith(f"{p}/"))
            ]
    assert not [a for k, a in dockerfile() if k in ("ENV", "ARG") and re.search(
        r"(SECRET|PASSWORD|TOKEN|DSN)\w*=(?!build\b)\S", a
    )]  # fmt: skip


def test_the_image_healthcheck_probes_what_the_web_service_probes(compose):
    (check,) = [args for keyword, args in dockerfile() if keyword == "HEALTHCHECK"]
    options, _, command = check.partition("CMD ")
    assert "--interval=" in options and "--timeout=" in options
    assert json.loads(command) == compose["services"]["web"]["healthcheck"]["test"][1:]
    (cmd,) = [args for keyword, args in dockerfile() if keyword == "CMD"]
    assert " ".join(json.loads(cmd)) == compose["services"]["web"]["command"]


def _programs(command: str) -> list[str]:
    """The programs a compose command starts: itself, or each step of its ``sh -c`` script."""
    argv = shlex.split(command.replace("$$", "$"))
    if argv[:2] == ["sh", "-c"]:
        return ["sh"] + [shlex.split(step)[0] for step in re.split(r"&&|\|\||;", argv[2])]
    return [argv[0]]


def test_the_compose_commands_are_on_the_images_path(compose):
    """Every program a portal service or its healthcheck starts is in the image: sh and python
    from the base image, the rest console scripts of packages the lock installs into
    /usr/local/bin (pip's prefix in the official image, on PATH for every user); every file
    they name is sent to the build."""
    from importlib.metadata import distribution

    pins = lock_pins()
    scripts = {
        entry.name: name
        for name in pins
        for entry in distribution(name).entry_points
        if entry.group == "console_scripts"
    }
    base = {"sh", "python"}
    commands = []
    for name in PORTAL_SERVICES:
        service = compose["services"][name]
        commands.append(service["command"])
        test = service.get("healthcheck", {}).get("test")
        if test:
            commands.append(test[1] if test[0] == "CMD-SHELL" else shlex.join(test[1:]))
    (cmd,) = [args for keyword, args in dockerfile() if keyword == "CMD"]
    commands.append(shlex.join(json.loads(cmd)))
    for command in commands:
        for program in _programs(command):
            assert program in base or program in scripts, f"{program} of {command!r}"
        for argument in shlex.split(command.replace("$$", "$")):
            if re.fullmatch(r"[\w/.-]+\.py", argument):
                assert (ROOT / argument).is_file() and in_context(argument), argument
    assert scripts["gunicorn"] == "gunicorn" and scripts["celery"] == "celery"
    # Nothing moves the scripts off PATH: no --user/--prefix/--target install, no PATH change.
    for keyword, args in dockerfile():
        if keyword == "RUN" and "pip install" in args:
            assert not re.search(r"--(user|prefix|target|root)\b", args)
        if keyword == "ENV":
            assert "PATH=" not in args or "/usr/local/bin" in args


def test_the_images_pg_dump_can_back_up_the_compose_database(compose):
    """`make backup` in a container runs pg_dump from the image's postgresql-client (Debian's,
    of the base image's release), which must be at least the compose database's major version."""
    (base,) = [args for keyword, args in dockerfile() if keyword == "FROM"]
    release = re.search(r"-slim-(\w+)", base).group(1)
    client = {"bookworm": 15, "trixie": 17}[release]
    installs = " ".join(args for keyword, args in dockerfile() if keyword == "RUN")
    assert "postgresql-client" in installs
    server = int(
        re.fullmatch(r"postgres:(\d+)(?:[.\-].*)?", compose["services"]["db"]["image"]).group(1)
    )
    assert client >= server, (client, server)

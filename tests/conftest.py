"""Shared fixtures: the real 6Aika data, demo users per role, logged-in clients."""

import os
import threading
import uuid
import warnings

import pytest
from django.test import Client, TransactionTestCase

from projects.portfolio_cache import portfolio_changed
from sixaika.demo import DEMO_ACCOUNTS

from . import dbsnapshot, dbtemplate, once
from .s3 import bucket, s3_server  # noqa: F401 - fixtures: a real S3 server and a bucket on it

_template_builder: threading.Thread | None = None


def pytest_configure(config):
    """The main process names the run for its test processes (pytest-xdist's test run id), so
    that it can remove what they kept for the run (tests/once.py) when the run ends, and starts
    building the run's template database at once (tests/dbtemplate.py): the test processes start
    and collect meanwhile, and wait on it (tests/once.py's lock) only for what is left."""
    global _template_builder
    if hasattr(config, "workerinput"):
        return
    if getattr(config.option, "numprocesses", None) and config.option.testrunuid is None:
        config.option.testrunuid = uuid.uuid4().hex
        if not config.option.collectonly:
            os.environ["PYTEST_XDIST_TESTRUNUID"] = config.option.testrunuid  # once.run_id()
            _template_builder = threading.Thread(target=dbtemplate.ensure, daemon=True)
            _template_builder.start()


def pytest_unconfigure(config):
    if not hasattr(config, "workerinput"):
        if _template_builder is not None:
            _template_builder.join()  # a template still being built is dropped once it exists
        run = getattr(config.option, "testrunuid", None) or once.run_id()
        if (once.folder(run) / "dbtemplate.json").exists():
            dbtemplate.drop(run)
        once.forget(run)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, request):
    """One test database per pytest process, so runs side by side never share one.

    pytest-django creates it at the start and drops it at the end of the run. With several
    processes, PostgreSQL copies it from the run's template database (tests/dbtemplate.py).
    """
    from django.conf import settings

    test = settings.DATABASES["default"].setdefault("TEST", {})
    base = test.get("NAME") or f"test_{settings.DATABASES['default']['NAME']}"
    test["NAME"] = f"{base}_{os.getpid()}"
    if hasattr(request.config, "workerinput") and not request.config.getoption("reuse_db"):
        test["TEMPLATE"] = dbtemplate.ensure()


# The slowest tests, started first, so that no test process is left running one of them alone at
# the end of the run.
SLOWEST_FIRST = (
    "tests/faults/",
    "tests/test_embedded_default.py",
    "tests/browser/test_sweep.py",
    "tests/browser/test_board_journey.py",
    "tests/browser/test_reports.py",
    "tests/test_migrations_house.py",
    "tests/api/test_schemathesis.py",
    "tests/test_admin.py",
    "tests/browser/",
)


def _dealt(items: list, processes: int) -> list:
    """The items in the order pytest-xdist's worksteal hands them out so that each process starts
    with its share of the slow ones: worksteal gives each process one contiguous block of the
    list (the first ones sizes ``len // processes``, as ``check_schedule`` counts), so the items,
    slowest first, are dealt like cards into those blocks."""
    sizes, left = [], len(items)
    for i in range(processes):
        sizes.append(left // (processes - i))
        left -= sizes[-1]
    blocks: list[list] = [[] for _ in sizes]
    block = 0
    for item in items:
        while len(blocks[block]) == sizes[block]:
            block = (block + 1) % processes
        blocks[block].append(item)
        block = (block + 1) % processes
    return [item for b in blocks for item in b]


def pytest_collection_modifyitems(config, items):
    def rank(item) -> int:
        path = item.nodeid
        return next(
            (i for i, p in enumerate(SLOWEST_FIRST) if path.startswith(p)), len(SLOWEST_FIRST)
        )

    items.sort(key=rank)  # stable: the order within each group stays as collected
    workerinput = getattr(config, "workerinput", None)
    if workerinput and workerinput.get("workercount", 1) > 1:
        items[:] = _dealt(items, workerinput["workercount"])


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the shipped 6Aika data and the demo once into this process's test database, through
    the services, and keep them as snapshots that ``org_6aika`` and ``demo_users`` copy in; or,
    where the database is a copy of the run's template, which has them, read them from it."""
    from django.conf import settings

    with django_db_blocker.unblock():
        if settings.DATABASES["default"]["TEST"].get("TEMPLATE"):
            dbsnapshot.attach()
        else:
            dbsnapshot.build(dbtemplate.loaders())
    yield
    with django_db_blocker.unblock():
        strays = _close_strays()
    if strays:
        # Said, so that the test that leaves a connection open can be found and fixed; closed,
        # so that the database is dropped and not left on the machine after the run.
        warnings.warn(f"connections left open on the test database, closed: {strays}", stacklevel=1)


def _close_strays() -> list[tuple]:
    """Connections to this process's test database other than its own, which would keep
    pytest-django from dropping it: those of threads that ended without closing theirs (their
    connection object freed only by the garbage collector) and any still open."""
    import gc

    from django.db import connection

    gc.collect()  # a finished thread's connection kept only by a reference cycle closes now
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, application_name, state, left(query, 120) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        strays = cursor.fetchall()
        for pid, *_ in strays:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    return strays


def _back_to_base(self) -> None:
    """After a transactional test (``transaction=True``, ``live_server``), instead of Django's
    flush (empty every table, then make content types and permissions again with new ids, about
    a second each time): put the database back to the base the snapshots refer to, in one round
    trip of SQL (tests/dbsnapshot.py)."""
    if dbsnapshot.is_built() and not (self.reset_sequences or self.serialized_rollback):
        dbsnapshot.reset_to_base()
    else:
        _django_flush(self)


_django_flush = TransactionTestCase._fixture_teardown
TransactionTestCase._fixture_teardown = _back_to_base  # TestCase keeps its rollback


@pytest.fixture
def org_6aika(db):
    """The real 6Aika organisation (cities, organisations, people, bodies, seats, deputies) and
    the roles, as ``load_6aika`` makes them."""
    dbsnapshot.restore("org")
    portfolio_changed()


@pytest.fixture
def demo_users(org_6aika):
    """The demo accounts and demo content, as ``load_demo`` makes them: username -> user."""
    from django.contrib.auth import get_user_model

    dbsnapshot.restore("demo")
    portfolio_changed()
    return {u.username: u for u in get_user_model().objects.all()}


DEMO_USERNAMES = [row[0] for row in DEMO_ACCOUNTS]


@pytest.fixture
def client_as(demo_users):
    """``client_as("toimisto")`` -> a test client logged in as that demo account."""

    def make(username: str) -> Client:
        client = Client()
        # Name the backend: which one is listed first (axes, OIDC…) must not matter here.
        client.force_login(
            demo_users[username], backend="django.contrib.auth.backends.ModelBackend"
        )
        return client

    return make


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the portal's default language, whatever the last request chose."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)

"""The portfolio's version, for caching what is computed over the portfolio (the list's
totals, whole or filtered). It changes whenever a project, its funding, its implementers,
its cities or an organisation are saved or deleted; bulk writes that bypass the signals (the
benchmark generator) call ``portfolio_changed()`` themselves, and cached entries expire after
an hour regardless."""

import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save

from core.pagination import kept_count

VERSION_KEY = "projects:portfolio-version"
TIMEOUT = 3600  # seconds: what is kept under the version ages out even if it is never bumped


REPORTS_VERSION_KEY = "projects:reports-version"


def _version(key: str) -> str:
    version = cache.get(key)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(key, version, None)
        version = cache.get(key, version)
    return version


def _bump(key: str) -> None:
    """A new version now, and again when the transaction commits (so no request caches what
    it read before the commit under the new version)."""

    def bump() -> None:
        cache.set(key, uuid.uuid4().hex, None)

    bump()
    transaction.on_commit(bump)


def portfolio_version() -> str:
    """The current version: a new one is made (and kept) when none is cached."""
    return _version(VERSION_KEY)


def portfolio_and_reports_version() -> str:
    """Both versions, read from the cache together (one round trip, not two)."""
    found = cache.get_many([VERSION_KEY, REPORTS_VERSION_KEY])
    if len(found) < 2:
        return f"{portfolio_version()}:{reports_version()}"
    return f"{found[VERSION_KEY]}:{found[REPORTS_VERSION_KEY]}"


def portfolio_changed() -> None:
    """Forget everything cached for the old version."""
    _bump(VERSION_KEY)


def reports_version() -> str:
    """The status reports' version: changes whenever a report or a reporting period is saved
    or deleted."""
    return _version(REPORTS_VERSION_KEY)


def reports_changed() -> None:
    _bump(REPORTS_VERSION_KEY)


def cached_count(queryset: QuerySet) -> int:
    """``queryset.count()``, kept under the portfolio's version and the counting statement
    (core.pagination.kept_count). Whatever the statement reads must bump the version."""
    return kept_count(queryset, portfolio_version())


def _changed(sender, **kwargs) -> None:
    portfolio_changed()


def _reports_changed(sender, **kwargs) -> None:
    reports_changed()


def connect() -> None:
    from governance.models import Organisation

    from .models import Grant, Implementer, Project, ReportingPeriod, StatusReport

    # What the list's filters and search read: a cached total must not outlive any of them.
    for model in (Project, Grant, Implementer, Organisation):
        post_save.connect(_changed, sender=model, dispatch_uid=f"portfolio-{model.__name__}-save")
        post_delete.connect(
            _changed, sender=model, dispatch_uid=f"portfolio-{model.__name__}-delete"
        )
    m2m_changed.connect(
        _changed, sender=Project.cities.through, dispatch_uid="portfolio-cities-changed"
    )
    post_save.connect(_reports_changed, sender=StatusReport, dispatch_uid="reports-save")
    post_delete.connect(_reports_changed, sender=StatusReport, dispatch_uid="reports-delete")
    # A period's dates decide which reports are due (the coordinator's lists, kept under the
    # reports' version).
    post_save.connect(_reports_changed, sender=ReportingPeriod, dispatch_uid="periods-save")
    post_delete.connect(_reports_changed, sender=ReportingPeriod, dispatch_uid="periods-delete")

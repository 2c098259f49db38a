"""The portfolio's version, for caching what is computed over the portfolio (the list's
totals, whole or filtered). It changes whenever a project, its funding, its implementers,
its cities or an organisation are saved or deleted; bulk writes that bypass the signals (the
benchmark generator) call ``portfolio_changed()`` themselves, and cached entries expire after
an hour regardless."""

import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

VERSION_KEY = "projects:portfolio-version"
TIMEOUT = 3600


def portfolio_version() -> str:
    """The current version: a new one is made (and kept) when none is cached."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    return version


def portfolio_changed() -> None:
    """Forget everything cached for the old version: now, and again when the transaction commits
    (so no request caches totals it read before the commit under the new version)."""

    def bump() -> None:
        cache.set(VERSION_KEY, uuid.uuid4().hex, None)

    bump()
    transaction.on_commit(bump)


def _changed(sender, **kwargs) -> None:
    portfolio_changed()


def connect() -> None:
    from governance.models import Organisation

    from .models import Grant, Implementer, Project

    # What the list's filters and search read: a cached total must not outlive any of them.
    for model in (Project, Grant, Implementer, Organisation):
        post_save.connect(_changed, sender=model, dispatch_uid=f"portfolio-{model.__name__}-save")
        post_delete.connect(
            _changed, sender=model, dispatch_uid=f"portfolio-{model.__name__}-delete"
        )
    m2m_changed.connect(
        _changed, sender=Project.cities.through, dispatch_uid="portfolio-cities-changed"
    )

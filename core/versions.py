"""Versions of the data the public pages show, one per app, for caching what is made from it.

An app's version is a random string in the cache that changes whenever any of the app's models
is saved or deleted (its many-to-many tables included): an app asks for it once, in its
``AppConfig.ready``, with ``track(label)``. The signals reach every write that goes through a
model, the admin's and the import's as much as the services'; a service that writes past the
signals (``QuerySet.update()``, ``bulk_create``) calls ``changed(label)`` itself. Something kept
under ``version(...)`` of the apps it was made from is therefore never served after a change:
the next request looks under the new version (core/page_cache.py keeps whole pages so).

A version is changed at once and again when the transaction commits, so that a request that
read the old data before the commit cannot keep it under the new version.
"""

import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from simple_history.models import HistoricalChanges

PREFIX = "core:data-version:"

_tracked: set[str] = set()


def _key(label: str) -> str:
    return f"{PREFIX}{label}"


def version(*labels: str) -> str:
    """The current versions of the apps ``labels``, as one string (a new version is made, and
    kept, for an app that has none in the cache)."""
    keys = [_key(label) for label in labels]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, uuid.uuid4().hex, None)
            found[key] = cache.get(key) or uuid.uuid4().hex
    return ":".join(found[key] for key in keys)


class _Bump:
    """Gives the apps ``labels`` new versions."""

    def __init__(self, labels: tuple[str, ...]) -> None:
        self.labels = frozenset(labels)

    def __call__(self) -> None:
        cache.set_many({_key(label): uuid.uuid4().hex for label in self.labels}, None)


def changed(*labels: str) -> None:
    """The apps' data changed: a new version now, and again when the transaction commits
    (that once per transaction and app: a service saving fifty rows asks Redis fifty-one
    times, not a hundred; a callback of a rolled-back savepoint is dropped by Django, and
    asked for again by the next change)."""
    bump = _Bump(labels)
    bump()
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        pending = {
            label
            for _savepoints, callback, _robust in connection.run_on_commit
            if isinstance(callback, _Bump)
            for label in callback.labels
        }
        if bump.labels <= pending:
            return
    transaction.on_commit(bump)


def _saved_or_deleted(sender, **kwargs) -> None:
    label = sender._meta.app_label
    # A version in the audit trail (django-simple-history's historical row) is written with the
    # save or delete of its record, which changes the version itself; no kept page is made from
    # the trail. One Redis round trip less for every audited save (issue 19).
    if label in _tracked and not issubclass(sender, HistoricalChanges):
        changed(label)


def _m2m_changed(sender, action: str, **kwargs) -> None:
    if action.startswith("post_"):
        _saved_or_deleted(sender)


def track(label: str) -> None:
    """Change app ``label``'s version whenever one of its models is saved or deleted."""
    _tracked.add(label)
    post_save.connect(_saved_or_deleted, dispatch_uid="core-versions-save")
    post_delete.connect(_saved_or_deleted, dispatch_uid="core-versions-delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="core-versions-m2m")

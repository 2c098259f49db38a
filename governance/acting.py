"""Who is acting: the user behind every audited change (``acting_as``, ``@audited``), and
``history_user`` for django-simple-history. No model imports, so that models can name
``history_user`` and ``governance.audit`` can import the models without a circle.

The user of a version is, in this order: the user a service acts for (``acting_as``, or
``@audited`` on a service taking ``by``), then the signed-in user of the request
(``HistoryRequestMiddleware``), else nobody (a loader or the system).
"""

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from simple_history.models import HistoricalRecords

_acting: ContextVar[Any] = ContextVar("sixaika_acting_user", default=None)

F = TypeVar("F", bound=Callable[..., Any])


@contextmanager
def acting_as(user: Any) -> Iterator[None]:
    """Attribute the changes made inside the block to ``user`` (None: leave as it is)."""
    if user is None or not getattr(user, "pk", None):
        yield
        return
    token = _acting.set(user)
    try:
        yield
    finally:
        _acting.reset(token)


def audited(func: F) -> F:
    """Decorate a service taking ``by=``: its changes are recorded as made by that user."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with acting_as(kwargs.get("by")):
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def save_if_changed(instance: Any, **clean_kwargs: Any) -> bool:
    """Validate and save ``instance`` unless it is stored already with these very values.

    A save that changes nothing would still write a version into the audit trail; loaders and
    upserts run again (``load_6aika``, a re-import) must leave the trail as it was."""
    if instance.pk is not None and not instance._state.adding:
        names = [field.attname for field in instance._meta.concrete_fields]
        stored = type(instance)._base_manager.filter(pk=instance.pk).values(*names).first()
        if stored is not None and all(stored[n] == getattr(instance, n) for n in names):
            return False
    instance.full_clean(**clean_kwargs)
    instance.save()
    return True


def current_user() -> Any:
    """The user changes are attributed to now, or None."""
    user = _acting.get()
    if user is not None:
        return user
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user
    return None


def history_user(request: Any = None, instance: Any = None, **kwargs: Any) -> Any:
    """``get_user`` for HistoricalRecords: the acting user first, then the request's user."""
    return current_user()

"""The signed-in user of a request, read with their role names by one prepared query.

Django's ``ModelBackend.get_user`` builds and compiles ``User.objects.get(pk=...)`` on every
request, and the menu then reads the user's groups by a query of its own (issue 19: together
about a millisecond of every signed-in page's server CPU). For a session signed in through
``ModelBackend`` the user is read here by one ``Prepared`` query (core/prepared.py) that joins
the user's groups, and their names are handed to the request's access object (core/access.py),
so the roles cost no query of their own. Nothing is kept between requests: the user, their
password hash, ``is_active`` and their groups are read from the database on every request, and
the session is verified exactly as ``django.contrib.auth.get_user`` does (a password changed
elsewhere or a deactivated account ends the session on its next request).

Any other backend (an identity provider's), a session without a user, or a database the
prepared statement was not built for is answered by ``django.contrib.auth.get_user`` itself.
"""

from typing import Any

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, get_user_model
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare

from .access import know_roles
from .prepared import Prepared

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"

_User = get_user_model()
_COLUMNS = tuple(field.attname for field in _User._meta.concrete_fields)
# One row per group the user is in (one row with no group name when none): the user's columns
# repeated, then the group's name.
_USER = Prepared(
    lambda user_id, columns: _User._default_manager.filter(pk=user_id).values_list(*columns),
    *_COLUMNS,
    "groups__name",
)


def _load(user_id: Any) -> Any:
    """The user and their role names, as ``ModelBackend.get_user`` answers (None for a missing
    or deactivated account), by one query."""
    rows = _USER.rows(user_id)
    if not rows:
        return None
    user = _User.from_db("default", _COLUMNS, rows[0][:-1])
    if not ModelBackend().user_can_authenticate(user):
        return None
    know_roles(user, frozenset(row[-1] for row in rows if row[-1] is not None))
    return user


def get_user(request: HttpRequest) -> Any:
    """``django.contrib.auth.get_user``, with a ``ModelBackend`` session's user read by
    ``_load``; the session verified as Django verifies it."""
    try:
        user_id = auth._get_user_session_key(request)
        backend_path = request.session[BACKEND_SESSION_KEY]
    except KeyError:
        return auth.get_user(request)
    if backend_path != MODEL_BACKEND or backend_path not in settings.AUTHENTICATION_BACKENDS:
        return auth.get_user(request)
    user = _load(user_id)
    if user is not None:
        session_hash = request.session.get(HASH_SESSION_KEY)
        session_auth_hash = user.get_session_auth_hash()
        verified = bool(session_hash) and constant_time_compare(session_hash, session_auth_hash)
        if not verified:
            # Signed with a key of SECRET_KEY_FALLBACKS: the session moves to the current key.
            if session_hash and any(
                constant_time_compare(session_hash, fallback)
                for fallback in user.get_session_auth_fallback_hash()
            ):
                request.session.cycle_key()
                request.session[HASH_SESSION_KEY] = session_auth_hash
            else:
                request.session.flush()
                user = None
    if user is None:
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser()
    return user

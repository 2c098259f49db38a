"""One access object per user and request: the facts every app's permission functions decide by.

Who may do what is decided in each app's ``permissions.py``; those functions ask the access
object for the facts about the user (role names, person, seats, coordinated cities, ...), so each
fact is loaded at most once per request, by one query, whichever app asks first.

``core`` is the bottom layer and knows no app's models, so it holds the cache and the facts it can
load itself (the role names are Django groups). A fact about an app's model is declared as a
``Fact`` by the app that owns the model, next to the permission functions that use it
(``governance.permissions.SEATS``, ``projects.permissions.CONTACT_PROJECT_IDS``): the loader
lives where its model lives, the value lives here. A fact is asked for as ``access[SEATS]``.
"""

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar, cast

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group

from .prepared import Prepared

AnyUser = AbstractBaseUser | AnonymousUser
T = TypeVar("T")

# The one attribute of the user object the portal caches access on.
_ATTRIBUTE = "_sixaika_access"

# The names of the groups (roles) a user is in: read on every signed-in page.
_ROLES = Prepared(
    lambda user_id, columns: Group.objects.filter(user__id=user_id).values_list(*columns), "name"
)


@dataclass(frozen=True, eq=False)
class Fact(Generic[T]):
    """A fact about an active user, loaded on first use; an anonymous or deactivated user has
    ``default`` without a query."""

    name: str
    load: Callable[["Access"], T]
    default: T


class Access:
    """What the permission functions know about one user, for one request."""

    def __init__(self, user: AnyUser) -> None:
        self.user = user
        self._answers: dict[Hashable, object] = {}
        self._roles: frozenset[str] | None = None

    @property
    def active(self) -> bool:
        """Logged in and not deactivated: a deactivated account holds nothing."""
        return bool(self.user.is_authenticated and self.user.is_active)

    @property
    def superuser(self) -> bool:
        return self.active and bool(getattr(self.user, "is_superuser", False))

    @property
    def roles(self) -> frozenset[str]:
        """The role names (group names) the user holds."""
        if not self.active:
            return frozenset()
        if self._roles is None:
            self._roles = frozenset(name for (name,) in _ROLES.rows(self.user.pk))
        return self._roles

    def has_role(self, name: str) -> bool:
        return name in self.roles

    def __getitem__(self, fact: Fact[T]) -> T:
        if fact not in self._answers:
            if not self.active:
                return fact.default
            self._answers[fact] = fact.load(self)
        return cast(T, self._answers[fact])

    def remember(self, key: Hashable, compute: Callable[[], T]) -> T:
        """An answer about the user and one object (does the user preside at meeting 7?),
        computed once per request: a page often asks the same question more than once."""
        if key not in self._answers:
            self._answers[key] = compute()
        return cast(T, self._answers[key])


def access_of(user: AnyUser) -> Access:
    """The user's access object, made on first use and kept on the user object, which lives as
    long as the request (``request.user``)."""
    access = cast(Access | None, getattr(user, _ATTRIBUTE, None))
    if access is None:
        access = Access(user)
        setattr(user, _ATTRIBUTE, access)
    return access


def forget_access(user: AnyUser) -> None:
    """Drop what is known about the user: a service that changes their roles, seats or rights
    calls this, so the rest of the request decides by the new facts."""
    if hasattr(user, _ATTRIBUTE):
        delattr(user, _ATTRIBUTE)

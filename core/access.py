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
from django.db.models import Model, Q, QuerySet
from django.db.models.functions import Cast

from .prepared import Prepared

AnyUser = AbstractBaseUser | AnonymousUser
T = TypeVar("T")

# The one attribute of the user object the portal caches access on.
_ATTRIBUTE = "_sixaika_access"

# The names of the groups (roles) a user is in: read on every signed-in page.
_ROLES = Prepared(
    lambda user_id, columns: Group.objects.filter(user__id=user_id).values_list(*columns), "name"
)


class ObjectGrants:
    """The ids of the objects of ``model`` on which a user holds the django-guardian object
    permission ``codename``, granted to the user or to one of their groups: what
    ``get_objects_for_user(user, "<app>.<codename>", klass=model, accept_global_perms=False)``
    answers (a superuser, all of them), by one prepared query. Guardian builds and compiles its
    query anew on every call, which cost more CPU than the rest of the access checks of a page
    (issue 19); the grants are read from the database on every request as before, so a grant
    given or taken shows on the next one."""

    def __init__(self, model: type[Model], codename: str) -> None:
        self.model = model
        self.codename = codename
        opts = model._meta
        self._constants = (opts.app_label, opts.model_name, codename)
        self._query = Prepared(self._build, "pk", constants=self._constants)

    def _build(self, user_id: int, columns: tuple[str, ...]) -> QuerySet:
        from guardian.models import GroupObjectPermission, UserObjectPermission

        app_label, model_name, codename = self._constants
        permission = Q(
            permission__content_type__app_label=app_label,
            permission__content_type__model=model_name,
            permission__codename=codename,
        )
        # The grants' object_pk (text) cast to the model's key, the user's and their groups' as
        # one set: the objects are then found by their primary key, not by casting the key of
        # every row of the table to text and testing it twice (5 000 projects cost half a
        # millisecond of the database per request, growing with the portfolio; issue 19).
        key = Cast("object_pk", self.model._meta.pk)
        by_user = UserObjectPermission.objects.filter(permission, user_id=user_id)
        by_group = GroupObjectPermission.objects.filter(permission, group__user__id=user_id)
        return (
            self.model._default_manager.filter(
                pk__in=by_user.values_list(key).union(by_group.values_list(key))
            )
            .order_by()
            .values_list(*columns)
        )

    def ids(self, user: AnyUser) -> frozenset[int]:
        """The ids for an active user (an anonymous or deactivated one holds none)."""
        if not (user.is_authenticated and user.is_active):
            return frozenset()
        if user.is_superuser:  # as guardian: a superuser holds every object's permissions
            return frozenset(self.model._default_manager.values_list("pk", flat=True))
        return frozenset(pk for (pk,) in self._query.rows(user.pk))


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


def know_roles(user: AnyUser, roles: frozenset[str]) -> None:
    """The user's role names, read with the user (core/auth.py): the access object made for
    them asks no query of its own for the roles."""
    access_of(user)._roles = roles


def forget_access(user: AnyUser) -> None:
    """Drop what is known about the user: a service that changes their roles, seats or rights
    calls this, so the rest of the request decides by the new facts."""
    if hasattr(user, _ATTRIBUTE):
        delattr(user, _ATTRIBUTE)

"""Who may see and do what with calls, applications and evaluations, decided here and only here.

- A call is public information once it opens; the strategy office, the steering group and the
  board also see calls not yet open.
- Applications, scores and the evaluation summary are never public: the strategy office, the
  steering group and the board read them; individual members' scores and comments are for the
  strategy office and the steering group.
- The strategy office creates calls, registers and imports applications, adds attachments,
  puts applications on the board's agenda and turns an approved one into a project.
- A steering group member (the role, and a voting seat in the steering group) scores and
  declares conflicts; whether a conflict forbids scoring is the service's rule.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core.access import Access, AnyUser, Fact, access_of
from governance.models import Person
from governance.permissions import (
    body_ids_of,
    has_role,
    is_strategy_office,
    person_of,
)
from governance.roles import Role

from .models import Application, ApplicationAttachment, Call
from .selectors import steering_group_evaluators


def _active(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_read_applications(user: AnyUser) -> bool:
    """The office and the two bodies: by role, or by a seat (a deputy called in to the board
    reads the proposals with their evaluation as the member would, whatever the account's role)."""
    return _active(user) and (
        is_strategy_office(user)
        or has_role(user, Role.STEERING_GROUP)
        or has_role(user, Role.BOARD)
        or bool(body_ids_of(user))
    )


def can_read_evaluations(user: AnyUser) -> bool:
    """Members' individual scores and comments."""
    return _active(user) and (is_strategy_office(user) or has_role(user, Role.STEERING_GROUP))


def can_manage_calls(user: AnyUser) -> bool:
    return _active(user) and is_strategy_office(user)


def _load_evaluator(access: Access) -> Person | None:
    if not access.has_role(Role.STEERING_GROUP.value):
        return None
    person = person_of(access.user)
    if person is None or not steering_group_evaluators().filter(pk=person.pk).exists():
        return None
    return person


EVALUATOR: Fact[Person | None] = Fact("evaluator", _load_evaluator, None)


def evaluator_of(user: AnyUser) -> Person | None:
    """The user's Person if they score applications (steering group role and voting seat)."""
    return access_of(user)[EVALUATOR]


def visible_calls(user: AnyUser) -> QuerySet[Call]:
    """Open and past calls for everybody; calls not yet open for those who prepare them."""
    if can_read_applications(user):
        return Call.objects.all()
    return Call.objects.filter(opens_on__lte=timezone.localdate())


def call_for_user(user: AnyUser, pk: int) -> Call:
    return get_object_or_404(visible_calls(user), pk=pk)


def call_for_managing(user: AnyUser, pk: int) -> Call:
    if not can_manage_calls(user):
        raise PermissionDenied
    return get_object_or_404(Call, pk=pk)


def application_for_user(user: AnyUser, pk: int) -> Application:
    """The application if the user may read applications: 403 otherwise, 404 if missing."""
    if not can_read_applications(user):
        raise PermissionDenied
    return get_object_or_404(Application.objects.select_related("call"), pk=pk)


def application_for_managing(user: AnyUser, pk: int) -> Application:
    if not can_manage_calls(user):
        raise PermissionDenied
    return get_object_or_404(Application.objects.select_related("call"), pk=pk)


def application_for_evaluating(user: AnyUser, pk: int) -> tuple[Application, Person]:
    """(application, evaluator) for a steering group member; 403 for anybody else."""
    person = evaluator_of(user)
    if person is None:
        raise PermissionDenied
    return get_object_or_404(Application.objects.select_related("call"), pk=pk), person


def attachment_for_user(user: AnyUser, pk: int) -> ApplicationAttachment:
    if not can_read_applications(user):
        raise PermissionDenied
    return get_object_or_404(ApplicationAttachment, pk=pk)

"""One way to change state: a workflow's table of allowed moves, and ``state_change``.

A workflow names, for one state field of one model, every allowed move (from, to, a name) and
who may make it, as a predicate ``may(user, obj)`` handed in by the app that owns the model (so
this floor imports no app). ``state_change`` is the only function that moves an object along
its workflow: it checks the table and the predicate, sets the field, validates, saves and
writes a ``core.Transition`` row (who, when, from, to, comment), all in one transaction; a move
outside the table or by someone who may not make it saves nothing (django-oscar's
``Order.set_status``, Hypha's workflow definitions).

The caller locks the row (``select_for_update``) and sets any other fields the move changes
(``approved_by``, ``version``) before calling, so they are saved in the same write.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from .models import Transition
from .workflows import workflow_register

# (the acting user, None for the system; the object) -> may this actor make the move
Predicate = Callable[[Any, Any], bool]


def signed_in(user: Any, obj: Any) -> bool:
    """A named, active account: for moves whose caller has decided access already."""
    return user is not None and bool(getattr(user, "is_active", False))


def system(user: Any, obj: Any) -> bool:
    """Only the system (a job, no user) makes this move."""
    return user is None


def anyone(user: Any, obj: Any) -> bool:
    """The system or any account whose request the caller has allowed."""
    return True


@dataclass(frozen=True)
class Move:
    source: str
    target: str
    name: str
    may: Predicate


class Workflow:
    """The allowed moves of ``model.field``. ``refused`` is the message for a move outside the
    table (``%(from)s``, ``%(to)s``: the states' labels); ``error_field`` puts it on a field."""

    def __init__(
        self,
        name: str,
        *,
        model: type[models.Model],
        field: str,
        moves: Iterable[Move],
        refused: Any = None,
        error_field: str | None = None,
    ) -> None:
        self.name = name
        self.model = model
        self.field = field
        self.moves = tuple(moves)
        self.refused = refused or _("“%(from)s” cannot be moved to “%(to)s”.")
        self.error_field = error_field
        self._table = {(m.source, m.target): m for m in self.moves}
        if len(self._table) != len(self.moves):
            raise ValueError(f"{name}: a move is listed twice")
        states = {value for value, _label in model._meta.get_field(field).flatchoices}
        unknown = {s for m in self.moves for s in (m.source, m.target)} - states
        if unknown:
            raise ValueError(f"{name}: no such states {sorted(unknown)}")
        workflow_register(self)

    def __repr__(self) -> str:
        return f"<Workflow {self.name}>"

    def move(self, source: str, target: str) -> Move | None:
        return self._table.get((source, target))

    def targets(self, source: str) -> tuple[str, ...]:
        """Where an object in ``source`` may go, whoever moves it."""
        return tuple(m.target for m in self.moves if m.source == source)

    def allowed(self, obj: Any, user: Any) -> list[Move]:
        """The moves this user may make on the object now."""
        state = getattr(obj, self.field)
        return [m for m in self.moves if m.source == state and m.may(user, obj)]

    def check(self, obj: Any, *, to: str, by: Any) -> Move:
        """The move from the object's state to ``to``, if the table lists it and ``by`` may
        make it: else ValidationError (not in the table) or PermissionDenied (not by ``by``)."""
        source = getattr(obj, self.field)
        move = self.move(source, to)
        if move is None:
            labels = {"from": self.label(source), "to": self.label(to)}
            # "old" and "new": the names some of the older messages give the same two
            message = self.refused % {**labels, "old": labels["from"], "new": labels["to"]}
            raise ValidationError({self.error_field: message} if self.error_field else message)
        if not move.may(by, obj):
            raise PermissionDenied(
                _("You may not move this from “%(from)s” to “%(to)s”.")
                % {"from": self.label(source), "to": self.label(to)}
            )
        return move

    def label(self, state: str) -> str:
        return str(dict(self.model._meta.get_field(self.field).flatchoices).get(state, state))


def state_change(
    *,
    obj: models.Model,
    workflow: Workflow,
    to: str,
    by: Any,
    comment: str = "",
    update_fields: Iterable[str] | None = None,
    clean: bool = True,
    validate_constraints: bool = True,
) -> Transition:
    """Move ``obj`` to state ``to`` along ``workflow`` as ``by`` (None: the system).

    Raises ValidationError for a move the table does not list and PermissionDenied for an
    actor the move's predicate refuses; either way nothing is saved. ``update_fields`` (the
    state field is added) and ``clean``/``validate_constraints`` say how the object is saved.
    """
    source = getattr(obj, workflow.field)
    move = workflow.check(obj, to=to, by=by)
    setattr(obj, workflow.field, to)
    try:
        with transaction.atomic():
            if clean:
                obj.full_clean(validate_constraints=validate_constraints)
            if update_fields is None:
                obj.save()
            else:
                obj.save(update_fields={*update_fields, workflow.field})
            return Transition.objects.create(
                content_type=ContentType.objects.get_for_model(obj),
                object_id=obj.pk,
                workflow=workflow.name,
                name=move.name,
                from_state=source,
                to_state=to,
                by=by if getattr(by, "pk", None) else None,
                comment=comment,
            )
    except BaseException:
        setattr(obj, workflow.field, source)  # the object in hand says what is stored
        raise

"""The audit trail the strategy office browses: who changed what, when, before and after.

It reads the versions django-simple-history keeps for decisions, minutes, funding, status reports
and seats (across governance and projects, which is why it lives in the top app) and the
``PermissionChange`` rows governance.audit writes for roles and object permissions.

What the portal wrote itself is shown in the reader's language: a text kept as a code and its
values (a conflict's proposed reason, an application's eligibility verdict: ``GENERATED``) is
written out with ``core.generated``, its code and values are not shown as changes of their own;
a right (``role:board``, ``governance.coordinate_city``) is named by its label, and the object
it is on by its name now, in the reader's language (the text the row keeps, in Finnish, only
for an object that is gone).
"""

import datetime as dt
import heapq
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from calls.models import Application
from core import generated
from governance.models import (
    AgendaItem,
    Attendance,
    ConflictDeclaration,
    Correction,
    Decision,
    Minutes,
    MinutesChecker,
    PermissionChange,
    Seat,
)
from governance.roles import Role
from projects.models import (
    CityContribution,
    Grant,
    Project,
    StatusReport,
    StatusReportIndicatorValue,
)


@dataclass(frozen=True)
class Audited:
    model: type[models.Model]
    label: Any
    related: tuple[str, ...] = ()  # select_related for the objects' names


AUDITED: dict[str, Audited] = {
    "decision": Audited(Decision, _("Decisions"), ("agenda_item__meeting__body",)),
    "minutes": Audited(Minutes, _("Minutes"), ("meeting__body",)),
    "correction": Audited(Correction, _("Corrections to minutes"), ("minutes__meeting__body",)),
    "checker": Audited(
        MinutesChecker,
        capfirst(MinutesChecker._meta.verbose_name_plural),
        ("meeting__body", "person"),
    ),
    "agenda_item": Audited(AgendaItem, _("Agenda items"), ()),
    "conflict": Audited(ConflictDeclaration, _("Conflicts of interest"), ("agenda_item", "person")),
    "seat": Audited(Seat, _("Seats"), ("body", "member")),
    "attendance": Audited(Attendance, _("Attendance at meetings"), ("meeting__body", "person")),
    "project": Audited(Project, _("Projects"), ()),
    "grant": Audited(Grant, _("Grants"), ("funder",)),
    "contribution": Audited(CityContribution, _("City contributions"), ()),
    "application": Audited(Application, _("Applications and funding decisions"), ()),
    "status_report": Audited(StatusReport, _("Status reports"), ("project", "period")),
    "indicator_value": Audited(
        StatusReportIndicatorValue,
        _("Status reports' indicator values"),
        ("report__project", "report__period", "indicator"),
    ),
}
PERMISSIONS = "permission"
KIND_CHOICES = [
    *[(slug, audited.label) for slug, audited in AUDITED.items()],
    (PERMISSIONS, _("Roles and permissions")),
]
# Changes per page: the newest first, older ones a page at a time.
LIMIT = 50
# The deepest page: further back, the filters narrow the trail (each page reads all before it).
MAX_PAGE = 40

# Kept by the model itself on every save; a change there says nothing.
_SKIPPED_FIELDS = {"updated_at"}


@dataclass
class FieldChange:
    name: Any
    before: Any
    after: Any


@dataclass
class AuditEntry:
    at: dt.datetime
    by: Any
    kind: str
    kind_label: Any
    object_id: Any
    object_label: str
    action: Any
    changes: list[FieldChange] = field(default_factory=list)


# An account's flags, named as the office reads them (governance.audit.ACCOUNT_FLAGS).
ACCOUNT_RIGHTS = {
    "account:is_active": _("account: may sign in"),
    "account:is_staff": _("account: admin site"),
    "account:is_superuser": _("account: every right (superuser)"),
    # governance.audit.PERSON_LINK: the account is linked to a person and holds their seats
    "account:person": _("account: acts as the person"),
    # governance.audit.ENROLMENT_CODE and BACKUP_CODES: two-step sign-in's credentials
    "account:enrolment_code": _("account: enrolment code for two-step sign-in"),
    "account:backup_codes": _("account: backup codes for two-step sign-in"),
}

ACTIONS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}

# Texts the portal writes itself, kept beside their code and values (core.generated): per
# audited model, the text field and its code and values fields.
GENERATED: dict[type[models.Model], dict[str, tuple[str, str]]] = {
    ConflictDeclaration: {"reason": ("reason_code", "reason_params")},
    Application: {"eligibility_problem": ("eligibility_code", "eligibility_params")},
}


def _generated_fields(model: type[models.Model]) -> set[str]:
    return {name for pair in GENERATED.get(model, {}).values() for name in pair}


def _text_of(model: type[models.Model], version: Any, f: models.Field) -> Any:
    """A field's value in a version, a generated text in the reader's language."""
    value = getattr(version, f.attname)
    pair = GENERATED.get(model, {}).get(f.name)
    if pair is None or not value:
        return value
    code, params = (getattr(version, name) for name in pair)
    return generated.render(code, params, fallback=value)


def _fields(audited: Audited) -> list[models.Field]:
    """The fields whose changes are shown. A translated field (modeltranslation) is shown per
    language ("name [fi]"); its original column, which holds whichever language was active,
    is left out."""
    fields = audited.model.history.model.tracked_fields
    translated = {f.translated_field.name for f in fields if hasattr(f, "translated_field")}
    hidden = _SKIPPED_FIELDS | translated | _generated_fields(audited.model)
    return [f for f in fields if f.name not in hidden and f.attname != "id"]


def _display(f: models.Field, value: Any, related: dict[tuple[Any, Any], Any]) -> Any:
    if value is None or value == "":
        return None
    if f.is_relation and f.related_model is not None:
        return related.get((f.related_model, value), f"#{value}")
    if f.flatchoices:
        return dict(f.flatchoices).get(value, value)
    return value


def _history_entries(
    slug: str, *, object_id: int | None, user_id: int | None, limit: int
) -> list[AuditEntry]:
    audited = AUDITED[slug]
    history = audited.model.history
    page = history.select_related("history_user").order_by("-history_date", "-history_id")
    if object_id is not None:
        page = page.filter(id=object_id)
    if user_id is not None:
        page = page.filter(history_user_id=user_id)
    records = list(page[:limit])
    if not records:
        return []
    ids = {r.id for r in records}
    # Every version of these objects, oldest first, to find each record's predecessor.
    earlier: dict[int, list[Any]] = {}
    for version in history.filter(id__in=ids).order_by("history_date", "history_id"):
        earlier.setdefault(version.id, []).append(version)
    previous: dict[int, Any] = {}
    for versions in earlier.values():
        for before, after in zip(versions, versions[1:], strict=False):
            previous[after.history_id] = before

    fields = _fields(audited)
    wanted: dict[type[models.Model], set[Any]] = {}
    for record in records:
        for other in (record, previous.get(record.history_id)):
            if other is None:
                continue
            for f in fields:
                if f.is_relation and f.related_model is not None:
                    value = getattr(other, f.attname)
                    if value is not None:
                        wanted.setdefault(f.related_model, set()).add(value)
    related: dict[tuple[Any, Any], Any] = {}
    for model, pks in wanted.items():
        for pk, obj in model._default_manager.in_bulk(pks).items():
            related[(model, pk)] = str(obj)
    names = {
        pk: str(obj)
        for pk, obj in audited.model._default_manager.select_related(*audited.related)
        .in_bulk(ids)
        .items()
    }

    entries = []
    for record in records:
        before = previous.get(record.history_id)
        changes = []
        model = audited.model
        for f in fields:
            old = _text_of(model, before, f) if before is not None else None
            new = _text_of(model, record, f) if record.history_type != "-" else None
            if record.history_type == "-":
                old = _text_of(model, record, f)
            if old == new or (old in (None, "") and new in (None, "")):
                continue
            changes.append(
                FieldChange(
                    name=f.verbose_name,  # a translated field's names its language
                    before=_display(f, old, related),
                    after=_display(f, new, related),
                )
            )
        entries.append(
            AuditEntry(
                at=record.history_date,
                by=record.history_user,
                kind=slug,
                kind_label=audited.model._meta.verbose_name,
                object_id=record.id,
                object_label=names.get(
                    record.id, f"{audited.model._meta.verbose_name} #{record.id}"
                ),
                action=ACTIONS.get(record.history_type, record.history_type),
                changes=changes,
            )
        )
    return entries


def _permission_labels() -> dict[str, Any]:
    """``<app>.<codename>`` -> the permission's label as its model declares it (translatable),
    for the permissions the portal's models declare and Django's default ones."""
    labels: dict[str, Any] = {}
    for model in apps.get_models():
        opts = model._meta
        for codename, label in opts.permissions:
            labels[f"{opts.app_label}.{codename}"] = label
        for action, text in (
            ("add", _("Can add %(name)s")),
            ("change", _("Can change %(name)s")),
            ("delete", _("Can delete %(name)s")),
            ("view", _("Can view %(name)s")),
        ):
            if action in opts.default_permissions:
                labels.setdefault(
                    f"{opts.app_label}.{action}_{opts.model_name}",
                    _LazyFormat(text, opts.verbose_name),
                )
    return labels


class _LazyFormat:
    """``text % {"name": name}`` in the language active when shown."""

    def __init__(self, text: Any, name: Any) -> None:
        self.text, self.name = text, name

    def __str__(self) -> str:
        return str(self.text) % {"name": self.name}


_PERMISSION_LABELS: dict[str, Any] = {}


def right_label(permission: str) -> str:
    """A right as a ``PermissionChange`` keeps it (a code) in the reader's language: an account's
    flag, a role (``role:<group>``) or a permission (``<app>.<codename>``); an unknown code as
    it is."""
    if permission in ACCOUNT_RIGHTS:
        return str(ACCOUNT_RIGHTS[permission])
    if permission.startswith("role:"):
        name = permission.removeprefix("role:")
        label = Role(name).label if name in Role.values else name
        return str(_("role: %(role)s") % {"role": label})
    if not _PERMISSION_LABELS:
        _PERMISSION_LABELS.update(_permission_labels())
    return str(_PERMISSION_LABELS.get(permission, permission))


def subject_label(subject: str) -> str:
    """Whose right it is: a username as it is, a group (``group:<name>``) as its role."""
    if not subject.startswith("group:"):
        return subject
    name = subject.removeprefix("group:")
    label = Role(name).label if name in Role.values else name
    return str(_("role: %(role)s") % {"role": label})


def _object_names(rows: list[PermissionChange]) -> dict[tuple[int | None, str], str]:
    """The objects the rows' rights are on, named now in the reader's language, by type and id
    (one query per type of object); an object that is gone is not in the answer."""
    wanted: dict[int, set[str]] = {}
    for row in rows:
        if row.content_type_id and row.object_pk:
            wanted.setdefault(row.content_type_id, set()).add(row.object_pk)
    names: dict[tuple[int | None, str], str] = {}
    for type_id, pks in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            continue
        try:
            found = model._default_manager.in_bulk(list(pks))
        except (ValueError, TypeError):
            continue  # ids of another kind than the model's key
        for pk, obj in found.items():
            names[(type_id, str(pk))] = str(obj)
    return names


def _permission_entries(
    *, object_id: int | None, user_id: int | None, limit: int
) -> list[AuditEntry]:
    rows = PermissionChange.objects.select_related("by", "content_type").order_by("-at", "-pk")
    if object_id is not None:  # the user whose rights changed
        rows = rows.filter(user_pk=object_id)
    if user_id is not None:  # changes the person made, and changes to the person's rights
        rows = rows.filter(Q(by_id=user_id) | Q(user_pk=user_id))
    rows = list(rows[:limit])
    names = _object_names(rows)
    entries = []
    for row in rows:
        right = right_label(row.permission)
        if row.object_repr or row.object_pk:
            name = names.get((row.content_type_id, row.object_pk)) or row.object_repr
            right = f"{right}: {name or '#' + row.object_pk}"
        granted = row.action == PermissionChange.Action.ADDED
        entries.append(
            AuditEntry(
                at=row.at,
                by=row.by,
                kind=PERMISSIONS,
                kind_label=_("rights"),
                object_id=row.user_pk,
                object_label=subject_label(row.subject),
                action=row.get_action_display(),
                changes=[
                    FieldChange(
                        name=right,
                        before=None if granted else _("held"),
                        after=_("held") if granted else None,
                    )
                ],
            )
        )
    return entries


def audit_entries(
    *,
    kind: str | None = None,
    object_id: int | None = None,
    user_id: int | None = None,
    page: int = 1,
) -> tuple[list[AuditEntry], bool]:
    """The changes matching the filters, newest first, ``LIMIT`` to a page, and whether there
    are older ones. Each kind gives its newest ``page * LIMIT + 1`` and the merge keeps the
    page's share: the same timestamp never splits a page's boundary, whatever kinds tie."""
    sources = []
    kinds = [kind] if kind else [*AUDITED, PERMISSIONS]
    limit = page * LIMIT + 1
    for slug in kinds:
        if slug == PERMISSIONS:
            sources.append(_permission_entries(object_id=object_id, user_id=user_id, limit=limit))
        else:
            sources.append(
                _history_entries(slug, object_id=object_id, user_id=user_id, limit=limit)
            )
    merged = list(heapq.merge(*sources, key=lambda e: e.at, reverse=True))
    return merged[(page - 1) * LIMIT : page * LIMIT], len(merged) > page * LIMIT


def audit_people() -> Any:
    """Accounts to filter by: everyone who has an account, by username."""
    return get_user_model().objects.order_by("username")

"""The audit trail the strategy office browses: who changed what, when, before and after.

It reads the versions django-simple-history keeps for decisions, minutes, funding, status reports
and seats (across governance and projects, which is why it lives in the top app) and the
``PermissionChange`` rows governance.audit writes for roles and object permissions.
"""

import datetime as dt
import heapq
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from calls.models import Application
from governance.models import (
    AgendaItem,
    Attendance,
    ConflictDeclaration,
    Correction,
    Decision,
    Minutes,
    PermissionChange,
    Seat,
)
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
LIMIT = 200

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


def _fields(audited: Audited) -> list[models.Field]:
    """The fields whose changes are shown. A translated field (modeltranslation) is shown per
    language ("name [fi]"); its original column, which holds whichever language was active,
    is left out."""
    fields = audited.model.history.model.tracked_fields
    translated = {f.translated_field.name for f in fields if hasattr(f, "translated_field")}
    return [
        f
        for f in fields
        if f.name not in _SKIPPED_FIELDS and f.attname != "id" and f.name not in translated
    ]


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
        for f in fields:
            old = getattr(before, f.attname) if before is not None else None
            new = getattr(record, f.attname) if record.history_type != "-" else None
            if record.history_type == "-":
                old = getattr(record, f.attname)
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


def _permission_entries(
    *, object_id: int | None, user_id: int | None, limit: int
) -> list[AuditEntry]:
    rows = PermissionChange.objects.select_related("by", "content_type").order_by("-at", "-pk")
    if object_id is not None:  # the user whose rights changed
        rows = rows.filter(user_pk=object_id)
    if user_id is not None:  # changes the person made, and changes to the person's rights
        rows = rows.filter(Q(by_id=user_id) | Q(user_pk=user_id))
    entries = []
    for row in rows[:limit]:
        right = ACCOUNT_RIGHTS.get(row.permission, row.permission)
        if row.object_repr or row.object_pk:
            right = f"{right}: {row.object_repr or '#' + row.object_pk}"
        granted = row.action == PermissionChange.Action.ADDED
        entries.append(
            AuditEntry(
                at=row.at,
                by=row.by,
                kind=PERMISSIONS,
                kind_label=_("rights"),
                object_id=row.user_pk,
                object_label=row.subject,
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
    *, kind: str | None = None, object_id: int | None = None, user_id: int | None = None
) -> tuple[list[AuditEntry], bool]:
    """The newest changes matching the filters, newest first, and whether there were more."""
    sources = []
    kinds = [kind] if kind else [*AUDITED, PERMISSIONS]
    for slug in kinds:
        if slug == PERMISSIONS:
            sources.append(
                _permission_entries(object_id=object_id, user_id=user_id, limit=LIMIT + 1)
            )
        else:
            sources.append(
                _history_entries(slug, object_id=object_id, user_id=user_id, limit=LIMIT + 1)
            )
    merged = list(heapq.merge(*sources, key=lambda e: e.at, reverse=True))
    return merged[:LIMIT], len(merged) > LIMIT


def audit_people() -> Any:
    """Accounts to filter by: everyone who has an account, by username."""
    return get_user_model().objects.order_by("username")

"""Who changed what: the acting user behind every audited change, and the record of changes to
people's rights (roles and object permissions).

Models with ``HistoricalRecords(get_user=history_user)`` keep a version per change
(django-simple-history); who acted is decided in ``governance.acting``.

Rights are not model rows with a history of their own: a role is group membership and a city or
a project is a django-guardian object permission, and an account's flags (active, staff,
superuser) say whether it may sign in, use the admin site or do everything. ``PermissionChange``
rows record each grant and removal, as codes and values (the right: ``role:<group>``,
``account:<flag>``, ``<app>.<codename>``; the object: its type and id), which the audit page
(coordination/audit.py) writes out in the reader's language. They are written by signal
receivers (connected in ``GovernanceConfig.ready``) rather than by the services, because rights
also change through the admin and at every identity-provider sign-in, and an audit that a new
code path can bypass is no audit.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils import translation

from .acting import acting_as, audited, current_user, history_user, save_if_changed
from .models import PermissionChange, Person

# The acting user's helpers live in governance.acting; named here too, where other apps look.
__all__ = [
    "BACKUP_CODES",
    "ENROLMENT_CODE",
    "account_right_record",
    "acting_as",
    "audited",
    "connect",
    "current_user",
    "history_user",
    "save_if_changed",
]


# --- Rights: group membership and guardian object permissions ---------------------------------


def _record(**fields: Any) -> None:
    PermissionChange.objects.create(by=current_user(), **fields)


def _record_name(obj: Any) -> str:
    """An object's name as the record keeps it: in Finnish (the portal's language of record),
    whoever acted in whichever language. The audit page names the object in the reader's
    language from its type and id (``content_type``, ``object_pk``), and shows this text only
    for an object that is gone."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(obj)[:200]


def _holder_fields(holder: Any) -> dict[str, Any]:
    """Whose right it is: a user (kept by id and name) or a group."""
    if isinstance(holder, Group):
        return {"user_pk": None, "subject": f"group:{holder.name}"}
    return {"user_pk": holder.pk, "subject": holder.get_username()}


def _right_name(right: Any) -> str:
    if isinstance(right, Group):
        return f"role:{right.name}"
    return f"{right.content_type.app_label}.{right.codename}"  # a permission on every object


def _membership_changes(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    """A role (User.groups) or a model-wide permission (User.user_permissions,
    Group.permissions) given or taken, from either side of the relation."""
    forward_attr, reverse_attr = _M2M_ACCESSORS[sender]
    if action == "pre_clear":
        # clear() names no pks: remember who loses what before the rows go.
        related = getattr(instance, reverse_attr if reverse else forward_attr)
        instance._audit_cleared = list(related.values_list("pk", flat=True))
        return
    if action == "post_clear":
        pk_set = set(getattr(instance, "_audit_cleared", []))
        change = "removed"
    elif action in ("post_add", "post_remove"):
        change = "added" if action == "post_add" else "removed"
    else:
        return
    if not pk_set:
        return
    others = model.objects.filter(pk__in=pk_set)
    if model is Permission:
        others = others.select_related("content_type")
    by = current_user()
    rows = []
    for other in others:
        holder, right = (other, instance) if reverse else (instance, other)
        rows.append(
            PermissionChange(
                by=by, action=change, permission=_right_name(right), **_holder_fields(holder)
            )
        )
    PermissionChange.objects.bulk_create(rows)


_M2M_ACCESSORS: dict[Any, tuple[str, str]] = {}


def _object_permission_saved(sender, instance, created, raw=False, **kwargs) -> None:
    if raw or not created:
        return
    _object_permission_record(instance, "added")


def _object_permission_deleted(sender, instance, **kwargs) -> None:
    _object_permission_record(instance, "removed")


def _object_permission_record(instance, change: str) -> None:
    # The user or group may be being deleted (a cascade): read them defensively.
    user = getattr(instance, "user", None) if hasattr(instance, "user_id") else None
    group = getattr(instance, "group", None) if hasattr(instance, "group_id") else None
    perm = instance.permission
    target = None
    try:
        target = instance.content_object
    except Exception:  # noqa: BLE001 - the object may be gone already (cascade delete)
        target = None
    _record(
        action=change,
        user_pk=user.pk if user else None,
        subject=user.get_username() if user else f"group:{group.name}" if group else "",
        permission=f"{perm.content_type.app_label}.{perm.codename}",
        content_type=ContentType.objects.get_for_id(instance.content_type_id),
        object_pk=str(instance.object_pk),
        object_repr=_record_name(target) if target is not None else "",
    )


# An account's own flags are rights too: signing in at all, the admin site, every right.
ACCOUNT_FLAGS = ("is_active", "is_staff", "is_superuser")


def _account_flags(user: Any) -> dict[str, bool]:
    return {flag: bool(getattr(user, flag)) for flag in ACCOUNT_FLAGS}


def _account_before_save(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    """Remember the flags as stored, unless this save cannot touch them (a sign-in's
    ``last_login``)."""
    instance._audit_flags = None
    if raw or (update_fields is not None and not set(update_fields) & set(ACCOUNT_FLAGS)):
        return
    stored = None
    if instance.pk is not None and not instance._state.adding:
        stored = sender._base_manager.filter(pk=instance.pk).values(*ACCOUNT_FLAGS).first()
    instance._audit_flags = stored or dict.fromkeys(ACCOUNT_FLAGS, False)  # a new account


def _account_saved(sender, instance, raw=False, **kwargs) -> None:
    before = getattr(instance, "_audit_flags", None)
    instance._audit_flags = None
    if raw or before is None:
        return
    by = current_user()
    rows = [
        PermissionChange(
            by=by,
            action="added" if now else "removed",
            permission=f"account:{flag}",
            **_holder_fields(instance),
        )
        for flag, now in _account_flags(instance).items()
        if bool(before[flag]) != now
    ]
    PermissionChange.objects.bulk_create(rows)


def _account_deleted(sender, instance, **kwargs) -> None:
    """A deleted account loses its flags and roles; the rows of its roles go without a signal."""
    by = current_user()
    if by is not None and by.pk == instance.pk:
        by = None  # the account's own rows are about to go; a row must not point at it
    rights = [f"account:{flag}" for flag, held in _account_flags(instance).items() if held]
    rights += [f"role:{name}" for name in instance.groups.values_list("name", flat=True)]
    PermissionChange.objects.bulk_create(
        PermissionChange(by=by, action="removed", permission=right, **_holder_fields(instance))
        for right in rights
    )


# Which account a person is linked to decides whose seats the account holds: relinking a person
# (in the admin, say) is a way to act as the chair, so it is a change of rights too.
PERSON_LINK = "account:person"


def _person_before_save(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    instance._audit_user_id = None
    if raw or instance._state.adding or instance.pk is None:
        instance._audit_user_id = None if raw else ("new",)
        return
    if update_fields is not None and "user" not in update_fields:
        return
    stored = sender._base_manager.filter(pk=instance.pk).values_list("user_id", flat=True).first()
    instance._audit_user_id = (stored,)


def _person_saved(sender, instance, raw=False, **kwargs) -> None:
    before = getattr(instance, "_audit_user_id", None)
    instance._audit_user_id = None
    if raw or before is None:
        return
    old_id = None if before == ("new",) else before[0]
    if old_id == instance.user_id:
        return
    User = get_user_model()
    accounts = User._base_manager.in_bulk([pk for pk in (old_id, instance.user_id) if pk])
    by = current_user()
    content_type = ContentType.objects.get_for_model(sender)
    rows = [
        PermissionChange(
            by=by,
            action=action,
            permission=PERSON_LINK,
            content_type=content_type,
            object_pk=str(instance.pk),
            object_repr=_record_name(instance),
            **_holder_fields(accounts[pk]),
        )
        for action, pk in (("removed", old_id), ("added", instance.user_id))
        if pk in accounts
    ]
    PermissionChange.objects.bulk_create(rows)


# Two-step sign-in's credentials, changed by the portal itself (sixaika.two_factor): an
# enrolment code the office issued for a user (added) and its use (removed); a new set of backup
# codes the user made (added).
ENROLMENT_CODE = "account:enrolment_code"
BACKUP_CODES = "account:backup_codes"


def account_right_record(*, user: Any, right: str, granted: bool, by: Any) -> PermissionChange:
    """Record a change to one of the account's sign-in credentials above, made by ``by``."""
    return PermissionChange.objects.create(
        by=by,
        action=PermissionChange.Action.ADDED if granted else PermissionChange.Action.REMOVED,
        permission=right,
        **_holder_fields(user),
    )


def connect() -> None:
    """Connect the receivers; called once from GovernanceConfig.ready."""
    from guardian.models import GroupObjectPermission, UserObjectPermission

    User = get_user_model()
    _M2M_ACCESSORS.update(
        {
            User.groups.through: ("groups", "user_set"),
            User.user_permissions.through: ("user_permissions", "user_set"),
            Group.permissions.through: ("permissions", "group_set"),
        }
    )
    for through in _M2M_ACCESSORS:
        m2m_changed.connect(
            _membership_changes, sender=through, dispatch_uid=f"audit_{through.__name__}"
        )
    pre_save.connect(_account_before_save, sender=User, dispatch_uid="audit_account_pre_save")
    post_save.connect(_account_saved, sender=User, dispatch_uid="audit_account_save")
    pre_delete.connect(_account_deleted, sender=User, dispatch_uid="audit_account_delete")
    pre_save.connect(_person_before_save, sender=Person, dispatch_uid="audit_person_pre_save")
    post_save.connect(_person_saved, sender=Person, dispatch_uid="audit_person_save")
    for model in (UserObjectPermission, GroupObjectPermission):
        post_save.connect(
            _object_permission_saved, sender=model, dispatch_uid=f"audit_{model.__name__}_save"
        )
        post_delete.connect(
            _object_permission_deleted, sender=model, dispatch_uid=f"audit_{model.__name__}_del"
        )

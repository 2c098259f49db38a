"""Moving models from one app to another without moving a row: what their content types need.

A model moved with ``SeparateDatabaseAndState`` keeps its table, but its content type still
names the old app. Renaming the content type's ``app_label`` (rather than letting a new one be
made) keeps everything that points at it pointing right: model permissions and the groups that
hold them, django-guardian's object permissions, the admin's log entries.
"""

from collections.abc import Callable, Iterable


def content_types_renamer(
    old_app: str, new_app: str, models: Iterable[str]
) -> tuple[Callable, Callable]:
    """(forward, backward) functions for ``migrations.RunPython``."""
    names = [name.lower() for name in models]

    def rename(apps, from_app: str, to_app: str) -> None:
        ContentType = apps.get_model("contenttypes", "ContentType")
        for name in names:
            old = ContentType.objects.filter(app_label=from_app, model=name).first()
            if old is None:
                continue  # a new database: post_migrate makes the content type later
            # A content type the new code made already (post_migrate of an earlier run) holds
            # nothing yet but its default permissions: the old one, which grants point at, wins.
            ContentType.objects.filter(app_label=to_app, model=name).delete()
            old.app_label = to_app
            old.save(update_fields=["app_label"])

    def forward(apps, schema_editor) -> None:
        rename(apps, old_app, new_app)

    def backward(apps, schema_editor) -> None:
        rename(apps, new_app, old_app)

    return forward, backward

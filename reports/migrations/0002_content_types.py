"""The monitoring report's content type names the reports app, so permissions, guardian's object
permissions and admin log entries keep pointing at it (core/moves.py)."""

from django.db import migrations

from core.moves import content_types_renamer

forward, backward = content_types_renamer("coordination", "reports", ["report"])


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("guardian", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]

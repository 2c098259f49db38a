"""The content types of the moved models name the calls app, so permissions, guardian's object
permissions and admin log entries keep pointing at them (core/moves.py)."""

from django.db import migrations

from core.moves import content_types_renamer

MOVED = [
    "call",
    "criterion",
    "application",
    "historicalapplication",
    "applicationattachment",
    "evaluation",
    "criterionscore",
    "evaluationconflict",
]

forward, backward = content_types_renamer("projects", "calls", MOVED)


class Migration(migrations.Migration):
    dependencies = [
        ("calls", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("guardian", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]

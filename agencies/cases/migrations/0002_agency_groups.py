"""Put every existing person in their agency's permission group (access.py keeps it so)."""

from django.db import migrations


def add_groups(apps, schema_editor):  # type: ignore[no-untyped-def]  # migration signature
    Group = apps.get_model("auth", "Group")
    Person = apps.get_model("agencies", "Person")
    for person in Person.objects.filter(agency__isnull=False, is_active=True):
        group, _created = Group.objects.get_or_create(name=f"agency:{person.agency_id}")
        person.groups.add(group)


def remove_groups(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("auth", "Group").objects.filter(name__startswith="agency:").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_case_files"),
        ("agencies", "0002_invitation_from_command"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(add_groups, remove_groups)]

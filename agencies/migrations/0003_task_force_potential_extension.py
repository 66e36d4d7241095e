from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0002_invitation_from_command"),
    ]

    operations = [
        migrations.AlterField(
            model_name="taskforce",
            name="status",
            field=models.CharField(
                choices=[
                    ("operational", "operational"),
                    ("established", "established"),
                    ("under_establishment", "under establishment"),
                    ("associate", "associate country"),
                    ("potential", "potential extension"),
                ],
                default="under_establishment",
                max_length=24,
                verbose_name="status",
            ),
        ),
    ]

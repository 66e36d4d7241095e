import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("agencies", "0003_task_force_potential_extension"),
    ]

    operations = [
        migrations.CreateModel(
            name="NetworkTaskForce",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "country",
                    models.CharField(
                        max_length=3,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^[A-Z]{3}$",
                                "Use the ISO 3166 alpha-3 country code, as in travel documents (ICAO 9303).",
                            )
                        ],
                        verbose_name="country",
                    ),
                ),
                (
                    "airport",
                    models.CharField(
                        max_length=3,
                        unique=True,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^[A-Z]{3}$", "An IATA airport code is three letters."
                            )
                        ],
                        verbose_name="airport (IATA)",
                    ),
                ),
                ("name", models.CharField(max_length=160, verbose_name="name")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("operational", "operational"),
                            ("established", "established"),
                            ("under_establishment", "under establishment"),
                            ("associate", "associate country"),
                            ("potential", "potential extension"),
                        ],
                        max_length=24,
                        verbose_name="status",
                    ),
                ),
                (
                    "agencies",
                    models.TextField(blank=True, max_length=1000, verbose_name="agencies"),
                ),
                ("notes", models.TextField(blank=True, max_length=2000, verbose_name="notes")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
            ],
            options={
                "verbose_name": "network task force",
                "verbose_name_plural": "network task forces",
                "ordering": ["country", "airport"],
            },
        ),
    ]

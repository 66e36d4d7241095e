"""Task forces of the AIRCOP network outside this installation, kept by the platform admin."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from agencies.models import TaskForce, iata_airport_code, iso_country_code


class NetworkTaskForce(models.Model):
    country = models.CharField(_("country"), max_length=3, validators=[iso_country_code])
    # The airport the task force works at, or is planned for; it places the marker on the map.
    airport = models.CharField(
        _("airport (IATA)"), max_length=3, unique=True, validators=[iata_airport_code]
    )
    name = models.CharField(_("name"), max_length=160)
    status = models.CharField(_("status"), max_length=24, choices=TaskForce.Status.choices)
    agencies = models.TextField(_("agencies"), blank=True, max_length=1000)
    notes = models.TextField(_("notes"), blank=True, max_length=2000)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["country", "airport"]
        verbose_name = _("network task force")
        verbose_name_plural = _("network task forces")

    def __str__(self) -> str:
        return f"{self.airport} — {self.name}"

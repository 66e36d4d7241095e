"""Joint operations: a named period of coordinated controls across task forces and agencies.

Cases attach to an operation (`CaseFile.joint_operation`); seizures and persons count for it
through their case.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from agencies.models import entity_code


class JointOperation(models.Model):
    name = models.CharField(_("name"), max_length=160)
    code = models.CharField(_("code"), max_length=20, unique=True, validators=[entity_code])
    description = models.TextField(_("description"), blank=True, max_length=4000)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    task_forces = models.ManyToManyField(
        "agencies.TaskForce", related_name="joint_operations", verbose_name=_("task forces")
    )
    agencies = models.ManyToManyField(
        "agencies.Agency", related_name="joint_operations", verbose_name=_("agencies")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "code"]
        verbose_name = _("joint operation")
        verbose_name_plural = _("joint operations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="operation_ends_after_it_starts",
                violation_error_message=_("The last day cannot come before the first."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

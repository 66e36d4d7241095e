"""Where a flagged traveller stands in the triage queue, and every decision that led there.

A traveller's `Disposition` is shared by the whole task force: whoever assigns, refers or
decides moves the same record, so two agencies never work the same traveller unknowingly.
Each change is a `Decision`, kept forever; the disposition's `version` makes two officers
deciding at once meet a clear refusal instead of overwriting each other.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    NEW = "new", _("new")
    ASSIGNED = "assigned", _("assigned")
    REFERRED = "referred", _("referred")
    DECIDED = "decided", _("decided")


class Outcome(models.TextChoices):
    CLEARED = "cleared", _("cleared (no control)")
    NEGATIVE = "negative", _("controlled — negative")
    POSITIVE = "positive", _("controlled — positive")
    NOT_FOUND = "not_found", _("not found / did not travel")


class Disposition(models.Model):
    traveller = models.OneToOneField(
        "manifests.Traveller", on_delete=models.CASCADE, related_name="disposition"
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.NEW)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    referred_to = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("referred to"),
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    # Bumped by every decision; a decision made on an older version is refused.
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("disposition")
        verbose_name_plural = _("dispositions")
        indexes = [
            models.Index(fields=["referred_to", "state"], name="disposition_referred"),
            models.Index(fields=["assigned_to", "state"], name="disposition_assigned"),
        ]

    def __str__(self) -> str:
        return f"{self.traveller_id}: {self.get_state_display()}"


class Decision(models.Model):
    class Kind(models.TextChoices):
        ASSIGN = "assign", _("assigned")
        REFER = "refer", _("referred")
        OUTCOME = "outcome", _("decided")

    disposition = models.ForeignKey(Disposition, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(_("decision"), max_length=10, choices=Kind.choices)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    referred_to = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("referred to"),
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    # The decider's agency at the time, shown next to the decision in the shared history.
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("when"), auto_now_add=True)
    # An outcome settles the hits its decider could see, and only those: a hit from a list the
    # decider may not see, or one found later, keeps the traveller in its readers' queue.
    settled_hits = models.ManyToManyField("rules.Hit", related_name="settled_by", blank=True)

    class Meta:
        ordering = ["decided_at", "id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return self.summary

    @property
    def summary(self) -> str:
        """What was decided, in a few words: "assigned to Ama Mensah", "cleared (no control)"."""
        if self.kind == self.Kind.ASSIGN:
            who = self.assignee
            name = (who.get_full_name() or who.get_username()) if who else gettext("nobody")
            return gettext("assigned to %(name)s") % {"name": name}
        if self.kind == self.Kind.REFER:
            agency = self.referred_to.name if self.referred_to else "?"
            return gettext("referred to %(agency)s") % {"agency": agency}
        return str(Outcome(self.outcome).label) if self.outcome else gettext("decided")

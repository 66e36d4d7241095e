"""Need-to-know for watchlists, rules and hits.

A watchlist is visible to its agency, its task force or the whole network, as its owner chose;
a hit is shown only to people who may see the list (or the rule) that produced it. A liaison
hit (an alert from a counterpart) follows its handling code, as the exchange does
(liaison.selectors.exchanges_visible_to): TLP:AMBER, GREEN and CLEAR for the whole task force,
TLP:AMBER+STRICT for the agency the alert is addressed to, TLP:RED for liaison officers alone
(who see every alert of their task force).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from agencies.models import Role, TaskForce
from liaison.models import Handling
from targeting.rules.models import Hit, Rule, Visibility, Watchlist, WatchlistEntry


def _membership(user: Any) -> tuple[int, int] | None:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "agency_id", None):
        return None
    return user.agency_id, user.agency.task_force_id


def _visible_lists_q(agency_id: int, task_force_id: int, prefix: str = "") -> Q:
    return (
        Q(**{f"{prefix}agency_id": agency_id})
        | Q(
            **{
                f"{prefix}visibility": Visibility.TASK_FORCE,
                f"{prefix}agency__task_force_id": task_force_id,
            }
        )
        | Q(**{f"{prefix}visibility": Visibility.NETWORK})
    )


def watchlists_visible_to(user: Any) -> QuerySet[Watchlist]:
    member = _membership(user)
    if member is None:
        return Watchlist.objects.none()
    return Watchlist.objects.select_related("agency").filter(_visible_lists_q(*member))


def watchlists_editable_by(user: Any) -> QuerySet[Watchlist]:
    """An agency's lists are kept by its analysts and supervisors."""
    member = _membership(user)
    if member is None or not (user.has_role("analyst") or user.has_role("supervisor")):
        return Watchlist.objects.none()
    return Watchlist.objects.select_related("agency").filter(agency_id=member[0])


def entries_visible_to(user: Any) -> QuerySet[WatchlistEntry]:
    return WatchlistEntry.objects.filter(watchlist__in=watchlists_visible_to(user))


def watchlists_screening(task_force: TaskForce) -> QuerySet[Watchlist]:
    """The lists a task force's flights are checked against: its agencies' lists, the network's."""
    return Watchlist.objects.filter(is_active=True).filter(
        Q(agency__task_force=task_force) | Q(visibility=Visibility.NETWORK)
    )


def rules_screening(task_force: TaskForce) -> QuerySet[Rule]:
    return Rule.objects.filter(
        is_active=True, agency__task_force=task_force, current_version__isnull=False
    ).select_related("current_version")


def rules_visible_to(user: Any) -> QuerySet[Rule]:
    """Rules are the task force's shared tools: every member may read them."""
    member = _membership(user)
    if member is None:
        return Rule.objects.none()
    return Rule.objects.select_related("agency", "current_version").filter(
        agency__task_force_id=member[1]
    )


def _liaison_hits_q(user: Any, agency_id: int) -> Q:
    if user.has_role(Role.LIAISON_OFFICER):
        return Q(source=Hit.Source.LIAISON)
    return Q(source=Hit.Source.LIAISON) & (
        Q(handling__in=[Handling.AMBER, Handling.GREEN, Handling.CLEAR])
        | Q(handling=Handling.AMBER_STRICT, agency_id=agency_id)
    )


def hits_visible_to(user: Any) -> QuerySet[Hit]:
    """Hits on the task force's travellers from lists the person may see, from its rules, and
    from alerts whose handling code lets the person read them."""
    member = _membership(user)
    if member is None:
        return Hit.objects.none()
    agency_id, task_force_id = member
    return Hit.objects.filter(traveller__flight__task_force_id=task_force_id).filter(
        Q(source=Hit.Source.RULE)
        | _visible_lists_q(agency_id, task_force_id, "watchlist__")
        | _liaison_hits_q(user, agency_id)
    )


def hit_scope(user: Any) -> tuple[Any, ...]:
    """What `hits_visible_to` depends on besides the hits and lists: the person's agency and
    whether they are a liaison officer. Caches of visible hits key on it."""
    member = _membership(user)
    if member is None:
        return ()
    return (*member, user.has_role(Role.LIAISON_OFFICER))


def rules_editable_by(user: Any) -> QuerySet[Rule]:
    """An agency's rules are kept by its analysts and supervisors."""
    member = _membership(user)
    if member is None or not (user.has_role("analyst") or user.has_role("supervisor")):
        return Rule.objects.none()
    return rules_visible_to(user).filter(agency_id=member[0])

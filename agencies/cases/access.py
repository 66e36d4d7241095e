"""Per-object permissions on case files, granted to the group of each agency (django-guardian).

Every agency has one group, `agency:<id>`, holding exactly its members (signals.py keeps it in
step when a person joins or changes agency). A case's owning agency holds `OWNER_PERMISSIONS`
on it; a partner agency of an approved share holds `PARTNER_PERMISSIONS` until it is unshared.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from guardian.shortcuts import assign_perm, remove_perm

from agencies.cases.models import CaseFile
from agencies.models import Agency

OWNER_PERMISSIONS = ("view_casefile", "change_casefile", "contribute_casefile")
PARTNER_PERMISSIONS = ("view_casefile", "contribute_casefile")
GROUP_PREFIX = "agency:"


def agency_group(agency: Agency | int) -> Group:
    agency_id = agency if isinstance(agency, int) else agency.pk
    group, _created = Group.objects.get_or_create(name=f"{GROUP_PREFIX}{agency_id}")
    return group


def sync_agency_group(person: Any) -> None:
    """Make the person a member of their agency's group, and of no other agency's."""
    stale = person.groups.filter(name__startswith=GROUP_PREFIX)
    if person.agency_id:
        stale = stale.exclude(name=f"{GROUP_PREFIX}{person.agency_id}")
    person.groups.remove(*stale)
    if person.agency_id and person.is_active:
        person.groups.add(agency_group(person.agency_id))


def grant_owner(case: CaseFile) -> None:
    group = agency_group(case.agency_id)
    for permission in OWNER_PERMISSIONS:
        assign_perm(f"cases.{permission}", group, case)


def grant_partner(case: CaseFile, agency: Agency) -> None:
    group = agency_group(agency)
    for permission in PARTNER_PERMISSIONS:
        assign_perm(f"cases.{permission}", group, case)


def revoke_partner(case: CaseFile, agency: Agency) -> None:
    group = agency_group(agency)
    for permission in PARTNER_PERMISSIONS:
        remove_perm(f"cases.{permission}", group, case)

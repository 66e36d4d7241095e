"""Changes to the list of the network's task forces: one load of a CSV, all or nothing."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pycountry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agencies.models import Airport
from agencies.network.models import NetworkTaskForce
from agencies.reference import airport_position
from aircop.audit.services import Action, record_event

COLUMNS = ("country", "airport", "name", "status", "agencies", "notes")


def is_known_airport(iata_code: str) -> bool:
    return (
        airport_position(iata_code) is not None
        or Airport.objects.filter(iata_code=iata_code).exists()
    )


@transaction.atomic
def load_network(
    *, rows: Iterable[tuple[int, dict[str, str]]], actor: Any = None
) -> tuple[int, int]:
    """Create or update the network's task forces from rows; returns (created, updated).

    Rows come with their line number in the file and are keyed by airport. Every row is checked
    before anything is written, and an error names its line: one bad row stores nothing.
    """
    prepared: list[NetworkTaskForce] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    for number, row in rows:
        entry = NetworkTaskForce(
            country=(row.get("country") or "").strip().upper(),
            airport=(row.get("airport") or "").strip().upper(),
            name=(row.get("name") or "").strip(),
            status=(row.get("status") or "").strip().lower().replace(" ", "_"),
            agencies=(row.get("agencies") or "").strip(),
            notes=(row.get("notes") or "").strip(),
        )
        problems: dict[str, list[str]] = {}
        try:
            entry.full_clean(validate_unique=False)
        except ValidationError as err:
            problems.update(err.message_dict)
        if "country" not in problems and pycountry.countries.get(alpha_3=entry.country) is None:
            problems["country"] = [
                _("'%(code)s' is not an ISO 3166 alpha-3 country code.") % {"code": entry.country}
            ]
        if "airport" not in problems:
            if entry.airport in seen:
                problems["airport"] = [
                    _("%(code)s is already on line %(line)d.")
                    % {"code": entry.airport, "line": seen[entry.airport]}
                ]
            elif not is_known_airport(entry.airport):
                problems["airport"] = [
                    _("%(code)s is not a known IATA airport code.") % {"code": entry.airport}
                ]
            seen.setdefault(entry.airport, number)
        if problems:
            detail = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in problems.items())
            errors.append(_("line %(n)d: %(e)s") % {"n": number, "e": detail})
        prepared.append(entry)
    if errors:
        raise ValidationError(errors)
    existing = {e.airport: e for e in NetworkTaskForce.objects.select_for_update()}
    created = updated = 0
    fields = ["country", "name", "status", "agencies", "notes"]
    for entry in prepared:
        current = existing.get(entry.airport)
        if current is None:
            entry.save()
            created += 1
        elif any(getattr(current, f) != getattr(entry, f) for f in fields):
            for f in fields:
                setattr(current, f, getattr(entry, f))
            current.save()
            updated += 1
    if created or updated:
        record_event(
            action=Action.CHANGE,
            actor=actor,
            object_label="network task forces",
            details={"created": created, "updated": updated},
        )
    return created, updated

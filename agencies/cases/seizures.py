"""Seizures on a case: what was seized, how much, how it was hidden, checked before it is stored.

The figures feed AIRCOP's results, so a seizure is refused rather than stored doubtful: the unit
must suit the commodity, money carries its ISO 4217 currency, and the date is plausible.
"""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

import pycountry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agencies.cases import selectors
from agencies.cases.models import CaseEntry, CaseFile, Commodity, Concealment, Seizure, Unit
from agencies.cases.services import _entry
from aircop.audit.services import Action, record_event
from targeting.manifests.models import Flight
from targeting.manifests.selectors import flights_visible_to

# Counted in tablets: pills are how these are trafficked; a kilo of cocaine is not.
TABLET_COMMODITIES = (
    Commodity.MEDICINES,
    Commodity.ATS,
    Commodity.METHAMPHETAMINE,
    Commodity.OTHER,
)
# ISO 4217 lists these codes, but no one carries them across a border.
NOT_MONEY = ("XTS", "XXX")
# A seizure may be recorded on a case opened up to this long after it (a case opened late).
SEIZED_BEFORE_OPENING = timedelta(days=30)

# The column holds 14 digits, 3 of them decimals: a quantity stays under 10^11.
_MAX_QUANTITY = Decimal(10) ** (14 - 3)
_DESCRIPTION_MAX = Seizure._meta.get_field("description").max_length or 300


def _quantity(value: Decimal | str | int) -> tuple[Decimal | None, str]:
    """The quantity as a Decimal, or the reason it cannot be one."""
    if isinstance(value, bool):
        return None, _("Give the quantity as a number, e.g. 2.5.")
    try:
        quantity = Decimal(str(value).strip())
    except InvalidOperation:
        return None, _("Give the quantity as a number, e.g. 2.5.")
    if not quantity.is_finite():
        return None, _("Give the quantity as a number, e.g. 2.5.")
    if quantity <= 0:
        return None, _("The quantity must be more than zero.")
    exponent = quantity.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -3:
        return None, _("Give the quantity with at most 3 decimals.")
    if quantity >= _MAX_QUANTITY:
        too_large = _("%(quantity)s is too large for a seizure; check the figure and the unit.")
        return None, too_large % {"quantity": str(value)[:20]}
    return quantity.quantize(Decimal("0.001")), ""


def _local_date(moment: datetime, case: CaseFile) -> date:
    return timezone.localtime(moment, zoneinfo.ZoneInfo(case.agency.task_force.time_zone)).date()


@transaction.atomic
def record_seizure(
    *,
    actor: Any,
    case: CaseFile,
    commodity: str,
    quantity: Decimal | str | int,
    unit: str,
    seized_on: date,
    currency: str = "",
    concealment: str = "",
    description: str = "",
    flight: Flight | None = None,
) -> Seizure:
    """Record what the owning agency seized; refused with field errors when a figure is wrong."""
    if not selectors.can_change(actor, case):
        raise PermissionDenied(_("Only the owning agency's case workers record seizures."))
    errors: dict[str, str] = {}

    if commodity not in Commodity.values:
        errors["commodity"] = _("Choose a commodity from the list.")
    if unit not in Unit.values:
        errors["unit"] = _("Choose a unit from the list.")
    concealment = (concealment or "").strip()
    if concealment and concealment not in Concealment.values:
        errors["concealment"] = _("Choose a concealment method from the list.")

    amount, problem = _quantity(quantity)
    if problem:
        errors["quantity"] = problem

    is_money = unit == Unit.AMOUNT
    if commodity == Commodity.CURRENCY and unit in Unit.values and not is_money:
        errors["unit"] = _("Undeclared currency is counted as an amount of money.")
    elif is_money and commodity in Commodity.values and commodity != Commodity.CURRENCY:
        errors["unit"] = _("Only undeclared currency is counted as an amount of money.")
    if (
        unit == Unit.TABLETS
        and commodity in Commodity.values
        and commodity not in TABLET_COMMODITIES
    ):
        errors["unit"] = _(
            "Tablets are for medicines, amphetamine-type stimulants, methamphetamine or other."
        )

    currency = (currency or "").strip().upper()
    if is_money:
        if not currency:
            errors["currency"] = _("Give the currency's ISO 4217 code, e.g. USD or XOF.")
        elif (
            len(currency) != 3
            or currency in NOT_MONEY
            or pycountry.currencies.get(alpha_3=currency) is None
        ):
            errors["currency"] = _("%(code)s is not an ISO 4217 currency code.") % {
                "code": currency
            }
    elif currency:
        errors["currency"] = _("A currency goes with an amount of money only.")

    if not isinstance(seized_on, date) or isinstance(seized_on, datetime):
        errors["seized_on"] = _("Give the date of the seizure.")
    else:
        today = _local_date(timezone.now(), case)
        earliest = _local_date(case.opened_at, case) - SEIZED_BEFORE_OPENING
        if seized_on > today:
            errors["seized_on"] = _("The seizure date is in the future.")
        elif seized_on < earliest:
            errors["seized_on"] = _(
                "The case was opened on %(opened)s; a seizure can be at most 30 days earlier "
                "(%(earliest)s)."
            ) % {
                "opened": _local_date(case.opened_at, case).isoformat(),
                "earliest": earliest.isoformat(),
            }

    description = (description or "").strip()
    if len(description) > _DESCRIPTION_MAX:
        errors["description"] = _("Keep the description under %(max)d characters.") % {
            "max": _DESCRIPTION_MAX
        }

    # Any flight of the task force: a seizure may name a flight the case does not list.
    if flight is not None and not flights_visible_to(actor).filter(pk=flight.pk).exists():
        errors["flight"] = _("This flight is not of your task force.")

    if errors or amount is None:
        raise ValidationError(errors)

    seizure = Seizure(
        case=case,
        commodity=commodity,
        quantity=amount,
        unit=unit,
        currency=currency,
        concealment=concealment,
        description=description,
        seized_on=seized_on,
        flight=flight,
        recorded_by=actor,
        agency_id=actor.agency_id,
    )
    seizure.full_clean()
    seizure.save()
    _entry(case, actor, CaseEntry.Kind.SEIZURE, seizure_summary(seizure))
    record_event(
        action=Action.CHANGE,
        actor=actor,
        obj=case,
        reason="seizure",
        details={"seizure": seizure.pk},
    )
    return seizure


def quantity_label(seizure: Seizure) -> str:
    """How much, for people: "2.5 kg", "12,000 USD", "300 tablets"."""
    quantity = Decimal(seizure.quantity)
    number = formats.number_format(quantity.normalize(), use_l10n=True, force_grouping=True)
    if seizure.unit == Unit.AMOUNT:
        return f"{number} {seizure.currency}"
    if seizure.unit == Unit.TABLETS:
        count = int(quantity) if quantity == quantity.to_integral_value() else 2
        return ngettext("%(number)s tablet", "%(number)s tablets", count) % {"number": number}
    if seizure.unit == Unit.UNITS:
        count = int(quantity) if quantity == quantity.to_integral_value() else 2
        return ngettext("%(number)s unit", "%(number)s units", count) % {"number": number}
    return f"{number} {Unit(seizure.unit).label}"


def seizure_summary(seizure: Seizure) -> str:
    """The timeline line: "Seizure: cocaine 2.5 kg, body carried"."""
    text = _("Seizure: %(commodity)s %(quantity)s") % {
        "commodity": seizure.get_commodity_display(),
        "quantity": quantity_label(seizure),
    }
    if seizure.concealment:
        text += f", {seizure.get_concealment_display()}"
    return text

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from agencies.cases import services
from agencies.cases.models import CaseEntry, CaseFile, Seizure
from agencies.cases.seizures import quantity_label, record_seizure
from agencies.models import Role
from aircop.audit.models import AuditEvent
from tests.agencies.cases.factories import open_case
from tests.agencies.factories import PersonFactory
from tests.targeting.factories import FlightFactory


@pytest.fixture
def case(officer: Any) -> CaseFile:
    return open_case(officer)


def today() -> date:
    return timezone.localdate()


def seize(actor: Any, case: CaseFile, **fields: Any) -> Seizure:
    values: dict[str, Any] = {
        "commodity": "cocaine",
        "quantity": "2.5",
        "unit": "kg",
        "seized_on": today(),
        "concealment": "body",
    }
    values.update(fields)
    return record_seizure(actor=actor, case=case, **values)


def refused(actor: Any, case: CaseFile, **fields: Any) -> dict[str, list[str]]:
    """The field errors of a refused seizure; checks that nothing was written."""
    entries = case.entries.count()
    with pytest.raises(ValidationError) as caught:
        seize(actor, case, **fields)
    assert not Seizure.objects.exists()
    assert case.entries.count() == entries
    return caught.value.message_dict


def test_a_seizure_is_stored_with_its_timeline_entry_and_audit_record(
    officer: Any, case: CaseFile
) -> None:
    seizure = seize(officer, case)
    assert seizure.quantity == Decimal("2.5")
    assert (seizure.recorded_by, seizure.agency_id) == (officer, officer.agency_id)
    entry = case.entries.get(kind=CaseEntry.Kind.SEIZURE)
    assert entry.text == "Seizure: cocaine 2.5 kg, body carried"
    assert entry.agency_id == officer.agency_id
    event = AuditEvent.objects.get(reason="seizure")
    assert (event.action, event.object_id) == ("change", str(case.pk))
    assert event.details == {"seizure": seizure.pk}


def test_money_is_an_amount_with_an_upper_cased_iso_currency(officer: Any, case: CaseFile) -> None:
    seizure = seize(
        officer, case, commodity="currency", quantity=12000, unit="amount", currency=" usd "
    )
    assert seizure.currency == "USD"
    assert quantity_label(seizure) == "12,000 USD"
    assert case.entries.get(kind="seizure").text == (
        "Seizure: undeclared currency 12,000 USD, body carried"
    )


def test_cfa_francs_are_accepted(officer: Any, case: CaseFile) -> None:
    seizure = seize(officer, case, commodity="currency", unit="amount", currency="XOF")
    assert seizure.currency == "XOF"


def test_quantity_labels() -> None:
    assert quantity_label(Seizure(quantity=Decimal("300.000"), unit="tablets")) == "300 tablets"
    assert quantity_label(Seizure(quantity=Decimal("1"), unit="units")) == "1 unit"
    assert quantity_label(Seizure(quantity=Decimal("1250.500"), unit="g")) == "1,250.5 g"
    assert quantity_label(Seizure(quantity=Decimal("0.001"), unit="kg")) == "0.001 kg"


def test_another_agencys_officer_cannot_record_a_seizure(
    case: CaseFile, customs: Any, supervisor: Any
) -> None:
    customs_officer = PersonFactory(agency=customs, roles=[Role.OFFICER])
    with pytest.raises(PermissionDenied):
        seize(customs_officer, case)
    # Even once the case is shared: partners add entries, only the owner records seizures.
    services.request_share(actor=supervisor, case=case, agency=customs, reason="joint")
    with pytest.raises(PermissionDenied):
        seize(customs_officer, case)
    assert not Seizure.objects.exists()


def test_unknown_commodity_is_refused(officer: Any, case: CaseFile) -> None:
    assert "commodity" in refused(officer, case, commodity="gold")


def test_unknown_unit_is_refused(officer: Any, case: CaseFile) -> None:
    assert "unit" in refused(officer, case, unit="lb")


def test_unknown_concealment_is_refused(officer: Any, case: CaseFile) -> None:
    assert "concealment" in refused(officer, case, concealment="suitcase lining")


@pytest.mark.parametrize("quantity", ["two kilos", "", "2,5", "NaN", "Infinity", True])
def test_quantity_that_is_not_a_number_is_refused(
    officer: Any, case: CaseFile, quantity: Any
) -> None:
    assert refused(officer, case, quantity=quantity) == {
        "quantity": ["Give the quantity as a number, e.g. 2.5."]
    }


@pytest.mark.parametrize("quantity", ["0", 0, "-1.5", -3])
def test_zero_or_negative_quantity_is_refused(officer: Any, case: CaseFile, quantity: Any) -> None:
    assert refused(officer, case, quantity=quantity) == {
        "quantity": ["The quantity must be more than zero."]
    }


def test_quantity_with_more_than_three_decimals_is_refused(officer: Any, case: CaseFile) -> None:
    assert refused(officer, case, quantity="2.5004") == {
        "quantity": ["Give the quantity with at most 3 decimals."]
    }
    # Trailing zeros are not precision: 2.5000 is 2.5.
    assert seize(officer, case, quantity="2.5000").quantity == Decimal("2.5")


def test_absurdly_large_quantity_is_refused(officer: Any, case: CaseFile) -> None:
    errors = refused(officer, case, quantity="100000000000")
    assert "too large" in errors["quantity"][0]
    assert seize(officer, case, quantity="99999999999.999").quantity == Decimal("99999999999.999")


def test_currency_must_be_counted_as_an_amount(officer: Any, case: CaseFile) -> None:
    assert refused(officer, case, commodity="currency", unit="units") == {
        "unit": ["Undeclared currency is counted as an amount of money."]
    }


def test_only_currency_is_counted_as_an_amount(officer: Any, case: CaseFile) -> None:
    assert refused(officer, case, commodity="cocaine", unit="amount", currency="USD") == {
        "unit": ["Only undeclared currency is counted as an amount of money."]
    }


def test_an_amount_needs_a_currency(officer: Any, case: CaseFile) -> None:
    assert refused(officer, case, commodity="currency", unit="amount") == {
        "currency": ["Give the currency's ISO 4217 code, e.g. USD or XOF."]
    }


@pytest.mark.parametrize("currency", ["ABC", "US", "DOLLARS", "XXX", "840"])
def test_an_amount_needs_a_real_iso_currency(officer: Any, case: CaseFile, currency: str) -> None:
    errors = refused(officer, case, commodity="currency", unit="amount", currency=currency)
    assert errors == {"currency": [f"{currency} is not an ISO 4217 currency code."]}


def test_a_currency_with_a_weight_is_refused(officer: Any, case: CaseFile) -> None:
    assert refused(officer, case, unit="kg", currency="USD") == {
        "currency": ["A currency goes with an amount of money only."]
    }


@pytest.mark.parametrize("commodity", ["medicines", "ats", "methamphetamine", "other"])
def test_tablets_of_pills(officer: Any, case: CaseFile, commodity: str) -> None:
    seizure = seize(officer, case, commodity=commodity, quantity=300, unit="tablets")
    assert quantity_label(seizure) == "300 tablets"


@pytest.mark.parametrize("commodity", ["cocaine", "cannabis", "ivory", "tobacco"])
def test_tablets_of_other_commodities_are_refused(
    officer: Any, case: CaseFile, commodity: str
) -> None:
    assert list(refused(officer, case, commodity=commodity, unit="tablets")) == ["unit"]


def test_seizure_in_the_future_is_refused(officer: Any, case: CaseFile) -> None:
    assert refused(officer, case, seized_on=today() + timedelta(days=1)) == {
        "seized_on": ["The seizure date is in the future."]
    }


def test_seizure_long_before_the_case_was_opened_is_refused(officer: Any, case: CaseFile) -> None:
    opened = timezone.localdate(case.opened_at)
    errors = refused(officer, case, seized_on=opened - timedelta(days=31))
    assert "at most 30 days earlier" in errors["seized_on"][0]
    assert seize(officer, case, seized_on=opened - timedelta(days=30)).pk


def test_seizure_date_must_be_a_date(officer: Any, case: CaseFile) -> None:
    assert list(refused(officer, case, seized_on="yesterday")) == ["seized_on"]
    assert list(refused(officer, case, seized_on=timezone.now())) == ["seized_on"]


def test_a_flight_of_another_task_force_is_refused(
    officer: Any, case: CaseFile, other_task_force: Any
) -> None:
    flight = FlightFactory(task_force=other_task_force)
    assert refused(officer, case, flight=flight) == {
        "flight": ["This flight is not of your task force."]
    }


def test_a_seizure_may_name_a_task_force_flight_the_case_does_not_list(
    officer: Any, task_force: Any
) -> None:
    case = open_case(officer, flights=[FlightFactory(task_force=task_force)])
    other_flight = FlightFactory(task_force=task_force)
    assert seize(officer, case, flight=other_flight).flight == other_flight


def test_every_wrong_field_is_named_at_once(officer: Any, case: CaseFile) -> None:
    errors = refused(
        officer, case, commodity="gold", quantity="-1", seized_on=today() + timedelta(days=2)
    )
    assert set(errors) == {"commodity", "quantity", "seized_on"}

"""Two officers deciding the same traveller at the same instant, on PostgreSQL's real locking."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from agencies.models import Role
from targeting.manifests.models import Traveller
from targeting.rules.models import Visibility
from targeting.triage import services
from targeting.triage.models import Decision, Disposition, Outcome
from tests.agencies.factories import PersonFactory
from tests.fixtures.services import IN_CI
from tests.targeting.factories import (
    FlightFactory,
    HitFactory,
    TravellerFactory,
    WatchlistEntryFactory,
    WatchlistFactory,
)

pytestmark = pytest.mark.integration


def require_postgresql() -> None:
    if connection.vendor == "postgresql":
        return
    if IN_CI:
        pytest.fail("CI runs this test on PostgreSQL: set DATABASE_URL")
    pytest.skip("needs PostgreSQL's row locks (set DATABASE_URL); CI always runs it")


@pytest.mark.parametrize("earlier_decision", [False, True])
def test_two_officers_deciding_at_once_one_wins_and_the_other_is_told(
    transactional_db: None, task_force: Any, police: Any, customs: Any, earlier_decision: bool
) -> None:
    require_postgresql()
    ama = PersonFactory(username="ama", first_name="Ama", agency=police, roles=[Role.OFFICER])
    kofi = PersonFactory(username="kofi", first_name="Kofi", agency=customs, roles=[Role.OFFICER])
    entry = WatchlistEntryFactory(
        watchlist=WatchlistFactory(agency=police, visibility=Visibility.TASK_FORCE)
    )
    hit = HitFactory(
        traveller=TravellerFactory(flight=FlightFactory(task_force=task_force)), entry=entry
    )
    version = 0
    if earlier_decision:  # the disposition exists already: both race on its version only
        services.assign_traveller(actor=ama, traveller=hit.traveller, assignee=ama, version=0)
        version = 1

    start = threading.Barrier(2)
    results: dict[str, str] = {}

    def decide(person: Any, outcome: str) -> None:
        try:
            traveller = Traveller.objects.select_related("flight").get(pk=hit.traveller_id)
            start.wait(timeout=10)
            services.record_outcome(
                actor=person, traveller=traveller, outcome=outcome, version=version, reason="x"
            )
            results[person.username] = "saved"
        except services.DecisionConflict as conflict:
            results[person.username] = str(conflict)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(ama, Outcome.CLEARED)),
        threading.Thread(target=decide, args=(kofi, Outcome.POSITIVE)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(results) == ["ama", "kofi"]
    winners = [name for name, result in results.items() if result == "saved"]
    assert len(winners) == 1, results
    loser = "kofi" if winners == ["ama"] else "ama"
    winner_name = "Ama" if winners == ["ama"] else "Kofi"
    assert winner_name in results[loser]  # told who decided
    outcomes = list(Decision.objects.filter(kind="outcome").values_list("outcome", flat=True))
    assert outcomes == [Outcome.CLEARED if winners == ["ama"] else Outcome.POSITIVE]
    disposition = Disposition.objects.get(traveller_id=hit.traveller_id)
    assert disposition.version == version + 1
    assert disposition.outcome == outcomes[0]

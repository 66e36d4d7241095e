from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agencies.models import Role
from aircop.audit.models import AuditEvent
from targeting.rules.models import Visibility
from targeting.rules.screening import screen_flight
from targeting.rules.watchlists import change_watchlist_settings
from targeting.triage import services
from targeting.triage.models import Decision, Disposition, Outcome, State
from targeting.triage.selectors import QueueFilters, queue_for
from tests.agencies.factories import PersonFactory
from tests.targeting.factories import (
    FlightFactory,
    HitFactory,
    TravellerFactory,
    WatchlistEntryFactory,
    WatchlistFactory,
)


@pytest.fixture
def flight(task_force: Any) -> Any:
    return FlightFactory(task_force=task_force)


@pytest.fixture
def shared_hit(police: Any, flight: Any) -> Any:
    """A hit from a police list the whole task force may see."""
    entry = WatchlistEntryFactory(watchlist=WatchlistFactory(agency=police, visibility="taskforce"))
    return HitFactory(traveller=TravellerFactory(flight=flight), entry=entry)


@pytest.fixture
def customs_officer(customs: Any) -> Any:
    return PersonFactory(username="customs-officer", agency=customs, roles=[Role.OFFICER])


def queue_ids(person: Any, **filters: Any) -> list[int]:
    return [t.pk for t in queue_for(person, QueueFilters(**filters))]


def test_assign_refer_and_decide_move_the_disposition_and_are_audited(
    officer: Any, customs: Any, shared_hit: Any
) -> None:
    traveller = shared_hit.traveller
    services.assign_traveller(actor=officer, traveller=traveller, assignee=officer, version=0)
    disposition = Disposition.objects.get(traveller=traveller)
    assert (disposition.state, disposition.assigned_to, disposition.version) == (
        State.ASSIGNED,
        officer,
        1,
    )

    services.refer_traveller(
        actor=officer, traveller=traveller, agency=customs, version=1, reason="bags"
    )
    disposition.refresh_from_db()
    assert (disposition.state, disposition.referred_to, disposition.assigned_to) == (
        State.REFERRED,
        customs,
        None,
    )

    decision = services.record_outcome(
        actor=officer, traveller=traveller, outcome=Outcome.POSITIVE, version=2, reason="2 kg"
    )
    disposition.refresh_from_db()
    assert (disposition.state, disposition.outcome) == (State.DECIDED, Outcome.POSITIVE)
    assert list(decision.settled_hits.all()) == [shared_hit]
    kinds = list(Decision.objects.filter(disposition=disposition).values_list("kind", flat=True))
    assert kinds == ["assign", "refer", "outcome"]
    audited = AuditEvent.objects.filter(action="decide", object_id=str(traveller.pk))
    assert audited.count() == 3
    assert audited.filter(reason="2 kg", actor=officer).exists()


def test_a_decision_on_an_old_version_is_refused_and_says_who_decided(
    officer: Any, supervisor: Any, shared_hit: Any
) -> None:
    traveller = shared_hit.traveller
    services.record_outcome(
        actor=supervisor, traveller=traveller, outcome=Outcome.CLEARED, version=0, reason="ok"
    )
    with pytest.raises(services.DecisionConflict) as refused:
        services.record_outcome(
            actor=officer, traveller=traveller, outcome=Outcome.POSITIVE, version=0, reason="x"
        )
    assert "cleared" in str(refused.value)
    assert refused.value.latest.decided_by == supervisor
    # The first decision stands, the refused one left no trace.
    assert Decision.objects.count() == 1
    assert Disposition.objects.get().outcome == Outcome.CLEARED
    # Deciding again on the version now current works: nothing either officer decided is lost.
    services.record_outcome(
        actor=officer, traveller=traveller, outcome=Outcome.POSITIVE, version=1, reason="x"
    )
    assert Decision.objects.count() == 2


def test_reasons_are_required_for_referrals_and_outcomes(
    officer: Any, customs: Any, shared_hit: Any
) -> None:
    with pytest.raises(ValidationError) as error:
        services.record_outcome(
            actor=officer,
            traveller=shared_hit.traveller,
            outcome=Outcome.CLEARED,
            version=0,
            reason="  ",
        )
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.refer_traveller(
            actor=officer, traveller=shared_hit.traveller, agency=customs, version=0, reason=""
        )
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.record_outcome(
            actor=officer,
            traveller=shared_hit.traveller,
            outcome="arrested",
            version=0,
            reason="x",
        )
    assert "outcome" in error.value.message_dict
    assert not Decision.objects.exists()


def test_only_officers_and_supervisors_decide(police: Any, shared_hit: Any) -> None:
    analyst = PersonFactory(agency=police, roles=[Role.ANALYST])
    with pytest.raises(PermissionDenied):
        services.assign_traveller(
            actor=analyst, traveller=shared_hit.traveller, assignee=analyst, version=0
        )


def test_assignee_and_referral_stay_inside_the_task_force(
    officer: Any, police: Any, other_agency: Any, shared_hit: Any
) -> None:
    stranger = PersonFactory(agency=other_agency, roles=[Role.OFFICER])
    with pytest.raises(ValidationError) as error:
        services.assign_traveller(
            actor=officer, traveller=shared_hit.traveller, assignee=stranger, version=0
        )
    assert "assignee" in error.value.message_dict
    for agency in (other_agency, police):
        with pytest.raises(ValidationError) as error:
            services.refer_traveller(
                actor=officer, traveller=shared_hit.traveller, agency=agency, version=0, reason="x"
            )
        assert "agency" in error.value.message_dict
    stranger_flight_traveller = TravellerFactory(flight=FlightFactory())
    with pytest.raises(PermissionDenied):
        services.assign_traveller(
            actor=officer, traveller=stranger_flight_traveller, assignee=officer, version=0
        )


def test_referral_puts_the_traveller_in_the_other_agencys_queue(
    officer: Any, customs: Any, customs_officer: Any, police: Any, flight: Any
) -> None:
    # A hit from a police-only list: customs cannot see it, so the traveller is not theirs ...
    entry = WatchlistEntryFactory(watchlist=WatchlistFactory(agency=police))
    hit = HitFactory(traveller=TravellerFactory(flight=flight), entry=entry)
    assert queue_ids(customs_officer) == []
    # ... until police refer them.
    services.refer_traveller(
        actor=officer, traveller=hit.traveller, agency=customs, version=0, reason="bags"
    )
    assert queue_ids(customs_officer) == [hit.traveller.pk]
    assert queue_ids(customs_officer, state="referred") == [hit.traveller.pk]
    # Their decision takes it out of their queue.
    services.record_outcome(
        actor=customs_officer,
        traveller=hit.traveller,
        outcome=Outcome.NEGATIVE,
        version=1,
        reason="nothing",
    )
    assert queue_ids(customs_officer) == []
    # The police hit was never shown to customs, so customs' outcome did not settle it.
    assert queue_ids(officer) == [hit.traveller.pk]


def test_an_outcome_settles_only_the_hits_the_decider_could_see(
    officer: Any, customs: Any, customs_officer: Any, shared_hit: Any
) -> None:
    traveller = shared_hit.traveller
    hidden = WatchlistEntryFactory(watchlist=WatchlistFactory(agency=customs))
    HitFactory(traveller=traveller, entry=hidden)
    services.record_outcome(
        actor=officer, traveller=traveller, outcome=Outcome.CLEARED, version=0, reason="ok"
    )
    assert queue_ids(officer) == []
    assert queue_ids(officer, state="decided") == [traveller.pk]
    # Customs' own list flagged the traveller: it stays in customs' queue.
    assert queue_ids(customs_officer) == [traveller.pk]


def test_a_new_hit_after_the_outcome_brings_the_traveller_back(
    officer: Any, police: Any, shared_hit: Any
) -> None:
    traveller = shared_hit.traveller
    services.record_outcome(
        actor=officer, traveller=traveller, outcome=Outcome.CLEARED, version=0, reason="ok"
    )
    assert queue_ids(officer) == []
    HitFactory(traveller=traveller, entry=WatchlistEntryFactory(watchlist=shared_hit.watchlist))
    assert queue_ids(officer) == [traveller.pk]


def test_queue_is_most_urgent_first_then_by_priority_from_visible_hits_only(
    officer: Any, task_force: Any, police: Any, customs: Any
) -> None:
    soon = FlightFactory(task_force=task_force)
    later = FlightFactory(
        task_force=task_force, scheduled_departure=soon.scheduled_departure + timedelta(hours=3)
    )
    ours = WatchlistFactory(agency=police)
    hidden = WatchlistFactory(agency=customs, visibility=Visibility.AGENCY)
    low = HitFactory(
        traveller=TravellerFactory(flight=soon, surname="A"),
        score=55,
        entry=WatchlistEntryFactory(watchlist=ours),
    )
    # A hidden 99 must not raise this traveller above the visible 80.
    HitFactory(traveller=low.traveller, score=99, entry=WatchlistEntryFactory(watchlist=hidden))
    high = HitFactory(
        traveller=TravellerFactory(flight=soon, surname="B"),
        score=80,
        entry=WatchlistEntryFactory(watchlist=ours),
    )
    first_later = HitFactory(
        traveller=TravellerFactory(flight=later, surname="C"),
        score=99,
        entry=WatchlistEntryFactory(watchlist=ours),
    )
    queue = list(queue_for(officer))
    assert [t.pk for t in queue] == [
        high.traveller.pk,
        low.traveller.pk,
        first_later.traveller.pk,
    ]
    assert [t.priority for t in queue] == [80, 55, 99]


def test_other_task_force_sees_nothing(other_agency: Any, shared_hit: Any) -> None:
    stranger = PersonFactory(agency=other_agency, roles=[Role.OFFICER])
    assert queue_ids(stranger, state="all") == []


def test_the_queue_follows_a_list_opened_to_the_task_force_at_once(
    officer: Any, customs: Any, customs_officer: Any, police: Any, flight: Any
) -> None:
    hidden = WatchlistFactory(agency=police)
    hit = HitFactory(
        traveller=TravellerFactory(flight=flight), entry=WatchlistEntryFactory(watchlist=hidden)
    )
    assert queue_ids(customs_officer) == []  # and the grouping is now in the cache
    change_watchlist_settings(
        actor=None,
        watchlist=hidden,
        visibility=Visibility.TASK_FORCE,
        threshold=hidden.threshold,
        description="",
        is_active=True,
        reason="shared with the task force",
    )
    assert queue_ids(customs_officer) == [hit.traveller.pk]


def test_a_hit_removed_by_screening_leaves_the_queue(
    officer: Any, police: Any, flight: Any
) -> None:
    listed = WatchlistEntryFactory(
        watchlist=WatchlistFactory(agency=police, visibility=Visibility.TASK_FORCE)
    )
    # A hit whose entry does not match the traveller at all: screening removes it.
    hit = HitFactory(traveller=TravellerFactory(flight=flight, surname="ADJOVI"), entry=listed)
    assert queue_ids(officer) == [hit.traveller.pk]
    screen_flight(flight.pk)
    assert queue_ids(officer) == []

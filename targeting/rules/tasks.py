from __future__ import annotations

from celery import shared_task

from targeting.rules import screening


@shared_task(
    name="rules.screen_flight",
    autoretry_for=(screening.ScreeningUnavailable,),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=5,
    acks_late=True,
)
def screen_flight(flight_id: int) -> int:
    """Screen every traveller of a flight (idempotent); returns the number of hits."""
    return screening.screen_flight(flight_id)


@shared_task(name="rules.rescreen_upcoming_flights")
def rescreen_upcoming_flights(watchlist_id: int | None = None, rule_id: int | None = None) -> int:
    """After a list or rule change: queue the flights of the next 72 hours it concerns."""
    flight_ids = screening.upcoming_flights_for(watchlist_id=watchlist_id, rule_id=rule_id)
    for flight_id in flight_ids:
        screen_flight.delay(flight_id)
    return len(flight_ids)

"""Searching the watchlists for one name: an officer checking a walk-in, an analyst tuning.

The search uses the same matcher and the same index as screening (``screening.index_for``), so
what it finds for a name is what screening would flag for a traveller of that name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from agencies.models import Agency
from aircop.audit.services import Action, record_event
from targeting.rules import matching, screening, selectors
from targeting.rules.models import Watchlist, WatchlistEntry

# Index cache keys: screening keys its indexes by task force id (positive); a search keys them
# by the agency whose people search (negative), since every person of an agency sees the same
# lists, and 0 stands for every active list. One index per agency, not per person, keeps the
# memory bounded by the number of agencies.
ALL_LISTS_CACHE_KEY = 0


@dataclass(frozen=True)
class ListedMatch:
    """A watchlist entry the searched name may be, with the matcher's score and reason."""

    entry: WatchlistEntry
    watchlist: Watchlist
    score: float
    explanation: str

    def as_json(self) -> dict[str, Any]:
        """The shape `screen_name --json` prints: entry_id, name, list, score, explanation."""
        return {
            "entry_id": self.entry.pk,
            "name": str(self.entry),
            "list": self.watchlist.name,
            "score": round(self.score, 1),
            "explanation": self.explanation,
        }


def lists_for_agency(agency: Agency | None) -> QuerySet[Watchlist]:
    """The active lists an agency's people may see; every active list when no agency is given."""
    lists = Watchlist.objects.filter(is_active=True).select_related("agency")
    if agency is None:
        return lists
    # The same need-to-know rule as `watchlists_visible_to`, for an agency rather than a person.
    return lists.filter(selectors._visible_lists_q(agency.pk, agency.task_force_id))


def find_listed(
    *,
    lists: Sequence[Watchlist],
    name: str,
    birth_date: str = "",
    threshold: float | None = None,
    cache_key: int = ALL_LISTS_CACHE_KEY,
) -> list[ListedMatch]:
    """Entries of `lists` that `name` may be, best first, each at or above the threshold.

    `threshold` overrides every list's own for this search; `birth_date` (YYYY[-MM[-DD]])
    weighs in as it does in screening. Raises ValueError for a birth date that is not a date.
    """
    if not name.strip() or not lists:
        return []
    born = matching.parse_birth_date(birth_date or None)
    index = screening.index_for(list(lists), cache_key=cache_key)
    candidates = index.lookup(
        matching.TravellerRecord(name=name, birth_date=born), threshold=threshold
    )
    if not candidates:
        return []
    entries = WatchlistEntry.objects.select_related("watchlist__agency").in_bulk(
        [int(c.entry_id) for c in candidates]
    )
    return [
        ListedMatch(
            entry=entries[int(c.entry_id)],
            watchlist=entries[int(c.entry_id)].watchlist,
            score=c.score,
            explanation=c.explanation,
        )
        for c in candidates
        if int(c.entry_id) in entries
    ]


def search_watchlists(
    *,
    actor: Any,
    name: str,
    birth_date: str = "",
    threshold: float | None = None,
) -> list[ListedMatch]:
    """Search every active list the person may see; the search is audited (who, what, found)."""
    lists = list(selectors.watchlists_visible_to(actor).filter(is_active=True))
    matches = find_listed(
        lists=lists,
        name=name,
        birth_date=birth_date,
        threshold=threshold,
        cache_key=-(getattr(actor, "agency_id", None) or 0),
    )
    record_event(
        action=Action.SEARCH,
        actor=actor,
        object_label=f"watchlists: {name}"[:200],
        reason="watchlist name search",
        details=_search_details(name, birth_date, threshold, lists, matches),
    )
    return matches


def screen_name(
    *,
    name: str,
    agency: Agency | None = None,
    birth_date: str = "",
    threshold: float | None = None,
    actor_label: str = "manage.py screen_name",
) -> list[ListedMatch]:
    """Search the lists an agency's people may see (or every active list) from the shell."""
    lists = list(lists_for_agency(agency))
    matches = find_listed(
        lists=lists,
        name=name,
        birth_date=birth_date,
        threshold=threshold,
        cache_key=-agency.pk if agency is not None else ALL_LISTS_CACHE_KEY,
    )
    record_event(
        action=Action.SEARCH,
        actor_label=actor_label,
        object_label=f"watchlists: {name}"[:200],
        reason="watchlist name search",
        details=_search_details(name, birth_date, threshold, lists, matches)
        | {"agency": agency.code if agency is not None else None},
    )
    return matches


def _search_details(
    name: str,
    birth_date: str,
    threshold: float | None,
    lists: Sequence[Watchlist],
    matches: Sequence[ListedMatch],
) -> dict[str, Any]:
    return {
        "name": name,
        "birth_date": birth_date,
        "threshold": threshold,
        "lists": [w.pk for w in lists],
        "entries": [m.entry.pk for m in matches],
    }

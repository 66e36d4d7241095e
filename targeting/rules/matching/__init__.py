"""The name matcher: normalise names across scripts, score travellers against watchlists.

Pure Python, no Django: the screening service maps its models to ``ListedEntry`` and
``TravellerRecord``, builds a ``WatchlistIndex`` per list revision and calls ``lookup_many``
for a flight.
"""

from targeting.rules.matching.index import DEFAULT_THRESHOLD, Candidate, WatchlistIndex
from targeting.rules.matching.names import NameToken, NormalisedName, normalise_name
from targeting.rules.matching.records import (
    BirthDate,
    ListedEntry,
    TravelDocument,
    TravellerRecord,
    parse_birth_date,
)
from targeting.rules.matching.scoring import (
    MatchResult,
    compare_birth_dates,
    compare_documents,
    compare_names,
    document_number_key,
    score_match,
)

__all__ = [
    "DEFAULT_THRESHOLD",
    "BirthDate",
    "Candidate",
    "ListedEntry",
    "MatchResult",
    "NameToken",
    "NormalisedName",
    "TravelDocument",
    "TravellerRecord",
    "WatchlistIndex",
    "compare_birth_dates",
    "compare_documents",
    "compare_names",
    "document_number_key",
    "normalise_name",
    "parse_birth_date",
    "score_match",
]

"""What the messages say about flights and the people on them, merged across API and PNR."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScreeningState(models.TextChoices):
    PENDING = "pending", _("not screened yet")
    SCREENED = "screened", _("screened")
    FAILED = "failed", _("screening failed")


class Flight(models.Model):
    """One operated flight leg, identified as airlines do: carrier, number, origin, local date.

    Each task force holds its own record of a flight, built only from the messages sent to it:
    data pushed to one task force never shows up in another's (design.md, need to know).
    """

    task_force = models.ForeignKey(
        "agencies.TaskForce", on_delete=models.PROTECT, related_name="flights"
    )
    carrier = models.CharField(_("carrier"), max_length=3)
    # Digits without leading zeros plus an optional suffix letter (codes.md, flight number).
    number = models.CharField(_("flight number"), max_length=5)
    # IATA codes are three letters; a sender's ICAO code (four) is kept as written, with a
    # data-quality finding, rather than cut to something that names another airport.
    departure_airport = models.CharField(_("from"), max_length=5, db_index=True)
    arrival_airport = models.CharField(_("to"), max_length=5, db_index=True)
    # The local date at the departure airport: part of the flight's identity.
    departure_date = models.DateField(_("departure date"))
    scheduled_departure = models.DateTimeField(_("scheduled departure"), null=True, blank=True)
    scheduled_arrival = models.DateTimeField(_("scheduled arrival"), null=True, blank=True)
    screening_state = models.CharField(
        _("screening"),
        max_length=10,
        choices=ScreeningState.choices,
        default=ScreeningState.PENDING,
    )
    screened_at = models.DateTimeField(_("screened"), null=True, blank=True)
    screening_error = models.CharField(_("screening error"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["scheduled_departure", "carrier", "number"]
        verbose_name = _("flight")
        verbose_name_plural = _("flights")
        constraints = [
            models.UniqueConstraint(
                fields=["task_force", "carrier", "number", "departure_airport", "departure_date"],
                name="flight_identity",
            )
        ]
        indexes = [
            models.Index(fields=["arrival_airport", "scheduled_arrival"], name="flight_arrivals"),
            models.Index(
                fields=["departure_airport", "scheduled_departure"], name="flight_departures"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.carrier}{self.number} {self.departure_airport}→{self.arrival_airport} "
            f"{self.departure_date:%Y-%m-%d}"
        )

    @property
    def designator(self) -> str:
        return f"{self.carrier}{self.number}"


class Reservation(models.Model):
    """A PNR: one booking, possibly for several travellers and several legs."""

    task_force = models.ForeignKey(
        "agencies.TaskForce", on_delete=models.PROTECT, related_name="reservations"
    )
    # The reservation system or carrier that owns the locator (RCI component 1).
    owner = models.CharField(_("reservation system"), max_length=3)
    record_locator = models.CharField(_("record locator"), max_length=12)
    booked_at = models.DateTimeField(_("booked"), null=True, blank=True)
    ticketed_at = models.DateTimeField(_("ticketed"), null=True, blank=True)
    last_changed_at = models.DateTimeField(_("last changed"), null=True, blank=True)
    agency = models.CharField(_("booking agency"), max_length=120, blank=True, db_index=True)
    agency_office = models.CharField(_("agency office"), max_length=40, blank=True)
    agency_city = models.CharField(_("agency city"), max_length=40, blank=True)
    agency_country = models.CharField(_("agency country"), max_length=3, blank=True)
    # Itinerary legs, bags, seats and free text as the parser normalised them.
    itinerary = models.JSONField(_("itinerary"), default=list, blank=True)
    bags = models.JSONField(_("bags"), default=list, blank=True)
    free_text = models.JSONField(_("free text"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    PERSONAL_DATA_FIELDS = ("free_text", "bags")

    class Meta:
        ordering = ["record_locator"]
        verbose_name = _("reservation")
        verbose_name_plural = _("reservations")
        constraints = [
            models.UniqueConstraint(
                fields=["task_force", "owner", "record_locator"], name="reservation_identity"
            )
        ]
        indexes = [models.Index(fields=["record_locator"], name="reservation_locator")]

    def __str__(self) -> str:
        return f"{self.owner} {self.record_locator}"


class Contact(models.Model):
    """A phone, e-mail or address of a reservation, normalised so that links can be found."""

    class Kind(models.TextChoices):
        PHONE = "phone", _("phone")
        EMAIL = "email", _("e-mail")
        ADDRESS = "address", _("address")

    reservation = models.ForeignKey(Reservation, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    value = models.CharField(max_length=300)
    normalized = models.CharField(max_length=300, db_index=True)

    PERSONAL_DATA_FIELDS = ("value", "normalized")

    class Meta:
        ordering = ["kind", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["reservation", "kind", "normalized"], name="contact_once_per_reservation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class Payment(models.Model):
    """A form of payment. A card is kept as its last four digits and a keyed hash, never whole."""

    reservation = models.ForeignKey(Reservation, on_delete=models.CASCADE, related_name="payments")
    type = models.CharField(_("type"), max_length=8)  # FOP: CC card, CA cash, MS other…
    card_vendor = models.CharField(_("card vendor"), max_length=4, blank=True)
    card_last4 = models.CharField(_("card ending"), max_length=4, blank=True)
    card_hash = models.CharField(max_length=64, blank=True, db_index=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)

    PERSONAL_DATA_FIELDS = ("card_last4", "card_hash")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.type} {self.card_vendor} …{self.card_last4}".strip()


class Traveller(models.Model):
    """A passenger or crew member on one flight: API and PNR data merged into one record."""

    class Kind(models.TextChoices):
        PASSENGER = "passenger", _("passenger")
        CREW = "crew", _("crew")

    flight = models.ForeignKey(Flight, on_delete=models.CASCADE, related_name="travellers")
    reservation = models.ForeignKey(
        Reservation, on_delete=models.SET_NULL, null=True, blank=True, related_name="travellers"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PASSENGER)
    surname = models.CharField(_("surname"), max_length=120)
    given_names = models.CharField(_("given names"), max_length=160, blank=True)
    # Upper case, accents and punctuation removed, for matching API against PNR.
    name_key = models.CharField(max_length=300, db_index=True)
    sex = models.CharField(_("sex"), max_length=2, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    nationality = models.CharField(_("nationality"), max_length=3, blank=True)
    residence = models.CharField(_("country of residence"), max_length=3, blank=True)
    birth_place = models.CharField(_("place of birth"), max_length=120, blank=True)
    embarkation = models.CharField(_("embarkation"), max_length=5, blank=True)
    disembarkation = models.CharField(_("disembarkation"), max_length=5, blank=True)
    is_transit = models.BooleanField(_("in transit"), default=False)
    seat = models.CharField(_("seat"), max_length=5, blank=True)
    booking_ref = models.CharField(_("record locator"), max_length=12, blank=True, db_index=True)
    passenger_ref = models.CharField(_("carrier's passenger reference"), max_length=40, blank=True)
    crew_function = models.CharField(_("crew function"), max_length=4, blank=True)
    frequent_flyer = models.CharField(_("frequent flyer"), max_length=40, blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    email = models.CharField(_("e-mail"), max_length=120, blank=True)
    bags = models.JSONField(_("bags"), default=dict, blank=True)
    # The combined score of the traveller's hits (0: none), for the triage queue's order.
    risk_score = models.PositiveSmallIntegerField(_("risk score"), default=0, db_index=True)
    has_api = models.BooleanField(_("API received"), default=False)
    has_pnr = models.BooleanField(_("PNR received"), default=False)
    cancelled_at = models.DateTimeField(_("removed"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    PERSONAL_DATA_FIELDS = (
        "surname",
        "given_names",
        "name_key",
        "birth_date",
        "birth_place",
        "seat",
        "passenger_ref",
        "frequent_flyer",
        "phone",
        "email",
        "bags",
    )

    class Meta:
        ordering = ["surname", "given_names"]
        verbose_name = _("traveller")
        verbose_name_plural = _("travellers")
        indexes = [models.Index(fields=["flight", "name_key"], name="traveller_flight_name")]

    def __str__(self) -> str:
        return f"{self.surname}, {self.given_names}".strip(", ")

    @property
    def is_active(self) -> bool:
        return self.cancelled_at is None

    def preferred_document(self) -> TravelDocument | None:
        """The document to name the traveller by: API's (verified at check-in) before PNR's."""
        return self.documents.order_by("source", "pk").first()


class TravelDocument(models.Model):
    class Source(models.TextChoices):
        API = "api", _("API (document-verified)")
        PNR = "pnr", _("PNR (declared at booking)")

    traveller = models.ForeignKey(Traveller, on_delete=models.CASCADE, related_name="documents")
    type = models.CharField(_("type"), max_length=3)
    number = models.CharField(_("number"), max_length=40)
    # Upper case without spaces or dashes, for matching against watchlists and other messages.
    number_key = models.CharField(max_length=40, db_index=True)
    issuing_state = models.CharField(_("issuing state"), max_length=3, blank=True)
    expiry = models.DateField(_("expiry"), null=True, blank=True)
    issued_on = models.DateField(_("issued"), null=True, blank=True)
    source = models.CharField(max_length=4, choices=Source.choices, default=Source.API)

    PERSONAL_DATA_FIELDS = ("number", "number_key", "expiry", "issued_on")

    class Meta:
        ordering = ["type", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["traveller", "type", "number_key"], name="document_once_per_traveller"
            )
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.number} ({self.issuing_state})"

"""Synthetic API (PAXLST) and PNR (PNRGOV) traffic: one day of flights at one airport, as bytes.

`generate_day(airport="LFW", day=..., flights=12, seed=1)` plans a day of real-looking flights
(real carriers and routes, local times from the airports' time zones, block times from the
great-circle distance), fills them with travellers, reservations and crews, and writes every
message an airline would push for them: PNRGOV at T-72h, T-24h and T-0, the PAXLST passenger
list, its crew list, a change (BGM+745+CP) and a cancel (BGM+745+XR). Each message is a complete
UNA/UNB..UNZ interchange written per ../shared/reference/ (edifact-syntax.md, paxlst.md,
pnrgov.md, codes.md). A configurable share of messages carries a deliberate fault, and every
message says which faults it carries, so that tests can check the parsers report them.

The same person is the same in every message: one document number, one birth date, one record
locator across the API and the PNR of a flight, so that the storing side merges them.

Deterministic: everything comes from `random.Random` seeded with the caller's seed (per flight,
from the seed and the flight's key), never from the clock.

No Django import here: this module is part of the pure core.
"""

from __future__ import annotations

import functools
import itertools
import math
import random
import unicodedata
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

# ---------------------------------------------------------------------------------------------
# Public records

MessageKind = Literal["PAXLST", "PNRGOV", "OTHER"]
FaultCode = Literal[
    "wrong_count",  # CNT+42/41 (PAXLST) or EQN (PNRGOV) does not match what the message holds
    "wrong_segment_count",  # UNT 0074 does not match the segments from UNH to UNT
    "missing_birth_date",  # a PAXLST traveller without DTM+329
    "unknown_document_type",  # a PAXLST DOC with a type code no guide defines
    "unknown_airport",  # a flight airport written as its ICAO code (4 letters, not IATA)
    "truncated",  # the file stops inside a segment: no UNT, no UNZ (unreadable)
    "not_passenger_data",  # an extra message of another type (CUSRES) sent to the API inbox
]
FAULT_CODES: tuple[FaultCode, ...] = (
    "wrong_count",
    "wrong_segment_count",
    "missing_birth_date",
    "unknown_document_type",
    "unknown_airport",
    "truncated",
    "not_passenger_data",
)
# Faults after which nothing can be read from the message (read_messages raises EdifactError).
UNREADABLE_FAULTS: frozenset[FaultCode] = frozenset({"truncated", "not_passenger_data"})


@dataclass(slots=True, frozen=True)
class InjectedFault:
    """A deliberate fault in a generated message and what exactly was changed."""

    code: FaultCode
    detail: str


@dataclass(slots=True, frozen=True)
class GeneratedMessage:
    """One generated interchange (one UNH..UNT message), as an airline would push it.

    `name` sorts in the order the messages would arrive
    (`20261125T0830_KP051_ABJ-LFW_PNR_T-24.edi`);
    `sent_at` is when it would be pushed (aware, UTC); `flight` is the flight key
    (`KP051/2026-11-25/ABJ-LFW`). `travellers` counts the GR4 NAD groups (PAXLST) or TIF
    travellers (PNRGOV) and `reservations` the SRC groups written, faults included.
    """

    name: str
    kind: MessageKind
    body: bytes
    sent_at: datetime
    flight: str
    faults: tuple[InjectedFault, ...] = ()
    label: str = ""
    version: str = ""
    travellers: int = 0
    reservations: int = 0

    @property
    def fault_codes(self) -> tuple[FaultCode, ...]:
        """The codes of the injected faults, in the order they were injected."""
        return tuple(f.code for f in self.faults)

    @property
    def is_readable(self) -> bool:
        """Whether `read_messages` can read the message at all (no truncation, passenger data)."""
        return not UNREADABLE_FAULTS.intersection(self.fault_codes)


@dataclass(slots=True)
class Document:
    """A travel document as printed (ICAO 9303): type, number, issuing state, dates."""

    type: str
    number: str
    issuing_state: str
    issued: date
    expiry: date


@dataclass(slots=True)
class Person:
    """A traveller or crew member. Names are kept in their own script and as the MRZ writes them."""

    surname: str  # MRZ-like upper-case Latin, apostrophes kept (N'DIAYE)
    given_names: str
    native_name: str | None  # in the person's own script when it is not Latin, else None
    native_surname: str | None
    sex: Literal["M", "F"]
    birth_date: date
    birth_place: str
    nationality: str
    residence: str
    documents: list[Document]
    phone: str
    email: str
    street: str
    city: str
    postcode: str
    is_child: bool = False
    frequent_flyer: str | None = None
    crew_function: str | None = None  # EMP CR1..CR5 for crew members

    @property
    def passport(self) -> Document:
        """The first document: the one shown at check-in and sent in API and SSR DOCS."""
        return self.documents[0]


@dataclass(slots=True)
class Leg:
    """One flight leg with local (naive) and UTC times."""

    carrier: str
    number: int
    origin: str
    destination: str
    departure: datetime  # local time at origin
    arrival: datetime  # local time at destination
    departure_utc: datetime
    arrival_utc: datetime

    @property
    def designator(self) -> str:
        """Flight designator as TDT 8028 writes it: carrier and 3-digit number (`KP051`)."""
        return f"{self.carrier}{self.number:03d}"


@dataclass(slots=True)
class Payment:
    """How a reservation was paid: card (CC) or cash (CA), maybe by someone who does not fly."""

    type: Literal["CC", "CA"]
    amount: str
    currency: str
    vendor: str | None = None
    card_number: str | None = None
    card_expiry: str | None = None
    is_masked: bool = False
    payer: str | None = None  # third party named in IFT+4:43


@dataclass(slots=True)
class Booking:
    """One reservation (PNR) of the flight: who, when booked, how paid, what itinerary."""

    locator: str
    travellers: list[Person]
    booked_at: datetime  # UTC
    ticketed_at: datetime | None
    agency: str | None  # IATA agency number (8 digits) or None for the airline's own office
    office: str
    payment: Payment
    itinerary: list[Leg]
    tickets: list[str]
    seats: list[str]
    bags: list[int]
    first_tags: list[str]
    changed_at: datetime | None = None
    cancelled_at: datetime | None = None
    offloaded: list[int] = field(default_factory=list)  # indexes of travellers who did not board
    is_one_way: bool = True

    def is_active(self, moment: datetime) -> bool:
        """Booked before `moment` and not cancelled by then."""
        return self.booked_at <= moment and (
            self.cancelled_at is None or self.cancelled_at > moment
        )


@dataclass(slots=True)
class FlightPlan:
    """A flight of the day touching the airport, with everything needed to write its messages."""

    key: str
    carrier: str
    number: int
    legs: list[Leg]
    direction: Literal["inbound", "outbound", "through"]
    aircraft: str
    bookings: list[Booking]
    crew: list[Person]

    @property
    def departure_utc(self) -> datetime:
        """Scheduled departure from the first airport (the pushes count back from it)."""
        return self.legs[0].departure_utc

    @property
    def route(self) -> str:
        """Airports in flight order, `GRU-LFW-ADD`."""
        return "-".join([self.legs[0].origin, *(leg.destination for leg in self.legs)])

    def passengers(self) -> list[Person]:
        """Travellers on board at departure: active bookings minus offloaded travellers."""
        out: list[Person] = []
        for booking in self.bookings:
            if booking.cancelled_at is not None:
                continue
            out.extend(p for i, p in enumerate(booking.travellers) if i not in booking.offloaded)
        return out


# ---------------------------------------------------------------------------------------------
# Reference data: airports, carriers, routes

# IATA code -> (city, country alpha-3, time zone, latitude, longitude, ICAO code).
AIRPORTS: dict[str, tuple[str, str, str, float, float, str]] = {
    "LFW": ("LOME", "TGO", "Africa/Lome", 6.166, 1.254, "DXXX"),
    "ABJ": ("ABIDJAN", "CIV", "Africa/Abidjan", 5.261, -3.926, "DIAP"),
    "ACC": ("ACCRA", "GHA", "Africa/Accra", 5.605, -0.167, "DGAA"),
    "DSS": ("DAKAR", "SEN", "Africa/Dakar", 14.670, -17.073, "GOBD"),
    "LOS": ("LAGOS", "NGA", "Africa/Lagos", 6.577, 3.321, "DNMM"),
    "ABV": ("ABUJA", "NGA", "Africa/Lagos", 9.007, 7.263, "DNAA"),
    "COO": ("COTONOU", "BEN", "Africa/Porto-Novo", 6.357, 2.384, "DBBB"),
    "OUA": ("OUAGADOUGOU", "BFA", "Africa/Ouagadougou", 12.353, -1.512, "DFFD"),
    "BKO": ("BAMAKO", "MLI", "Africa/Bamako", 12.533, -7.950, "GABS"),
    "NIM": ("NIAMEY", "NER", "Africa/Niamey", 13.482, 2.184, "DRRN"),
    "CKY": ("CONAKRY", "GIN", "Africa/Conakry", 9.577, -13.612, "GUCY"),
    "DLA": ("DOUALA", "CMR", "Africa/Douala", 4.006, 9.719, "FKKD"),
    "LBV": ("LIBREVILLE", "GAB", "Africa/Libreville", 0.459, 9.412, "FOOL"),
    "FIH": ("KINSHASA", "COD", "Africa/Kinshasa", -4.386, 15.445, "FZAA"),
    "CMN": ("CASABLANCA", "MAR", "Africa/Casablanca", 33.367, -7.590, "GMMN"),
    "ADD": ("ADDIS ABABA", "ETH", "Africa/Addis_Ababa", 8.978, 38.799, "HAAB"),
    "NBO": ("NAIROBI", "KEN", "Africa/Nairobi", -1.319, 36.928, "HKJK"),
    "JNB": ("JOHANNESBURG", "ZAF", "Africa/Johannesburg", -26.134, 28.242, "FAOR"),
    "CDG": ("PARIS", "FRA", "Europe/Paris", 49.010, 2.548, "LFPG"),
    "BRU": ("BRUSSELS", "BEL", "Europe/Brussels", 50.901, 4.484, "EBBR"),
    "IST": ("ISTANBUL", "TUR", "Europe/Istanbul", 41.262, 28.742, "LTFM"),
    "MAD": ("MADRID", "ESP", "Europe/Madrid", 40.472, -3.561, "LEMD"),
    "LIS": ("LISBON", "PRT", "Europe/Lisbon", 38.774, -9.134, "LPPT"),
    "DXB": ("DUBAI", "ARE", "Asia/Dubai", 25.253, 55.364, "OMDB"),
    "DOH": ("DOHA", "QAT", "Asia/Qatar", 25.273, 51.608, "OTHH"),
    "GRU": ("SAO PAULO", "BRA", "America/Sao_Paulo", -23.432, -46.469, "SBGR"),
    "SDQ": ("SANTO DOMINGO", "DOM", "America/Santo_Domingo", 18.430, -69.669, "MDSD"),
    "CAN": ("GUANGZHOU", "CHN", "Asia/Shanghai", 23.392, 113.299, "ZGGG"),
    "BOM": ("MUMBAI", "IND", "Asia/Kolkata", 19.089, 72.868, "VABB"),
    "SVO": ("MOSCOW", "RUS", "Europe/Moscow", 55.973, 37.415, "UUEE"),
}


@dataclass(slots=True, frozen=True)
class _Carrier:
    code: str
    country: str
    # Airline accounting code (first 3 digits of a ticket). KP and HF: placeholders.
    numeric: str
    paxlst: str  # PAXLST release the carrier's DCS sends (D02B, D05B, D12B)
    pnrgov: str  # PNRGOV version:release (13:1, 11:1)
    aircraft: str
    seats: int
    currency: str
    updates_only: bool  # later pushes are MSG+:141 updates rather than full pushes


CARRIERS: dict[str, _Carrier] = {
    c.code: c
    for c in (
        _Carrier("KP", "TGO", "032", "D05B", "13:1", "738", 159, "XOF", False),
        _Carrier("HF", "CIV", "483", "D02B", "11:1", "319", 138, "XOF", False),
        _Carrier("ET", "ETH", "071", "D05B", "13:1", "788", 270, "USD", True),
        _Carrier("AF", "FRA", "057", "D12B", "13:1", "332", 224, "EUR", True),
        _Carrier("SN", "BEL", "082", "D05B", "13:1", "333", 286, "EUR", False),
        _Carrier("TK", "TUR", "235", "D12B", "13:1", "73H", 165, "USD", True),
        _Carrier("AT", "MAR", "147", "D02B", "11:1", "73H", 159, "MAD", False),
        _Carrier("QR", "QAT", "157", "D12B", "13:1", "359", 283, "USD", True),
    )
}

# Services from the point of view of Lomé: (carrier, inbound number, outbound number, the
# other end, an intermediate stop of a progressive flight). ET 507/506 fly GRU-LFW-ADD and back.
_SERVICES: tuple[tuple[str, int, int, str, str | None], ...] = (
    ("KP", 51, 50, "ABJ", None),
    ("KP", 21, 20, "ACC", None),
    ("KP", 41, 40, "DSS", None),
    ("KP", 33, 32, "LOS", None),
    ("KP", 63, 62, "DLA", None),
    ("KP", 15, 14, "BKO", None),
    ("KP", 71, 70, "FIH", None),
    ("HF", 561, 560, "ABJ", None),
    ("ET", 923, 922, "ADD", None),
    ("ET", 507, 506, "GRU", "ADD"),
    ("AF", 706, 707, "CDG", None),
    ("SN", 259, 260, "BRU", None),
    ("TK", 543, 544, "IST", None),
    ("AT", 555, 554, "CMN", None),
)
HOME = "LFW"

# Where connecting travellers come from or go to, by the hub at the other end of our flight:
# (far airport, carrier of the connecting leg, its flight number).
_CONNECTIONS: dict[str, tuple[tuple[str, str, int], ...]] = {
    "ADD": (("DXB", "ET", 601), ("CAN", "ET", 606), ("BOM", "ET", 610), ("NBO", "ET", 309)),
    "CDG": (("SDQ", "AF", 687), ("GRU", "AF", 457), ("MAD", "AF", 1101)),
    "IST": (("SVO", "TK", 413), ("DXB", "TK", 761), ("CAN", "TK", 72)),
    "CMN": (("SDQ", "AT", 253), ("MAD", "AT", 971), ("LIS", "AT", 981)),
    "ACC": (("DOH", "QR", 1423),),
    "BRU": (("MAD", "SN", 3721),),
}

# ---------------------------------------------------------------------------------------------
# Names: each culture lists names in their own spelling; non-Latin ones as NATIVE=LATIN (how the
# country's passports transliterate them). Latin names with diacritics and Cyrillic names are
# transliterated the ICAO 9303 way by `mrz_name`.


@dataclass(slots=True, frozen=True)
class _Culture:
    countries: tuple[str, ...]
    surnames: tuple[str, ...]
    male: tuple[str, ...]
    female: tuple[str, ...]
    cities: tuple[str, ...]
    streets: tuple[str, ...]
    calling_code: str
    domains: tuple[str, ...]


def _n(text: str) -> tuple[str, ...]:
    """A comma-separated list of names as a tuple (names may hold spaces)."""
    return tuple(name.strip() for name in text.split(","))


_CULTURES: dict[str, _Culture] = {
    "ewe": _Culture(
        _n("TGO"),
        _n(
            "Agbéko, Amegah, Akakpo, Kpodar, Adjovi, Klutse, Agbodjan, Attiogbé, Dzidzornu,"
            " Amouzou, Lawson, d'Almeida, Tchalla"
        ),
        _n("Komla, Kossi, Yawo, Kodjo, Edem, Mawuli, Sélom, Kokou, Elikem"),
        _n("Afi, Akossiwa, Abla, Dzifa, Enyonam, Sena, Delali, Ayélé, Mawuena"),
        _n("LOME, KPALIME, SOKODE, ATAKPAME, TSEVIE"),
        _n("RUE DE LA PAIX, BOULEVARD DU 13 JANVIER, RUE AKODESSEWA, AVENUE DE LA CHANCE"),
        "228",
        _n("GMAIL.COM, YAHOO.FR, OUTLOOK.COM"),
    ),
    "yoruba": _Culture(
        _n("NGA"),
        _n("Adéyẹmí, Ògúnlẹ́yẹ, Adébáyọ̀, Oláwálé, Akínọlá, Ọyèláràn, Okonkwo"),
        _n("Olúwaṣeun, Olúmídé, Adéwálé, Babájídé, Túndé, Chukwuemeka"),
        _n("Fọláké, Tèmítọ́pẹ́, Yétúndé, Adébọ́lá, Ngozi, Fúnmiláyọ̀"),
        _n("LAGOS, IBADAN, ABEOKUTA, IKEJA"),
        _n("ALLEN AVENUE, AWOLOWO ROAD, ADEOLA ODEKU STREET"),
        "234",
        _n("GMAIL.COM, YAHOO.COM"),
    ),
    "hausa": _Culture(
        _n("NGA, NER"),
        _n("Abubakar, Bello, Musa, Danjuma, Aliyu, Sani, Garba, Issoufou"),
        _n("Ibrahim, Aminu, Yusuf, Usman, Abdoulaye, Mahamadou"),
        _n("Hauwa, Zainab, Hadiza, Aïcha, Rahama, Mariama"),
        _n("KANO, KADUNA, NIAMEY, ZINDER"),
        _n("ZARIA ROAD, BOULEVARD DE LA REPUBLIQUE, AHMADU BELLO WAY"),
        "234",
        _n("GMAIL.COM, YAHOO.COM"),
    ),
    "wolof": _Culture(
        _n("SEN, GMB"),
        _n("N'Diaye, Diop, Fall, Seck, Mbaye, Guèye, Thiam, Ndour, Sarr"),
        _n("Mamadou, Cheikh, Modou, Abdoulaye, Ousmane, Serigne, Pape"),
        _n("Fatou, Awa, Astou, Aminata, Khady, Ndèye, Coumba"),
        _n("DAKAR, THIES, SAINT LOUIS, TOUBA"),
        _n("RUE BLANCHOT, AVENUE CHEIKH ANTA DIOP, RUE CARNOT"),
        "221",
        _n("GMAIL.COM, ORANGE.SN, YAHOO.FR"),
    ),
    "akan": _Culture(
        _n("CIV, GHA"),
        _n("Kouamé, Koffi, N'Guessan, Konan, Bamba, Mensah, Owusu, Asante, Boateng"),
        _n("Kouassi, Kwame, Serge, Kofi, Yaw, Kwabena, Amani"),
        _n("Aya, Adjoa, Akua, Ama, Abena, Affoué"),
        _n("ABIDJAN, BOUAKE, ACCRA, KUMASI"),
        _n("BOULEVARD LATRILLE, RUE DES JARDINS, OXFORD STREET OSU"),
        "225",
        _n("GMAIL.COM, YAHOO.FR"),
    ),
    "arabic": _Culture(
        _n("MAR, LBN, ARE, DZA"),
        _n(
            "العمراني=EL AMRANI, بناني=BENNANI, حداد=HADDAD,"
            " المنصوري=AL MANSOURI, الإدريسي=EL IDRISSI, الهاشمي=AL HASHIMI, بن علي=BEN ALI"
        ),
        _n("يوسف=YOUSSEF, خالد=KHALID, محمد=MOHAMMED, عمر=OMAR, كريم=KARIM, ياسر=YASIR"),
        _n("فاطمة الزهراء=FATIMA ZAHRA, ليلى=LEILA, سلمى=SALMA, نور=NOUR, مريم=MARIAM"),
        _n("CASABLANCA, RABAT, TANGER, BEYROUTH, DUBAI"),
        _n("BOULEVARD ZERKTOUNI, RUE HAMRA, AVENUE MOHAMMED V"),
        "212",
        _n("GMAIL.COM, HOTMAIL.COM, MENARA.MA"),
    ),
    "french": _Culture(
        _n("FRA, BEL"),
        _n(
            "Dupont, Lefèvre, Laurent, Moreau, Girard, Rousseau, Lemaître, Dubois,"
            " Van den Berghe, Mercier"
        ),
        _n("Jean-Pierre, François, Hervé, Mathieu, Loïc, Benoît"),
        _n("Élodie, Cécile, Anaïs, Hélène, Margaux, Chloé"),
        _n("PARIS, LYON, MARSEILLE, BRUXELLES, LIEGE"),
        _n("RUE DE RIVOLI, AVENUE LOUISE, RUE DE LA REPUBLIQUE"),
        "33",
        _n("ORANGE.FR, GMAIL.COM, FREE.FR"),
    ),
    "portuguese": _Culture(
        _n("BRA, PRT"),
        _n("da Silva, Conceição, Gonçalves, Oliveira, Pereira, Araújo, dos Santos, Magalhães"),
        _n("João, António, Luís, Lucas, Gabriel, Thiago"),
        _n("Maria da Graça, Ana Paula, Letícia, Luíza, Beatriz"),
        _n("SAO PAULO, CAMPINAS, RIO DE JANEIRO, LISBOA"),
        _n("RUA AUGUSTA, AVENIDA PAULISTA, RUA DAS FLORES"),
        "55",
        _n("GMAIL.COM, UOL.COM.BR, SAPO.PT"),
    ),
    "spanish": _Culture(
        _n("DOM, ESP"),
        _n("García, Martínez, Peña, Rodríguez, Núñez, Pérez, De la Cruz, Jiménez"),
        _n("José Miguel, Carlos, Andrés, Julián"),
        _n("María José, Yokasta, Sofía, Lucía"),
        _n("SANTO DOMINGO, SANTIAGO DE LOS CABALLEROS, MADRID"),
        _n("CALLE EL CONDE, AVENIDA WINSTON CHURCHILL, CALLE MAYOR"),
        "1809",
        _n("GMAIL.COM, HOTMAIL.COM"),
    ),
    "chinese": _Culture(
        _n("CHN"),
        _n("王=WANG, 李=LI, 张=ZHANG, 刘=LIU, 陈=CHEN, 黄=HUANG"),
        _n("伟=WEI, 浩宇=HAOYU, 建国=JIANGUO, 志强=ZHIQIANG"),
        _n("静=JING, 秀英=XIUYING, 丽娜=LINA, 雨涵=YUHAN"),
        _n("GUANGZHOU, YIWU, SHANGHAI"),
        _n("TIANHE ROAD, NANJING ROAD"),
        "86",
        _n("QQ.COM, 163.COM"),
    ),
    "russian": _Culture(
        _n("RUS"),
        _n("Иванов, Смирнов, Кузнецов, Попов, Волков, Соколов"),
        _n("Дмитрий, Сергей, Алексей, Юрий, Александр"),
        _n("Ольга, Екатерина, Юлия, Наталья"),
        _n("MOSCOW, SAINT PETERSBURG"),
        _n("TVERSKAYA ULITSA, NEVSKY PROSPEKT"),
        "7",
        _n("MAIL.RU, YANDEX.RU"),
    ),
    "turkish": _Culture(
        _n("TUR"),
        # The dotless i (U+0131) is Turkish, not a typo: the MRZ writes it I.
        _n("Yılmaz, Öztürk, Çelik, Şahin, Kaya, Doğan, Aydın"),  # noqa: RUF001
        _n("Mehmet, Mustafa, Emre, Çağrı"),  # noqa: RUF001
        _n("Ayşe, Emine, Zeynep, Gülşen"),
        _n("ISTANBUL, ANKARA, IZMIR"),
        _n("ISTIKLAL CADDESI, ATATURK BULVARI"),
        "90",
        _n("GMAIL.COM, HOTMAIL.COM"),
    ),
    "hindi": _Culture(
        _n("IND"),
        _n("शर्मा=SHARMA, पटेल=PATEL, गुप्ता=GUPTA, सिंह=SINGH, कुमार=KUMAR"),
        _n("राहुल=RAHUL, अमित=AMIT, विजय=VIJAY"),
        _n("प्रिया=PRIYA, सुनीता=SUNITA, अंजलि=ANJALI"),
        _n("MUMBAI, NEW DELHI, AHMEDABAD"),
        _n("MARINE DRIVE, MG ROAD"),
        "91",
        _n("GMAIL.COM, REDIFFMAIL.COM"),
    ),
    "irish": _Culture(
        _n("IRL"),
        _n("O'Brien, O'Connor, Ó Súilleabháin, Murphy, Kelly"),
        _n("Seán, Ciarán, Patrick"),
        _n("Siobhán, Aoife, Niamh"),
        _n("DUBLIN, CORK"),
        _n("GRAFTON STREET, PATRICK STREET"),
        "353",
        _n("EIRCOM.NET, GMAIL.COM"),
    ),
    "amharic": _Culture(
        _n("ETH"),
        _n("ተስፋዬ=TESFAYE, ገብረመድህን=GEBREMEDHIN, አበበ=ABEBE, ወልደ=WOLDE"),
        _n("ዳዊት=DAWIT, ሰለሞን=SOLOMON, ዮናስ=YONAS"),
        _n("ሰላም=SELAM, ሄለን=HELEN, ብርቱካን=BIRTUKAN"),
        _n("ADDIS ABABA, BAHIR DAR"),
        _n("BOLE ROAD, CHURCHILL AVENUE"),
        "251",
        _n("GMAIL.COM, ETHIONET.ET"),
    ),
}

# Nationality -> culture, to draw the people that a route carries.
_CULTURE_OF: dict[str, str] = {
    country: name for name, culture in _CULTURES.items() for country in culture.countries
} | {"CIV": "akan", "GHA": "akan", "NGA": "yoruba", "BEN": "ewe", "QAT": "arabic"}
_CULTURE_NAMES = tuple(_CULTURES)

# Passport number layouts by issuing state: A = letter, 9 = digit (other characters literal).
_PASSPORT_LAYOUT = {
    "FRA": "99AA99999",
    "BRA": "AA999999",
    "CHN": "E99999999",
    "IND": "A9999999",
    "RUS": "999999999",
    "TUR": "U99999999",
    "NGA": "A99999999",
    "TGO": "A9999999",
    "IRL": "AA9999999",
}
# ECOWAS citizens may travel in the region on a national identity card (DOC+I).
_ECOWAS = frozenset({"TGO", "BEN", "CIV", "GHA", "NGA", "SEN", "GMB", "MLI", "BFA", "NER", "GIN"})

# ICAO 9303 part 3 transliteration of Cyrillic (Russian letters).
_CYRILLIC = dict(
    zip(
        "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ",
        _n(
            "A, B, V, G, D, E, E, ZH, Z, I, I, K, L, M, N, O, P, R, S, T, U, F, KH, TS, CH, SH,"
            " SHCH, IE, Y, _, E, IU, IA"
        ),
        strict=True,
    )
)
_LATIN_EXTRA = {"ß": "SS", "Æ": "AE", "Ø": "OE", "Þ": "TH", "Đ": "D", "Ł": "L", "Œ": "OE"}


def mrz_name(text: str, *, keep_apostrophe: bool = True) -> str:
    """Write a name as a machine-readable zone would (ICAO Doc 9303 part 3, §6).

    Upper case; diacritics dropped (É->E, Ç->C, Ñ->N, Ş->S); Russian Cyrillic by the ICAO table
    (Юлия -> IULIIA, Дмитрий -> DMITRII); hyphens become spaces (the MRZ filler `<`). The MRZ
    drops apostrophes too, but API senders keep them (N'DIAYE), so that is the default here.
    Scripts without a table (Arabic, Chinese, Devanagari, Ethiopic) must come transliterated.
    """
    out: list[str] = []
    for ch in text.upper():
        if ch in _CYRILLIC:
            letters = _CYRILLIC[ch]
            out.append("" if letters == "_" else letters)
        elif ch in _LATIN_EXTRA:
            out.append(_LATIN_EXTRA[ch])
        elif ch in "-<":
            out.append(" ")
        elif ch in "'\u2019":  # apostrophe, typographic or not
            out.append("'" if keep_apostrophe else "")
        else:
            base = "".join(
                c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)
            )
            out.append(base if base.isascii() and (base.isalnum() or base == " ") else "")
    return " ".join("".join(out).split())


def _split_name(entry: str) -> tuple[str, str | None]:
    """'العمراني=EL AMRANI' -> ('EL AMRANI', 'العمراني'); 'Seán' -> ('SEAN', None)."""
    native, sep, latin = entry.partition("=")
    if sep:
        return latin, native
    if any("CYRILLIC" in unicodedata.name(ch, "") for ch in native):
        return mrz_name(native), native
    return mrz_name(native), None


def luhn_digit(digits: str) -> str:
    """The check digit that makes `digits` + it pass the Luhn test (ISO/IEC 7812-1)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 0:  # every second digit from the right, the check digit's place excluded
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return str((10 - total % 10) % 10)


def iata_agency_number(seven_digits: str) -> str:
    """An IATA travel agency number: 7 digits and a check digit, their value modulo 7."""
    return seven_digits + str(int(seven_digits) % 7)


# ---------------------------------------------------------------------------------------------
# Planning a day


def _zone(airport: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(AIRPORTS[airport][2])


def _block_minutes(origin: str, destination: str) -> int:
    """Block time from the great-circle distance: 780 km/h cruise plus 35 min taxi and climb."""
    _, _, _, lat1, lon1, _ = AIRPORTS[origin]
    _, _, _, lat2, lon2, _ = AIRPORTS[destination]
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dlat, dlon = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dlat / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlon / 2) ** 2
    km = 2 * 6371 * math.asin(math.sqrt(a))
    return int(round((km / 780 * 60 + 35) / 5) * 5)


def _make_leg(carrier: str, number: int, origin: str, destination: str, dep_utc: datetime) -> Leg:
    arr_utc = dep_utc + timedelta(minutes=_block_minutes(origin, destination))
    return Leg(
        carrier,
        number,
        origin,
        destination,
        dep_utc.astimezone(_zone(origin)).replace(tzinfo=None),
        arr_utc.astimezone(_zone(destination)).replace(tzinfo=None),
        dep_utc,
        arr_utc,
    )


def _at_home(day: date, airport: str, minutes: int) -> datetime:
    """A local time of the day at the airport, as an aware UTC datetime."""
    local = datetime.combine(day, time()) + timedelta(minutes=minutes)
    return local.replace(tzinfo=_zone(airport)).astimezone(UTC)


def _schedule(
    rng: random.Random, airport: str, day: date, flights: int
) -> list[tuple[str, int, list[str]]]:
    """Pick `flights` (carrier, number, stops) touching the airport, real services first.

    The catalogue is written for Lomé; another airport reuses the same network with itself in
    Lomé's place (routes to itself dropped), which keeps carriers and distances plausible.
    """
    catalogue: list[tuple[str, int, list[str]]] = []
    for carrier, inbound, outbound, other, via in _SERVICES:
        if other == airport or via == airport:
            continue
        stops_in = [other, airport] + ([via] if via else [])
        stops_out = ([via] if via else []) + [airport, other]
        catalogue.append((carrier, inbound, stops_in))
        catalogue.append((carrier, outbound, stops_out))
    picked = rng.sample(catalogue, min(flights, len(catalogue)))
    if flights >= 4 and not any(len(stops) > 2 for _, _, stops in picked):
        # Keep a progressive flight in every day big enough for one: multi-leg lists matter.
        through = [c for c in catalogue if len(c[2]) > 2]
        if through:
            picked[-1] = rng.choice(through)
    extra = 0
    while len(picked) < flights:
        # More flights than services: second rotations, numbered as carriers do (+100).
        carrier, number, stops = catalogue[extra % len(catalogue)]
        picked.append((carrier, number + 100 * (1 + extra // len(catalogue)), stops))
        extra += 1
    return picked


def plan_day(airport: str, day: date, flights: int, seed: int) -> list[FlightPlan]:
    """Plan the flights of one local day at `airport`: legs, bookings, travellers and crews.

    Times follow reference/paxlst.md (scheduled local times of each airport); flights arrive or
    leave between 05:30 and 23:30 local time. Raises ValueError for an airport it has no data
    for (time zone, position).
    """
    if airport not in AIRPORTS:
        known = ", ".join(sorted(AIRPORTS))
        raise ValueError(f"no data for airport {airport!r}; known airports: {known}")
    if flights < 0:
        raise ValueError("the number of flights cannot be negative")
    rng = random.Random(f"plan/{seed}/{airport}/{day.isoformat()}")  # noqa: S311 - test data
    plans: list[FlightPlan] = []
    locators: set[str] = set()
    for carrier, number, stops in _schedule(rng, airport, day, flights):
        at_home = _at_home(day, airport, rng.randrange(330, 1410, 5))
        home_index = stops.index(airport)
        # Walk back from the time at home to the first departure, then forward leg by leg.
        if home_index == 0:
            start = at_home
        else:
            start = at_home
            for i in range(home_index, 0, -1):
                start -= timedelta(minutes=_block_minutes(stops[i - 1], stops[i]))
                if i - 1 > 0:
                    start -= timedelta(minutes=70)  # ground time at the intermediate stop
        legs: list[Leg] = []
        departure = start
        for origin, destination in itertools.pairwise(stops):
            leg = _make_leg(carrier, number, origin, destination, departure)
            legs.append(leg)
            departure = leg.arrival_utc + timedelta(minutes=70)
        direction: Literal["inbound", "outbound", "through"] = (
            "outbound"
            if home_index == 0
            else "inbound"
            if home_index == len(stops) - 1
            else "through"
        )
        # Flights are known by their scheduled (local) departure date from the first airport.
        key = f"{carrier}{number:03d}/{legs[0].departure.date().isoformat()}/{'-'.join(stops)}"
        plan = FlightPlan(key, carrier, number, legs, direction, CARRIERS[carrier].aircraft, [], [])
        flight_rng = random.Random(f"flight/{seed}/{key}")  # noqa: S311 - test data
        _fill_flight(flight_rng, plan, airport, locators)
        plans.append(plan)
    plans.sort(key=lambda p: (p.departure_utc, p.key))
    return plans


def _culture_for(rng: random.Random, plan: FlightPlan, airport: str) -> _Culture:
    """Mostly people of the two ends of the route, and some from anywhere."""
    roll = rng.random()
    ends = [AIRPORTS[plan.legs[0].origin][1], AIRPORTS[plan.legs[-1].destination][1]]
    if roll < 0.4:
        country = AIRPORTS[airport][1]
    elif roll < 0.75:
        country = rng.choice(ends)
    else:
        return _CULTURES[rng.choice(_CULTURE_NAMES)]
    return _CULTURES[_CULTURE_OF.get(country, "ewe")]


def _layout(rng: random.Random, layout: str) -> str:
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    return "".join(
        rng.choice(letters) if c == "A" else str(rng.randrange(10)) if c == "9" else c
        for c in layout
    )


def _person(
    rng: random.Random,
    culture: _Culture,
    reference: date,
    *,
    surname: str | None = None,
    native_surname: str | None = None,
    child: bool = False,
    nationality: str | None = None,
) -> Person:
    sex: Literal["M", "F"] = rng.choice(("M", "F"))
    if surname is None:
        surname, native_surname = _split_name(rng.choice(culture.surnames))
    given, native_given = _split_name(rng.choice(culture.male if sex == "M" else culture.female))
    if culture is _CULTURES["russian"] and native_surname:
        # Russian surnames agree with the sex: IVANOV, IVANOVA (and in Cyrillic, Иванов, Иванова).
        if surname.endswith(("OVA", "EVA", "INA")):
            surname, native_surname = surname[:-1], native_surname[:-1]
        if sex == "F":
            surname, native_surname = surname + "A", native_surname + "\u0430"
    if rng.random() < 0.25 and culture is not _CULTURES["chinese"]:
        second, _ = _split_name(rng.choice(culture.male if sex == "M" else culture.female))
        if second != given:
            given = f"{given} {second}"
    native = None
    if native_surname and native_given:
        native = f"{native_surname} {native_given}"
    age = rng.randint(2, 16) if child else rng.randint(19, 74)
    birth = reference - timedelta(days=age * 365 + rng.randrange(365))
    country = nationality or rng.choice(culture.countries)
    issued = reference - timedelta(days=rng.randrange(30, 9 * 365))
    years = 5 if child or rng.random() < 0.4 else 10
    # Valid for 5 or 10 years less a day; by days so that 29 February cannot get in the way.
    expiry = issued + timedelta(days=years * 365 + years // 4 - 1)
    if expiry <= reference:
        expiry = reference + timedelta(days=rng.randrange(60, 900))
    if country in _ECOWAS and not child and rng.random() < 0.2:
        document = Document(
            "I", "".join(str(rng.randrange(10)) for _ in range(11)), country, issued, expiry
        )
    else:
        layout = _PASSPORT_LAYOUT.get(country, "AA9999999")
        document = Document("P", _layout(rng, layout), country, issued, expiry)
    residence = country if rng.random() < 0.85 else AIRPORTS[HOME][1]
    # Foreigners living in Togo give a Lomé address; everyone else one of their own country.
    home = culture if residence == country else _CULTURES["ewe"]
    city = rng.choice(home.cities)
    digits = "".join(str(rng.randrange(10)) for _ in range(8))
    plain = "".join(c for c in f"{given.split(' ')[0]}.{surname}" if c.isalnum() or c == ".")
    return Person(
        surname=surname,
        given_names=given,
        native_name=native,
        native_surname=native_surname,
        sex=sex,
        birth_date=birth,
        birth_place=rng.choice(culture.cities),
        nationality=country,
        residence=residence,
        documents=[document],
        phone=f"{culture.calling_code}{digits}",
        email=f"{plain}{rng.randrange(1, 99)}@{rng.choice(culture.domains)}",
        street=f"{rng.randint(1, 250)} {rng.choice(home.streets)}",
        city=city,
        postcode=f"{rng.randint(1000, 99999)}",
        is_child=child,
        frequent_flyer=None,
    )


def _fare(euros: int, currency: str) -> str:
    """A fare in the carrier's currency; the CFA franc (XOF) has no minor unit."""
    if currency == "XOF":
        return str(round(euros * 655.957 / 100) * 100)
    rate = {"EUR": 1.0, "USD": 1.08, "MAD": 10.9}[currency]
    return f"{euros * rate:.2f}"


def _locator(rng: random.Random, taken: set[str]) -> str:
    # Reservation systems avoid 0/O and 1/I in record locators.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    while True:
        value = "".join(rng.choice(alphabet) for _ in range(6))
        if value not in taken:
            taken.add(value)
            return value


def _card(rng: random.Random) -> tuple[str, str]:
    """A card number of test ranges that passes the Luhn check, with its vendor code."""
    vendor, prefix, length = rng.choice(
        (
            ("VI", "4111", 16),
            ("VI", "4012", 16),
            ("CA", "5555", 16),
            ("CA", "5105", 16),
            ("AX", "3782", 15),
            ("AX", "3714", 15),
        )
    )
    body = prefix + "".join(str(rng.randrange(10)) for _ in range(length - len(prefix) - 1))
    return vendor, body + luhn_digit(body)


_AGENCIES = ("2231045", "2231183", "3701526", "6620415", "7735002", "2088311")


def _fill_flight(rng: random.Random, plan: FlightPlan, airport: str, locators: set[str]) -> None:
    """Bookings (alone, families, groups), connections, payments, seats, bags, offloads, crew."""
    carrier = CARRIERS[plan.carrier]
    departure = plan.departure_utc
    reference = departure.date()
    capacity = carrier.seats
    # Loads are kept low (12-30 %) so that a demo day stores in seconds.
    target = rng.randint(int(capacity * 0.12), int(capacity * 0.30))
    seated = 0
    rows = iter(range(1, 60))
    letters = "ABCDEF"
    seat_pool = [f"{row}{letter}" for row in rows for letter in letters]
    rng.shuffle(seat_pool)
    next_tag = rng.randrange(100000, 900000)
    while seated < target:
        roll = rng.random()
        size = 1 if roll < 0.6 else rng.randint(2, 4) if roll < 0.9 else rng.randint(5, 9)
        size = min(size, target - seated) or 1
        culture = _culture_for(rng, plan, airport)
        lead = _person(rng, culture, reference)
        travellers = [lead]
        for _ in range(size - 1):
            if size <= 4:
                # A family: same surname and nationality, children among them.
                travellers.append(
                    _person(
                        rng,
                        culture,
                        reference,
                        surname=lead.surname,
                        native_surname=lead.native_surname,
                        child=rng.random() < 0.5,
                        nationality=lead.nationality,
                    )
                )
            else:
                # A group (delegation, tour, team) on one reservation.
                travellers.append(_person(rng, _culture_for(rng, plan, airport), reference))
        for person in travellers:
            if rng.random() < 0.2:
                person.frequent_flyer = f"{plan.carrier}{rng.randrange(10**8, 10**9)}"
        last_minute = rng.random() < 0.1
        if last_minute:
            booked = departure - timedelta(minutes=rng.randrange(180, 1200))
        else:
            booked = departure - timedelta(minutes=rng.randrange(80 * 60, 60 * 24 * 60))
        booked = booked.replace(second=0, microsecond=0)
        ticketed = min(booked + timedelta(minutes=rng.randrange(5, 600)), departure)
        ticketed -= timedelta(minutes=30) if ticketed == departure else timedelta()
        amount = _fare(rng.randrange(90, 1900), carrier.currency)
        if last_minute or rng.random() < 0.08:
            payment = Payment("CA", amount, carrier.currency)
        else:
            vendor, number = _card(rng)
            expiry = f"{rng.randint(1, 12):02d}{(reference.year + rng.randint(1, 4)) % 100:02d}"
            payer = None
            if rng.random() < 0.1:
                sponsor = _person(rng, _CULTURES[rng.choice(_CULTURE_NAMES)], reference)
                payer = f"{sponsor.given_names} {sponsor.surname}"
            payment = Payment(
                "CC", amount, carrier.currency, vendor, number, expiry, rng.random() < 0.5, payer
            )
        itinerary, has_return = _itinerary(rng, plan, airport, last_minute)
        seats = [seat_pool.pop() for _ in travellers]
        bags = [rng.choice((0, 1, 1, 1, 2, 2, 3)) for _ in travellers]
        tags: list[str] = []
        for count in bags:
            tags.append(f"0{carrier.numeric}{next_tag:06d}" if count else "")
            next_tag += count
        booking = Booking(
            locator=_locator(rng, locators),
            travellers=travellers,
            booked_at=booked,
            ticketed_at=ticketed,
            agency=None if rng.random() < 0.4 else iata_agency_number(rng.choice(_AGENCIES)),
            office=f"{plan.legs[0].origin}{plan.carrier}{rng.randrange(1000, 9999)}",
            payment=payment,
            itinerary=itinerary,
            tickets=[f"{carrier.numeric}{rng.randrange(10**9, 10**10)}" for _ in travellers],
            seats=seats,
            bags=bags,
            first_tags=tags,
            is_one_way=not has_return,
        )
        if rng.random() < 0.2:
            booking.changed_at = booked + (departure - booked) * rng.uniform(0.3, 0.95)
        if not last_minute and rng.random() < 0.05:
            booking.cancelled_at = booked + (departure - booked) * rng.uniform(0.2, 0.9)
        plan.bookings.append(booking)
        seated += len(travellers)
    boarded = [b for b in plan.bookings if b.cancelled_at is None]
    for booking in rng.sample(boarded, min(len(boarded), rng.choice((0, 1, 1, 2)))):
        # Offloaded at the gate (no-show, denied boarding): named in a BGM+745+XR list.
        booking.offloaded = [rng.randrange(len(booking.travellers))]
    plan.crew = _crew(rng, plan)


def _itinerary(
    rng: random.Random, plan: FlightPlan, airport: str, one_way: bool
) -> tuple[list[Leg], bool]:
    """The booked legs: (part of) our flight, maybe a connection at the far hub, maybe a return.

    Returns the legs and whether a return journey was booked.
    """
    legs = list(plan.legs)
    if plan.direction == "through":
        stop = next(i for i, leg in enumerate(legs) if leg.destination == airport)
        roll = rng.random()
        if roll < 0.35:
            legs = legs[: stop + 1]  # gets off at the airport
        elif roll < 0.7:
            legs = legs[stop + 1 :]  # boards at the airport
        # else: stays on board through the airport, in transit
    if legs[0].origin != airport and _CONNECTIONS.get(legs[0].origin) and rng.random() < 0.35:
        far = legs[0].origin
        other, carrier, number = rng.choice(_CONNECTIONS[far])
        start = legs[0].departure_utc - timedelta(
            minutes=_block_minutes(other, far) + rng.randrange(90, 300, 5)
        )
        legs.insert(0, _make_leg(carrier, number, other, far, start))
    elif (
        legs[-1].destination != airport
        and _CONNECTIONS.get(legs[-1].destination)
        and rng.random() < 0.35
    ):
        far = legs[-1].destination
        other, carrier, number = rng.choice(_CONNECTIONS[far])
        start = legs[-1].arrival_utc + timedelta(minutes=rng.randrange(90, 300, 5))
        legs.append(_make_leg(carrier, number, far, other, start))
    if one_way or rng.random() < 0.4:
        return legs, False
    days = timedelta(days=rng.randint(3, 21))
    back = [
        _make_leg(
            leg.carrier, leg.number + 1, leg.destination, leg.origin, leg.departure_utc + days
        )
        for leg in reversed(legs)
    ]
    return legs + back, True


def _is_ours(plan: FlightPlan, leg: Leg) -> bool:
    """Whether an itinerary leg is one of the planned flight's legs (the object, not a copy)."""
    return any(leg is own for own in plan.legs)


def _crew(rng: random.Random, plan: FlightPlan) -> list[Person]:
    carrier = CARRIERS[plan.carrier]
    culture = _CULTURES[_CULTURE_OF.get(carrier.country, "french")]
    reference = plan.departure_utc.date()
    functions = ["CR1", "CR1"] + ["CR2"] * rng.randint(3, 7)
    if rng.random() < 0.2:
        functions.append("CR5")  # a pilot positioning on board, not on duty
    crew: list[Person] = []
    for function in functions:
        person = _person(rng, culture, reference, nationality=carrier.country)
        if person.passport.type != "P":
            person.documents[0] = Document(
                "P",
                _layout(rng, _PASSPORT_LAYOUT.get(carrier.country, "AA9999999")),
                carrier.country,
                person.passport.issued,
                person.passport.expiry,
            )
        person.crew_function = function
        # Crew member certificate (DOC+AC) issued by the carrier's state.
        person.documents.append(
            Document(
                "AC",
                f"{plan.carrier}{rng.randrange(10**5, 10**6)}",
                carrier.country,
                person.passport.issued,
                person.passport.expiry,
            )
        )
        crew.append(person)
    return crew


# ---------------------------------------------------------------------------------------------
# Writing EDIFACT (reference/edifact-syntax.md §1-§7)


@dataclass(slots=True, frozen=True)
class ServiceChars:
    """UNA positions 1-6: component, element, decimal, release, repetition, terminator."""

    component: str = ":"
    element: str = "+"
    decimal: str = "."
    release: str = "?"
    repetition: str = " "
    terminator: str = "'"

    @property
    def una(self) -> str:
        """The service string advice, always exactly nine characters."""
        return (
            "UNA"
            + self.component
            + self.element
            + self.decimal
            + self.release
            + self.repetition
            + self.terminator
        )

    def escape(self, value: str) -> str:
        """Put the release character before every service character in a value (§3)."""
        return value.translate(_release_table(self))


@functools.cache
def _release_table(chars: ServiceChars) -> dict[int, str]:
    specials = {chars.component, chars.element, chars.release, chars.terminator}
    if chars.repetition != " ":
        specials.add(chars.repetition)
    return {ord(ch): chars.release + ch for ch in specials}


STANDARD = ServiceChars()
# Non-default sets seen in the field: a v4 repetition separator with another release
# character and a comma decimal mark, and one where no default character is left.
ALTERNATIVES = (
    ServiceChars(":", "+", ",", "!", "*", "'"),
    ServiceChars("^", "|", ".", "?", " ", "~"),
)

Element = str | Sequence[str]


def _segment(chars: ServiceChars, tag: str, *elements: Element) -> str:
    """One segment without its terminator; trailing empty elements/components are omitted."""
    texts: list[str] = []
    for element in elements:
        components = [element] if isinstance(element, str) else list(element)
        while components and components[-1] == "":
            components.pop()
        texts.append(chars.component.join(chars.escape(c) for c in components))
    while texts and texts[-1] == "":
        texts.pop()
    return chars.element.join([tag, *texts])


@dataclass(slots=True)
class _Envelope:
    """What frames one message: separators, syntax level and version, parties, references."""

    chars: ServiceChars
    with_una: bool
    syntax: str  # UNB S001 0001: UNOA, UNOW, IATA
    syntax_version: str
    sender: str
    recipient: str
    control_ref: str
    application: str
    group: tuple[str, str, str] | None  # (UNG 0038 message group, 0051 agency, version) or None
    newlines: bool


def _interchange(envelope: _Envelope, sent_at: datetime, body: list[str]) -> list[str]:
    """UNB [UNG] message [UNE] UNZ around the message's segments (UNH..UNT included)."""
    chars = envelope.chars
    stamp = (f"{sent_at:%y%m%d}", f"{sent_at:%H%M}")
    sender = (envelope.sender, "ZZ") if envelope.syntax != "IATA" else (envelope.sender,)
    recipient = (envelope.recipient, "ZZ") if envelope.syntax != "IATA" else (envelope.recipient,)
    out = [
        _segment(
            chars,
            "UNB",
            (envelope.syntax, envelope.syntax_version),
            sender,
            recipient,
            stamp,
            envelope.control_ref,
            "",
            envelope.application,
        )
    ]
    group_ref = envelope.control_ref[-6:].lstrip("0") or "1"
    if envelope.group:
        kind, agency, version = envelope.group
        out.append(
            _segment(
                chars, "UNG", kind, sender, recipient, stamp, group_ref, agency, version.split(":")
            )
        )
    out.extend(body)
    if envelope.group:
        out.append(_segment(chars, "UNE", "1", group_ref))
    out.append(_segment(chars, "UNZ", "1", envelope.control_ref))
    return out


def _render(envelope: _Envelope, segments: list[str]) -> str:
    end = envelope.chars.terminator + ("\n" if envelope.newlines else "")
    head = envelope.chars.una + ("\n" if envelope.newlines else "") if envelope.with_una else ""
    return head + "".join(s + end for s in segments)


def _encode(envelope: _Envelope, text: str) -> bytes:
    return text.encode("utf-8" if envelope.syntax in ("UNOW", "UNOY") else "ascii")


def _yymmdd(value: date) -> str:
    return f"{value:%y%m%d}"


def _airimp(value: date) -> str:
    return f"{value.day:02d}{value:%b}{value:%y}".upper()


def _ddmmyy(value: datetime | date) -> str:
    return f"{value:%d%m%y}"


# ---------------------------------------------------------------------------------------------
# PAXLST (reference/paxlst.md)


def _paxlst_traveller(
    chars: ServiceChars,
    plan: FlightPlan,
    person: Person,
    booking: Booking | None,
    index: int,
    paxlst_release: str,
    airport: str,
    *,
    skip_birth_date: bool = False,
    document_type: str | None = None,
) -> list[str]:
    """One GR4 traveller group (NAD..RFF) with its GR5 documents (DOC, DTM+36, LOC+91)."""
    is_crew = person.crew_function is not None
    first, *others = person.given_names.split(" ")
    embark = plan.legs[0].origin
    disembark = plan.legs[-1].destination
    deplanes_here = plan.legs[-1].destination == airport
    qualifier = "FM" if is_crew else "FL"
    if booking is not None:
        # LOC+178/179 are the ends of the journey on this itinerary, beyond our flight when the
        # traveller connects; the return journey days later is not part of it.
        embark = booking.itinerary[0].origin
        start = next(i for i, leg in enumerate(booking.itinerary) if _is_ours(plan, leg))
        disembark = _onward_end(booking, start)
        deplanes_here = any(
            _is_ours(plan, leg) and leg.destination == airport for leg in booking.itinerary
        )
        if embark != airport and not deplanes_here:
            qualifier = "DDU"  # in transit through the airport
    name = (person.surname, first, " ".join(others))
    address: list[Element] = []
    if not is_crew and index % 2 == 0:
        address = [person.street, person.city, "", person.postcode, person.residence]
    segments = [_segment(chars, "NAD", qualifier, "", "", name, *address)]
    segments.append(_segment(chars, "ATT", "2", "", person.sex))
    if not skip_birth_date:
        segments.append(_segment(chars, "DTM", ("329", _yymmdd(person.birth_date))))
    if paxlst_release == "D12B" and booking is not None:
        count = booking.bags[booking.travellers.index(person)]
        if count:
            tag = booking.first_tags[booking.travellers.index(person)]
            segments.append(_segment(chars, "MEA", "CT", "", ("", str(count))))
            segments.append(_segment(chars, "MEA", "WT", "", ("KGM", str(count * 21))))
            segments.append(_segment(chars, "GEI", "4", "173"))
            segments.append(_segment(chars, "FTX", "BAG", "", "", (tag, str(count))))
        else:
            segments.append(_segment(chars, "GEI", "4", "173"))
    if not is_crew and deplanes_here:
        segments.append(_segment(chars, "LOC", "22", airport))  # clears entry here
    segments.append(_segment(chars, "LOC", "174", person.residence))
    segments.append(_segment(chars, "LOC", "178", embark))
    segments.append(_segment(chars, "LOC", "179", disembark))
    if index % 3 == 0:
        segments.append(
            _segment(
                chars, "LOC", "180", ("", "", "", f"{person.birth_place} {person.nationality}")
            )
        )
    else:
        segments.append(_segment(chars, "LOC", "180", person.nationality))
    if not is_crew and index % 4 == 1:
        segments.append(_segment(chars, "COM", (person.phone, "TE")))
    if is_crew:
        segments.append(_segment(chars, "EMP", "1", (person.crew_function or "", "110", "111")))
    segments.append(_segment(chars, "NAT", "2", person.nationality))
    if booking is not None:
        position = booking.travellers.index(person)
        segments.append(_segment(chars, "RFF", ("AVF", booking.locator)))
        segments.append(_segment(chars, "RFF", ("ABO", f"{booking.tickets[position][-8:]}")))
        segments.append(_segment(chars, "RFF", ("SEA", booking.seats[position])))
        if person.frequent_flyer:
            segments.append(_segment(chars, "RFF", ("CR", person.frequent_flyer)))
    for number, document in enumerate(person.documents):
        kind = document_type if (document_type and number == 0) else document.type
        segments.append(_segment(chars, "DOC", (kind, "110", "111"), document.number))
        segments.append(_segment(chars, "DTM", ("36", _yymmdd(document.expiry))))
        if number == 0 and index % 2:
            segments.append(_segment(chars, "DTM", ("182", _yymmdd(document.issued))))
        segments.append(_segment(chars, "LOC", "91", document.issuing_state))
    return segments


def _onward_end(booking: Booking, start: int) -> str:
    """Where a journey from itinerary leg `start` ends: the last leg before it turns back."""
    end = booking.itinerary[start].destination
    for leg in booking.itinerary[start + 1 :]:
        if leg.origin != end or leg.departure_utc - booking.itinerary[
            start
        ].arrival_utc > timedelta(days=1):
            break
        end = leg.destination
    return end


def _paxlst_flight(chars: ServiceChars, plan: FlightPlan, airport: str, icao: bool) -> list[str]:
    """GR2 TDT and GR3 LOC/DTM pairs: 125/87 for the leg entering or leaving the state, 92/92
    for the other leg of a progressive flight (reference/paxlst.md "LOC+DTM (GR3)")."""
    segments = [_segment(chars, "TDT", "20", plan.legs[0].designator, "", "", plan.carrier)]
    for leg in plan.legs:
        origin, destination = leg.origin, leg.destination
        if icao:
            # A sender mistake: the far airport written as its ICAO code.
            if origin != airport:
                origin = AIRPORTS[origin][5]
            else:
                destination = AIRPORTS[destination][5]
        crosses = airport in (leg.origin, leg.destination)
        qualifiers = ("125", "87") if crosses else ("92", "92")
        segments.append(_segment(chars, "LOC", qualifiers[0], origin))
        segments.append(_segment(chars, "DTM", ("189", f"{leg.departure:%y%m%d%H%M}", "201")))
        segments.append(_segment(chars, "LOC", qualifiers[1], destination))
        segments.append(_segment(chars, "DTM", ("232", f"{leg.arrival:%y%m%d%H%M}", "201")))
    return segments


@dataclass(slots=True)
class _Draft:
    """A message being written: its segments (UNH..UNT excluded) and bookkeeping for faults."""

    segments: list[str]
    travellers: int = 0
    reservations: int = 0
    faults: list[InjectedFault] = field(default_factory=list)


def _calling_code(carrier: _Carrier) -> str:
    return _CULTURES[_CULTURE_OF.get(carrier.country, "french")].calling_code


def _write_paxlst(
    rng: random.Random,
    plan: FlightPlan,
    airport: str,
    chars: ServiceChars,
    members: list[tuple[Person, Booking | None]],
    *,
    crew: bool,
    sub_code: str,
    fault: FaultCode | None,
) -> _Draft:
    carrier = CARRIERS[plan.carrier]
    bgm: list[Element] = ["250" if crew else "745"]
    if sub_code:
        bgm.append(sub_code)
    first = plan.legs[0]
    segments = [
        _segment(chars, "BGM", *bgm),
        _segment(
            chars, "RFF", ("TN", f"{first.designator}{first.departure:%y%m%d}{sub_code or 'A'}")
        ),
        _segment(chars, "NAD", "MS", "", "", ("API DESK", plan.carrier)),
        _segment(
            chars,
            "COM",
            (f"{_calling_code(carrier)} 22 23 {rng.randrange(10, 99)} 00", "TE"),
            (f"API.DESK.AT.{plan.carrier}AIRLINES.COM", "EM"),
        ),
    ]
    draft = _Draft(segments)
    draft.segments.extend(_paxlst_flight(chars, plan, airport, fault == "unknown_airport"))
    if fault == "unknown_airport":
        draft.faults.append(InjectedFault(fault, "far airport of the flight written as ICAO code"))
    victim = rng.randrange(len(members)) if members else -1
    for index, (person, booking) in enumerate(members):
        skip = fault == "missing_birth_date" and index == victim
        bad_doc = "ZZ" if fault == "unknown_document_type" and index == victim else None
        if skip:
            draft.faults.append(
                InjectedFault(
                    "missing_birth_date", f"no DTM+329 for {person.surname} {person.given_names}"
                )
            )
        if bad_doc:
            draft.faults.append(
                InjectedFault("unknown_document_type", f"DOC+ZZ for {person.surname}")
            )
        draft.segments.extend(
            _paxlst_traveller(
                chars,
                plan,
                person,
                booking,
                index,
                carrier.paxlst,
                airport,
                skip_birth_date=skip,
                document_type=bad_doc,
            )
        )
        draft.travellers += 1
    count = len(members)
    if fault == "wrong_count":
        wrong = count + rng.choice((-2, -1, 1, 3)) if count > 2 else count + 1
        draft.faults.append(InjectedFault(fault, f"CNT says {wrong}, the list holds {count}"))
        count = wrong
    draft.segments.append(_segment(chars, "CNT", ("41" if crew else "42", str(count))))
    return draft


# ---------------------------------------------------------------------------------------------
# PNRGOV (reference/pnrgov.md)


def _title(person: Person) -> str:
    if person.is_child:
        return "MSTR" if person.sex == "M" else "MISS"
    return "MR" if person.sex == "M" else "MRS"


def _airimp_email(address: str) -> str:
    """AIRIMP e-mail (SSR CTCE): `@` as `//`, `_` as `..`, `-` as `./`."""
    return address.upper().replace("_", "..").replace("-", "./").replace("@", "//")


def _pnr_segments(
    chars: ServiceChars,
    plan: FlightPlan,
    booking: Booking,
    moment: datetime,
    *,
    check_in: bool,
    native_text: bool,
) -> list[str]:
    """One GR1 reservation: SRC, RCI, DAT, ORG, ADD, IFT, GR2 travellers with GR3 tickets and
    GR4 payments, GR5 itinerary legs with seats and (at T-0) GR6/GR7 check-in with bags."""
    carrier = CARRIERS[plan.carrier]
    seg = _segment
    out = [
        seg(chars, "SRC"),
        seg(
            chars,
            "RCI",
            (
                plan.carrier,
                booking.locator,
                "",
                _ddmmyy(booking.booked_at),
                f"{booking.booked_at:%H%M}",
            ),
        ),
    ]
    modified = max(
        t for t in (booking.booked_at, booking.ticketed_at, booking.changed_at) if t and t <= moment
    )
    dates: list[Element] = [("700", _ddmmyy(modified), f"{modified:%H%M}")]
    if booking.ticketed_at and booking.ticketed_at <= moment:
        dates.append(("710", _ddmmyy(booking.ticketed_at), f"{booking.ticketed_at:%H%M}"))
    out.append(seg(chars, "DAT", *dates))
    origin = plan.legs[0].origin
    country = AIRPORTS[origin][1]
    if booking.agency:
        out.append(
            seg(
                chars,
                "ORG",
                ("1A", origin),
                (booking.agency, booking.office),
                origin,
                "",
                "T",
                (country, carrier.currency, "FR"),
            )
        )
    else:
        out.append(
            seg(
                chars,
                "ORG",
                (plan.carrier, origin),
                ("", booking.office),
                origin,
                plan.carrier,
                "A",
                (country, carrier.currency, "FR"),
            )
        )
    lead = booking.travellers[0]
    out.append(
        seg(
            chars,
            "ADD",
            "",
            ("700", lead.street, lead.city, "", "", lead.residence, lead.postcode),
        )
    )
    out.append(seg(chars, "IFT", ("4", "28", "", plan.carrier), f"CTCM {lead.phone}"))
    if native_text and lead.native_name:
        # Some reservation systems keep the name as the traveller wrote it, in free text.
        out.append(seg(chars, "IFT", ("4", "28", "", plan.carrier), f"NM {lead.native_name}"))
    for ref, person in enumerate(booking.travellers, 1):
        given = person.given_names + _title(person)
        ptype = "C" if person.is_child else "A"
        out.append(seg(chars, "TIF", person.surname, (given, ptype, str(ref))))
        if person.frequent_flyer:
            out.append(
                seg(
                    chars,
                    "FTI",
                    (person.frequent_flyer[:2], person.frequent_flyer[2:], "", "SILVER"),
                )
            )
        out.append(seg(chars, "REF", ("", f"{booking.tickets[ref - 1][-9:]}{ref}")))
        doc = person.passport
        given_parts = mrz_name(person.given_names, keep_apostrophe=False).split(" ")
        docs = "/".join(
            [
                "",
                doc.type,
                doc.issuing_state,
                doc.number,
                person.nationality,
                _airimp(person.birth_date),
                person.sex,
                _airimp(doc.expiry),
                mrz_name(person.surname, keep_apostrophe=False),
                given_parts[0],
                " ".join(given_parts[1:]),
            ]
        ).rstrip("/")
        out.append(
            seg(
                chars,
                "SSR",
                ("DOCS", "HK", "1", plan.carrier, "", "", "", "", docs),
                ("", "", str(ref)),
            )
        )
        if ref == 1:
            doca = f"/R/{person.residence}/{person.street}/{person.city}//{person.postcode}"
            out.append(
                seg(
                    chars,
                    "SSR",
                    ("DOCA", "HK", "1", plan.carrier, "", "", "", "", doca),
                    ("", "", "1"),
                )
            )
            out.append(
                seg(
                    chars,
                    "SSR",
                    (
                        "CTCE",
                        "HK",
                        "1",
                        plan.carrier,
                        "",
                        "",
                        "",
                        "",
                        "/" + _airimp_email(person.email),
                    ),
                    ("", "", "1"),
                )
            )
        if person.frequent_flyer:
            out.append(
                seg(
                    chars,
                    "SSR",
                    ("FQTV", "HK", "1", plan.carrier, "", "", "", "", f"/{person.frequent_flyer}"),
                    ("", "", str(ref)),
                )
            )
        if booking.ticketed_at and booking.ticketed_at <= moment:
            out.append(seg(chars, "TKT", (booking.tickets[ref - 1], "T", "1")))
            out.append(seg(chars, "MON", ("T", booking.payment.amount, booking.payment.currency)))
            out.append(
                seg(
                    chars,
                    "DAT",
                    ("710", _ddmmyy(booking.ticketed_at), f"{booking.ticketed_at:%H%M}"),
                )
            )
            out.extend(_fop(chars, booking.payment))
    for leg in booking.itinerary:
        out.extend(_pnr_leg(chars, plan, booking, leg, moment, check_in=check_in))
    return out


def _fop(chars: ServiceChars, payment: Payment) -> list[str]:
    if payment.type == "CA":
        return [_segment(chars, "FOP", ("CA", "", payment.amount))]
    number = payment.card_number or ""
    if payment.is_masked:
        number = "X" * (len(number) - 4) + number[-4:]
    out = [
        _segment(
            chars,
            "FOP",
            ("CC", "", payment.amount, payment.vendor or "", number, payment.card_expiry or ""),
        )
    ]
    if payment.payer:
        out.append(_segment(chars, "IFT", ("4", "43"), payment.payer))
    return out


def _pnr_leg(
    chars: ServiceChars,
    plan: FlightPlan,
    booking: Booking,
    leg: Leg,
    moment: datetime,
    *,
    check_in: bool,
) -> list[str]:
    seg = _segment
    out = [
        seg(
            chars,
            "TVL",
            (
                _ddmmyy(leg.departure),
                f"{leg.departure:%H%M}",
                _ddmmyy(leg.arrival),
                f"{leg.arrival:%H%M}",
            ),
            leg.origin,
            leg.destination,
            leg.carrier,
            (str(leg.number), "Y"),
        ),
        seg(chars, "RPI", str(len(booking.travellers)), "HK"),
    ]
    ours = _is_ours(plan, leg)
    if ours:
        out.append(seg(chars, "APD", plan.aircraft))
        # Seats are chosen a day before departure, or at check-in.
        if moment >= plan.departure_utc - timedelta(hours=30):
            seats = [(s, "", str(i)) for i, s in enumerate(booking.seats, 1)]
            out.append(
                seg(
                    chars,
                    "SSR",
                    (
                        "SEAT",
                        "HK",
                        str(len(seats)),
                        leg.carrier,
                        "",
                        "",
                        leg.origin,
                        leg.destination,
                    ),
                    *seats,
                )
            )
    if ours and check_in:
        checked = moment - timedelta(hours=2)
        out.append(seg(chars, "DAT", ("2", _ddmmyy(checked), f"{checked:%H%M}")))
        for ref, person in enumerate(booking.travellers, 1):
            if ref - 1 in booking.offloaded:
                continue  # checked in is not boarded, but a no-show never checked in
            out.append(seg(chars, "TRI", "", (str(ref), "", "", str(ref))))
            out.append(
                seg(
                    chars,
                    "TIF",
                    person.surname,
                    (person.given_names + _title(person), "", str(ref)),
                )
            )
            out.append(seg(chars, "SSD", booking.seats[ref - 1], "", "", "", "Y"))
            count = booking.bags[ref - 1]
            if count:
                out.append(
                    seg(
                        chars,
                        "TBD",
                        "",
                        (str(count), str(count * 21), "700"),
                        "",
                        "",
                        (plan.carrier, booking.first_tags[ref - 1], str(count), leg.destination),
                    )
                )
    return out


# ---------------------------------------------------------------------------------------------
# Putting a flight's messages together


def _envelope(
    rng: random.Random,
    kind: MessageKind,
    carrier: _Carrier,
    airport: str,
    control: int,
    native: bool,
    version: str,
) -> _Envelope:
    roll = rng.random()
    chars = STANDARD if roll < 0.8 else rng.choice(ALTERNATIVES)
    state = AIRPORTS[airport][1]
    if kind == "PNRGOV":
        syntax, syntax_version = ("UNOW", "4") if native else ("IATA", "1")
        if chars is not STANDARD and syntax == "IATA":
            syntax, syntax_version = "UNOA", "4"
        group = ("PNRGOV", "IA", version) if rng.random() < 0.5 else None
        return _Envelope(
            chars,
            chars is not STANDARD or rng.random() < 0.6,
            syntax,
            syntax_version,
            carrier.code,
            f"{state}PIU",
            f"{control:014d}"[-10:] if rng.random() < 0.5 else str(control),
            "PNRGOV",
            group,
            rng.random() < 0.85,
        )
    syntax_version = "3" if version == "02B" and chars.repetition == " " else "4"
    group = ("PAXLST", "UN", f"D:{version}") if rng.random() < 0.5 else None
    return _Envelope(
        chars,
        True,
        "UNOA",
        syntax_version,
        f"{carrier.code}APIS",
        f"{state}API",
        str(control),
        "APIS",
        group,
        rng.random() < 0.9,
    )


def _finish_message(
    rng: random.Random,
    envelope: _Envelope,
    header: list[Element],
    draft: _Draft,
    sent_at: datetime,
    fault: FaultCode | None,
) -> bytes:
    """UNH + body + UNT (count per §7), wrapped in its interchange; then the envelope faults."""
    chars = envelope.chars
    segments = [_segment(chars, "UNH", *header), *draft.segments]
    count = len(segments) + 1
    if fault == "wrong_segment_count":
        wrong = count + rng.choice((-3, -1, 1, 2))
        draft.faults.append(InjectedFault(fault, f"UNT says {wrong}, the message has {count}"))
        count = wrong
    segments.append(_segment(chars, "UNT", str(count), str(header[0])))
    text = _render(envelope, _interchange(envelope, sent_at, segments))
    if fault == "truncated":
        # Cut inside a segment past the middle: no terminator, no UNT, no UNZ.
        terminator = chars.terminator
        cuts = [i for i, ch in enumerate(text) if ch == terminator and i > len(text) // 2]
        cut = cuts[len(cuts) // 3] + (3 if not envelope.newlines else 4)
        text = text[:cut]
        draft.faults.append(InjectedFault(fault, f"file cut after {cut} characters"))
    return _encode(envelope, text)


def _cusres(
    carrier: _Carrier, airport: str, control: int, sent_at: datetime, plan: FlightPlan
) -> bytes:
    """A customs response (CUSRES) a router misdirected to the API inbox: not passenger data."""
    chars = STANDARD
    segments = [
        _segment(chars, "UNH", "1", ("CUSRES", "D", "05B", "UN")),
        _segment(chars, "BGM", "962", f"{plan.legs[0].designator}R", "9"),
        _segment(chars, "DTM", ("137", f"{sent_at:%Y%m%d%H%M}", "203")),
        _segment(chars, "RFF", ("ABO", f"{plan.legs[0].designator}")),
        _segment(chars, "UNT", "5", "1"),
    ]
    envelope = _Envelope(
        chars,
        True,
        "UNOA",
        "4",
        f"{carrier.code}APIS",
        f"{AIRPORTS[airport][1]}API",
        str(control),
        "",
        None,
        True,
    )
    return _encode(envelope, _render(envelope, _interchange(envelope, sent_at, segments)))


def _pick_fault(rng: random.Random, ratio: float, kinds: tuple[FaultCode, ...]) -> FaultCode | None:
    if ratio <= 0 or rng.random() >= ratio:
        return None
    return rng.choice(kinds)


_PAXLST_FAULTS: tuple[FaultCode, ...] = (
    "wrong_count",
    "wrong_segment_count",
    "missing_birth_date",
    "unknown_document_type",
    "unknown_airport",
    "truncated",
    "not_passenger_data",
)
_PNRGOV_FAULTS: tuple[FaultCode, ...] = (
    "wrong_count",
    "wrong_segment_count",
    "unknown_airport",
    "truncated",
    "not_passenger_data",
)


def _file_name(sent_at: datetime, plan: FlightPlan, airport: str, label: str) -> str:
    touching = [leg for leg in plan.legs if airport in (leg.origin, leg.destination)]
    route = plan.route if len(touching) > 1 else f"{touching[0].origin}-{touching[0].destination}"
    return f"{sent_at:%Y%m%dT%H%M}_{plan.legs[0].designator}_{route}_{label}.edi"


def flight_messages(
    plan: FlightPlan, airport: str, seed: int, fault_ratio: float, controls: list[int]
) -> list[GeneratedMessage]:
    """Every message for one flight, in the order they would be sent.

    PNRGOV pushes at T-72h, T-24h and T-0 (reference/pnrgov.md "Push schedule": the first push is
    full; carriers that push updates send only changed, added and removed PNRs afterwards), then
    the PAXLST passenger list (BGM+745), the crew list (BGM+250), a change (745+CP) and a cancel
    (745+XR) when some travellers changed or were offloaded. `controls` holds the next interchange
    control reference per sender and is advanced (UNB 0020 is unique per sender).
    """
    rng = random.Random(f"messages/{seed}/{plan.key}")  # noqa: S311 - test data
    carrier = CARRIERS[plan.carrier]
    out: list[GeneratedMessage] = []
    first = plan.legs[0]
    car = f"{first.designator}/{first.departure:%y%m%d}/{first.departure:%H%M}"

    def control() -> int:
        controls[0] += 1
        return controls[0]

    def add(
        kind: MessageKind, label: str, body: bytes, sent_at: datetime, draft: _Draft, version: str
    ) -> None:
        out.append(
            GeneratedMessage(
                name=_file_name(sent_at, plan, airport, label),
                kind=kind,
                body=body,
                sent_at=sent_at,
                flight=plan.key,
                faults=tuple(draft.faults),
                label=label,
                version=version,
                travellers=draft.travellers,
                reservations=draft.reservations,
            )
        )

    def extra_other(sent_at: datetime) -> None:
        body = _cusres(carrier, airport, control(), sent_at, plan)
        draft = _Draft([], faults=[InjectedFault("not_passenger_data", "CUSRES message")])
        add("OTHER", "CUSRES", body, sent_at + timedelta(minutes=1), draft, "D05B")

    # PNRGOV pushes
    pnr_version = carrier.pnrgov
    previous: datetime | None = None
    native = any(p.native_name for b in plan.bookings for p in b.travellers)
    for hours, label in ((72, "T-72"), (24, "T-24"), (0, "T-0")):
        moment = plan.departure_utc - timedelta(hours=hours, minutes=15 if hours == 0 else 0)
        update = carrier.updates_only and previous is not None
        fault = _pick_fault(rng, fault_ratio, _PNRGOV_FAULTS)
        envelope = _envelope(rng, "PNRGOV", carrier, airport, control(), native, pnr_version)
        chars = envelope.chars
        draft = _Draft(
            [
                _segment(chars, "MSG", ("", "141" if update else "22")),
                _segment(chars, "ORG", (plan.carrier, first.origin)),
            ]
        )
        for leg in plan.legs:
            origin, destination = leg.origin, leg.destination
            if fault == "unknown_airport":
                origin = AIRPORTS[origin][5] if origin != airport else origin
                destination = AIRPORTS[destination][5] if destination != airport else destination
            draft.segments.append(
                _segment(
                    chars,
                    "TVL",
                    (
                        _ddmmyy(leg.departure),
                        f"{leg.departure:%H%M}",
                        _ddmmyy(leg.arrival),
                        f"{leg.arrival:%H%M}",
                    ),
                    origin,
                    destination,
                    leg.carrier,
                    str(leg.number),
                )
            )
        if fault == "unknown_airport":
            draft.faults.append(InjectedFault(fault, "pushed flight's far airport as ICAO code"))
        pnrs: list[list[str]] = []
        for booking in plan.bookings:
            active = booking.is_active(moment)
            if previous is not None and update:
                was = booking.is_active(previous)
                was_changed = (
                    booking.changed_at is not None and previous < booking.changed_at <= moment
                )
                if was and not active:
                    # Removal from the flight: SRC, RCI with the locator and an empty ORG.
                    pnrs.append(
                        [
                            _segment(chars, "SRC"),
                            _segment(chars, "RCI", (plan.carrier, booking.locator)),
                            "ORG",
                        ]
                    )
                    continue
                if not active or (was and not was_changed and hours != 0):
                    continue
            elif not active:
                continue
            pnrs.append(
                _pnr_segments(
                    chars,
                    plan,
                    booking,
                    moment,
                    check_in=hours == 0,
                    native_text=envelope.syntax == "UNOW",
                )
            )
            draft.travellers += len(booking.travellers)
        if update and not pnrs:
            continue  # an update push with nothing changed is not sent
        draft.reservations = len(pnrs)
        count = len(pnrs)
        if fault == "wrong_count":
            count += rng.choice((1, 2, 5))
            draft.faults.append(
                InjectedFault(fault, f"EQN says {count}, the message holds {len(pnrs)}")
            )
        draft.segments.append(_segment(chars, "EQN", str(count)))
        for pnr in pnrs:
            draft.segments.extend(pnr)
        header: list[Element] = ["1", ("PNRGOV", *pnr_version.split(":"), "IA"), car, ("01", "F")]
        if fault == "not_passenger_data":
            extra_other(moment)
            fault = None
        body = _finish_message(rng, envelope, header, draft, moment, fault)
        add("PNRGOV", f"PNR_{label}", body, moment, draft, pnr_version.replace(":", "."))
        if fault == "truncated":
            clean = _Draft(draft.segments, draft.travellers, draft.reservations)
            resend = moment + timedelta(minutes=4)
            body = _finish_message(
                rng, replace(envelope, control_ref=str(control())), header, clean, resend, None
            )
            add("PNRGOV", f"PNR_{label}_RESENT", body, resend, clean, pnr_version.replace(":", "."))
        previous = moment

    # PAXLST: passengers, crew, change, cancel
    release = carrier.paxlst[1:]
    paxlst_header: list[Element] = ["1", ("PAXLST", "D", release, "UN", "IATA"), car, ("01", "F")]
    # The original list names everyone who checked in; offloaded travellers are then removed
    # by the XR list, as airlines do when the door closes.
    flying = [b for b in plan.bookings if b.cancelled_at is None]
    boarding: list[tuple[Person, Booking | None]] = [(p, b) for b in flying for p in b.travellers]
    offloaded: list[tuple[Person, Booking | None]] = [
        (b.travellers[i], b) for b in flying for i in b.offloaded
    ]
    changed: list[tuple[Person, Booking | None]] = [
        (p, b)
        for b in flying
        if b.changed_at is not None
        for i, p in enumerate(b.travellers)
        if i not in b.offloaded
    ]
    del changed[2:]  # a change list names the one or two travellers whose data changed
    lists: list[tuple[str, list[tuple[Person, Booking | None]], bool, str, timedelta]] = [
        ("API_PAX", boarding, False, "", timedelta(minutes=-10)),
        ("API_CREW", [(c, None) for c in plan.crew], True, "", timedelta(minutes=-9)),
    ]
    if changed:
        lists.append(("API_PAX_CP", changed, False, "CP", timedelta(minutes=-6)))
    if offloaded:
        lists.append(("API_PAX_XR", offloaded, False, "XR", timedelta(minutes=-3)))
    for label, members, is_crew, sub_code, offset in lists:
        sent_at = plan.departure_utc + offset
        fault = _pick_fault(rng, fault_ratio, _PAXLST_FAULTS)
        envelope = _envelope(rng, "PAXLST", carrier, airport, control(), False, release)
        if sub_code == "CP":
            # The change corrects the seat (moved at the gate): same people, same documents.
            members = [(p, _moved(b, p)) for p, b in members]
        draft = _write_paxlst(
            rng,
            plan,
            airport,
            envelope.chars,
            members,
            crew=is_crew,
            sub_code=sub_code,
            fault=fault,
        )
        if fault == "not_passenger_data":
            extra_other(sent_at)
            fault = None
        body = _finish_message(rng, envelope, paxlst_header, draft, sent_at, fault)
        add("PAXLST", label, body, sent_at, draft, carrier.paxlst)
        if fault == "truncated":
            clean = _write_paxlst(
                rng,
                plan,
                airport,
                envelope.chars,
                members,
                crew=is_crew,
                sub_code=sub_code,
                fault=None,
            )
            resend = sent_at + timedelta(minutes=1)
            body = _finish_message(
                rng,
                replace(envelope, control_ref=str(control())),
                paxlst_header,
                clean,
                resend,
                None,
            )
            add("PAXLST", f"{label}_RESENT", body, resend, clean, carrier.paxlst)
    return out


def _moved(booking: Booking | None, person: Person) -> Booking | None:
    """A copy of the booking where `person` sits in another seat (for a BGM+745+CP change)."""
    if booking is None:
        return None
    seats = list(booking.seats)
    i = booking.travellers.index(person)
    row = int(seats[i][:-1])
    seats[i] = f"{row + 30}{seats[i][-1]}"
    return replace(booking, seats=seats)


def generate_day(
    airport: str = HOME,
    day: date | None = None,
    flights: int = 12,
    seed: int = 1,
    fault_ratio: float = 0.05,
) -> list[GeneratedMessage]:
    """Generate a day of API and PNR traffic for `airport`, sorted by the time it would arrive.

    `day` is the airport's local day (default: 1 Dec 2026, so that the result never depends on
    the clock); `fault_ratio` is the probability that a message carries one deliberate fault.
    The same arguments always give the same bytes.
    """
    if not 0 <= fault_ratio <= 1:
        raise ValueError("fault_ratio must be between 0 and 1")
    day = day or date(2026, 12, 1)
    plans = plan_day(airport, day, flights, seed)
    # UNB 0020 control references: one running counter per day and seed, unique per sender.
    controls = [random.Random(f"controls/{seed}").randrange(10000, 90000) * 1000]  # noqa: S311
    messages: list[GeneratedMessage] = []
    for plan in plans:
        messages.extend(flight_messages(plan, airport, seed, fault_ratio, controls))
    messages.sort(key=lambda m: (m.sent_at, m.name))
    return messages
